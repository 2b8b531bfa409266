"""What `peerspec explore` writes: the state graph as JSON, the lifecycle-clustered summary graph as mermaid (for
GitHub) and DOT (SVG where Graphviz's dot is installed), and a violation's shortest path as a trace and a vector
(the trace with the model's outcomes, oracle/model_runner.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from peerspec.model.lifecycle import LIFECYCLE_STATES
from peerspec.model.profile import Profile
from peerspec.oracle import model_runner
from peerspec.oracle.trace import Step, dumps
from peerspec.properties.coverage import choices_key, explored_cells, reference_entry
from peerspec.properties.explore import NO_LIFECYCLE, Exploration, trace_of

CLUSTERS: Final = (NO_LIFECYCLE, *LIFECYCLE_STATES)


def lifecycle_counts(exploration: Exploration) -> dict[str, int]:
    """How many abstract states sit under each lifecycle state (and without a connection)."""
    counts = Counter(state.lifecycle for state in exploration.states)
    return {cluster: counts.get(cluster, 0) for cluster in CLUSTERS}


def summary(exploration: Exploration) -> dict[str, Any]:
    return {
        "profile": exploration.setup.profile.name,
        "alphabet": exploration.alphabet_name,
        "states": len(exploration.states),
        "edges": len(exploration.edges),
        "depth": exploration.depth,
        "complete": exploration.complete,
        "seconds": round(exploration.seconds, 2),
        "cpuSeconds": round(exploration.cpu_seconds, 2),
        "statesPerSecond": round(exploration.states_per_second, 1),
        "invariantChecks": exploration.invariant_checks,
        "shard": list(exploration.shard),
        "lifecycleStates": lifecycle_counts(exploration),
        "violation": None
        if exploration.violation is None
        else {"invariant": exploration.violation.invariant, "message": exploration.violation.message},
    }


def _node(state: Any) -> tuple[str, str]:
    return (state.lifecycle, state.signaling_state or "none")


def cluster_graph(exploration: Exploration) -> dict[str, Any]:
    """The graph folded onto (lifecycle, signalingState) nodes: how many abstract states each holds, and each
    folded edge's operations with their outcomes and edge counts."""
    by_id = {state.id: state for state in exploration.states}
    nodes = Counter(_node(state) for state in exploration.states)
    folded: dict[tuple[tuple[str, str], tuple[str, str]], Counter[str]] = defaultdict(Counter)
    alphabet = exploration.setup.alphabet
    for edge in exploration.edges:
        source, target = _node(by_id[edge.source]), _node(by_id[edge.target])
        folded[(source, target)][f"{alphabet[edge.operation].label} / {edge.outcome}"] += 1
    return {
        "nodes": [{"lifecycle": n[0], "signalingState": n[1], "states": count} for n, count in sorted(nodes.items())],
        "edges": [
            {"from": list(s), "to": list(t), "operations": dict(sorted(ops.items()))}
            for (s, t), ops in sorted(folded.items())
        ],
    }


def graph_json(exploration: Exploration, *, full: bool) -> str:
    """The summary, the clustered graph, the coverage cells, and (full) every state and edge."""
    alphabet = exploration.setup.alphabet
    document: dict[str, Any] = {
        **summary(exploration),
        "operations": [{"label": op.label, "op": op.op, "args": dict(op.args)} for op in alphabet],
        "clusters": cluster_graph(exploration),
        "cells": [[*list(cell), count] for cell, count in sorted(explored_cells(exploration).items())],
    }
    if full:
        document["stateList"] = [
            {
                "id": s.id,
                "key": key.hex(),  # the abstract state's digest: the same state has it in every shard's graph
                "depth": s.depth,
                "lifecycle": s.lifecycle,
                "signalingState": s.signaling_state,
            }
            for s, key in zip(exploration.states, exploration.keys, strict=True)
        ]
        document["edgeList"] = [[e.source, e.operation, e.outcome, e.target] for e in exploration.edges]
    return json.dumps(document, indent=None if full else 1, sort_keys=False) + "\n"


def _node_id(node: tuple[str, str]) -> str:
    return f"{node[0]}_{node[1]}".replace("-", "_")


def _changes(exploration: Exploration) -> dict[tuple[tuple[str, str], tuple[str, str]], list[str]]:
    """Folded edges between different nodes, each with its operation / outcome labels."""
    folded = cluster_graph(exploration)["edges"]
    return {
        (tuple(edge["from"]), tuple(edge["to"])): sorted({label for label in edge["operations"]})
        for edge in folded
        if edge["from"] != edge["to"]
    }


def mermaid(exploration: Exploration) -> str:
    """A flowchart: one subgraph per lifecycle state holding its signaling states (with their abstract-state
    counts), one arrow per pair of nodes that some operation moves between, labelled with the operations."""
    nodes = cluster_graph(exploration)["nodes"]
    lines = ["flowchart LR"]
    for cluster, members in _clusters(nodes):
        total = sum(n["states"] for n in members)
        lines.append(f'  subgraph {cluster}["{cluster}: {total} states"]')
        for n in members:
            node = (n["lifecycle"], n["signalingState"])
            lines.append(f'    {_node_id(node)}["{n["signalingState"]} ({n["states"]})"]')
        lines.append("  end")
    for (source, target), labels in _changes(exploration).items():
        text = "<br/>".join(label.replace('"', "'") for label in labels)
        lines.append(f'  {_node_id(source)} -->|"{text}"| {_node_id(target)}')
    return "\n".join(lines) + "\n"


def _clusters(nodes: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The folded nodes of each lifecycle state that has any, in CLUSTERS order (the pictures' clusters)."""
    grouped = [(cluster, [n for n in nodes if n["lifecycle"] == cluster]) for cluster in CLUSTERS]
    return [(cluster, members) for cluster, members in grouped if members]


def dot(exploration: Exploration) -> str:
    """The same graph in Graphviz DOT, lifecycle states as clusters."""
    nodes = cluster_graph(exploration)["nodes"]
    lines = ["digraph exploration {", "  rankdir=LR; node [shape=box, fontsize=10]; edge [fontsize=8];"]
    for cluster, members in _clusters(nodes):
        lines.append(f'  subgraph cluster_{cluster} {{ label="{cluster}";')
        for n in members:
            node = (n["lifecycle"], n["signalingState"])
            lines.append(f'    {_node_id(node)} [label="{n["signalingState"]}\\n{n["states"]} states"];')
        lines.append("  }")
    for (source, target), labels in _changes(exploration).items():
        text = "\\n".join(label.replace('"', "'") for label in labels)
        lines.append(f'  {_node_id(source)} -> {_node_id(target)} [label="{text}"];')
    return "\n".join(lines) + "\n}\n"


def write_svg(exploration: Exploration, path: Path) -> bool:
    """Render the DOT graph with Graphviz's dot; False (nothing written) when dot is not installed."""
    program = shutil.which("dot")
    if program is None:
        return False
    svg = subprocess.run([program, "-Tsvg"], input=dot(exploration), capture_output=True, text=True, check=True)
    write_atomically(path, svg.stdout)
    return True


def violation_trace(exploration: Exploration) -> str:
    """The violation's shortest path as a trace (JSON Lines), certificate steps first."""
    assert exploration.violation is not None
    return dumps([Step(op, args) for op, args in trace_of(exploration.setup, exploration.violation.path)])


def violation_vector(exploration: Exploration) -> str:
    """The same trace with the model's outcome and after on every step (a conformance vector)."""
    assert exploration.violation is not None
    steps = [Step(op, args) for op, args in trace_of(exploration.setup, exploration.violation.path)]
    setup = exploration.setup
    return dumps(model_runner.replay(steps, seed=setup.seed, profile=setup.profile))


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file beside it, so that no half-written file is ever left."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def summary_lines(explorations: Sequence[Exploration]) -> list[str]:
    """One line per explored profile: what `peerspec explore` prints."""
    lines = []
    for exploration in explorations:
        counts = lifecycle_counts(exploration)
        if exploration.shard != (0, 1):  # a shard's share: the closure is what `explore-merge` makes of them all
            closure = "this shard's share complete" if exploration.complete else "this shard's share NOT complete"
        else:
            closure = "closure complete" if exploration.complete else "closure NOT complete (depth bound or violation)"
        verdict = (
            "every invariant held on every edge"
            if exploration.violation is None
            else f"VIOLATED: {exploration.violation.invariant}"
        )
        shard = "" if exploration.shard == (0, 1) else f" (shard {exploration.shard[0]}/{exploration.shard[1]})"
        lines.append(
            f"{exploration.setup.profile.name}{shard}, alphabet {exploration.alphabet_name}: "
            f"{len(exploration.states)} states, {len(exploration.edges)} edges, depth {exploration.depth}, "
            f"{exploration.states_per_second:.0f} states/s ({exploration.seconds:.1f} s, "
            f"{exploration.cpu_seconds:.1f} CPU-s), {closure}; "
            + ", ".join(f"{name} {counts[name]}" for name in CLUSTERS)
            + f"; {exploration.invariant_checks} invariant checks, {verdict}"
        )
    return lines


REFERENCE_PATH: Final = Path(__file__).parent / "exploration-cells.json"


def reference_json(explorations: Sequence[Exploration]) -> str:
    """Each profile's closure cells, keyed by its choices (properties/coverage.py choices_key)."""
    document = {
        choices_key(e.setup.profile): {"profiles": [], **reference_entry(e)} for e in explorations if e.complete
    }
    for e in explorations:
        entry = document.get(choices_key(e.setup.profile))
        if entry is not None:
            entry["profiles"].append(e.setup.profile.name)  # type: ignore[attr-defined]
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def load_reference(profile: Profile, path: Path = REFERENCE_PATH) -> dict[str, Any] | None:
    """The committed closure entry for the profile's choices, or None when there is none."""
    if not path.is_file():
        return None
    entry = json.loads(path.read_text(encoding="utf-8")).get(choices_key(profile))
    return entry if isinstance(entry, dict) else None
