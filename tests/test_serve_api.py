"""`peerspec serve`'s JSON API, through Starlette's TestClient: the page's verdicts are the model's own (the replay's
records, narrate's words), each citation links to the Editor's Draft, a browser's recorded run is judged as
`peerspec check` judges it (the deviation registry naming known departures), and bad input of every kind gets a
one-line JSON answer while the server goes on serving."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from peerspec.model import LIFECYCLE_MACHINE
from peerspec.oracle.deviations import TRACES_DIR, VECTORS_DIR
from peerspec.oracle.model_runner import replay_with_messages
from peerspec.oracle.narrate import narrate
from peerspec.oracle.serve import app as app_module
from peerspec.oracle.serve.app import MAX_BODY_BYTES, create_app
from peerspec.oracle.serve.comparison import browser_of
from peerspec.oracle.serve.evaluation import MAX_STEPS, MAX_TRACE_BYTES
from peerspec.oracle.serve.spec_links import EDITORS_DRAFT, spec_url
from peerspec.oracle.trace import dump_step, dumps, load, parse

TRACE = "".join(
    json.dumps(step) + "\n"
    for step in [
        {"op": "construct", "args": {"configuration": {"iceServers": [{"urls": "stun:stun.example.invalid"}]}}},
        {"op": "getConfiguration", "args": {}},
        {"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": "turn:turn.example.invalid"}]}}},
        {"op": "createDataChannel", "args": {"label": "chat"}},
        {"op": "createOffer", "args": {}},
        {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
        {"op": "createOffer", "args": {"options": {"iceRestart": True}}},
        {"op": "close", "args": {}},
    ]
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)


def evaluated(client: TestClient, trace: str) -> dict[str, Any]:
    response = client.post("/api/evaluate", json={"trace": trace})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_the_page_its_scripts_and_the_js_runner_are_served_from_here_alone(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for script in ("/static/viewer.js", "/static/trace_form.js", "/static/lifecycle_svg.js", "/static/viewer.css"):
        assert script.rsplit("/", 1)[1] in page.text or script != "/static/viewer.css"
        assert client.get(script).status_code == 200, script
    runner = client.get("/runner/peerspec-runner.js")
    assert runner.status_code == 200 and "runTrace" in runner.text
    assert "default-src 'none'" in page.headers["content-security-policy"]  # nothing comes from the internet
    assert "http://" not in page.text.replace("http://www.w3.org/2000/svg", "")


def test_each_step_shows_the_models_own_outcome_and_words(client: TestClient) -> None:
    answer = evaluated(client, TRACE)
    replayed = list(replay_with_messages(parse(TRACE.encode())))
    steps = answer["steps"]
    assert isinstance(steps, list)
    assert [s["record"] for s in steps] == [dump_step(r.step) for r in replayed]
    assert [s["sentence"] for s in steps] == list(narrate(replayed))
    assert answer["recorded"] == dumps([r.step for r in replayed])


def test_an_error_names_the_spec_step_that_raised_it_with_a_link_to_that_section(client: TestClient) -> None:
    (step,) = [s for s in evaluated(client, TRACE)["steps"] if s["number"] == 3]
    assert step["outcome"] == "throws InvalidAccessError"
    assert step["error"]["name"] == "InvalidAccessError" and step["error"]["kind"] == "throw"
    assert step["decidedBy"]["text"].startswith("validate an ICE server URL step")
    assert step["decidedBy"]["url"] == EDITORS_DRAFT + "#dfn-validate-an-ice-server-url"


def test_get_configuration_credentials_and_negotiationneeded_are_shown_per_step(client: TestClient) -> None:
    steps = {s["number"]: s for s in evaluated(client, TRACE)["steps"]}
    configuration = steps[2]["configuration"]
    assert configuration["json"]["iceServers"] == [{"urls": ["stun:stun.example.invalid"]}]
    assert steps[4]["negotiationneededFired"] == 1  # the first data channel makes negotiation needed
    assert steps[5]["credentials"] == [{"label": "C1", "new": True}]
    assert steps[7]["credentials"] == [{"label": "C2", "new": True}]  # iceRestart: true generates new ones
    assert steps[6]["after"]["signalingState"] == "have-local-offer"
    assert steps[6]["after"]["lifecycle"] == "negotiating"
    assert steps[8]["after"]["lifecycle"] == "closed"


def test_every_citation_the_committed_vectors_reach_links_into_the_editors_draft() -> None:
    for path in sorted(VECTORS_DIR.glob("*.jsonl")):
        for item in replay_with_messages(load(str(path))):
            error = (item.step.outcome or {}).get("error")
            if isinstance(error, dict):
                url = spec_url(str(error["spec"]))
                assert url is not None and url.startswith(EDITORS_DRAFT + "#"), (path.name, error["spec"])


def test_a_url_outside_invalid_is_named_so_the_page_will_not_run_it_in_a_browser(client: TestClient) -> None:
    outside = '{"op": "construct", "args": {"configuration": {"iceServers": [{"urls": "stun:stun.example.org"}]}}}\n'
    assert evaluated(client, outside)["unsafeUrls"] == ["stun:stun.example.org"]
    assert evaluated(client, TRACE)["unsafeUrls"] == []


@pytest.mark.parametrize(
    ("trace", "said"),
    [
        ('{"op": "construct", "args": {}\n', "trace, line 1: not JSON"),
        ('{"op": "construct", "args": {}}\n{"op": "fly", "args": {}}\n', "trace, line 2: unknown op 'fly'"),
        ('{"op": "getConfiguration", "args": {}}\n', "getConfiguration before construct"),
        ('{"op": "construct", "args": {"configuration": {"$foo": 1}}}\n', "unknown tag"),
        ("", "the trace is empty"),
    ],
)
def test_a_bad_trace_gets_the_readers_one_line_reason(client: TestClient, trace: str, said: str) -> None:
    response = client.post("/api/evaluate", json={"trace": trace})
    assert response.status_code == 400
    assert said in response.json()["error"]
    assert "\n" not in response.json()["error"]


def test_a_huge_trace_is_refused_naming_the_limit_and_the_server_keeps_serving(client: TestClient) -> None:
    many = '{"op": "construct", "args": {}}\n' + '{"op": "getConfiguration", "args": {}}\n' * MAX_STEPS
    too_many = client.post("/api/evaluate", json={"trace": many})
    assert too_many.status_code == 400 and f"at most {MAX_STEPS} steps" in too_many.json()["error"]
    big = '{"op": "construct", "args": {"configuration": {"x": "' + "a" * MAX_TRACE_BYTES + '"}}}\n'
    too_big = client.post("/api/evaluate", json={"trace": big})
    assert too_big.status_code == 400 and f"at most {MAX_TRACE_BYTES:,} bytes" in too_big.json()["error"]
    body = client.post("/api/evaluate", content=b'{"trace": "' + b"a" * MAX_BODY_BYTES + b'"}')
    assert body.status_code == 413 and f"at most {MAX_BODY_BYTES:,}" in body.json()["error"]
    assert evaluated(client, TRACE)["steps"]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"not json", "not a JSON document"),
        (b"[1]", "a JSON object"),
        (b'{"trace": 3}', "'trace' member must be a str"),
        (b'{"trace": "x", "seed": -1}', "'seed' member"),
        (b"\xff\xfe", "not a JSON document"),
    ],
)
def test_a_bad_request_is_one_line_of_json_not_an_error_page(client: TestClient, body: bytes, said: str) -> None:
    response = client.post("/api/evaluate", content=body)
    assert response.status_code == 400 and response.headers["content-type"] == "application/json"
    assert said in response.json()["error"]


def test_an_unknown_address_or_method_is_json_too(client: TestClient) -> None:
    missing = client.get("/api/nothing")
    assert missing.status_code == 404 and missing.json() == {"error": "/api/nothing: Not Found"}
    assert client.get("/api/evaluate").status_code == 405
    assert "error" in client.get("/api/evaluate").json()


def test_an_internal_failure_is_one_line_of_json_and_the_server_keeps_serving(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str, *, seed: int = 0) -> dict[str, object]:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(app_module, "evaluate", broken)
    response = client.post("/api/evaluate", json={"trace": TRACE})
    assert response.status_code == 500
    assert response.json() == {"error": "internal error: ZeroDivisionError: a bug"}
    monkeypatch.undo()
    assert evaluated(client, TRACE)["steps"]


def test_the_lifecycle_graph_is_the_live_machines(client: TestClient) -> None:
    graph = client.get("/api/lifecycle").json()
    assert graph["states"] == list(LIFECYCLE_MACHINE.states)
    live = {
        (name, t.source, t.dest)
        for name, event in LIFECYCLE_MACHINE.events.items()
        for ts in event.transitions.values()
        for t in ts
    }
    assert {(t["trigger"], t["source"], t["dest"]) for t in graph["transitions"]} == live
    assert all(t["why"] for t in graph["transitions"])


def test_the_examples_are_the_rule_vectors_grouped_by_section_as_calls_only(client: TestClient) -> None:
    manifest = json.loads((VECTORS_DIR / "manifest.json").read_text(encoding="utf-8"))
    rules = {case["id"]: case for case in manifest["cases"] if case["source"] == "rule"}
    groups = client.get("/api/examples").json()["groups"]
    offered = [example for group in groups for example in group["examples"]]
    assert sorted(e["id"] for e in offered) == sorted(rules)
    validate = next(g for g in groups if g["section"] == "validate an ICE server URL")
    assert validate["url"] == EDITORS_DRAFT + "#dfn-validate-an-ice-server-url"
    some = offered[0]["id"]
    calls = parse(client.get(f"/api/examples/{some}").json()["trace"].encode())
    assert [s.call for s in load(str(VECTORS_DIR / rules[some]["file"]))] == calls
    assert all(step.outcome is None for step in calls)
    assert client.get("/api/examples/no-such-rule").status_code == 404


def _observed(path: Path) -> tuple[str, list[dict[str, object]]]:
    """A trace recorded in an implementation: its calls as the page holds them, and what it observed per step."""
    steps = load(str(path))
    return dumps([s.call for s in steps]), [{"outcome": s.outcome, "after": s.after} for s in steps]


def test_a_browsers_known_departure_is_named_by_its_registry_entry(client: TestClient) -> None:
    text, observed = _observed(TRACES_DIR / "chromium-getconfiguration-extra-members.chromium.jsonl")
    known = client.post("/api/compare", json={"trace": text, "observed": observed, "implementation": "chromium"})
    assert known.status_code == 200, known.text
    divergences = known.json()["divergences"]
    assert divergences and {d["deviation"] for d in divergences} == {"chromium-getconfiguration-extra-members"}
    assert divergences[0]["entry"]["does"].startswith("adds alwaysNegotiateDataChannels")
    by_spec = client.post("/api/compare", json={"trace": text, "observed": observed, "implementation": ""})
    assert {d["verdict"] for d in by_spec.json()["divergences"]} == {"new"}


def test_the_browser_is_told_from_its_user_agent(client: TestClient) -> None:
    text, observed = _observed(TRACES_DIR / "chromium-getconfiguration-extra-members.chromium.jsonl")
    headless = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36"
    )
    answer = client.post(
        "/api/compare", json={"trace": text, "observed": observed}, headers={"user-agent": headless}
    ).json()
    assert answer["implementation"] == "chromium"
    assert browser_of("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0") == "firefox"
    assert browser_of("curl/8.0") == ""


def test_a_browser_run_that_agrees_has_no_divergences(client: TestClient) -> None:
    replayed = replay_with_messages(parse(TRACE.encode()), seed=7)
    observed = [{"outcome": r.step.outcome, "after": r.step.after} for r in replayed]
    answer = client.post("/api/compare", json={"trace": TRACE, "observed": observed, "implementation": ""}).json()
    assert answer["divergences"] == []
    assert [o["outcome"] for o in answer["observed"]][2] == "throws InvalidAccessError"


def test_a_malformed_browser_record_is_refused_in_one_line(client: TestClient) -> None:
    short = client.post("/api/compare", json={"trace": TRACE, "observed": [], "implementation": ""})
    assert short.status_code == 400 and "recorded 0 steps for a trace of 8" in short.json()["error"]
    bad = [{"outcome": {"ok": None, "extra": 1}, "after": None}] * 8
    wrong = client.post("/api/compare", json={"trace": TRACE, "observed": bad, "implementation": ""})
    assert wrong.status_code == 400 and "the browser's run, line 1" in wrong.json()["error"]
