"""AiortcRunner (oracle/implementations/aiortc_runner.py) on the real aiortc, served over stdio by a child process.

The child runs inside a network namespace with only loopback when the tests run as root (`unshare -n`, lo up),
as peerspec runs every library runner; otherwise it runs as it is, which is safe here because every step below
configures `"iceServers": []` (aiortc contacts no server then). Skipped when aiortc is not installed, saying so;
with PEERSPEC_LIBRARY_TESTS=1 a missing aiortc fails instead (a run asked to test the libraries must not pass by
skipping them). Install: `.ci/install-aiortc`.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerspec.oracle.compare import check
from peerspec.oracle.trace import Step, load
from tests.protocol_client import ProtocolClient

ROOT = Path(__file__).resolve().parent.parent
GATE = "PEERSPEC_LIBRARY_TESTS"
AIORTC_MISSING = (
    None if importlib.util.find_spec("aiortc") is not None else "aiortc is not installed (run .ci/install-aiortc)"
)
ANSWER_TIMEOUT = 30.0  # seconds for one answer line; the runner's own step bound is 5 s
AIORTC_OPS = {
    "construct",
    "createOffer",
    "createAnswer",
    "setLocalDescription",
    "setRemoteDescription",
    "close",
    "createDataChannel",
}


def require_aiortc() -> None:
    """Skip without aiortc, saying so; fail instead when the run was asked to test the libraries."""
    if AIORTC_MISSING is not None:
        if os.environ.get(GATE) == "1":
            pytest.fail(f"asked to test the libraries ({GATE}=1), but {AIORTC_MISSING}", pytrace=False)
        pytest.skip(AIORTC_MISSING)


class Child(ProtocolClient):
    """The aiortc runner's stdio server as a child process, sealed in a loopback-only network namespace."""

    def __init__(self) -> None:
        command = [
            sys.executable,
            "-m",
            "peerspec.oracle.implementations.python_runner",
            "peerspec.oracle.implementations.aiortc_runner:AiortcRunner",
        ]
        super().__init__(command, answer_seconds=ANSWER_TIMEOUT)

    def send(self, request: dict[str, Any] | str) -> dict[str, Any]:
        return self.ask(request)


@pytest.fixture(scope="module")
def child() -> Iterator[Child]:
    require_aiortc()
    started = Child()
    yield started
    started.stop()


def step(op: str, **args: object) -> dict[str, Any]:
    return {"op": op, "args": args}


def test_hello_names_aiortc_and_its_ops(child: Child) -> None:
    hello = child.send({"hello": 1})
    assert hello["protocol"] == 1 and hello["implementation"] == "aiortc"
    assert hello["version"] == "1.16.0"  # the version .ci/install-aiortc pins
    assert set(hello["implements"]) == AIORTC_OPS


def test_a_short_negotiation_records_outcomes_of_the_right_shape(child: Child) -> None:
    steps = [
        step("construct", configuration={"iceServers": []}),
        step("createDataChannel", label="chat"),
        step("createOffer"),
        step("setLocalDescription", description={"type": "offer", "sdp": {"$sdp": "last-offer"}}),
        step("setRemoteDescription", description={"$remote": "answer"}),
        step("setRemoteDescription", description={"$remote": "offer"}),
        step("createAnswer"),
        step("setLocalDescription"),
        step("close"),
        step("createOffer"),
    ]
    observed = child.run(steps)
    for sent, got in zip(steps, observed, strict=True):
        assert got["op"] == sent["op"] and got["args"] == sent["args"]
        assert set(got["after"]) == {"signalingState", "negotiationneeded"}
        assert got["after"]["negotiationneeded"] == 0  # aiortc never fires negotiationneeded
    outcomes = [got["outcome"] for got in observed]
    assert outcomes[0] == {"ok": None} and outcomes[1] == {"ok": {"label": "chat"}}
    for index, kind in ((2, "offer"), (6, "answer")):
        made = outcomes[index]["ok"]
        assert made["type"] == kind
        assert len(made["iceCredentials"]) == 1
        assert all(isinstance(part, str) and part for part in made["iceCredentials"][0])
    assert [got["after"]["signalingState"] for got in observed] == [
        "stable",
        "stable",
        "stable",
        "have-local-offer",
        "stable",
        "have-remote-offer",
        "have-remote-offer",
        "stable",
        "closed",
        "closed",
    ]
    assert outcomes[9]["error"]["name"] == "InvalidStateError" and outcomes[9]["error"]["kind"] == "reject"
    assert outcomes[9]["error"]["message"]


def test_missing_ops_and_inexpressible_values_are_not_implemented(child: Child) -> None:
    observed = child.run(
        [
            step("construct", configuration={"iceServers": []}),
            step("restartIce"),
            step("getConfiguration"),
            step("setConfiguration", configuration={"iceServers": []}),
            step("createDataChannel", label=5),
            step("createOffer", options={"iceRestart": True}),
        ]
    )
    outcomes = [got["outcome"] for got in observed]
    assert outcomes[0] == {"ok": None}
    assert outcomes[1] == {"notImplemented": "aiortc has no restartIce"}
    assert outcomes[2] == {"notImplemented": "aiortc has no getConfiguration"}
    assert outcomes[3] == {"notImplemented": "aiortc has no setConfiguration"}
    assert outcomes[4]["notImplemented"].startswith("aiortc's API cannot express a data channel label that is a number")
    assert outcomes[5]["notImplemented"].startswith("aiortc's API cannot express createOffer options.iceRestart")
    assert all(got["after"] == {"signalingState": "stable", "negotiationneeded": 0} for got in observed)


def test_a_configuration_member_aiortc_lacks_leaves_the_trace_not_implemented(child: Child) -> None:
    observed = child.run(
        [step("construct", configuration={"rtcpMuxPolicy": "require"}), step("createDataChannel", label="x")]
    )
    assert observed[0]["outcome"] == {
        "notImplemented": "aiortc's API cannot express configuration.rtcpMuxPolicy "
        "(aiortc's RTCConfiguration has no such member)"
    }
    assert observed[0]["after"] is None
    assert observed[1]["outcome"]["notImplemented"].startswith("not run: construct was not implemented")


def test_a_committed_vector_agrees_with_the_model(child: Child) -> None:
    vector = load(str(ROOT / "vectors" / "createOffer-on-closed-rejects-InvalidStateError.jsonl"))
    observed = child.run([s.call.to_json() for s in vector])
    recorded = [Step(o["op"], o["args"], o.get("outcome"), o.get("after"), line=i) for i, o in enumerate(observed, 1)]
    assert check(recorded) == []


def test_a_bad_line_is_a_runner_error_and_serving_goes_on(child: Child) -> None:
    assert child.send("{not json")["runnerError"].startswith("bad JSON")
    assert child.send({"session": "nope", "peek": True}) == {"runnerError": 'no session "nope"'}
    assert child.send({"hello": 1})["implementation"] == "aiortc"
