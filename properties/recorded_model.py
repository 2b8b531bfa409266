"""The stateful benchmark's baseline: PeerConnectionMachine with every answer of the model side read back from a
recording of the same run.

`RecordingMachine` runs the model and writes down, in the order the machine asks, everything the machine gets from
the model side: each call on the connection (its result, or the SpecError it raised), each generateCertificate and
construct, each read of `is_closed` (the preconditions' question), each description the remote peer makes, each
snapshot and each invariant check's count. `ReplayingMachine` is the same machine with the same rules and
strategies, and each of those answers taken from the recording instead of computed. Run with the same Hypothesis
seed, the two machines see the same states, so the preconditions give the same answers, Hypothesis draws the same
rules and arguments, and the machine makes the same calls with the same arguments and does the same bookkeeping
(records, history, statistics, events). What differs is only what is behind the calls: the model, the remote peer,
`snapshot_of` and `check_all` in one, a read of the next answer in the other.

The replay checks that it is the same run: every read names what it expects (a call's name, "is_closed",
"snapshot", ...) and a recording that answers something else raises `Diverged`; with `verify_arguments` the
recording also keeps each call's arguments (their repr) and the replay compares them.

Only PeerConnectionMachine's rules are covered (its subclasses ask the connection other questions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from peerspec.model import RemotePeer, RTCPeerConnection, SpecError
from peerspec.model.certificates import RTCCertificate
from peerspec.model.js_values import UNDEFINED, JSValue
from peerspec.model.sdp import SessionDescription
from peerspec.properties.invariants import check_all
from peerspec.properties.records import Snapshot, StepRecord, snapshot_of
from peerspec.properties.stateful import PeerConnectionMachine


class Diverged(BaseException):
    """The replay asked for something the recording did not answer at that point: not the same run. A
    BaseException, so that Hypothesis stops at once instead of shrinking a run that is not a failure of the model."""


@dataclass(frozen=True, slots=True)
class Answer:
    asked: str  # "construct", "generateCertificate", a method's name, "is_closed", "remote.offer", "snapshot", ...
    value: object = None
    error: SpecError | None = None
    arguments: str | None = None  # repr of the arguments, kept when the recording is to be verified


class AnswerTape:
    """The answers of one recorded run, in order, and how far a replay has read them."""

    def __init__(self, *, verify_arguments: bool = False) -> None:
        self.answers: list[Answer] = []
        self.position = 0
        self.verify_arguments = verify_arguments
        # The error raised last: its traceback (and the frames it holds alive) is dropped at the next read, as the
        # model's fresh error is dropped once handled; otherwise every recorded error would keep a finished
        # example's frames alive, and the replay's heap (and so its garbage collections) would outgrow the model's.
        self._raised: SpecError | None = None

    def write(self, asked: str, value: object = None, error: SpecError | None = None, arguments: object = ()) -> None:
        self.answers.append(Answer(asked, value, error, repr(arguments) if self.verify_arguments else None))

    def read(self, asked: str, arguments: object = ()) -> object:
        """The next answer, which must answer `asked` (and, when verifying, the same arguments); a recorded error
        is raised."""
        raised = self._raised
        if raised is not None:
            raised.__traceback__ = self._raised = None
        position = self.position
        if position >= len(self.answers):
            raise Diverged(f"asked {asked!r} after the recording's {len(self.answers)} answers")
        answer = self.answers[position]
        self.position = position + 1
        if answer.asked != asked:
            raise Diverged(f"answer {position}: asked {asked!r}, the recording answered {answer.asked!r}")
        if answer.arguments is not None and answer.arguments != repr(arguments):
            raise Diverged(f"answer {position}: {asked} with {arguments!r}, recorded with {answer.arguments}")
        if answer.error is not None:
            self._raised = answer.error
            raise answer.error
        return answer.value

    def rewind(self) -> None:
        """Back to the first answer, with no error holding a traceback (the recording's included)."""
        self.position = 0
        self._raised = None
        for answer in self.answers:
            if answer.error is not None:
                answer.error.__traceback__ = None

    @property
    def finished(self) -> bool:
        return self.position == len(self.answers)


# ---- recording: the model, with every answer written down ---------------------------------------------------


class RecordingConnection:
    """Forwards each call to the model's RTCPeerConnection and writes its answer on the tape."""

    def __init__(self, tape: AnswerTape, model: RTCPeerConnection) -> None:
        self.tape = tape
        self.model = model

    def _forward(self, asked: str, call: Callable[..., object], arguments: tuple[object, ...]) -> object:
        try:
            value = call(*arguments)
        except SpecError as error:
            self.tape.write(asked, error=error, arguments=arguments)
            raise
        self.tape.write(asked, value, arguments=arguments)
        return value

    @property
    def is_closed(self) -> bool:
        closed = self.model.is_closed
        self.tape.write("is_closed", closed)
        return closed

    def getConfiguration(self) -> dict[str, object]:
        configuration = self.model.getConfiguration()
        self.tape.write("getConfiguration", dict(configuration))  # a copy: the machine mutates what it is given
        return configuration

    def setConfiguration(self, *arguments: object) -> object:
        return self._forward("setConfiguration", self.model.setConfiguration, arguments)

    def createOffer(self, *arguments: object) -> object:
        return self._forward("createOffer", self.model.createOffer, arguments)

    def createAnswer(self, *arguments: object) -> object:
        return self._forward("createAnswer", self.model.createAnswer, arguments)

    def setLocalDescription(self, *arguments: object) -> object:
        return self._forward("setLocalDescription", self.model.setLocalDescription, arguments)

    def setRemoteDescription(self, *arguments: object) -> object:
        return self._forward("setRemoteDescription", self.model.setRemoteDescription, arguments)

    def restartIce(self) -> object:
        return self._forward("restartIce", self.model.restartIce, ())

    def createDataChannel(self, *arguments: object) -> object:
        return self._forward("createDataChannel", self.model.createDataChannel, arguments)

    def close(self) -> object:
        return self._forward("close", self.model.close, ())


class RecordingConnectionClass:
    """What the recording machine constructs connections and generates certificates with."""

    def __init__(self, tape: AnswerTape) -> None:
        self.tape = tape

    def __call__(self, configuration: JSValue = UNDEFINED, **options: Any) -> RecordingConnection:
        try:
            model = RTCPeerConnection(configuration, **options)
        except SpecError as error:
            self.tape.write("construct", error=error, arguments=(configuration, options))
            raise
        self.tape.write("construct", arguments=(configuration, options))
        return RecordingConnection(self.tape, model)

    def generateCertificate(self, keygenAlgorithm: JSValue = UNDEFINED, **options: Any) -> RTCCertificate:
        arguments = (keygenAlgorithm, options)
        try:
            certificate = RTCPeerConnection.generateCertificate(keygenAlgorithm, **options)
        except SpecError as error:
            self.tape.write("generateCertificate", error=error, arguments=arguments)
            raise
        self.tape.write("generateCertificate", certificate, arguments=arguments)
        return certificate


class RecordingRemotePeer:
    def __init__(self, tape: AnswerTape, seed: int) -> None:
        self.tape = tape
        self.model = RemotePeer(seed=seed)

    def offer(self, local: RecordingConnection, *, ice_restart: bool = False) -> SessionDescription:
        offer = self.model.offer(local.model, ice_restart=ice_restart)
        self.tape.write("remote.offer", offer, arguments=(ice_restart,))
        return offer

    def answer(self, local: RecordingConnection, sdp_type: str = "answer") -> SessionDescription:
        answer = self.model.answer(local.model, sdp_type)
        self.tape.write("remote.answer", answer, arguments=(sdp_type,))
        return answer


class RecordingMachine(PeerConnectionMachine):
    """PeerConnectionMachine running the model, writing every answer on its tape (`RecordingMachine.onto(tape)`
    before the run)."""

    tape: ClassVar[AnswerTape] = AnswerTape()

    @classmethod
    def onto(cls, tape: AnswerTape) -> type[RecordingMachine]:
        cls.tape = tape
        cls.connection_class = RecordingConnectionClass(tape)
        cls.remote_peer_class = partial(RecordingRemotePeer, tape)
        return cls

    def snapshot(self) -> Snapshot:
        snapshot = snapshot_of(self.pc.model)
        self.tape.write("snapshot", snapshot)
        return snapshot

    def check(self, record: StepRecord) -> int:
        checked = check_all(record, self.history)
        self.tape.write("check", checked)
        return checked


# ---- replaying: the same machine, every answer read back ----------------------------------------------------


class ReplayedConnection:
    """The connection's API, each call answered by the next answer on the tape."""

    def __init__(self, tape: AnswerTape) -> None:
        self.tape = tape

    @property
    def is_closed(self) -> bool:
        return self.tape.read("is_closed")  # type: ignore[return-value]

    def getConfiguration(self) -> dict[str, object]:
        # A fresh dictionary each call, as getConfiguration's own (the machine mutates one and compares).
        recorded: dict[str, object] = self.tape.read("getConfiguration")  # type: ignore[assignment]
        return dict(recorded)

    def setConfiguration(self, *arguments: object) -> object:
        return self.tape.read("setConfiguration", arguments)

    def createOffer(self, *arguments: object) -> object:
        return self.tape.read("createOffer", arguments)

    def createAnswer(self, *arguments: object) -> object:
        return self.tape.read("createAnswer", arguments)

    def setLocalDescription(self, *arguments: object) -> object:
        return self.tape.read("setLocalDescription", arguments)

    def setRemoteDescription(self, *arguments: object) -> object:
        return self.tape.read("setRemoteDescription", arguments)

    def restartIce(self) -> object:
        return self.tape.read("restartIce")

    def createDataChannel(self, *arguments: object) -> object:
        return self.tape.read("createDataChannel", arguments)

    def close(self) -> object:
        return self.tape.read("close")


class ReplayedConnectionClass:
    def __init__(self, tape: AnswerTape) -> None:
        self.tape = tape

    def __call__(self, configuration: JSValue = UNDEFINED, **options: Any) -> ReplayedConnection:
        self.tape.read("construct", (configuration, options))
        return ReplayedConnection(self.tape)

    def generateCertificate(self, keygenAlgorithm: JSValue = UNDEFINED, **options: Any) -> RTCCertificate:
        return self.tape.read("generateCertificate", (keygenAlgorithm, options))  # type: ignore[return-value]


class ReplayedRemotePeer:
    def __init__(self, tape: AnswerTape, seed: int) -> None:
        self.tape = tape

    def offer(self, local: ReplayedConnection, *, ice_restart: bool = False) -> SessionDescription:
        return self.tape.read("remote.offer", (ice_restart,))  # type: ignore[return-value]

    def answer(self, local: ReplayedConnection, sdp_type: str = "answer") -> SessionDescription:
        return self.tape.read("remote.answer", (sdp_type,))  # type: ignore[return-value]


class ReplayingMachine(PeerConnectionMachine):
    """PeerConnectionMachine with the model side answered from a tape (`ReplayingMachine.reading(tape)` before the
    run; it rewinds the tape)."""

    tape: ClassVar[AnswerTape] = AnswerTape()

    @classmethod
    def reading(cls, tape: AnswerTape) -> type[ReplayingMachine]:
        tape.rewind()
        cls.tape = tape
        cls.connection_class = ReplayedConnectionClass(tape)
        cls.remote_peer_class = partial(ReplayedRemotePeer, tape)
        return cls

    def snapshot(self) -> Snapshot:
        return self.tape.read("snapshot")  # type: ignore[return-value]

    def check(self, record: StepRecord) -> int:
        return self.tape.read("check")  # type: ignore[return-value]
