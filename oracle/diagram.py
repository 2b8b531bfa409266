"""The lifecycle diagram, drawn from the live machine every connection moves through (model.LIFECYCLE_MACHINE)."""

from __future__ import annotations

import importlib.util
import shutil
from typing import Final, Literal

from transitions.extensions import GraphMachine

from peerspec.model import LIFECYCLE_MACHINE
from peerspec.oracle.errors import OracleError

DiagramFormat = Literal["mermaid", "dot"]
TITLE: Final = "RTCPeerConnection lifecycle (peerspec)"


class _Drawing:
    """The model object GraphMachine needs; it sits in the initial state."""


def lifecycle_diagram(diagram_format: DiagramFormat) -> str:
    """The diagram's source text: a mermaid stateDiagram, or Graphviz DOT (only where graphviz is installed)."""
    if diagram_format == "dot":
        if shutil.which("dot") is None:
            raise OracleError("--format dot needs Graphviz's dot on PATH; use --format mermaid")
        if importlib.util.find_spec("graphviz") is None:
            raise OracleError("--format dot needs the graphviz Python package (pip install graphviz)")
    machine = GraphMachine(
        model=_Drawing(),
        states=list(LIFECYCLE_MACHINE.states),
        transitions=live_transitions(),
        initial="new",
        auto_transitions=False,
        show_conditions=False,
        graph_engine="mermaid" if diagram_format == "mermaid" else "graphviz",
        title=TITLE,
    )
    graph = machine.get_graph()
    if diagram_format == "dot":
        return str(graph.source).rstrip("\n") + "\n"
    # Drop transitions' styling: it marks the drawing's own (meaningless) current state, and writes "Class",
    # which mermaid's stateDiagram does not know (its keyword is "class").
    lines = str(graph.draw(None)).splitlines()
    kept = [line for line in lines if not line.strip().startswith(("classDef ", "Class ", "class "))]
    return "\n".join(line.rstrip() for line in kept).rstrip("\n") + "\n"


def live_transitions() -> list[dict[str, str]]:
    """Every transition of the machine the connections use, read back from it (not from the table)."""
    return [
        {"trigger": name, "source": transition.source, "dest": str(transition.dest)}
        for name, event in LIFECYCLE_MACHINE.events.items()
        for transitions in event.transitions.values()
        for transition in transitions
    ]
