"""The Go runner for Pion (oracle/runners/go/): built with Debian's Go and Pion, driven over its pipe as peerspec
drives it (oracle/SESSION-PROTOCOL.md).

Without Go or Pion's sources (`bash .ci/install-go` installs both) the tests are skipped, saying so; with
PEERSPEC_LIBRARY_TESTS=1 they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerspec.oracle.trace import parse
from tests.protocol_client import ProtocolClient

ROOT = Path(__file__).resolve().parent.parent
GOPATH = Path("/usr/share/gocode")
PION = GOPATH / "src" / "github.com" / "pion" / "webrtc"
GATE = "PEERSPEC_LIBRARY_TESTS"
ANSWER_TIMEOUT = 30.0

Answer = dict[str, Any]


def missing() -> str | None:
    if shutil.which("go") is None:
        return "Go is not installed (bash .ci/install-go installs it)"
    if not (PION / "peerconnection.go").exists():
        return f"Pion's sources are not in {PION} (bash .ci/install-go installs golang-github-pion-webrtc.v3-dev)"
    return None


@pytest.fixture(scope="session")
def runner_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = missing()
    if reason is not None:
        if os.environ.get(GATE) == "1":
            pytest.fail(f"asked to test the library runners ({GATE}=1), but {reason}", pytrace=False)
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("pion") / "peerspec-pion"
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": str(GOPATH), "GOFLAGS": ""}
    if "GOCACHE" not in env and "HOME" not in env:
        env["GOCACHE"] = str(tmp_path_factory.mktemp("gocache"))  # go needs one or the other
    build = subprocess.run(
        ["go", "build", "-o", str(out), "./oracle/runners/go/"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return out


class Runner(ProtocolClient):
    """The Pion runner as a child process (not sealed here: these tests never name an ICE server)."""

    def __init__(self, binary: Path) -> None:
        super().__init__([str(binary)], sealed=False, answer_seconds=ANSWER_TIMEOUT)


@pytest.fixture
def runner(runner_binary: Path) -> Iterator[Runner]:
    r = Runner(runner_binary)
    yield r
    r.stop()


def test_hello_answers_protocol_1_with_the_ops_pion_has(runner: Runner) -> None:
    hello = runner.ask({"hello": 1})
    assert hello["protocol"] == 1
    assert hello["implementation"] == "pion"
    assert isinstance(hello["version"], str) and hello["version"]
    assert "construct" in hello["implements"] and "generateCertificate" in hello["implements"]
    assert "restartIce" not in hello["implements"]  # Pion v3 has no RestartIce


SHORT_TRACE: list[Answer] = [
    {"op": "construct", "args": {"configuration": {"iceServers": []}}},
    {"op": "getConfiguration", "args": {}},
    {"op": "createDataChannel", "args": {"label": "chat"}},
    {"op": "createOffer", "args": {}},
    {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
    {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
    {"op": "close", "args": {}},
]


def test_a_short_trace_records_outcomes_of_the_right_shape(runner: Runner) -> None:
    session = runner.open()
    assert runner.ask({"session": session, "peek": True}) == {"configuration": None}
    observed = runner.steps(session, SHORT_TRACE)
    for sent, got in zip(SHORT_TRACE, observed, strict=True):
        assert got["op"] == sent["op"] and got["args"] == sent["args"]
        assert "ok" in got["outcome"], got
    construct, configuration, channel, offer, local, remote, close = observed
    assert construct["after"] == {"signalingState": "stable", "negotiationneeded": 0}
    result = configuration["outcome"]["ok"]
    assert result["iceServers"] == [] and result["bundlePolicy"] == "balanced"
    assert result["rtcpMuxPolicy"] == "require" and result["iceTransportPolicy"] == "all"
    assert result["iceCandidatePoolSize"] == 0 and isinstance(result["certificates"], list)
    assert channel["outcome"] == {"ok": {"label": "chat"}}
    assert channel["after"]["negotiationneeded"] == 1
    assert offer["outcome"]["ok"]["type"] == "offer"
    credentials = offer["outcome"]["ok"]["iceCredentials"]
    assert len(credentials) == 1 and all(isinstance(x, str) and x for x in credentials[0])
    assert local["after"]["signalingState"] == "have-local-offer"
    assert remote["after"]["signalingState"] == "stable"
    assert close["after"]["signalingState"] == "closed"
    peek = runner.ask({"session": session, "peek": True})["configuration"]
    assert peek is not None and peek["iceServers"] == []
    assert runner.ask({"session": session, "close": True}) == {"closed": True}
    # What it records is a valid observed trace.
    recorded = parse("".join(json.dumps(step) + "\n" for step in observed).encode(), "pion runner output")
    assert [step.op for step in recorded] == [step["op"] for step in SHORT_TRACE]


def test_errors_carry_the_spec_kind_and_pions_message(runner: Runner) -> None:
    session = runner.open()
    observed = runner.steps(
        session,
        [
            {"op": "construct", "args": {}},
            {"op": "close", "args": {}},
            {"op": "setConfiguration", "args": {"configuration": {}}},
            {"op": "createOffer", "args": {}},
        ],
    )
    assert observed[2]["outcome"]["error"]["name"] == "InvalidStateError"
    assert observed[2]["outcome"]["error"]["kind"] == "throw"
    assert observed[3]["outcome"]["error"]["name"] == "InvalidStateError"
    assert observed[3]["outcome"]["error"]["kind"] == "reject"
    assert observed[3]["outcome"]["error"]["message"]


def test_a_remote_offer_is_answered(runner: Runner) -> None:
    session = runner.open()
    observed = runner.steps(
        session,
        [
            {"op": "construct", "args": {}},
            {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer"}}},
            {"op": "createAnswer", "args": {}},
            {"op": "setLocalDescription", "args": {"description": {"type": "answer", "sdp": {"$sdp": "last-answer"}}}},
        ],
    )
    assert [step["after"]["signalingState"] for step in observed] == [
        "stable",
        "have-remote-offer",
        "have-remote-offer",
        "stable",
    ]
    assert observed[2]["outcome"]["ok"]["type"] == "answer"


def test_a_failed_construct_stops_the_trace(runner: Runner) -> None:
    session = runner.open()
    turn = {"iceServers": [{"urls": "turn:turn.example.invalid"}]}
    construct, later = runner.steps(
        session, [{"op": "construct", "args": {"configuration": turn}}, {"op": "close", "args": {}}]
    )
    assert construct["outcome"]["error"]["name"] == "InvalidAccessError"
    assert construct["outcome"]["error"]["kind"] == "throw"
    assert construct["after"] is None
    assert "outcome" not in later and "after" not in later


def test_an_unknown_session_is_a_runner_error(runner: Runner) -> None:
    assert "runnerError" in runner.ask({"session": 12345, "step": {"op": "close", "args": {}}})
    assert "runnerError" in runner.ask({"session": "nope", "peek": True})


def test_a_line_that_is_not_json_is_a_runner_error_and_the_runner_goes_on(runner: Runner) -> None:
    assert "runnerError" in runner.send_line(b"this is not JSON")
    assert "runnerError" in runner.send_line(b"[1, 2]")
    assert runner.ask({"hello": 1})["protocol"] == 1


def test_a_value_pion_cannot_express_is_not_implemented(runner: Runner) -> None:
    session = runner.open()
    observed = runner.steps(
        session,
        [
            {"op": "construct", "args": {}},
            {"op": "setConfiguration", "args": {"configuration": {"iceCandidatePoolSize": 1.5}}},
            {"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": {"$js": "NaN"}}]}}},
            {"op": "createDataChannel", "args": {"label": 5}},
            {"op": "createOffer", "args": {"options": True}},
            {"op": "restartIce", "args": {}},
        ],
    )
    for step in observed[1:]:
        assert set(step["outcome"]) == {"notImplemented"}, step
        assert isinstance(step["outcome"]["notImplemented"], str)
        assert step["after"] == {"signalingState": "stable", "negotiationneeded": 0}


def test_certificates_are_generated_and_named_in_the_configuration(runner: Runner) -> None:
    session = runner.open()
    observed = runner.steps(
        session,
        [
            {
                "op": "generateCertificate",
                "args": {"name": "c1", "keygenAlgorithm": {"name": "ECDSA", "namedCurve": "P-256"}},
            },
            {
                "op": "generateCertificate",
                "args": {"name": "c2", "keygenAlgorithm": {"name": "ECDSA", "namedCurve": "P-521"}},
            },
            {"op": "construct", "args": {"configuration": {"certificates": [{"$certificate": "c1"}]}}},
            {"op": "getConfiguration", "args": {}},
        ],
    )
    assert observed[0]["outcome"] == {"ok": {"$certificate": "c1"}} and observed[0]["after"] is None
    assert set(observed[1]["outcome"]) == {"notImplemented"}
    assert observed[3]["outcome"]["ok"]["certificates"] == [{"$certificate": "c1"}]
