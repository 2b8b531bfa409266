"""Named invariants, each a small function of one step record and the history before it.

They are the spec's promises stated over what a caller can observe. Each raises InvariantViolation
with its own name; `INVARIANTS` lists them in the order they are checked. Invariants that need what
only the model can show (its lifecycle state, its restart slot) skip records that lack it, so the same
list judges a real implementation's observations too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from peerspec.model import LIFECYCLE_TRANSITIONS, SpecError
from peerspec.model.configuration import configuration_dictionary
from peerspec.model.js_values import UNDEFINED
from peerspec.model.signaling import OFFER_INFERRED_IN, next_state
from peerspec.model.webidl import to_local_description_init, to_offer_options, to_rtc_configuration
from peerspec.properties.records import History, StepRecord

Invariant = Callable[[StepRecord, History], None]
UNCHANGEABLE_MEMBERS: Final = ("bundlePolicy", "rtcpMuxPolicy", "certificates")
_DECLARED_LIFECYCLE_MOVES: Final = frozenset((t.trigger, t.source, t.dest) for t in LIFECYCLE_TRANSITIONS)


class InvariantViolation(AssertionError):
    def __init__(self, invariant: str, message: str) -> None:
        self.invariant = invariant
        super().__init__(f"{invariant}: {message}")


def closed_is_absorbing(record: StepRecord, history: History) -> None:
    """close the connection: nothing reopens a closed connection."""
    if record.before.signaling_state == "closed" and record.after.signaling_state != "closed":
        raise InvariantViolation("closed_is_absorbing", f"{record.op} left the closed state")


def closed_iff_signaling_state_closed(record: StepRecord, history: History) -> None:
    """close the connection step 3: [[IsClosed]] and signalingState "closed" go together."""
    after = record.after
    if after.lifecycle is not None and (after.lifecycle == "closed") != (after.signaling_state == "closed"):
        raise InvariantViolation(
            "closed_iff_signaling_state_closed", f"lifecycle {after.lifecycle} with {after.signaling_state}"
        )


def failed_setConfiguration_changes_nothing(record: StepRecord, history: History) -> None:
    """set the configuration: all validation precedes any change (PR #2689)."""
    if (
        record.op == "setConfiguration"
        and not record.outcome.ok
        and record.after.configuration != record.before.configuration
    ):
        raise InvariantViolation("failed_setConfiguration_changes_nothing", "the configuration changed")


def configuration_changes_only_by_setConfiguration(record: StepRecord, history: History) -> None:
    """[[Configuration]] is written only by set the configuration step 10."""
    if record.op != "setConfiguration" and record.after.configuration != record.before.configuration:
        raise InvariantViolation("configuration_changes_only_by_setConfiguration", f"{record.op} changed it")


def getConfiguration_returns_the_accepted_configuration(record: StepRecord, history: History) -> None:
    """getConfiguration returns what set the configuration stored: the argument after WebIDL conversion,
    every default filled in, replacing (not merging with) the previous configuration."""
    if record.op not in ("setConfiguration", "construct") or not record.outcome.ok:
        return
    expected = configuration_dictionary(to_rtc_configuration(record.args.get("configuration", UNDEFINED)))
    if record.after.configuration != expected:
        raise InvariantViolation(
            "getConfiguration_returns_the_accepted_configuration",
            f"got {record.after.configuration!r}, expected {expected!r}",
        )


def unchangeable_members_never_change(record: StepRecord, history: History) -> None:
    """set the configuration steps 3.1-3.5: certificates, bundlePolicy and rtcpMuxPolicy are fixed."""
    before, after = record.before.configuration, record.after.configuration
    for member in UNCHANGEABLE_MEMBERS:
        old, new = before.get(member), after.get(member)
        same = (
            len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))
            if member == "certificates" and isinstance(old, list) and isinstance(new, list)
            else old == new
        )
        if not same:
            raise InvariantViolation("unchangeable_members_never_change", f"{member} changed by {record.op}")


def pool_size_frozen_after_setLocalDescription(record: StepRecord, history: History) -> None:
    """set the configuration step 3.6: iceCandidatePoolSize is fixed once setLocalDescription was called."""
    called = record.before.sld_called
    if called is None:
        called = history.local_description_attempted
    pool = "iceCandidatePoolSize"
    if called and record.after.configuration.get(pool) != record.before.configuration.get(pool):
        raise InvariantViolation("pool_size_frozen_after_setLocalDescription", f"{record.op} changed it")


def offer_credentials_follow_the_restart_rules(record: StepRecord, history: History) -> None:
    """RTCOfferOptions.iceRestart and JSEP §5.2: an offer's ICE credentials are new exactly when iceRestart is
    true, [[LocalIceCredentialsToReplace]] is not empty, JSEP's needs-ice-restart is set (in a profile that
    implements it), or there are none to keep; otherwise they are currentLocalDescription's, or with none there
    the pending offer's (JSEP §5.2.2)."""
    before = record.before
    if record.op != "createOffer" or not record.outcome.ok or before.credentials_to_replace is None:
        return
    current = before.offer_base_credentials or frozenset()
    offered = getattr(record.outcome.result, "ice_credentials", None)
    if offered is None or not offered:
        return  # an offer without m= sections carries no credentials
    ice_restart = to_offer_options(record.args.get("options", UNDEFINED))
    must_be_new = ice_restart or bool(before.credentials_to_replace) or bool(before.needs_ice_restart) or not current
    if must_be_new and offered & current:
        raise InvariantViolation("offer_credentials_follow_the_restart_rules", "an ICE restart reused credentials")
    if not must_be_new and offered != current:
        raise InvariantViolation("offer_credentials_follow_the_restart_rules", "credentials changed without a restart")


def restarting_iff_restart_requested(record: StepRecord, history: History) -> None:
    """The lifecycle's restarting state is exactly a non-empty [[LocalIceCredentialsToReplace]] (not closed)."""
    after = record.after
    if after.lifecycle is None or after.credentials_to_replace is None or after.lifecycle == "closed":
        return
    if (after.lifecycle == "restarting") != bool(after.credentials_to_replace):
        raise InvariantViolation(
            "restarting_iff_restart_requested", f"{after.lifecycle} with slot {set(after.credentials_to_replace)}"
        )


def negotiationneeded_fires_only_in_stable(record: StepRecord, history: History) -> None:
    """update the negotiation-needed flag step 2.3: the event never fires outside "stable"; counts never drop."""
    fired = record.after.negotiationneeded - record.before.negotiationneeded
    if fired < 0:
        raise InvariantViolation("negotiationneeded_fires_only_in_stable", "the event count went down")
    if fired and record.after.signaling_state != "stable":
        raise InvariantViolation("negotiationneeded_fires_only_in_stable", f"fired in {record.after.signaling_state}")
    if fired > 1:
        raise InvariantViolation("negotiationneeded_fires_only_in_stable", f"{record.op} fired it {fired} times")


def signaling_follows_the_transition_table(record: StepRecord, history: History) -> None:
    """JSEP §5.5-§5.6 and set a session description: states move only as the table says."""
    before, after = record.before.signaling_state, record.after.signaling_state
    name = "signaling_follows_the_transition_table"
    if record.op == "close":
        if after != "closed":
            raise InvariantViolation(name, "close() did not close")
        return
    if record.op not in ("setLocalDescription", "setRemoteDescription"):
        if after != before:
            raise InvariantViolation(name, f"{record.op} moved {before} -> {after}")
        return
    if not record.outcome.ok:
        # A failure leaves the state, except that a remote offer's implicit rollback may have succeeded.
        if after not in (before, "stable"):
            raise InvariantViolation(name, f"failed {record.op} moved {before} -> {after}")
        return
    expected = _expected_state(record, before)
    if expected is not None and after != expected:
        raise InvariantViolation(name, f"{record.op} moved {before} -> {after}, the table says {expected}")


def _expected_state(record: StepRecord, before: str) -> str | None:
    description = record.args.get("description", UNDEFINED)
    if record.op == "setLocalDescription":
        try:
            sdp_type, _sdp = to_local_description_init(description)
        except SpecError:
            return None
        sdp_type = sdp_type or ("offer" if before in OFFER_INFERRED_IN else "answer")
        return next_state(before, "local", sdp_type)  # type: ignore[arg-type]
    sdp_type = description.get("type") if isinstance(description, dict) else None
    if not isinstance(sdp_type, str):
        return None
    if sdp_type == "offer" and next_state(before, "remote", "offer") is None:  # type: ignore[arg-type]
        return "have-remote-offer"  # after an implicit rollback
    return next_state(before, "remote", sdp_type)  # type: ignore[arg-type]


def lifecycle_moves_along_declared_transitions(record: StepRecord, history: History) -> None:
    """The lifecycle changes only through a transition LIFECYCLE_TRANSITIONS declares for that call."""
    before, after = record.before.lifecycle, record.after.lifecycle
    if before is None or after is None or before == after:
        return
    if (record.op, before, after) not in _DECLARED_LIFECYCLE_MOVES:
        raise InvariantViolation("lifecycle_moves_along_declared_transitions", f"{record.op}: {before} -> {after}")


def errors_cite_a_spec_step(record: StepRecord, history: History) -> None:
    """Every error the model raises names the section and step that raised it."""
    outcome = record.outcome
    if not outcome.ok and outcome.spec is not None and not outcome.spec.strip():
        raise InvariantViolation("errors_cite_a_spec_step", f"{outcome.error} without a spec step")


INVARIANTS: Final[tuple[Invariant, ...]] = (
    closed_is_absorbing,
    closed_iff_signaling_state_closed,
    failed_setConfiguration_changes_nothing,
    configuration_changes_only_by_setConfiguration,
    getConfiguration_returns_the_accepted_configuration,
    unchangeable_members_never_change,
    pool_size_frozen_after_setLocalDescription,
    offer_credentials_follow_the_restart_rules,
    restarting_iff_restart_requested,
    negotiationneeded_fires_only_in_stable,
    signaling_follows_the_transition_table,
    lifecycle_moves_along_declared_transitions,
    errors_cite_a_spec_step,
)


# These only compare the configuration after the step with the one before it, member by member, and hold whenever the
# two are equal: equal dicts have equal members, and certificates compare by identity (RTCCertificate is eq=False),
# so equal lists of them hold the same objects in order.
COMPARE_THE_TWO_CONFIGURATIONS: Final = frozenset(
    {
        failed_setConfiguration_changes_nothing,
        configuration_changes_only_by_setConfiguration,
        unchangeable_members_never_change,
        pool_size_frozen_after_setLocalDescription,
    }
)
_WHEN_THE_CONFIGURATION_STAYS: Final = tuple(i for i in INVARIANTS if i not in COMPARE_THE_TWO_CONFIGURATIONS)


def check_all(record: StepRecord, history: History) -> int:
    """Check every invariant on `record`; return how many were checked. One comparison of the two configurations
    decides the four invariants that compare them member by member when they are equal (most steps do not change
    the configuration); otherwise each runs and names what changed."""
    after, before = record.after.configuration, record.before.configuration
    same_configuration = after is before or after == before  # snapshot_of shares one dictionary while it stays
    for invariant in _WHEN_THE_CONFIGURATION_STAYS if same_configuration else INVARIANTS:
        invariant(record, history)
    return len(INVARIANTS)
