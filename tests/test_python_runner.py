"""PythonRunner (oracle/implementations/python_runner.py), tested on a stand-in stack defined here.

`StandInConnection` is NOT a WebRTC implementation: it is a few lines that behave like one where the base class
needs it (signaling states, offers with ICE credentials, events, errors), so that tag decoding, the recorded
outcome shapes, notImplemented, error naming and the stdio server can be tested without any real stack.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

from peerspec.model import UNDEFINED
from peerspec.oracle.implementations.offline import UnsafeURL
from peerspec.oracle.implementations.python_runner import (
    InProcessImplementation,
    PythonRunner,
    ice_credentials,
    serve,
)

ROOT = Path(__file__).resolve().parent.parent
_ids = itertools.count(1)


class StandInInvalidStateError(Exception):
    """The stand-in's own exception class, which the stand-in runner maps onto InvalidStateError."""


class StandInCertificate:
    pass


class StandInConnection:
    """A stand-in for a Python stack's RTCPeerConnection (not a real one; see the module docstring)."""

    def __init__(self, configuration: object = None) -> None:
        if configuration == "explode":
            raise StandInInvalidStateError("cannot construct")
        self.configuration = configuration
        self.signalingState = "stable"
        self.localDescription: dict[str, str] | None = None
        self.remoteDescription: dict[str, str] | None = None
        number = next(_ids)
        self.ufrag, self.pwd = f"u{number}", f"p{number}pppppppppppppppppppp"
        self.channels = 0
        self._listeners: list[Any] = []

    def on(self, event: str, callback: Any) -> None:
        if event == "negotiationneeded":
            self._listeners.append(callback)

    def _check_open(self) -> None:
        if self.signalingState == "closed":
            raise StandInInvalidStateError("closed")

    def _sdp(self, sdp_type: str) -> dict[str, str]:
        media = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" if self.channels else ""
        sdp = f"v=0\r\no=- {id(self)} 1 IN IP4 0.0.0.0\r\ns=-\r\na=ice-ufrag:{self.ufrag}\r\na=ice-pwd:{self.pwd}\r\n"
        return {"type": sdp_type, "sdp": sdp + media}

    def createDataChannel(self, label: object) -> SimpleNamespace:
        self._check_open()
        if not isinstance(label, str):
            raise TypeError("label must be a str")
        self.channels += 1
        for callback in self._listeners:
            asyncio.get_running_loop().call_soon(callback)
        return SimpleNamespace(label=label)

    async def createOffer(self) -> dict[str, str]:
        self._check_open()
        return self._sdp("offer")

    async def createAnswer(self) -> dict[str, str]:
        self._check_open()
        if self.signalingState != "have-remote-offer":
            raise StandInInvalidStateError(f"createAnswer in {self.signalingState}")
        return self._sdp("answer")

    async def setLocalDescription(self, description: dict[str, str] | None = None) -> None:
        self._check_open()
        if description is None:
            description = self._sdp("answer" if self.signalingState == "have-remote-offer" else "offer")
        kind = description.get("type")
        if kind == "rollback":
            self.signalingState, self.localDescription = "stable", None
        elif kind == "offer":
            self.signalingState, self.localDescription = "have-local-offer", description
        elif kind == "answer":
            self.signalingState, self.localDescription = "stable", description
        else:
            raise ValueError(f"bad type {kind!r}")

    async def setRemoteDescription(self, description: dict[str, str]) -> None:
        self._check_open()
        kind = description.get("type")
        if kind == "rollback":
            self.signalingState, self.remoteDescription = "stable", None
        elif kind == "offer":
            self.signalingState, self.remoteDescription = "have-remote-offer", description
        elif kind in ("answer", "pranswer"):
            if self.signalingState != "have-local-offer":
                raise StandInInvalidStateError(f"{kind} in {self.signalingState}")
            self.remoteDescription = description
            self.signalingState = "stable" if kind == "answer" else "have-remote-pranswer"
        else:
            raise ValueError(f"bad type {kind!r}")

    def getConfiguration(self) -> object:
        return self.configuration

    def close(self) -> None:
        self.signalingState = "closed"


class StandInRunner(PythonRunner):
    """A PythonRunner over the stand-in: no setConfiguration and no restartIce (so: not implemented)."""

    name: ClassVar[str] = "stand-in"
    error_names: ClassVar[dict[type[BaseException], str]] = {StandInInvalidStateError: "InvalidStateError"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seen: list[tuple[str, object]] = []  # every (op, decoded value) convert was given
        self.remote_offers: list[bool] = []  # ice_restart of every remote offer made

    @property
    def version(self) -> str:
        return "0.0-stand-in"

    def convert(self, op: str, value: object) -> object:
        self.seen.append((op, value))
        if op == "createDataChannel":
            return super().convert(op, value)  # the default: JavaScript-only values are not expressible
        if op in ("setLocalDescription", "setRemoteDescription") and isinstance(value, dict):
            return {key: member for key, member in value.items()}
        return value

    async def remote_offer(self, peer: Any, ice_restart: bool) -> Any:
        self.remote_offers.append(ice_restart)
        if ice_restart:
            peer.ufrag, peer.pwd = peer.ufrag + "r", peer.pwd + "r"
        return await peer.createOffer()

    def do_generateCertificate(self, *keygen_algorithm: Any) -> Any:
        if keygen_algorithm and keygen_algorithm[0] == {"name": "bogus"}:
            raise NotImplementedError("bogus algorithm")  # a stack's own exception class: keeps its name

        async def make() -> StandInCertificate:
            return StandInCertificate()

        return make()

    def do_construct(self, *configuration: Any) -> Any:
        return StandInConnection(*configuration)

    def do_getConfiguration(self, pc: Any) -> Any:
        return pc.getConfiguration()

    def do_createOffer(self, pc: Any, *options: Any) -> Any:
        if options and options[0] == {"hang": True}:
            return asyncio.sleep(30)
        return pc.createOffer()

    def do_createAnswer(self, pc: Any, *options: Any) -> Any:
        return pc.createAnswer()

    def do_setLocalDescription(self, pc: Any, *description: Any) -> Any:
        return pc.setLocalDescription(*description)

    def do_setRemoteDescription(self, pc: Any, *description: Any) -> Any:
        return pc.setRemoteDescription(*description)

    def do_close(self, pc: Any) -> Any:
        return pc.close()

    def do_createDataChannel(self, pc: Any, *label: Any) -> Any:
        return pc.createDataChannel(*label)


@pytest.fixture
def runner() -> Iterator[StandInRunner]:
    made = StandInRunner(step_timeout=0.5)
    yield made
    made.shutdown()


def run(runner: StandInRunner, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    session = runner.open()
    observed = [runner.step(session, step) for step in steps]
    runner.close(session)
    return observed


def step(op: str, **args: object) -> dict[str, Any]:
    return {"op": op, "args": args}


# ---- hello, implements ---------------------------------------------------------------------------------


def test_hello_lists_the_ops_whose_hooks_are_overridden(runner: StandInRunner) -> None:
    hello = runner.hello()
    assert hello["protocol"] == 1 and hello["implementation"] == "stand-in" and hello["version"] == "0.0-stand-in"
    implements = hello["implements"]
    assert isinstance(implements, list)
    assert set(implements) == {
        "generateCertificate",
        "construct",
        "getConfiguration",
        "createOffer",
        "createAnswer",
        "setLocalDescription",
        "setRemoteDescription",
        "close",
        "createDataChannel",
    }


# ---- outcomes ------------------------------------------------------------------------------------------


def test_ok_results_per_op_and_after(runner: StandInRunner) -> None:
    observed = run(
        runner,
        [
            step("construct", configuration={"iceServers": []}),
            step("createDataChannel", label="chat"),
            step("createOffer"),
            step("setLocalDescription"),
            step("close"),
        ],
    )
    construct, channel, offer, local, close = observed
    assert construct == {
        "op": "construct",
        "args": {"configuration": {"iceServers": []}},
        "outcome": {"ok": None},
        "after": {"signalingState": "stable", "negotiationneeded": 0},
    }
    assert channel["outcome"] == {"ok": {"label": "chat"}}
    assert channel["after"] == {"signalingState": "stable", "negotiationneeded": 1}  # the event ran before after
    ok = offer["outcome"]["ok"]
    assert ok["type"] == "offer" and len(ok["iceCredentials"]) == 1 and ok["iceCredentials"][0][0].startswith("u")
    assert local["outcome"] == {"ok": None} and local["after"]["signalingState"] == "have-local-offer"
    assert close["after"] == {"signalingState": "closed", "negotiationneeded": 1}  # a running count


def test_errors_are_named_and_kinded_by_the_spec_method(runner: StandInRunner) -> None:
    observed = run(
        runner,
        [
            step("construct"),
            step("createAnswer"),  # promise: reject
            step("createDataChannel", label=["not", "a", "str"]),  # the stack's TypeError stays TypeError
            step("setLocalDescription", description={"type": "bogus", "sdp": ""}),  # its own class name
            step("close"),
            step("createDataChannel", label="late"),  # synchronous: throw
        ],
    )
    assert observed[1]["outcome"] == {
        "error": {"name": "InvalidStateError", "kind": "reject", "message": "createAnswer in stable"}
    }
    assert observed[2]["outcome"]["error"] == {"name": "TypeError", "kind": "throw", "message": "label must be a str"}
    assert observed[3]["outcome"]["error"]["name"] == "ValueError"
    assert observed[3]["outcome"]["error"]["kind"] == "reject"
    assert observed[5]["outcome"]["error"] == {"name": "InvalidStateError", "kind": "throw", "message": "closed"}


def test_a_construct_that_throws_stops_the_trace(runner: StandInRunner) -> None:
    observed = run(runner, [step("construct", configuration="explode"), step("createOffer")])
    assert observed[0]["outcome"]["error"]["kind"] == "throw"
    assert observed[0]["after"] is None
    assert observed[1] == {"op": "createOffer", "args": {}}  # not run: no outcome, no after


def test_a_step_past_the_time_bound_is_a_timeout(runner: StandInRunner) -> None:
    observed = run(runner, [step("construct"), step("createOffer", options={"hang": True})])
    assert observed[1]["outcome"] == {"timeout": True}
    assert observed[1]["after"] == {"signalingState": "stable", "negotiationneeded": 0}


def test_runner_errors(runner: StandInRunner) -> None:
    observed = run(
        runner,
        [
            step("createOffer"),  # before construct
            step("frobnicate"),
            step("generateCertificate", name="bad", keygenAlgorithm={"name": "bogus"}),
            step("construct", configuration={"certificates": [{"$certificate": "bad"}]}),
        ],
    )
    assert "before construct" in observed[0]["outcome"]["runnerError"] and observed[0]["after"] is None
    assert "unknown op" in observed[1]["outcome"]["runnerError"]
    assert observed[2]["outcome"]["error"]["name"] == "NotImplementedError"  # the stack's class, as it is
    assert "bad" in observed[3]["outcome"]["runnerError"]  # a certificate whose generation failed


# ---- notImplemented ------------------------------------------------------------------------------------


def test_an_op_the_stack_lacks_is_not_implemented(runner: StandInRunner) -> None:
    observed = run(runner, [step("construct"), step("restartIce"), step("setConfiguration", configuration={})])
    assert observed[1]["outcome"] == {"notImplemented": "stand-in has no restartIce"}
    assert observed[1]["after"] == {"signalingState": "stable", "negotiationneeded": 0}
    assert observed[2]["outcome"] == {"notImplemented": "stand-in has no setConfiguration"}


def test_javascript_only_values_are_not_expressible_by_default(runner: StandInRunner) -> None:
    observed = run(runner, [step("construct"), step("createDataChannel", label={"$js": "undefined"})])
    assert observed[1]["outcome"] == {
        "notImplemented": "stand-in's API cannot express undefined (a JavaScript value) in createDataChannel's label"
    }


def test_a_construct_not_implemented_leaves_the_rest_not_implemented() -> None:
    class NoConstruct(StandInRunner):
        def convert(self, op: str, value: object) -> object:
            raise self.cannot("any configuration")

    runner = NoConstruct()
    try:
        observed = run(runner, [step("construct", configuration={}), step("createOffer")])
    finally:
        runner.shutdown()
    assert observed[0]["outcome"] == {"notImplemented": "stand-in's API cannot express any configuration"}
    assert observed[0]["after"] is None
    assert "construct was not implemented" in observed[1]["outcome"]["notImplemented"]
    assert observed[1]["after"] is None


def test_a_certificate_never_made_makes_its_users_not_implemented() -> None:
    class NoCertificates(StandInRunner):
        do_generateCertificate = PythonRunner.do_generateCertificate

    runner = NoCertificates()
    try:
        assert "generateCertificate" not in runner.implements
        observed = run(
            runner,
            [
                step("generateCertificate", name="c1", keygenAlgorithm={"name": "ECDSA", "namedCurve": "P-256"}),
                step("construct", configuration={"certificates": [{"$certificate": "c1"}]}),
            ],
        )
    finally:
        runner.shutdown()
    assert observed[0]["outcome"] == {"notImplemented": "stand-in has no generateCertificate"}
    assert observed[0]["after"] is None
    assert observed[1]["outcome"]["notImplemented"].startswith("certificate 'c1' was not made")


# ---- tags ----------------------------------------------------------------------------------------------


def test_js_and_certificate_tags_are_decoded_and_encoded_back(runner: StandInRunner) -> None:
    configuration = {
        "certificates": [{"$certificate": "c1"}],
        "iceCandidatePoolSize": {"$js": "NaN"},
        "extra": {"$js": "undefined"},
        "big": {"$js": "-Infinity"},
    }
    observed = run(
        runner,
        [
            step("generateCertificate", name="c1", keygenAlgorithm={"name": "ECDSA", "namedCurve": "P-256"}),
            step("construct", configuration=configuration),
            step("getConfiguration"),
        ],
    )
    assert observed[0]["outcome"] == {"ok": {"$certificate": "c1"}} and observed[0]["after"] is None
    decoded = dict(runner.seen)["construct"]
    assert isinstance(decoded, dict)
    assert isinstance(decoded["certificates"][0], StandInCertificate)
    assert math.isnan(decoded["iceCandidatePoolSize"]) and decoded["extra"] is UNDEFINED
    assert decoded["big"] == -math.inf
    assert observed[2]["outcome"] == {"ok": configuration}  # encoded back: the same tags


def test_sdp_tags_are_the_last_offer_and_answer(runner: StandInRunner) -> None:
    observed = run(
        runner,
        [
            step("construct"),
            step("setLocalDescription", description={"type": "offer", "sdp": {"$sdp": "last-offer"}}),
            step("createDataChannel", label="x"),
            step("createOffer"),
            step("setLocalDescription", description={"type": "offer", "sdp": {"$sdp": "last-offer"}}),
        ],
    )
    descriptions = [value for op, value in runner.seen if op == "setLocalDescription"]
    assert descriptions[0] == {"type": "offer", "sdp": ""}  # no offer yet
    assert isinstance(descriptions[1], dict) and "a=ice-ufrag:" in descriptions[1]["sdp"]
    assert observed[4]["after"]["signalingState"] == "have-local-offer"


def test_remote_tags_come_from_the_remote_peer(runner: StandInRunner) -> None:
    observed = run(
        runner,
        [
            step("construct"),
            step("setRemoteDescription", description={"$remote": "offer"}),
            step("createAnswer"),
            step("setLocalDescription"),
            step("setRemoteDescription", description={"$remote": "offer", "iceRestart": True}),
            step("createDataChannel", label="x"),
            step("createOffer"),
            step("setLocalDescription"),
            step("setRemoteDescription", description={"$remote": "answer"}),
        ],
    )
    assert [o["outcome"] for o in observed[1:5]] == [{"ok": None}, observed[2]["outcome"], {"ok": None}, {"ok": None}]
    assert observed[1]["after"]["signalingState"] == "have-remote-offer"
    assert observed[8]["after"]["signalingState"] == "stable"
    given = [value for op, value in runner.seen if op == "setRemoteDescription"]
    offers = [value for value in given if isinstance(value, dict) and value["type"] == "offer"]
    first, restarted = offers[0], offers[1]  # what the local connection was given at steps 2 and 5
    assert "a=ice-ufrag:" in first["sdp"]
    assert ice_credentials(first["sdp"]) != ice_credentials(restarted["sdp"])
    # Before step 5, the remote peer applied the local answer (it mirrors the negotiation the local side finished).
    assert [value["type"] for value in given[:3] if isinstance(value, dict)] == ["offer", "answer", "offer"]
    # Step 9: the local connection is stable (its offer of step 7 was answered implicitly at step 8), so the answer
    # comes from throwaway peers: a third offer, without a restart.
    assert runner.remote_offers == [False, True, False]


def test_an_unknown_tag_is_a_runner_error(runner: StandInRunner) -> None:
    observed = run(runner, [step("construct", configuration={"$js": "null"})])
    assert "unknown $js tag" in observed[0]["outcome"]["runnerError"]


def test_ice_credentials_per_section_with_session_level_fallback() -> None:
    sdp = "v=0\r\na=ice-ufrag:S\r\na=ice-pwd:SP\r\nm=audio\r\nm=video\r\na=ice-ufrag:V\r\na=ice-pwd:VP\r\nm=x\r\n"
    assert ice_credentials(sdp) == [["S", "SP"], ["V", "VP"]]
    assert ice_credentials("v=0\na=ice-ufrag:A\na=ice-pwd:B\n") == [["A", "B"]]
    assert ice_credentials(None) == []


# ---- the protocol's commands, the stdio server, the in-process adapter -----------------------------------


def test_handle_peek_and_unknown_sessions(runner: StandInRunner) -> None:
    session = runner.handle({"open": True})["session"]
    assert runner.handle({"session": session, "peek": True}) == {"configuration": None}
    runner.handle({"session": session, "step": step("construct", configuration={"iceServers": []})})
    assert runner.handle({"session": session, "peek": True}) == {"configuration": {"iceServers": []}}
    assert runner.handle({"session": 999, "peek": True}) == {"runnerError": "no session 999"}
    assert "runnerError" in runner.handle({"session": session})
    assert runner.handle({"session": session, "close": True}) == {"closed": True}
    assert runner.handle({"session": session, "close": True}) == {"runnerError": f"no session {session}"}


def test_serve_answers_every_line_and_survives_a_bad_one() -> None:
    requests = [
        '{"hello": 1}',
        '{"open": true}',
        "this is not JSON",
        '{"session": 1, "step": {"op": "construct", "args": {}}}',
        "[1, 2]",
        '{"session": 1, "step": {"op": "restartIce", "args": {}}}',
        '{"session": 1, "close": true}',
    ]
    out = io.StringIO()
    serve(StandInRunner(), io.StringIO("\n".join(requests) + "\n"), out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == len(requests)
    assert answers[0]["implementation"] == "stand-in" and answers[1] == {"session": 1}
    assert answers[2]["runnerError"].startswith("bad JSON")
    assert answers[3]["outcome"] == {"ok": None}
    assert answers[4] == {"runnerError": "a request is a JSON object"}
    assert answers[5]["outcome"] == {"notImplemented": "stand-in has no restartIce"}
    assert answers[6] == {"closed": True}


def test_the_module_serves_a_runner_class_over_stdio() -> None:
    requests = '{"hello": 1}\nnot json\n{"open": true}\n{"session": 1, "step": {"op": "construct", "args": {}}}\n'
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "peerspec.oracle.implementations.python_runner",
            "tests.test_python_runner:StandInRunner",
        ],
        input=requests,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [next(iter(a)) for a in answers] == ["protocol", "runnerError", "session", "op"]
    assert answers[3]["outcome"] == {"ok": None}


def test_in_process_implementation(runner: StandInRunner) -> None:
    implementation = InProcessImplementation(runner)
    assert implementation.name == "stand-in" and implementation.version == "0.0-stand-in"
    traces = [[step("construct"), step("createDataChannel", label="a")], [step("construct"), step("restartIce")]]
    first, second = implementation.run_traces(traces)
    assert first[1]["outcome"] == {"ok": {"label": "a"}}
    assert second[1]["outcome"] == {"notImplemented": "stand-in has no restartIce"}
    implementation.open()
    implementation.step(step("construct", configuration={"iceServers": []}))
    assert implementation.peek_configuration() == {"iceServers": []}
    with pytest.raises(UnsafeURL):
        implementation.step(step("setConfiguration", configuration={"iceServers": [{"urls": "stun:example.org"}]}))
    implementation.close()
    assert implementation.step(step("close"))["outcome"] == {"runnerError": "no session is open"}
