"""Run a trace on the model: the model's own runner, doing what oracle/runners/js/peerspec-runner.js does for a browser.

One RTCPeerConnection per trace (seeded with `seed`), one RemotePeer (seeded with `seed`) for {"$remote": ...}
descriptions, and the i-th generateCertificate step's certificate seeded with `seed + i`. Every SpecError the
model raises becomes the step's error outcome; once construct fails, the later steps are not run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from peerspec.model import (
    SPEC_PROFILE,
    UNDEFINED,
    Profile,
    RemotePeer,
    RTCCertificate,
    RTCPeerConnection,
    SessionDescription,
    SpecError,
)
from peerspec.model.sdp import parse_sdp
from peerspec.oracle.errors import TraceError
from peerspec.oracle.trace import Step
from peerspec.oracle.values import CERTIFICATE_TAG, DecodeContext, decode, encode, remote_request

Result = object  # the RESULT of an {"ok": RESULT} outcome, as trace JSON


@dataclass(frozen=True)
class ReplayedStep:
    """A step with the model's outcome and after filled in, and the model's error message (for narration)."""

    step: Step
    message: str = ""


def replay(steps: Sequence[Step], *, seed: int = 0, profile: Profile = SPEC_PROFILE) -> list[Step]:
    """The trace's calls run on the model: each step with the model's outcome and after."""
    return [replayed.step for replayed in replay_with_messages(steps, seed=seed, profile=profile)]


def replay_with_messages(
    steps: Sequence[Step], *, seed: int = 0, profile: Profile = SPEC_PROFILE
) -> list[ReplayedStep]:
    run = _ModelRun(seed, profile)
    return [run.step(step.call) for step in steps]


class ModelSession:
    """One trace run on the model a step at a time, as a browser session runs it (the differential machine)."""

    def __init__(self, *, seed: int = 0, profile: Profile = SPEC_PROFILE) -> None:
        self._run = _ModelRun(seed, profile)

    def step(self, step: Step) -> Step:
        """The step with the model's outcome and after."""
        return self._run.step(step.call).step


def ice_credentials(description: SessionDescription) -> list[list[str]]:
    """The distinct [ufrag, pwd] pairs of a description's m= sections, in order of appearance."""
    parsed = parse_sdp(description.sdp)
    found: list[list[str]] = []
    for section in parsed.media if parsed is not None else ():
        pair = [section.credentials.ufrag, section.credentials.pwd] if section.credentials else None
        if pair is not None and pair not in found:
            found.append(pair)
    return found


class _ModelRun:
    def __init__(self, seed: int, profile: Profile = SPEC_PROFILE) -> None:
        self.seed = seed
        self.profile = profile
        self.pc: RTCPeerConnection | None = None
        self.stopped = False  # construct failed: no later step runs
        self.remote = RemotePeer(seed)
        self.certificates: dict[str, RTCCertificate] = {}
        self.certificate_names: dict[int, str] = {}
        self.certificates_made = 0
        self.context = DecodeContext(self.certificates)
        self.calls: dict[str, Callable[[dict[str, object]], Result]] = {
            "construct": self.construct,
            "setConfiguration": self.setConfiguration,
            "getConfiguration": self.getConfiguration,
            "createOffer": self.createOffer,
            "createAnswer": self.createAnswer,
            "setLocalDescription": self.setLocalDescription,
            "setRemoteDescription": self.setRemoteDescription,
            "restartIce": self.restartIce,
            "close": self.close,
            "createDataChannel": self.createDataChannel,
            "generateCertificate": self.generateCertificate,
        }

    def step(self, step: Step) -> ReplayedStep:
        if self.stopped:
            return ReplayedStep(step)
        message = ""
        try:
            outcome: dict[str, object] = {"ok": self.calls[step.op](step.args)}
        except SpecError as error:
            outcome = {"error": {"name": error.name, "kind": error.kind, "spec": error.spec}}
            message = error.message
            self.stopped = step.op == "construct"
        except TraceError as error:
            # A valid trace can still name a certificate whose generateCertificate step failed; the JS runner
            # reports the same situation the same way.
            outcome = {"runnerError": str(error)}
            self.stopped = step.op == "construct"
        # Step(...) rather than dataclasses.replace: the same record, without replace's field-by-field copy.
        return ReplayedStep(Step(step.op, step.args, outcome, self.after(), step.line), message)

    def after(self) -> dict[str, object] | None:
        if self.pc is None:
            return None
        return {
            "signalingState": self.pc.signalingState,
            "negotiationneeded": self.pc.negotiationneeded_events,
            "lifecycle": self.pc.lifecycle_state,
        }

    def argument(self, args: dict[str, object], key: str) -> tuple[object, ...]:
        """The call's arguments: none when the key is absent, else the decoded value."""
        return (decode(args[key], self.context),) if key in args else ()

    @property
    def connection(self) -> RTCPeerConnection:
        assert self.pc is not None  # the trace grammar puts construct first
        return self.pc

    # ---- one method per op ------------------------------------------------------------------------------

    def construct(self, args: dict[str, object]) -> Result:
        self.pc = RTCPeerConnection(*self.argument(args, "configuration"), seed=self.seed, profile=self.profile)
        return None

    def generateCertificate(self, args: dict[str, object]) -> Result:
        name = str(args["name"])
        index = self.certificates_made
        self.certificates_made += 1
        certificate = RTCPeerConnection.generateCertificate(
            *self.argument(args, "keygenAlgorithm"), seed=self.seed + index
        )
        self.certificates[name] = certificate
        self.certificate_names[id(certificate)] = name
        return {CERTIFICATE_TAG: name}

    def setConfiguration(self, args: dict[str, object]) -> Result:
        self.connection.setConfiguration(*self.argument(args, "configuration"))
        return None

    def getConfiguration(self, args: dict[str, object]) -> Result:
        return encode(self.connection.getConfiguration(), self.certificate_names)

    def createOffer(self, args: dict[str, object]) -> Result:
        offer = self.connection.createOffer(*self.argument(args, "options"))
        self.context.last_offer_sdp = offer.sdp
        return {"type": offer.type, "iceCredentials": ice_credentials(offer)}

    def createAnswer(self, args: dict[str, object]) -> Result:
        answer = self.connection.createAnswer(*self.argument(args, "options"))
        self.context.last_answer_sdp = answer.sdp
        return {"type": answer.type, "iceCredentials": ice_credentials(answer)}

    def setLocalDescription(self, args: dict[str, object]) -> Result:
        self.connection.setLocalDescription(*self.argument(args, "description"))
        return None

    def setRemoteDescription(self, args: dict[str, object]) -> Result:
        request = remote_request(args.get("description", UNDEFINED))
        if request is None:
            self.connection.setRemoteDescription(*self.argument(args, "description"))
            return None
        pc = self.connection
        if request.kind == "offer":
            made = self.remote.offer(pc, ice_restart=request.ice_restart)
        else:
            made = self.remote.answer(pc, request.kind)
        pc.setRemoteDescription({"type": made.type, "sdp": made.sdp})
        return None

    def restartIce(self, args: dict[str, object]) -> Result:
        self.connection.restartIce()
        return None

    def close(self, args: dict[str, object]) -> Result:
        self.connection.close()
        return None

    def createDataChannel(self, args: dict[str, object]) -> Result:
        channel = self.connection.createDataChannel(*self.argument(args, "label"))
        return {"label": channel.label}
