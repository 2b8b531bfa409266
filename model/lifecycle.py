"""The connection's lifecycle: new, negotiating, restarting, closed.

The spec has no such machine; it is a projection of the concrete state the spec does define
([[IsClosed]], [[SignalingState]], [[LocalIceCredentialsToReplace]] and whether setLocalDescription has
been called), evaluated top-down, first match wins:

    closed       [[IsClosed]]
    restarting   [[LocalIceCredentialsToReplace]] is not empty
    negotiating  setLocalDescription has been called, or [[SignalingState]] is not "stable"
    new          otherwise

`LIFECYCLE_TRANSITIONS` declares every lifecycle transition an API call can cause; the one `transitions`
machine built from it is shared by every connection, and a projected change the table does not declare
is a bug in the model (LifecycleError). NOTES.md draws its diagram from this same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from transitions import Machine
from transitions.core import MachineError

LifecycleState = Literal["new", "negotiating", "restarting", "closed"]
LIFECYCLE_STATES: Final[tuple[LifecycleState, ...]] = ("new", "negotiating", "restarting", "closed")
OPEN_STATES: Final[tuple[LifecycleState, ...]] = ("new", "negotiating", "restarting")


@dataclass(frozen=True)
class LifecycleTransition:
    trigger: str  # the API call that causes it
    source: LifecycleState
    dest: LifecycleState
    why: str  # the spec rule behind it


LIFECYCLE_TRANSITIONS: Final[tuple[LifecycleTransition, ...]] = (
    LifecycleTransition("setLocalDescription", "new", "negotiating", "setLocalDescription has been called"),
    LifecycleTransition("setRemoteDescription", "new", "negotiating", "a remote offer leaves stable"),
    LifecycleTransition(
        "setRemoteDescription",
        "negotiating",
        "new",
        "rollback of a remote offer before any sLD returns to stable",
    ),
    LifecycleTransition(
        "setLocalDescription",
        "negotiating",
        "new",
        "rollback of a remote offer (profile sld_called_when=applied)",
    ),
    LifecycleTransition("restartIce", "negotiating", "restarting", "restartIce step 2 fills the slot"),
    LifecycleTransition(
        "restartIce",
        "restarting",
        "negotiating",
        "restartIce step 2 refills the slot from the local descriptions: none left after a rollback empties it",
    ),
    LifecycleTransition(
        "setLocalDescription",
        "restarting",
        "negotiating",
        "a local answer without the slot's credentials clears it",
    ),
    LifecycleTransition(
        "setRemoteDescription",
        "restarting",
        "negotiating",
        "a remote answer without the slot's credentials clears it",
    ),
    *(LifecycleTransition("close", source, "closed", "close the connection step 2") for source in OPEN_STATES),
)


class LifecycleError(AssertionError):
    """The concrete state projected to a lifecycle change that LIFECYCLE_TRANSITIONS does not declare."""


class _Position:
    """One connection's place in the shared machine (transitions' 'model')."""

    __slots__ = ("state", "target")

    def __init__(self) -> None:
        self.state: str = "new"
        self.target: str = "new"

    def is_projected(self, event: Any) -> bool:
        """Condition on every transition: take the one whose destination the projection chose."""
        return bool(event.transition.dest == self.target)


def _build_machine() -> Machine:
    return Machine(
        model=None,
        states=list(LIFECYCLE_STATES),
        transitions=[
            {"trigger": t.trigger, "source": t.source, "dest": t.dest, "conditions": "is_projected"}
            for t in LIFECYCLE_TRANSITIONS
        ],
        initial="new",
        auto_transitions=False,
        send_event=True,
    )


LIFECYCLE_MACHINE: Final = _build_machine()


def project(*, closed: bool, restart_requested: bool, sld_called: bool, signaling_state: str) -> LifecycleState:
    if closed:
        return "closed"
    if restart_requested:
        return "restarting"
    if sld_called or signaling_state != "stable":
        return "negotiating"
    return "new"


class Lifecycle:
    """A connection's lifecycle state, moved only through the shared machine."""

    __slots__ = ("_position",)

    def __init__(self) -> None:
        self._position = _Position()

    @property
    def state(self) -> LifecycleState:
        return self._position.state  # type: ignore[return-value]

    def follow(self, trigger: str, target: LifecycleState) -> None:
        """After `trigger` ran, move to `target` through a declared transition (or stay)."""
        position = self._position
        if target == position.state:
            return
        position.target = target
        event = LIFECYCLE_MACHINE.events.get(trigger)
        try:
            moved = event is not None and event.trigger(position)
        except MachineError:
            moved = False
        if not moved or position.state != target:
            raise LifecycleError(
                f"{trigger} moved the lifecycle {position.state} -> {target}, an undeclared transition"
            )
