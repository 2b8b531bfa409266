"""One point of the exploration: the connection, the remote peer and what a trace can refer to, run one alphabet
operation at a time exactly as the model's trace runner would (oracle/model_runner.py: connection and remote peer
seeded with the seed, the i-th certificate with seed + i), and its canonical abstract state.

The abstract state is everything that decides what later calls do, with what cannot matter taken out so that the
closure is finite: ICE credentials up to renaming (each distinct ufrag/pwd pair becomes its first-appearance index),
SDP strings by their text with the o= version taken out and the credentials renamed (with the two string identities
the model does compare kept as "is it the same": _still_created, _offerer_state, _answerer_state), the remote peer's
memory of its answer to a restarting offer as far as it can still match (_restart_answered), event and version
counters dropped (only their increments are observed, and invariants see those on the edge), the data channels as
"are there any" (only the first one changes anything, createDataChannel step 20; the slot is named), any other slot
kept whole (an unknown kind of value is a TypeError, never a silent guess), the random generators dropped (they only
make fresh credentials, which renaming erases), slots a profile never reads dropped, and a closed connection reduced
to what a call on it can still show.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
from collections.abc import Hashable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Final

from peerspec.model import RemotePeer, RTCCertificate, RTCPeerConnection, SpecError
from peerspec.model.configuration import configuration_dictionary
from peerspec.model.peer_connection import _AnswererState, _OffererState, _Slots
from peerspec.model.profile import Profile
from peerspec.model.sdp import IceCredentials, SessionDescription, parse_sdp
from peerspec.properties.explore_alphabet import ALPHABET_PRELUDE, Operation
from peerspec.properties.records import History, Outcome, StepRecord, snapshot_of

# Slots whose value never decides a later call: counters observed only as increments.
COUNTER_SLOTS: Final = frozenset({"negotiationneeded_events", "signalingstatechange_events", "sdp_version"})
_VERSION: Final = re.compile(r"^(o=- \d+ )\d+", re.MULTILINE)
UNCONSTRUCTED: Final = ("unconstructed",)
# (id of a configuration, id of ICE agent settings) -> both objects (kept alive, so the ids stay theirs) and their key.
_CONFIGURATION_KEYS: dict[tuple[int, int], tuple[object, object, Hashable]] = {}
STOPPED: Final = ("construct threw",)


@dataclasses.dataclass(frozen=True)
class AlphabetFacts:
    """What an alphabet can never do, which lets the abstract state forget what only that could read. The default,
    NO_FACTS, assumes nothing (every reduction that depends on the alphabet is off)."""

    gives_sdp_back: bool = True  # some operation names {"$sdp": ...}: an SDP given back by value
    pool_of_two_or_more: bool = True  # some configuration could make iceCandidatePoolSize >= 2

    @classmethod
    def of(cls, alphabet: Sequence[Operation]) -> AlphabetFacts:
        return cls(
            gives_sdp_back=any(_holds_tag(op.args, "$sdp") for op in alphabet),
            pool_of_two_or_more=any(_may_set_pool_of_two(op.args) for op in alphabet),
        )


NO_FACTS: Final = AlphabetFacts()


def _holds_tag(value: object, tag: str) -> bool:
    if isinstance(value, Mapping):
        return tag in value or any(_holds_tag(member, tag) for member in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_tag(item, tag) for item in value)
    return False


def _may_set_pool_of_two(value: object) -> bool:
    """Whether an operation's arguments name, at any depth, an iceCandidatePoolSize that could convert to 2 or more.
    Only integers below 2 and integers outside 0..255 (a TypeError: WebIDL [EnforceRange] octet, so never the
    configuration's) are known not to; any other value (a float, a string ToNumber reads) is assumed to."""
    if isinstance(value, Mapping):
        for key, member in value.items():
            if key == "iceCandidatePoolSize" and not (
                isinstance(member, int) and not isinstance(member, bool) and (member < 2 or member > 255)
            ):
                return True
            if _may_set_pool_of_two(member):
                return True
    elif isinstance(value, list | tuple):
        return any(_may_set_pool_of_two(item) for item in value)
    return False


class World:
    """A trace run on the model, one operation at a time. `facts` says what the alphabet it runs can never do (the
    abstract state may then forget what only that could read)."""

    def __init__(self, profile: Profile, seed: int = 0, facts: AlphabetFacts = NO_FACTS) -> None:
        self.profile = profile
        self.seed = seed
        self.facts = facts
        self.pc: RTCPeerConnection | None = None
        self.stopped = False  # construct threw: the trace ends
        self.remote = RemotePeer(seed)
        self.last_offer_sdp = ""
        self.last_answer_sdp = ""
        self.local_description_attempted = False  # History's one derived fact, carried from step to step
        self.certificates = _prelude_certificates(seed)  # immutable: every world of one seed shares them
        self.certificate_names = {id(c): name for name, c in self.certificates.items()}

    def enabled(self, operation: Operation) -> bool:
        """construct runs once, first; every other call needs the connection."""
        if self.stopped:
            return False
        return (operation.op == "construct") == (self.pc is None)

    def run(self, operation: Operation) -> StepRecord | Outcome:
        """Run one enabled operation: the step record invariants judge, or (construct threw) just its outcome."""
        args = {key: self._resolve(value) for key, value in operation.args.items()}
        if operation.op == "construct":
            try:
                self.pc = RTCPeerConnection(*_argument(args, "configuration"), seed=self.seed, profile=self.profile)
            except SpecError as error:
                self.stopped = True
                return Outcome.of_error(error)
            snapshot = snapshot_of(self.pc)
            return StepRecord("construct", args, Outcome(), snapshot, snapshot)
        pc = self.pc
        assert pc is not None
        before = snapshot_of(pc)
        try:
            outcome = Outcome(result=self._call(pc, operation.op, args))
        except SpecError as error:
            outcome = Outcome.of_error(error)
        return StepRecord(operation.op, args, outcome, before, snapshot_of(pc))

    def apply(self, operation: Operation) -> None:
        """Run one enabled operation without recording it (rebuilding a state by replay): what run() does, less the
        snapshots and the record."""
        if operation.op != "construct" and self.pc is not None:
            # History.add: a setLocalDescription made while not closed counts as attempted.
            if operation.op == "setLocalDescription" and self.pc.signalingState != "closed":
                self.local_description_attempted = True
            args = {key: self._resolve(value) for key, value in operation.args.items()}
            with contextlib.suppress(SpecError):
                self._call(self.pc, operation.op, args)
            return
        self.run(operation)

    def history(self) -> History:
        """The History invariants read before the next step (its records are not kept: none reads them)."""
        return History(local_description_attempted=self.local_description_attempted)

    def recorded(self, record: StepRecord) -> None:
        history = self.history()
        history.add(record)
        self.local_description_attempted = history.local_description_attempted

    def _call(self, pc: RTCPeerConnection, op: str, args: dict[str, object]) -> object:
        if op == "setRemoteDescription":
            pc.setRemoteDescription(*_argument(args, "description"))
            return None
        if op == "createOffer":
            offer = pc.createOffer(*_argument(args, "options"))
            self.last_offer_sdp = offer.sdp
            return offer
        if op == "createAnswer":
            answer = pc.createAnswer(*_argument(args, "options"))
            self.last_answer_sdp = answer.sdp
            return answer
        method = getattr(pc, op)
        key = {"setConfiguration": "configuration", "setLocalDescription": "description", "createDataChannel": "label"}
        return method(*_argument(args, key[op])) if op in key else method()

    def _resolve(self, value: object) -> object:
        """The trace tags an alphabet uses, as the values they stand for (TRACE-FORMAT.md, "Values")."""
        if isinstance(value, list):
            return [self._resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1 and "$certificate" in value:
            return self.certificates[str(value["$certificate"])]
        if len(value) == 1 and "$sdp" in value:
            return self.last_offer_sdp if value["$sdp"] == "last-offer" else self.last_answer_sdp
        if "$remote" in value:
            assert self.pc is not None
            kind = str(value["$remote"])
            made = (
                self.remote.offer(self.pc, ice_restart=value.get("iceRestart") is True)
                if kind == "offer"
                else self.remote.answer(self.pc, kind)
            )
            return {"type": made.type, "sdp": made.sdp}
        return {key: self._resolve(member) for key, member in value.items()}

    # ---- the canonical abstract state ---------------------------------------------------------------------

    def _configuration_key(self, configuration: object, ice_agent: object) -> Hashable:
        """The configuration getConfiguration returns and the ICE agent's settings, frozen; both are immutable
        (frozen dataclasses) and shared by every copy of a world, so each is frozen once per object."""
        cached = _CONFIGURATION_KEYS.get((id(configuration), id(ice_agent)))
        if cached is not None and cached[0] is configuration and cached[1] is ice_agent:
            return cached[2]
        key = (
            _frozen(configuration_dictionary(configuration), self.certificate_names),  # type: ignore[arg-type]
            _frozen(dataclasses.asdict(ice_agent), self.certificate_names),  # type: ignore[call-overload]
        )
        if len(_CONFIGURATION_KEYS) > 4096:
            _CONFIGURATION_KEYS.clear()
        _CONFIGURATION_KEYS[(id(configuration), id(ice_agent))] = (configuration, ice_agent, key)
        return key

    def abstract_state(self) -> Hashable:
        if self.stopped:
            return STOPPED
        pc = self.pc
        if pc is None:
            return UNCONSTRUCTED
        configuration = pc.configuration
        assert configuration is not None
        if pc.is_closed:
            # Closed is absorbing and every call on a closed connection either fails before reading any other
            # slot or, as restartIce and close, changes nothing a script or an invariant can see: what is left
            # to tell closed states apart is what getConfiguration returns and what setConfiguration would check.
            return (
                "closed",
                _frozen(configuration_dictionary(configuration), self.certificate_names),
                pc.sld_called,
                self.local_description_attempted,
            )
        renaming = _Renaming()
        slots = pc._slots
        facts = self.facts
        # Offers and answers that can never be used again are forgotten (_offer_live, _answer_live): as if none
        # had been created.
        offer_live = _offer_live(slots.last_created_offer, slots.last_offer_state, slots.current_local, facts)
        answer_live = _answer_live(
            slots.last_created_answer, slots.last_answer_state, slots.pending_remote, slots.current_local, facts
        )
        values = vars(slots)
        slot_values = tuple(
            _has_any(values[name])
            if name == "data_channels"
            else ""
            if (name == "last_created_offer" and not offer_live) or (name == "last_created_answer" and not answer_live)
            else renaming.value(values[name])
            for name in _kept_slots(self.profile, facts)  # a fixed order for the profile: names are not needed
        )
        last_created_offer = slots.last_created_offer if offer_live else ""
        return (
            pc.lifecycle_state,
            self._configuration_key(configuration, pc.ice_agent),
            slot_values,
            _offerer_state(slots.last_offer_state, slots.current_local, renaming) if offer_live else None,
            _answerer_state(slots.last_answer_state, slots.pending_remote, slots.current_local)
            if answer_live
            else None,
            _still_created(self.last_offer_sdp, slots.last_created_offer) if facts.gives_sdp_back else None,
            _still_created(self.last_answer_sdp, slots.last_created_answer) if facts.gives_sdp_back else None,
            renaming.value(self.remote._credentials),
            _restart_answered(self.remote._restart_answered, slots.pending_local, last_created_offer, renaming),
            self.local_description_attempted,
        )


def _offer_live(
    last_created_offer: str, recorded: object, current_local: SessionDescription | None, facts: AlphabetFacts
) -> bool:
    """Whether [[LastCreatedOffer]] (and the offerer state recorded with it) can still decide a later call. It is
    read in two places only: setLocalDescription steps 4.2 (an SDP given back by value, compared with it) and 4.4
    (no SDP: it is used if it is not empty and its offerer state is the present one, else a new offer is made).
    Empty, neither is read in any alphabet (the offerer state is only read beside a non-empty SDP, and only
    createOffer makes it non-empty again, recording a new state with it). In an alphabet that never gives SDP back,
    step 4.2 never runs with an SDP, and once the recorded current local description is not today's it never is
    again (currentLocalDescription never returns to an earlier description: each is a newly applied answer), so
    step 4.4 makes a new offer exactly as it would with none: the state is the one with no offer created. The
    remote peer's restart memory reads it too (_restart_answered), and is given "" then for the same reason."""
    if not last_created_offer:
        return False
    if facts.gives_sdp_back:
        return True
    assert isinstance(recorded, _OffererState)
    return recorded.current_local == current_local


def _answer_live(
    last_created_answer: str,
    recorded: object,
    pending_remote: SessionDescription | None,
    current_local: SessionDescription | None,
    facts: AlphabetFacts,
) -> bool:
    """Whether [[LastCreatedAnswer]] (and its answerer state) can still decide a later call: read by
    setLocalDescription steps 4.3 (an SDP given back) and 4.5 (no SDP: used if not empty and its answerer state,
    the remote offer and the current local description, is the present one, else a new answer). As for offers
    (_offer_live): empty, nothing reads the state; without SDP given back, once a member recorded as a description
    differs from today's it differs forever (_answerer_state), and step 4.5 makes a new answer as with none."""
    if not last_created_answer:
        return False
    if facts.gives_sdp_back:
        return True
    assert isinstance(recorded, _AnswererState)
    present = {"offer": pending_remote, "current_local": current_local}
    return all(
        getattr(recorded, name) is None or getattr(recorded, name) == present[name]
        for name in ("offer", "current_local")
    )


_SLOT_NAMES: Final = tuple(
    f.name for f in dataclasses.fields(_Slots) if f.name not in ("last_offer_state", "last_answer_state")
)


@lru_cache(maxsize=64)
def _kept_slots(profile: Profile, facts: AlphabetFacts) -> tuple[str, ...]:
    """The slots the abstract state keeps (the offerer and answerer states are kept apart, canonically)."""
    ignored = COUNTER_SLOTS | _unused_by_profile(profile, facts)
    return tuple(name for name in _SLOT_NAMES if name not in ignored)


def _unused_by_profile(profile: Profile, facts: AlphabetFacts = NO_FACTS) -> frozenset[str]:
    """Slots the model keeps in every profile but reads only in a profile that makes the choice they serve:
    `rolled_back_credentials` is read only by _kept_rolled_back, in the "with-candidate-pool" profile and while
    iceCandidatePoolSize is 2 or more, which an alphabet none of whose configurations can set that never reaches."""
    unused = set()
    if profile.rolled_back_offer_credentials != "with-candidate-pool" or not facts.pool_of_two_or_more:
        unused.add("rolled_back_credentials")
    if not profile.reuse_generated_credentials:
        unused.add("generated_credentials")
    if not profile.jsep_needs_ice_restart:
        unused.add("jsep_needs_ice_restart")
    return frozenset(unused)


def _still_created(held: str, slot: str) -> str:
    """What a trace's {"$sdp": ...} can do: nothing ("" makes sLD create one), be the SDP the slot holds (sLD
    accepts it), or be stale (sLD step 4.2/4.3 refuses it). Every created SDP is a new string (its o= version
    grows), so a stale one never matches again."""
    if not held:
        return "none"
    return "created" if held == slot else "stale"


def _has_any(channels: object) -> bool:
    """The data channels: only whether there are any changes a later call (createDataChannel step 20)."""
    return bool(channels)


def _offerer_state(recorded: object, current_local: SessionDescription | None, renaming: _Renaming) -> Hashable:
    """[[LastCreatedOffer]]'s offerer state is only ever compared with the present one (sLD steps 4.4-4.5). Its
    current local description is the same object as today's or an earlier one, and currentLocalDescription never
    returns to an earlier string (each is a newly created SDP), so "the same or not" is all that can matter there;
    every other member it records is kept whole."""
    if recorded is None:
        return None
    assert dataclasses.is_dataclass(recorded)
    return tuple(
        (f.name, getattr(recorded, f.name) == current_local)
        if f.name == "current_local"
        else (f.name, renaming.value(getattr(recorded, f.name)))
        for f in dataclasses.fields(recorded)
    )


def _answerer_state(
    recorded: object, pending_remote: SessionDescription | None, current_local: SessionDescription | None
) -> Hashable:
    """[[LastCreatedAnswer]]'s answerer state (the remote offer answered, the current local description) is only
    ever compared with the present one (sLD step 4.5), member by member. Kept whole, it holds an offer and a local
    description the connection has left behind, with their credentials, and the closure never ends. Each member is
    kept as "the same as today's or not": a remote description is always one the remote peer has just written (its
    o= version grows with each; the alphabet gives setRemoteDescription no other SDP that applies), so
    pendingRemoteDescription never returns to an earlier one; currentLocalDescription never returns to an earlier
    one (see _offerer_state). So a member that differs now differs forever, and one that is the same is told by
    the present slot the state keeps anyway. A member recorded as None is kept as None (None can come back)."""
    if recorded is None:
        return None
    assert dataclasses.is_dataclass(recorded)
    present = {"offer": pending_remote, "current_local": current_local}
    return tuple(
        (f.name, None if getattr(recorded, f.name) is None else getattr(recorded, f.name) == present[f.name])
        for f in dataclasses.fields(recorded)
    )


def _restart_answered(
    recorded: tuple[str, IceCredentials] | None,
    pending_local: SessionDescription | None,
    last_created_offer: str,
    renaming: _Renaming,
) -> Hashable:
    """The remote peer's answer to a restarting local offer reuses its new pair only while that same offer is
    pendingLocalDescription (RemotePeer.answer). A local offer can become pending again only as the SDP of
    [[LastCreatedOffer]] (sLD steps 4.2 and 4.4: any other offer SDP is refused or newly created, with a greater o=
    version), so once the recorded offer is neither pending nor the last created one it can never match again and
    its pair is dropped; otherwise which of the two it is and the pair (renamed) are kept."""
    if recorded is None:
        return None
    sdp, pair = recorded
    is_pending = pending_local is not None and pending_local.sdp == sdp
    is_last_created = bool(sdp) and sdp == last_created_offer
    if not (is_pending or is_last_created):
        return "gone"
    return (is_pending, is_last_created, renaming.credential(pair))


class _Renaming:
    """First-appearance names for ICE credentials, and values rewritten with them. An SDP string becomes its text
    with the o= version taken out and its credentials renamed: every comparison of SDP strings the model makes is
    either of credentials or of strings _still_created and _offerer_state account for."""

    def __init__(self) -> None:
        self.credentials: dict[IceCredentials, int] = {}

    def credential(self, pair: IceCredentials) -> str:
        return f"C{self.credentials.setdefault(pair, len(self.credentials))}"

    def sdp(self, sdp: str) -> Hashable:
        """The SDP's template (its digest) with the names of its credentials: the same for two SDP strings exactly
        when their texts, o= version aside, are the same with the credentials renamed."""
        template, pairs = _sdp_template(sdp)
        return (template, *(self.credential(pair) for pair in pairs)) if pairs else template

    def value(self, value: object) -> Hashable:
        kind = type(value)  # the common kinds first, by identity (the search's hottest function)
        if kind is SessionDescription:
            assert isinstance(value, SessionDescription)
            return (value.type, self.sdp(value.sdp))
        if kind is str:
            assert isinstance(value, str)
            return self.sdp(value) if value else value
        if value is None or kind is bool:
            return value
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, str):
            return self.sdp(value) if value else value
        if isinstance(value, IceCredentials):
            return self.credential(value)
        if isinstance(value, SessionDescription):
            return (value.type, self.sdp(value.sdp))
        if isinstance(value, frozenset):
            # Known pairs take their names; any pair seen first here is named in a fixed (value) order.
            return tuple(sorted(self.value(item) for item in sorted(value)))  # type: ignore[type-var]
        if isinstance(value, list | tuple):
            return tuple(self.value(item) for item in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            # A record the model keeps (as its answerer state): every member, canonically.
            return (type(value).__name__, *(self.value(getattr(value, f.name)) for f in dataclasses.fields(value)))
        raise TypeError(f"the abstract state cannot hold a {type(value).__name__}: {value!r}")


@lru_cache(maxsize=65536)  # a pure function of an immutable string
def _sdp_template(sdp: str) -> tuple[bytes, tuple[IceCredentials, ...]]:
    """The SDP with its o= version taken out and each credential pair a numbered slot, as a 128-bit BLAKE2 digest
    (the abstract state's repr stays short: hashing it was a tenth of the search), and the pairs in order of
    appearance; non-SDP text as it is, digested too."""
    parsed = parse_sdp(sdp)
    if parsed is None:
        return _template_digest(sdp.replace("{", "{{").replace("}", "}}")), ()
    text = _VERSION.sub(r"\1V", sdp).replace("{", "{{").replace("}", "}}")
    pairs = tuple(sorted(parsed.ice_credentials, key=lambda p: sdp.find(p.ufrag)))
    for slot, pair in enumerate(pairs):
        text = text.replace(pair.ufrag, f"{{{slot}}}u").replace(pair.pwd, f"{{{slot}}}p")
    return _template_digest(text), pairs


def _template_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@cache
def _prelude_certificates(seed: int) -> dict[str, RTCCertificate]:
    """The certificates ALPHABET_PRELUDE makes, the i-th seeded with seed + i (as oracle/model_runner.py does)."""
    made: dict[str, RTCCertificate] = {}
    for index, operation in enumerate(ALPHABET_PRELUDE):
        algorithm = operation.args["keygenAlgorithm"]
        made[str(operation.args["name"])] = RTCPeerConnection.generateCertificate(algorithm, seed=seed + index)
    return made


def _frozen(value: object, certificate_names: Mapping[int, str]) -> Hashable:
    if isinstance(value, dict):
        return tuple((key, _frozen(member, certificate_names)) for key, member in sorted(value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item, certificate_names) for item in value)
    if isinstance(value, RTCCertificate):
        return ("$certificate", certificate_names.get(id(value)))
    assert isinstance(value, Hashable)
    return value


def _argument(args: dict[str, object], key: str) -> tuple[object, ...]:
    return (args[key],) if key in args else ()
