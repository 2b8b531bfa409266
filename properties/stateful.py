"""The stateful test: Hypothesis drives random sequences of every call on one connection and checks the
named invariants after each step. Failures shrink to a short sequence Hypothesis prints as Python.

`PeerConnectionMachine` runs the model. Its rules and strategies are the public contract other machines
reuse: properties/recorded_model.py's `ReplayingMachine` (the same machine with the model's answers read back from a
recording) is the benchmark's baseline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, precondition, rule

from peerspec.model import SPEC_PROFILE, UNDEFINED, Profile, RemotePeer, RTCPeerConnection, SpecError
from peerspec.model.js_values import JSValue
from peerspec.properties.explore_alphabet import CONFIGURATION_IMMUTABLE, CONFIGURATION_INVALID, CONSTRUCT_INVALID
from peerspec.properties.invariants import check_all
from peerspec.properties.records import History, Outcome, Snapshot, StepRecord, snapshot_of
from peerspec.properties.strategies import (
    configuration_arguments,
    configurations,
    js_scalars,
    legacy_offer_options,
    local_descriptions,
    offer_options,
    transceiver_inits,
    transceiver_kinds,
)

KEYGEN_ALGORITHMS = (
    {"name": "ECDSA", "namedCurve": "P-256"},
    {"name": "RSASSA-PKCS1-v1_5", "modulusLength": 2048, "publicExponent": [1, 0, 1], "hash": "SHA-256"},
    {"name": "ECDSA", "namedCurve": "P-384"},
    "ECDSA",
)
# One configuration of each invalid class (WebIDL TypeError, SyntaxError, InvalidAccessError), without certificates.
INVALID_CONFIGURATIONS: tuple[dict[str, object], ...] = tuple(
    dict(op.args["configuration"])  # type: ignore[call-overload]
    for op in (*CONSTRUCT_INVALID, *CONFIGURATION_INVALID)
)
# Each class of failing setConfiguration: the invalid ones, and each immutable-member change but the certificates'
# (the alphabet's names c1 and c2, not this machine's certificates).
FAILING_CONFIGURATIONS: tuple[dict[str, object], ...] = tuple(
    dict(op.args["configuration"])  # type: ignore[call-overload]
    for op in (*CONFIGURATION_INVALID, *CONFIGURATION_IMMUTABLE)
    if "certificates" not in op.args["configuration"]  # type: ignore[operator]
)
REMOTE_DESCRIPTIONS = ("offer", "offer-restarting-ice", "answer", "pranswer", "rollback", "not-sdp")


@dataclass
class RunStatistics:
    """What a run exercised; `peerspec run` prints it."""

    steps: int = 0
    examples: int = 0
    invariants_checked: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    lifecycle_transitions: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    # (lifecycle before the call or "unconstructed", op, "ok" or the error's name): properties/coverage.py
    cells: Counter[tuple[str, str, str]] = field(default_factory=Counter)


class PeerConnectionMachine(RuleBasedStateMachine):
    """One RTCPeerConnection, one remote peer, and every call a script can make on them."""

    statistics: ClassVar[RunStatistics | None] = None
    last_run: ClassVar[PeerConnectionMachine | None] = None  # the latest example: after a failure, the shrunk one
    profile: ClassVar[Profile] = SPEC_PROFILE
    connection_class: ClassVar[Any] = RTCPeerConnection
    remote_peer_class: ClassVar[Any] = RemotePeer
    checks_invariants: ClassVar[bool] = True
    certificates = Bundle("certificates")

    def __init__(self) -> None:
        super().__init__()
        self.pc: Any = None
        self.remote = self.remote_peer_class(seed=1)
        self.history = History()
        self.certificate_count = 0
        self.last_snapshot: Snapshot | None = None
        self.certificate_names: dict[int, str] = {}
        self.last_offer_sdp = ""
        self.last_answer_sdp = ""
        # The run as trace steps (op, args), with the remote peer's and last-created descriptions named
        # symbolically ({"$remote": ...}, {"$sdp": ...}) so another implementation can replay it.
        self.trace: list[tuple[str, dict[str, object]]] = []
        type(self).last_run = self
        if self.statistics is not None:
            self.statistics.examples += 1

    # ---- recording ---------------------------------------------------------------------------------

    @property
    def connection(self) -> Any:
        """The connection the rules call (their preconditions guarantee there is one)."""
        assert self.pc is not None
        return self.pc

    def snapshot(self) -> Snapshot:
        return snapshot_of(self.pc)

    def check(self, record: StepRecord) -> int:
        """Check every invariant on `record` against the history before it; return how many were checked."""
        return check_all(record, self.history)

    def step(
        self,
        op: str,
        args: dict[str, object],
        call: Callable[[], object],
        trace_args: dict[str, object] | None = None,
    ) -> object:
        """Run one call on the connection, record it, and check every invariant on the record."""
        self.trace.append((op, args if trace_args is None else trace_args))
        # Only steps change the connection, so the last step's "after" is this one's "before".
        before = self.last_snapshot or self.snapshot()
        try:
            outcome = Outcome(result=call())
        except SpecError as error:
            outcome = Outcome.of_error(error)
        record = StepRecord(op, args, outcome, before, self.snapshot())
        self.last_snapshot = record.after
        self.account(record)
        if self.checks_invariants:
            checked = self.check(record)
            if self.statistics is not None:
                self.statistics.invariants_checked += checked
        self.history.add(record)
        return outcome.result

    def account(self, record: StepRecord) -> None:
        stats = self.statistics
        if stats is None:
            return
        stats.steps += 1
        stats.rules[record.op] += 1
        stats.outcomes[record.outcome.error or "ok"] += 1
        before, after = record.before.lifecycle, record.after.lifecycle
        stats.cells[(before or "unconstructed", record.op, record.outcome.error or "ok")] += 1
        if before is not None and after is not None and before != after:
            stats.lifecycle_transitions[(record.op, before, after)] += 1
            event(f"lifecycle {record.op}: {before} -> {after}")
        if after == "restarting" and record.after.signaling_state in ("have-local-pranswer", "have-remote-pranswer"):
            event("restarting with a pending pranswer")
        if record.op == "setLocalDescription" and record.outcome.error == "InvalidModificationError":
            event("a stale or modified description refused")

    # ---- before the connection exists --------------------------------------------------------------

    @precondition(lambda self: self.pc is None)
    @rule(target=certificates, keygenAlgorithm=st.sampled_from(KEYGEN_ALGORITHMS))
    def generateCertificate(self, keygenAlgorithm: JSValue) -> Any:
        self.certificate_count += 1
        name = f"c{self.certificate_count}"
        algorithm = keygenAlgorithm
        try:
            certificate = self.connection_class.generateCertificate(algorithm, seed=self.certificate_count)
        except SpecError:  # a rejected generation still leaves the bundle a certificate to draw
            algorithm = {"name": "ECDSA", "namedCurve": "P-256"}
            certificate = self.connection_class.generateCertificate(algorithm, seed=self.certificate_count)
        self.trace.append(("generateCertificate", {"keygenAlgorithm": algorithm, "name": name}))
        self.certificate_names[id(certificate)] = name
        return certificate

    @precondition(lambda self: self.pc is None)
    @rule(configuration=configurations(certificates, valid=True))
    def construct(self, configuration: JSValue) -> None:
        self.construct_with_any_argument(configuration)

    @precondition(lambda self: self.pc is None)
    @rule(configuration=configuration_arguments(certificates))
    def construct_with_any_argument(self, configuration: JSValue) -> None:
        """new RTCPeerConnection(configuration) with any value at all; most throw, and the next try starts over."""
        self.trace.append(("construct", {} if configuration is UNDEFINED else {"configuration": configuration}))
        try:
            self.pc = self.connection_class(configuration, seed=7, profile=self.profile)
        except SpecError as error:
            # A trace has one construct: drop the failed one, keep the certificates made before it.
            self.trace = [step for step in self.trace if step[0] == "generateCertificate"]
            if self.statistics is not None:
                self.statistics.cells[("unconstructed", "construct", error.name)] += 1
            return
        if self.statistics is not None:
            self.statistics.steps += 1
            self.statistics.rules["construct"] += 1
            self.statistics.cells[("unconstructed", "construct", "ok")] += 1
        snapshot = self.last_snapshot = self.snapshot()
        record = StepRecord("construct", {"configuration": configuration}, Outcome(), snapshot, snapshot)
        if self.checks_invariants:
            self.check(record)
        self.history.add(record)

    # ---- configuration -----------------------------------------------------------------------------

    @precondition(lambda self: self.pc is not None)
    @rule(configuration=configuration_arguments(certificates))
    def setConfiguration(self, configuration: JSValue) -> None:
        pc = self.connection
        self.step("setConfiguration", {"configuration": configuration}, lambda: pc.setConfiguration(configuration))

    @precondition(lambda self: self.pc is not None)
    @rule(changes=configurations(valid=True))
    def setConfiguration_keeping_fixed_members(self, changes: dict[str, object]) -> None:
        """setConfiguration with the current configuration's fixed members and some members changed:
        the call a well-behaved script makes, so that successes are common."""
        pc = self.connection
        configuration = {
            **pc.getConfiguration(),
            **{k: v for k, v in changes.items() if k not in ("bundlePolicy", "certificates")},
        }
        self.step("setConfiguration", {"configuration": configuration}, lambda: pc.setConfiguration(configuration))

    @precondition(lambda self: self.pc is not None)
    @rule()
    def getConfiguration(self) -> None:
        pc = self.connection
        first = self.step("getConfiguration", {}, pc.getConfiguration)
        # getConfiguration returns a fresh dictionary: a second call is equal, not the same object, and
        # mutating what was returned changes nothing.
        second = pc.getConfiguration()
        assert isinstance(first, dict)
        assert first == second and first is not second, "getConfiguration must return a fresh copy"
        first["bundlePolicy"] = "mutated"
        assert pc.getConfiguration() == second, "mutating getConfiguration's result changed the connection"

    # ---- offer / answer ----------------------------------------------------------------------------

    @precondition(lambda self: self.pc is not None)
    @rule(options=offer_options())
    def createOffer(self, options: JSValue) -> None:
        pc = self.connection
        args = {} if options is UNDEFINED else {"options": options}
        offer = self.step("createOffer", args, lambda: pc.createOffer(options))
        self.last_offer_sdp = getattr(offer, "sdp", self.last_offer_sdp)

    @precondition(lambda self: self.pc is not None)
    @rule()
    def createAnswer(self) -> None:
        pc = self.connection
        answer = self.step("createAnswer", {}, pc.createAnswer)
        self.last_answer_sdp = getattr(answer, "sdp", self.last_answer_sdp)

    @precondition(lambda self: self.pc is not None)
    @rule(description=local_descriptions())
    def setLocalDescription(self, description: JSValue) -> None:
        pc = self.connection
        args = {} if description is UNDEFINED else {"description": description}
        self.step("setLocalDescription", args, lambda: pc.setLocalDescription(description))

    @precondition(lambda self: self.pc is not None)
    @rule(sdp_type=st.sampled_from(["offer", "answer", "pranswer"]))
    def setLocalDescription_with_last_created(self, sdp_type: str) -> None:
        """setLocalDescription({type, sdp}) with the SDP createOffer / createAnswer last returned."""
        pc = self.connection
        description = {"type": sdp_type, "sdp": self.last_offer_sdp if sdp_type == "offer" else self.last_answer_sdp}
        symbolic = {"type": sdp_type, "sdp": {"$sdp": "last-offer" if sdp_type == "offer" else "last-answer"}}
        self.step(
            "setLocalDescription",
            {"description": description},
            lambda: pc.setLocalDescription(description),
            {"description": symbolic},
        )

    @precondition(lambda self: self.pc is not None)
    @rule(made_by_remote=st.sampled_from(REMOTE_DESCRIPTIONS))
    def setRemoteDescription(self, made_by_remote: str) -> None:
        pc = self.connection
        description: dict[str, object]
        symbolic: dict[str, object]
        if made_by_remote in ("offer", "offer-restarting-ice"):
            restart = made_by_remote == "offer-restarting-ice"
            offer = self.remote.offer(pc, ice_restart=restart)
            description = {"type": offer.type, "sdp": offer.sdp}
            symbolic = {"$remote": "offer", "iceRestart": True} if restart else {"$remote": "offer"}
        elif made_by_remote in ("answer", "pranswer"):
            answer = self.remote.answer(pc, made_by_remote)
            description = {"type": answer.type, "sdp": answer.sdp}
            symbolic = {"$remote": made_by_remote}
        elif made_by_remote == "rollback":
            description = symbolic = {"type": "rollback"}
        else:
            description = symbolic = {"type": "offer", "sdp": "this is not SDP"}
        self.step(
            "setRemoteDescription",
            {"description": description},
            lambda: pc.setRemoteDescription(description),
            {"description": symbolic},
        )

    # ---- restart, channels, close ------------------------------------------------------------------

    @precondition(lambda self: self.pc is not None)
    @rule()
    def restartIce(self) -> None:
        pc = self.connection
        self.step("restartIce", {}, pc.restartIce)

    @precondition(lambda self: self.pc is not None)
    @rule(label=st.one_of(st.text(max_size=8), js_scalars()))
    def createDataChannel(self, label: JSValue) -> None:
        pc = self.connection
        self.step("createDataChannel", {"label": label}, lambda: pc.createDataChannel(label))

    @precondition(lambda self: self.pc is not None and not self.pc.is_closed)
    @rule()
    def close(self) -> None:
        pc = self.connection
        self.step("close", {}, pc.close)

    @precondition(lambda self: self.pc is not None and self.pc.is_closed)
    @rule()
    def close_again(self) -> None:
        """close the connection step 1: closing a closed connection does nothing."""
        pc = self.connection
        self.step("close", {}, pc.close)

    # ---- whole exchanges, each call recorded as its own step ---------------------------------------

    @precondition(lambda self: self.pc is not None)
    @rule(pranswer_first=st.booleans(), with_a_data_channel=st.booleans())
    def offer_answer_exchange(self, pranswer_first: bool, with_a_data_channel: bool) -> None:
        """createOffer, setLocalDescription(offer), then the remote peer's (pr)answer; a data channel first
        gives the offer an m= section and so ICE credentials."""
        if with_a_data_channel:
            self.createDataChannel("chat")
        self.createOffer(UNDEFINED)
        self.setLocalDescription_with_last_created("offer")
        if pranswer_first:
            self.setRemoteDescription("pranswer")
        self.setRemoteDescription("answer")

    @precondition(lambda self: self.pc is not None)
    @rule(pranswer_first=st.booleans(), remote_restarts_ice=st.booleans())
    def answer_a_remote_offer(self, pranswer_first: bool, remote_restarts_ice: bool) -> None:
        """setRemoteDescription(remote offer), createAnswer, setLocalDescription(answer)."""
        self.setRemoteDescription("offer-restarting-ice" if remote_restarts_ice else "offer")
        self.createAnswer()
        if pranswer_first:
            self.setLocalDescription_with_last_created("pranswer")
        self.setLocalDescription_with_last_created("answer")

    @precondition(lambda self: self.pc is not None)
    @rule(by_remote=st.booleans())
    def restart_then_roll_back(self, by_remote: bool) -> None:
        """setLocalDescription() (an offer), restartIce(), then a rollback by either method: the slot keeps
        the rolled-back offer's credentials, which only a later restartIce (or answer) can clear."""
        self.setLocalDescription(UNDEFINED)
        self.restartIce()
        if by_remote:
            self.setRemoteDescription("rollback")
        else:
            self.setLocalDescription({"type": "rollback"})

    @precondition(lambda self: self.pc is not None)
    @rule()
    def receive_then_roll_back_a_remote_offer(self) -> None:
        """setRemoteDescription(remote offer), then setRemoteDescription({type: "rollback"}): back to stable,
        and, if setLocalDescription was never called, back to the lifecycle's "new"."""
        self.setRemoteDescription("offer")
        self.setRemoteDescription("rollback")


class TransceiverMachine(PeerConnectionMachine):
    """Every rule of PeerConnectionMachine plus trace format v2's calls: addTransceiver(kind, init),
    getTransceivers()[i].stop() and createOffer with the legacy offerToReceive<Kind> options. Its own class, so that
    the generated vectors and the differential runs, drawn from PeerConnectionMachine, keep their bytes."""

    @precondition(lambda self: self.pc is not None)
    @rule(kind=transceiver_kinds(), init=transceiver_inits())
    def addTransceiver(self, kind: JSValue, init: JSValue) -> None:
        pc = self.connection
        args: dict[str, object] = {"kind": kind} if init is UNDEFINED else {"kind": kind, "init": init}
        self.step("addTransceiver", args, lambda: pc.addTransceiver(kind, init))

    @precondition(lambda self: self.pc is not None and len(self.pc.getTransceivers()) > 0)
    @rule(data=st.data())
    def stopTransceiver(self, data: st.DataObject) -> None:
        pc = self.connection
        index = data.draw(st.integers(0, len(pc.getTransceivers()) - 1), label="index")
        transceiver = pc.getTransceivers()[index]
        self.step("stopTransceiver", {"index": index}, lambda: pc.stop_transceiver(transceiver))

    @precondition(lambda self: self.pc is not None)
    @rule(options=legacy_offer_options())
    def createOffer_with_legacy_options(self, options: JSValue) -> None:
        self.createOffer(options)


class RareStatesMachine(PeerConnectionMachine):
    """PeerConnectionMachine with rules that lead straight to states random sequences seldom reach, for `peerspec
    run` (the vectors keep drawing from PeerConnectionMachine's rules alone, so their bytes do not change). `peerspec
    run --coverage` showed the random strategies never making setConfiguration fail with SyntaxError or
    InvalidAccessError: the exploration alphabet's representatives of those classes are drawn here too, for the
    constructor, at any time, and while the lifecycle is still "new" (its first sLD or remote offer soon ends it)."""

    refused_constructs = 0

    @precondition(lambda self: self.pc is None and not self.refused_constructs)
    @rule(configuration=st.sampled_from(INVALID_CONFIGURATIONS))
    def construct_with_a_representative_invalid_one(self, configuration: dict[str, object]) -> None:
        """The constructor's step 3 (set the configuration) throws; the sequence goes on to the next construct.
        Once a sequence: every failed construct is a call the sequence does not get to make on a connection."""
        self.refused_constructs += 1
        self.construct_with_any_argument(configuration)

    @precondition(lambda self: self.pc is not None)
    @rule(configuration=st.sampled_from(INVALID_CONFIGURATIONS))
    def setConfiguration_with_a_representative_invalid_one(self, configuration: dict[str, object]) -> None:
        pc = self.connection
        self.step("setConfiguration", {"configuration": configuration}, lambda: pc.setConfiguration(configuration))

    @precondition(lambda self: self.pc is not None and self.pc.lifecycle_state == "new")
    @rule()
    def fail_every_way_while_new(self) -> None:
        """In "new", which the first sLD or remote offer soon ends: each class of invalid configuration and each
        change of a member the configuration step 3 fixes, then an answer with no offer to answer
        (InvalidStateError, set a session description step 4.6.2: an answer in stable)."""
        for configuration in FAILING_CONFIGURATIONS:
            self.setConfiguration_with_a_representative_invalid_one(configuration)
        self.setRemoteDescription("answer")

    @precondition(lambda self: self.pc is not None)
    @rule()
    def receive_then_roll_back_locally(self) -> None:
        """setRemoteDescription(remote offer), then setLocalDescription({type: "rollback"}): in a profile where
        only an applied sLD counts as called (sld_called_when="applied"), back to the lifecycle's "new"."""
        self.setRemoteDescription("offer")
        self.setLocalDescription({"type": "rollback"})

    @precondition(lambda self: self.pc is not None and self.pc.currentLocalDescription is None)
    @rule()
    def restart_roll_back_and_restart_again(self) -> None:
        """Before any answer: a first offer with credentials, restartIce(), a rollback (the slot keeps the offer's
        credentials), restartIce() again: no local description is left to refill the slot from, so restarting
        ends (restartIce step 2)."""
        self.createDataChannel("chat")
        self.restart_then_roll_back(by_remote=False)
        self.restartIce()

    @precondition(lambda self: self.pc is not None)
    @rule()
    def restart_while_a_pranswer_is_pending(self) -> None:
        """An exchange to stable with credentials, a remote offer answered with a pranswer, then restartIce():
        restarting with a pending local pranswer."""
        self.offer_answer_exchange(pranswer_first=False, with_a_data_channel=True)
        self.setRemoteDescription("offer")
        self.createAnswer()
        self.setLocalDescription_with_last_created("pranswer")
        self.restartIce()

    @precondition(lambda self: self.pc is not None)
    @rule()
    def apply_a_stale_answer(self) -> None:
        """createAnswer twice, the first one's SDP given back: setLocalDescription step 4.3 refuses what is not
        [[LastCreatedAnswer]]."""
        self.setRemoteDescription("offer")
        self.createAnswer()
        stale = self.last_answer_sdp
        self.createAnswer()
        pc = self.connection
        description = {"type": "answer", "sdp": stale}
        self.step("setLocalDescription", {"description": description}, lambda: pc.setLocalDescription(description))
