"""The lifecycle machine as the page draws it: its states and every transition, read back from the live machine the
connections move through (oracle/diagram.py's reading, as `peerspec diagram` draws it), each with the rule behind
it from model.LIFECYCLE_TRANSITIONS."""

from __future__ import annotations

from typing import Any

from peerspec.model import LIFECYCLE_MACHINE, LIFECYCLE_TRANSITIONS
from peerspec.oracle.diagram import live_transitions


def lifecycle_graph() -> dict[str, Any]:
    why: dict[tuple[str, str, str], str] = {(t.trigger, t.source, t.dest): t.why for t in LIFECYCLE_TRANSITIONS}
    return {
        "states": list(LIFECYCLE_MACHINE.states),
        "initial": "new",
        "transitions": [
            {**edge, "why": why.get((edge["trigger"], edge["source"], edge["dest"]), "")} for edge in live_transitions()
        ],
    }
