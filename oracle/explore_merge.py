"""Merge the state graphs of a sharded exploration (`peerspec explore --shard i/n --graph shard-i.json` on n hosts)
into the closure they make together: states are one by their abstract state's digest, which is the same in every
shard's graph, so a state two shards reach counts once, at the shallower depth either reached it."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peerspec.oracle.errors import OracleError
from peerspec.oracle.explore_report import CLUSTERS


@dataclass
class MergedClosure:
    profile: str
    alphabet: str
    shards: int
    depth_by_key: dict[str, int] = field(default_factory=dict)
    lifecycle_by_key: dict[str, str] = field(default_factory=dict)
    edges: set[tuple[str, int, str, str]] = field(default_factory=set)
    complete: bool = True  # every shard's share closed within its depth bound
    violations: list[str] = field(default_factory=list)  # "shard i/n: invariant: message"

    def summary_line(self) -> str:
        counts = Counter(self.lifecycle_by_key.values())
        closure = "closure complete" if self.complete else "closure NOT complete (a shard stopped early)"
        verdict = (
            "every invariant held on every edge" if not self.violations else "VIOLATED: " + "; ".join(self.violations)
        )
        depth = max(self.depth_by_key.values(), default=0)
        return (
            f"{self.profile}, alphabet {self.alphabet}, {self.shards} shards merged: {len(self.depth_by_key)} states,"
            f" {len(self.edges)} edges, depth {depth}, {closure}; "
            + ", ".join(f"{name} {counts.get(name, 0)}" for name in CLUSTERS)
            + f"; {verdict}"
        )


def load_graph(path: Path) -> dict[str, Any]:
    """A full graph `peerspec explore --graph` wrote, or OracleError saying why it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise OracleError(f"{path}: cannot read it ({error.strerror or error})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OracleError(f"{path}: not JSON ({error})") from None
    needed = ("profile", "alphabet", "operations", "shard", "complete", "violation", "stateList", "edgeList")
    if not isinstance(document, dict) or any(name not in document for name in needed):
        raise OracleError(f"{path}: not a state graph written by peerspec explore --graph")
    if any("key" not in state for state in document["stateList"]):
        raise OracleError(f"{path}: its states carry no digests (written by an older peerspec); explore it again")
    return document


def merge(graphs: Sequence[tuple[Path, dict[str, Any]]]) -> MergedClosure:
    """The union of every shard's states and edges. The graphs must be the n shards of one exploration: the same
    profile, alphabet and shard count, each shard index once."""
    if not graphs:
        raise OracleError("name the state graphs of every shard (peerspec explore --shard i/n --graph FILE)")
    first_path, first = graphs[0]
    count = first["shard"][1]
    indices: dict[int, Path] = {}
    for path, graph in graphs:
        for name in ("profile", "alphabet", "operations"):
            if graph[name] != first[name]:
                raise OracleError(f"{path}: another {name} than {first_path}'s; shards of one exploration share it")
        index, shard_count = graph["shard"]
        if shard_count != count:
            raise OracleError(f"{path}: shard {index}/{shard_count}, but {first_path} is one of {count}")
        if index in indices:
            raise OracleError(f"{path}: shard {index}/{count} again (also {indices[index]})")
        indices[index] = path
    missing = [f"{index}/{count}" for index in range(count) if index not in indices]
    if missing:
        raise OracleError(f"shard {', '.join(missing)} missing: the closure needs every shard's graph")
    merged = MergedClosure(first["profile"], first["alphabet"], count)
    for _path, graph in sorted(graphs, key=lambda item: int(item[1]["shard"][0])):
        keys = [state["key"] for state in graph["stateList"]]
        for state in graph["stateList"]:
            key = state["key"]
            depth = merged.depth_by_key.get(key)
            merged.depth_by_key[key] = state["depth"] if depth is None else min(depth, state["depth"])
            merged.lifecycle_by_key[key] = state["lifecycle"]
        merged.edges.update(
            (keys[source], op, outcome, keys[target]) for source, op, outcome, target in graph["edgeList"]
        )
        merged.complete = merged.complete and bool(graph["complete"])
        if graph["violation"] is not None:
            violation = graph["violation"]
            merged.violations.append(
                f"shard {graph['shard'][0]}/{count}: {violation['invariant']}: {violation['message']}"
            )
    merged.complete = merged.complete and not merged.violations
    return merged
