"""Every named invariant can fail: for each one, a step record a wrong implementation could produce, which
check_all (the way the stateful machine checks them) refuses with that invariant's name. check_all decides the four
invariants that compare the configurations before and after with one comparison when the two are equal; a record
where they are equal never violates those four, and one where they differ runs them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerspec.model import RTCPeerConnection
from peerspec.model.sdp import IceCredentials, SessionDescription
from peerspec.properties.invariants import (
    COMPARE_THE_TWO_CONFIGURATIONS,
    INVARIANTS,
    InvariantViolation,
    check_all,
)
from peerspec.properties.records import History, Outcome, Snapshot, StepRecord, snapshot_of

OLD = IceCredentials("aaaaaaaa", "a" * 24)
NEW = IceCredentials("bbbbbbbb", "b" * 24)


def stable() -> Snapshot:
    return snapshot_of(RTCPeerConnection())


def record(op: str, before: Snapshot, after: Snapshot, outcome: Outcome | None = None, **args: object) -> StepRecord:
    return StepRecord(op, dict(args), outcome or Outcome(), before, after)


def configured(snapshot: Snapshot, **members: object) -> Snapshot:
    return replace(snapshot, configuration={**snapshot.configuration, **members})


def offer_with(credentials: IceCredentials) -> SessionDescription:
    sdp = (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
        f"a=ice-ufrag:{credentials.ufrag}\r\na=ice-pwd:{credentials.pwd}\r\na=mid:0\r\n"
    )
    return SessionDescription("offer", sdp)


def violations() -> dict[str, StepRecord]:
    s = stable()
    closed = replace(s, signaling_state="closed", lifecycle="closed")
    failed = Outcome(error="InvalidModificationError", kind="throw", spec="set the configuration step 3.1")
    negotiating = replace(s, lifecycle="negotiating", sld_called=True)
    kept = replace(negotiating, offer_base_credentials=frozenset({OLD}))
    return {
        "closed_is_absorbing": record("restartIce", closed, s),
        "closed_iff_signaling_state_closed": record("close", s, replace(s, signaling_state="closed")),
        "failed_setConfiguration_changes_nothing": record(
            "setConfiguration", s, configured(s, iceTransportPolicy="relay"), failed, configuration={}
        ),
        "configuration_changes_only_by_setConfiguration": record(
            "restartIce", s, configured(s, iceTransportPolicy="relay")
        ),
        "getConfiguration_returns_the_accepted_configuration": record(
            "setConfiguration", s, configured(s, iceTransportPolicy="relay"), configuration={}
        ),
        "unchangeable_members_never_change": record(
            "setConfiguration",
            s,
            configured(s, bundlePolicy="max-bundle"),
            configuration={"bundlePolicy": "max-bundle"},
        ),
        "pool_size_frozen_after_setLocalDescription": record(
            "setConfiguration",
            negotiating,
            configured(negotiating, iceCandidatePoolSize=3),
            configuration={"iceCandidatePoolSize": 3},
        ),
        "offer_credentials_follow_the_restart_rules": record(
            "createOffer", kept, kept, Outcome(result=offer_with(NEW))
        ),
        "restarting_iff_restart_requested": record(
            "restartIce", s, replace(s, lifecycle="restarting", credentials_to_replace=frozenset())
        ),
        "negotiationneeded_fires_only_in_stable": record(
            "setRemoteDescription", s, replace(s, signaling_state="have-remote-offer", negotiationneeded=1)
        ),
        "signaling_follows_the_transition_table": record(
            "restartIce", s, replace(s, signaling_state="have-local-offer")
        ),
        "lifecycle_moves_along_declared_transitions": record(
            "getConfiguration", s, replace(s, lifecycle="negotiating")
        ),
        "errors_cite_a_spec_step": record(
            "createAnswer", s, s, Outcome(error="InvalidStateError", kind="reject", spec=" ")
        ),
    }


def test_there_is_a_violation_for_every_invariant() -> None:
    assert set(violations()) == {invariant.__name__ for invariant in INVARIANTS}


@pytest.mark.parametrize("name", [invariant.__name__ for invariant in INVARIANTS])
def test_each_invariant_fails_on_its_violation_through_check_all(name: str) -> None:
    with pytest.raises(InvariantViolation) as violated:
        check_all(violations()[name], History())
    assert violated.value.invariant == name


@pytest.mark.parametrize("name", sorted(invariant.__name__ for invariant in COMPARE_THE_TWO_CONFIGURATIONS))
def test_the_invariants_decided_by_one_comparison_hold_when_the_configurations_are_equal(name: str) -> None:
    (invariant,) = [i for i in INVARIANTS if i.__name__ == name]
    violation = violations()[name]
    assert violation.before.configuration != violation.after.configuration
    same = replace(violation, after=replace(violation.after, configuration=dict(violation.before.configuration)))
    invariant(same, History())  # holds: so check_all may skip it


def test_equal_configurations_keep_the_same_certificates() -> None:
    certificate = RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"}, seed=1)
    other = RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"}, seed=1)
    before = configured(stable(), certificates=[certificate])
    # Certificates compare by identity, so a configuration holding another certificate is not equal.
    swapped = record("setConfiguration", before, configured(before, certificates=[other]), configuration={})
    assert swapped.before.configuration != swapped.after.configuration
    with pytest.raises(InvariantViolation) as violated:
        check_all(swapped, History())
    assert violated.value.invariant in {
        "unchangeable_members_never_change",
        "getConfiguration_returns_the_accepted_configuration",
    }
