"""What one step of a run looks like from outside: the call, its outcome, and the observable state around it.

Invariants are written over these records, not over the model's internals, so the same invariants judge
the model and a real implementation. Fields only the model can report (the lifecycle state, the restart
slot) are None for an implementation that cannot show them, and the invariants that need them skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peerspec.model import RTCPeerConnection, SpecError
from peerspec.model.sdp import IceCredentials


@dataclass(frozen=True)
class Snapshot:
    signaling_state: str
    configuration: dict[str, object]  # what getConfiguration() returns
    negotiationneeded: int
    lifecycle: str | None = None
    credentials_to_replace: frozenset[IceCredentials] | None = None
    offer_base_credentials: frozenset[IceCredentials] | None = None  # what a non-restarting offer keeps
    needs_ice_restart: bool | None = None  # JSEP's needs-ice-restart, in a profile that implements it
    sld_called: bool | None = None


@dataclass(frozen=True)
class Outcome:
    """ok with a result, or an error's name and kind (throw / reject) and, from the model, its spec step."""

    result: object = None
    error: str | None = None
    kind: str | None = None
    spec: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def of_error(cls, error: SpecError) -> Outcome:
        return cls(error=error.name, kind=error.kind, spec=error.spec)


@dataclass(frozen=True)
class StepRecord:
    op: str
    args: dict[str, object]
    outcome: Outcome
    before: Snapshot
    after: Snapshot


@dataclass
class History:
    """What a run has shown so far, derived from its records alone."""

    records: list[StepRecord] = field(default_factory=list)
    accepted_configuration: dict[str, object] | None = None  # getConfiguration after the last success
    local_description_attempted: bool = False

    def add(self, record: StepRecord) -> None:
        self.records.append(record)
        if record.op == "setLocalDescription" and record.before.signaling_state != "closed":
            self.local_description_attempted = True


# The model's getConfiguration() is configuration_dictionary([[Configuration]]), and [[Configuration]] is an immutable
# RTCConfiguration that set the configuration step 10 replaces as a whole: while a connection holds the same object,
# getConfiguration() returns equal dictionaries. snapshot_of asks getConfiguration() once per [[Configuration]] and
# shares the dictionary between the snapshots of it (a snapshot's configuration is read, never written); then the
# configurations before and after a step that changed nothing are the same object, and comparing them costs nothing.
# Only for the model's own class: a subclass may answer getConfiguration() otherwise (a wrong implementation under
# test), so it is asked every time.
_last_configuration: tuple[object, dict[str, object]] = (None, {})


def configuration_of(pc: RTCPeerConnection) -> dict[str, object]:
    """What pc.getConfiguration() returns, shared between calls while [[Configuration]] is the same object."""
    global _last_configuration
    if type(pc) is not RTCPeerConnection:
        return pc.getConfiguration()
    configuration = pc.configuration
    held, dictionary = _last_configuration
    if held is not configuration or configuration is None:
        dictionary = pc.getConfiguration()
        _last_configuration = (configuration, dictionary)
    return dictionary


def snapshot_of(pc: RTCPeerConnection) -> Snapshot:
    current = pc.currentLocalDescription
    base = current.ice_credentials if current is not None else frozenset()
    if not base:  # the pending offer's, read only when there are no current ones to keep
        pending = pc.pendingLocalDescription
        if pending is not None:
            base = pending.ice_credentials
    # Snapshot(...) with its fields in one update of the new instance's dictionary: a frozen dataclass's __init__
    # sets each of the eight through object.__setattr__ (twice the cost); snapshot_reference() is the constructor's.
    snapshot = _new_instance(Snapshot)
    snapshot.__dict__.update(
        signaling_state=pc.signalingState,
        configuration=configuration_of(pc),
        negotiationneeded=pc.negotiationneeded_events,
        lifecycle=pc.lifecycle_state,
        credentials_to_replace=pc.local_ice_credentials_to_replace,
        offer_base_credentials=base,
        needs_ice_restart=pc.needs_ice_restart,
        sld_called=pc.sld_called,
    )
    return snapshot


_new_instance = object.__new__


def snapshot_reference(pc: RTCPeerConnection) -> Snapshot:
    """snapshot_of as the plain constructor and getConfiguration() make it: what tests hold the fast one to."""
    current = pc.currentLocalDescription
    base = current.ice_credentials if current is not None else frozenset()
    if not base:
        pending = pc.pendingLocalDescription
        if pending is not None:
            base = pending.ice_credentials
    return Snapshot(
        pc.signalingState,
        pc.getConfiguration(),
        pc.negotiationneeded_events,
        pc.lifecycle_state,
        pc.local_ice_credentials_to_replace,
        base,
        pc.needs_ice_restart,
        pc.sld_called,
    )
