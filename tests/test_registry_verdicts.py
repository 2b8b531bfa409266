"""The registry's verdicts beyond known and new: an entry where the spec reads two ways is *ambiguous under the
spec* (both readings written down), a profile choice can itself be such an entry, and each matcher takes only
the divergences of its own entry. The observed traces here are the model's own run with one observation changed,
so each test names exactly the difference it judges."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from peerspec.oracle.deviations import load_registry, trace_steps
from peerspec.oracle.errors import OracleError
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import Step
from peerspec.oracle.verdicts import verdicts_of

REGISTRY = load_registry()
TURN = "turn:turn.example.invalid"


def calls(*raw: Mapping[str, object]) -> list[Step]:
    return trace_steps(list(raw))


def as_the_model_runs(steps: list[Step], implementation: str) -> list[Step]:
    return replay(steps, seed=7, profile=REGISTRY.profile(implementation))


def with_outcome(steps: list[Step], number: int, outcome: dict[str, object]) -> list[Step]:
    changed = list(steps)
    changed[number - 1] = replace(changed[number - 1], outcome=outcome)
    return changed


def verdict_words(observed: list[Step], implementation: str) -> list[tuple[int, str, str | None]]:
    return [(v.divergence.step, v.verdict, v.deviation) for v in verdicts_of(observed, implementation, REGISTRY)]


def username_of(length: int) -> list[Step]:
    server = {"urls": TURN, "username": "x" * length, "credential": "c"}
    return calls(
        {"op": "construct", "args": {}}, {"op": "setConfiguration", "args": {"configuration": {"iceServers": [server]}}}
    )


@pytest.mark.parametrize("implementation", ["chromium", "firefox"])
def test_a_509_byte_turn_username_accepted_is_ambiguous_under_the_spec(implementation: str) -> None:
    """RFC 8489 §14.3 "fewer than 509 bytes" against newer WPT "509 characters should succeed"."""
    model = as_the_model_runs(username_of(509), implementation)
    assert (model[1].outcome or {}).get("error"), "the model reads RFC 8489 literally"
    observed = with_outcome(model, 2, {"ok": None})
    assert verdict_words(observed, implementation)[0] == (2, "ambiguous", "turn-username-of-509-bytes")
    described = verdicts_of(observed, implementation, REGISTRY)[0].describe()
    assert described.startswith("[ambiguous under the spec: turn-username-of-509-bytes]")


@pytest.mark.parametrize("implementation", ["chromium", "firefox"])
def test_a_510_byte_turn_username_accepted_is_not_absorbed_by_the_509_entry(implementation: str) -> None:
    """Over any reading of the limit: a new divergence, not ambiguous (both browsers refuse it today)."""
    observed = with_outcome(as_the_model_runs(username_of(510), implementation), 2, {"ok": None})
    assert verdict_words(observed, implementation)[0][:2] == (2, "new")


NEGOTIATED = (
    {"op": "construct", "args": {}},
    {"op": "createDataChannel", "args": {"label": "chat"}},
    {"op": "createOffer", "args": {}},
    {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
    {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
)
NEW_SERVERS = {"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": "stun:a.invalid"}]}}}
OFFER = {"op": "createOffer", "args": {}}


def restarting_last_offer(steps: list[Step]) -> list[Step]:
    """The model's run, with the last createOffer's credentials new (an ICE restart the model did not make)."""
    last = steps[-1]
    assert last.op == "createOffer" and last.outcome is not None
    made = dict(last.outcome["ok"])  # type: ignore[call-overload]
    made["iceCredentials"] = [["zzzz", "z" * 22]]
    return with_outcome(steps, len(steps), {"ok": made})


def test_a_restarting_offer_with_no_server_change_before_it_is_new_for_chromium() -> None:
    """chromium-server-change-before-gathering-restarts-ice takes a restarting createOffer only after a
    setConfiguration that changed servers or policy (`earlier`), not any restarting createOffer."""
    observed = restarting_last_offer(as_the_model_runs(calls(*NEGOTIATED, OFFER), "chromium"))
    assert verdict_words(observed, "chromium") == [(6, "new", None)]


def test_the_needs_ice_restart_profile_is_ambiguous_where_the_other_reading_would_judge_otherwise() -> None:
    """A profile choice with two readings (needs-ice-restart-profile): the trace is judged under the profile's
    reading (JSEP: the offer after a server change restarts ICE), and the other reading (webrtc-pc's: it keeps
    the credentials) finds the divergence the verdict then calls ambiguous."""
    model = as_the_model_runs(calls(*NEGOTIATED, NEW_SERVERS, OFFER), "firefox")
    assert (model[5].after or {})["negotiationneeded"] == 2  # the model: the server change fired one more event
    observed = list(model)
    observed[5] = replace(model[5], after={**(model[5].after or {}), "negotiationneeded": 1})  # as Firefox: none
    words = verdict_words(observed, "firefox")
    assert (6, "known", "firefox-needs-ice-restart-without-negotiationneeded") in words
    assert (7, "ambiguous", "needs-ice-restart-profile") in words
    assert not any(word == "new" for _step, word, _entry in words)


def test_an_offer_that_follows_the_profile_and_the_spec_alike_has_no_verdict() -> None:
    """No server change: both readings agree, so the dual replay adds nothing."""
    model = as_the_model_runs(calls(*NEGOTIATED, OFFER), "firefox")
    assert verdict_words(model, "firefox") == []


def test_an_ambiguous_entry_must_write_down_both_readings(tmp_path: Path) -> None:
    raw = {
        "id": "x",
        "implementations": ["chromium"],
        "trace": [],
        "spec": {"section": "s", "says": "s"},
        "implementation_does": "d",
        "why": "w",
        "match": {"op": "construct"},
        "status": "ambiguous",
        "readings": [{"reading": "only one", "says": "..."}],
    }
    path = tmp_path / "deviations.json"
    path.write_text(json.dumps({"version": 1, "deviations": [raw]}), encoding="utf-8")
    with pytest.raises(OracleError, match="both readings"):
        load_registry(path)


def test_check_reports_ambiguous_under_the_spec_and_fails_nothing(tmp_path: Path) -> None:
    """`peerspec check`: an ambiguous divergence is reported as such, in text and JSON, with exit 0."""
    from typer.testing import CliRunner

    from peerspec.oracle.cli import app
    from peerspec.oracle.trace import dumps

    observed = with_outcome(as_the_model_runs(username_of(509), "chromium"), 2, {"ok": None})
    path = tmp_path / "observed.jsonl"
    path.write_text(dumps(observed), encoding="utf-8")
    text = CliRunner().invoke(app, ["check", str(path), "--impl", "chromium"])
    assert text.exit_code == 0, text.output
    assert "ambiguous under the spec: turn-username-of-509-bytes" in text.output
    assert "1 ambiguous under the spec" in text.output
    machine = CliRunner().invoke(app, ["check", str(path), "--impl", "chromium", "--format", "json"])
    (verdict,) = json.loads(machine.output)["traces"][0]["verdicts"]
    assert (verdict["verdict"], verdict["deviation"]) == ("ambiguous", "turn-username-of-509-bytes")


def test_a_remote_offer_refused_without_max_bundle_is_not_absorbed_by_the_max_bundle_entry() -> None:
    """chromium-max-bundle-refuses-remote-offer-without-bundle-group needs a max-bundle connection (`earlier`)."""
    steps = calls(
        {"op": "construct", "args": {}}, {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer"}}}
    )
    refused: dict[str, object] = {"error": {"kind": "reject", "name": "InvalidAccessError", "message": ""}}
    observed = with_outcome(as_the_model_runs(steps, "chromium"), 2, refused)
    assert [word for _step, word, _entry in verdict_words(observed, "chromium")][:1] == ["new"]


STUN = "stun:stun.example.invalid"


def long_server_list_then_get_configuration() -> list[Step]:
    """A configuration whose iceServers text is longer than a divergence shows (160 characters)."""
    first = {"urls": [TURN], "username": "u" * 150, "credential": "c"}
    second = {"urls": STUN}
    return calls(
        {"op": "construct", "args": {"configuration": {"iceServers": [first, second]}}},
        {"op": "getConfiguration", "args": {}},
    )


def servers_of(model: list[Step]) -> list[dict[str, object]]:
    result = (model[1].outcome or {})["ok"]
    assert isinstance(result, dict)
    return [dict(server) for server in result["iceServers"]]


def with_servers(model: list[Step], servers: list[dict[str, object]]) -> list[Step]:
    result = (model[1].outcome or {})["ok"]
    assert isinstance(result, dict)
    return with_outcome(model, 2, {"ok": {**result, "iceServers": servers}})


@pytest.mark.parametrize("implementation", ["werift", "wrtc"])
def test_a_urls_string_returned_as_given_is_known_past_the_shown_text(implementation: str) -> None:
    """The later server's urls string lies beyond the divergence's text: the entry compares the values."""
    model = as_the_model_runs(long_server_list_then_get_configuration(), implementation)
    servers = servers_of(model)
    assert servers[1]["urls"] == [STUN], "the model returns urls as a list"
    as_given = with_servers(model, [servers[0], {**servers[1], "urls": STUN}])
    words = [(step, word, entry) for step, word, entry in verdict_words(as_given, implementation) if step == 2]
    assert (2, "known", f"{implementation}-getconfiguration-urls-as-given") in words
    also_changed = with_servers(model, [{**servers[0], "credential": "d"}, {**servers[1], "urls": STUN}])
    assert (2, "new", None) in verdict_words(also_changed, implementation)
