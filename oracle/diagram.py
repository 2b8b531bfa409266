"""The lifecycle machine drawn from model.LIFECYCLE_TRANSITIONS, the same data that drives the model's machine."""

from __future__ import annotations

import importlib.util
import shutil
from typing import Final, Literal

from transitions.extensions import GraphMachine

from model import LIFECYCLE_STATES, LIFECYCLE_TRANSITIONS
from oracle.errors import OracleError

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
        states=list(LIFECYCLE_STATES),
        transitions=[{"trigger": t.trigger, "source": t.source, "dest": t.dest} for t in LIFECYCLE_TRANSITIONS],
        initial="new",
        auto_transitions=False,
        show_conditions=False,
        graph_engine="mermaid" if diagram_format == "mermaid" else "graphviz",
        title=TITLE,
    )
    graph = machine.get_graph()
    source = graph.draw(None) if diagram_format == "mermaid" else graph.source
    return str(source).rstrip("\n") + "\n"
