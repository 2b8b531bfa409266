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

The machine is compiled once, at import, into a lookup (trigger, source) -> destinations, which `follow`
reads: the machine stays the single definition, and a call no longer pays for an event dispatch
(benchmarks/README.md, "lifecycle").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from transitions import Machine

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


def _build_machine() -> Machine:
    return Machine(
        model=None,
        states=list(LIFECYCLE_STATES),
        transitions=[{"trigger": t.trigger, "source": t.source, "dest": t.dest} for t in LIFECYCLE_TRANSITIONS],
        initial="new",
        auto_transitions=False,
    )


def compile_machine(machine: Machine) -> dict[tuple[str, str], frozenset[str]]:
    """The machine's table as a lookup: (trigger, source state) -> the destinations it declares."""
    return {
        (trigger, source): frozenset(transition.dest for transition in transitions if transition.dest is not None)
        for trigger, event in machine.events.items()
        for source, transitions in event.transitions.items()
    }


LIFECYCLE_MACHINE: Final = _build_machine()
DECLARED_MOVES: Final = compile_machine(LIFECYCLE_MACHINE)


def project(*, closed: bool, restart_requested: bool, sld_called: bool, signaling_state: str) -> LifecycleState:
    if closed:
        return "closed"
    if restart_requested:
        return "restarting"
    if sld_called or signaling_state != "stable":
        return "negotiating"
    return "new"


class Lifecycle:
    """A connection's lifecycle state, moved only along the shared machine's declared transitions."""

    __slots__ = ("_state",)

    def __init__(self) -> None:
        self._state: LifecycleState = "new"

    @property
    def state(self) -> LifecycleState:
        return self._state

    def follow(self, trigger: str, target: LifecycleState) -> None:
        """After `trigger` ran, move to `target` through a declared transition (or stay)."""
        if target == self._state:
            return
        if target not in DECLARED_MOVES.get((trigger, self._state), ()):
            raise LifecycleError(f"{trigger} moved the lifecycle {self._state} -> {target}, an undeclared transition")
        self._state = target
