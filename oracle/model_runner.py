"""Run a trace on the model: the model's own runner, doing what oracle/runners/js/peerspec-runner.js does for a browser.

One RTCPeerConnection per trace (seeded with `seed`), one RemotePeer (seeded with `seed`) for {"$remote": ...}
descriptions, and the i-th generateCertificate step's certificate seeded with `seed + i`. Every SpecError the
model raises becomes the step's error outcome. TRACE-FORMAT.md's rule "no connection, no later step": once
construct throws, the later steps are not run; once the runner cannot make the construct call (a runnerError:
it names a certificate whose generateCertificate step failed), each later step is notImplemented, as in every
other runner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Final

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
from peerspec.model.observable_state import can_trickle_ice_candidates, description_types, ice_states
from peerspec.model.sdp import parse_sdp
from peerspec.model.transceivers import NotModelled
from peerspec.oracle.errors import TraceError
from peerspec.oracle.trace import Step
from peerspec.oracle.values import (
    CERTIFICATE_TAG,
    DecodeContext,
    decode_sharing,
    encode_json_shaped,
    remote_request,
)

Result = object  # the RESULT of an {"ok": RESULT} outcome, as trace JSON


@dataclass(frozen=True)
class ReplayedStep:
    """A step with the model's outcome and after filled in, and the model's error message (for narration)."""

    step: Step
    message: str = ""


def replay(steps: Iterable[Step], *, seed: int = 0, profile: Profile = SPEC_PROFILE) -> list[Step]:
    """The trace's calls run on the model: each step with the model's outcome and after."""
    return list(map(_ModelRun(seed, profile).run, steps))  # replay_with_messages without the messages


def replay_with_messages(
    steps: Iterable[Step], *, seed: int = 0, profile: Profile = SPEC_PROFILE
) -> Iterator[ReplayedStep]:
    """The replay as a stream: each step is run when the one before it has been taken (a trace read with
    trace.read is never held whole)."""
    run = _ModelRun(seed, profile)
    for step in steps:
        yield run.step(step)


class ModelSession:
    """One trace run on the model a step at a time, as a browser session runs it (the differential machine)."""

    def __init__(self, *, seed: int = 0, profile: Profile = SPEC_PROFILE) -> None:
        self._run = _ModelRun(seed, profile)

    def step(self, step: Step) -> Step:
        """The step with the model's outcome and after."""
        return self._run.step(step).step


NO_CONNECTION: Final = "no connection: construct was not run"


def no_connection(reason: str) -> str:
    """The notImplemented text of a step after a construct the runner could not make (TRACE-FORMAT.md)."""
    return f"{NO_CONNECTION} ({reason})"


def ice_credentials(description: SessionDescription) -> list[list[str]]:
    """The distinct [ufrag, pwd] pairs of a description's m= sections, in order of appearance."""
    parsed = parse_sdp(description.sdp)
    found: list[list[str]] = []
    for section in parsed.media if parsed is not None else ():
        pair = [section.credentials.ufrag, section.credentials.pwd] if section.credentials else None
        if pair is not None and pair not in found:
            found.append(pair)
    return found


def media_sections(description: SessionDescription) -> list[dict[str, object]]:
    """A description's m= sections in order: each one's kind and whether it is rejected (port 0)."""
    parsed = parse_sdp(description.sdp)
    return [{"kind": m.kind, "rejected": m.rejected} for m in (parsed.media if parsed is not None else ())]


def recorded(step: Step, outcome: dict[str, object], after: dict[str, object] | None) -> Step:
    """`step` with this outcome and after: the Step that Step(step.op, step.args, outcome, after, line=step.line,
    version=step.version, tagless=step.tagless) makes, made without the frozen dataclass's __init__ (one
    object.__setattr__ a field, for every step of a replay). A Step has no __slots__, no __post_init__ and no
    cached attribute, so its instance __dict__ is its fields and nothing else (tests/test_runner_fast_paths.py).
    Marked plain_record when its args are plain: `outcome` and `after` are what this runner builds, plain JSON of
    exact types (tests/test_runner_fast_paths.py holds every replayed committed step to the writer's check)."""
    fields = step.__dict__.copy()  # a copy of a dictionary in C costs less than building one from keywords
    fields["outcome"] = outcome
    fields["after"] = after
    fields["plain_record"] = step.plain_args
    made = object.__new__(Step)
    object.__setattr__(made, "__dict__", fields)
    return made


class _ModelRun:
    def __init__(self, seed: int, profile: Profile = SPEC_PROFILE) -> None:
        self.seed = seed
        self.profile = profile
        self.pc: RTCPeerConnection | None = None
        self.stopped = False  # construct threw: no later step runs
        self.unconstructed: str | None = None  # construct could not be made: why later steps are notImplemented
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
            "addTransceiver": self.addTransceiver,
            "stopTransceiver": self.stopTransceiver,
        }
        self.version = 1
        self.tagless = False  # the step being run was read from a line without tags (Step.tagless)
        self.message = ""  # the model's error message for the step run last ("" when none)

    def step(self, step: Step) -> ReplayedStep:
        replayed = self.run(step)
        return ReplayedStep(replayed, self.message)

    def run(self, step: Step) -> Step:
        """The step with the model's outcome and after (a recorded step's own are replaced, never read); the
        model's error message is left in self.message."""
        self.version = step.version
        self.tagless = step.tagless
        self.message = ""
        if self.stopped:
            return step.call  # not run: no outcome
        if self.unconstructed is not None:
            return replace(step, outcome={"notImplemented": self.unconstructed}, after=None)
        try:
            outcome: dict[str, object] = {"ok": self.calls[step.op](step.args)}
        except SpecError as error:
            outcome = {"error": {"name": error.name, "kind": error.kind, "spec": error.spec}}
            self.message = error.message
            self.stopped = step.op == "construct"
        except NotModelled as error:  # an argument the model cannot represent: never compared (compare.py)
            outcome = {"notImplemented": f"the model does not model this: {error}"}
        except TraceError as error:
            # A valid trace can still name a certificate whose generateCertificate step failed; the JS runner
            # reports the same situation the same way.
            outcome = {"runnerError": str(error)}
            if step.op == "construct":
                self.unconstructed = no_connection(str(error))
        return recorded(step, outcome, self.after())

    def after(self) -> dict[str, object] | None:
        pc = self.pc
        if pc is None:
            return None
        after: dict[str, object] = {
            "signalingState": pc.signalingState,
            "negotiationneeded": pc.negotiationneeded_events,
            "lifecycle": pc.lifecycle_state,
        }
        if self.version >= 2:  # TRACE-FORMAT.md, version 2: the observations the model decides
            after |= {name: None if kind is None else {"type": kind} for name, kind in description_types(pc).items()}
            after |= ice_states(pc)
            after["signalingstatechange"] = pc.signalingstatechange_events
            after["canTrickleIceCandidates"] = can_trickle_ice_candidates(pc)
            after["transceivers"] = [t.observed() for t in pc.getTransceivers()]
        return after

    def argument(self, args: dict[str, object], key: str) -> tuple[object, ...]:
        """The call's arguments: none when the key is absent, else the decoded value (the value as read when its
        line held no tag: decoding would only copy it, and the model changes no argument; else only the objects and
        arrays on the way to a tag are copied, values.decode_sharing)."""
        if key not in args:
            return ()
        return (args[key] if self.tagless else decode_sharing(args[key], self.context),)

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
        # The dictionary is made from trace arguments: encode_json_shaped's kind of value.
        return encode_json_shaped(self.connection.getConfiguration(), self.certificate_names)

    def createOffer(self, args: dict[str, object]) -> Result:
        offer = self.connection.createOffer(*self.argument(args, "options"))
        self.context.last_offer_sdp = offer.sdp
        return self.description_result(offer)

    def createAnswer(self, args: dict[str, object]) -> Result:
        answer = self.connection.createAnswer(*self.argument(args, "options"))
        self.context.last_answer_sdp = answer.sdp
        return self.description_result(answer)

    def description_result(self, description: SessionDescription) -> Result:
        result: dict[str, object] = {"type": description.type, "iceCredentials": ice_credentials(description)}
        if self.version >= 2:  # v2: the m= sections, by kind, and whether each is rejected (port 0)
            result["media"] = media_sections(description)
        return result

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

    def addTransceiver(self, args: dict[str, object]) -> Result:
        arguments = (*self.argument(args, "kind"), *self.argument(args, "init"))
        return self.connection.addTransceiver(*arguments).observed()

    def stopTransceiver(self, args: dict[str, object]) -> Result:
        index = args["index"]
        transceivers = self.connection.getTransceivers()
        if not isinstance(index, int) or not 0 <= index < len(transceivers):
            raise TraceError(f"stopTransceiver: there is no transceiver {index} (there are {len(transceivers)})")
        self.connection.stop_transceiver(transceivers[index])
        return None

    def createDataChannel(self, args: dict[str, object]) -> Result:
        channel = self.connection.createDataChannel(*self.argument(args, "label"))
        return {"label": channel.label}
