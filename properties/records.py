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


def snapshot_of(pc: RTCPeerConnection) -> Snapshot:
    current = pc.currentLocalDescription
    base = current.ice_credentials if current is not None else frozenset()
    if not base:  # the pending offer's, read only when there are no current ones to keep
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
