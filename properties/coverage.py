"""Coverage cells: (lifecycle state before the call, trace op, outcome), one vocabulary for random runs (the stateful
machine counts them in RunStatistics.cells) and for exploration (every edge of the closure). A cell exploration
reaches is proved reachable; one it never reaches, with a complete closure, is unreachable with that alphabet."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from peerspec.model.profile import SPEC_PROFILE, Profile
from peerspec.properties.explore import Exploration

Cell = tuple[str, str, str]  # lifecycle (or "unconstructed"), op, "ok" or the error's name


def explored_cells(exploration: Exploration) -> Counter[Cell]:
    """How many edges of the explored graph fall in each cell."""
    lifecycle = {state.id: state.lifecycle for state in exploration.states}
    alphabet = exploration.setup.alphabet
    return Counter((lifecycle[e.source], alphabet[e.operation].op, e.outcome) for e in exploration.edges)


def lifecycle_moves(exploration: Exploration) -> set[tuple[str, str, str]]:
    """The (op, from, to) lifecycle transitions the explored graph takes."""
    lifecycle = {state.id: state.lifecycle for state in exploration.states}
    alphabet = exploration.setup.alphabet
    return {
        (alphabet[e.operation].op, lifecycle[e.source], lifecycle[e.target])
        for e in exploration.edges
        if lifecycle[e.source] != lifecycle[e.target] and lifecycle[e.source] != "unconstructed"
    }


@dataclass(frozen=True)
class CoverageRow:
    cell: Cell
    random: int  # steps of the random run in the cell
    explored: bool  # exploration reaches it

    @property
    def missed_by_random(self) -> bool:
        return self.explored and not self.random


def coverage_rows(random: Mapping[Cell, int], explored: Iterable[Cell]) -> list[CoverageRow]:
    """Every cell either side hit, in a fixed order (lifecycle, op, outcome)."""
    reachable = set(explored)
    cells = sorted(set(random) | reachable)
    return [CoverageRow(cell, random.get(cell, 0), cell in reachable) for cell in cells]


def choices_key(profile: Profile) -> str:
    """The profile's choices that differ from the spec profile's ("spec" for none), whatever its name: profiles with
    the same choices reach the same cells."""
    changed = [
        f"{name}={sorted(value) if isinstance(value, frozenset) else value}"
        for name, value in vars(profile).items()
        if name != "name" and value != getattr(SPEC_PROFILE, name)
    ]
    return ",".join(changed) or "spec"


def reference_entry(exploration: Exploration) -> dict[str, object]:
    """What `peerspec run --coverage` compares a random run with: the cells and lifecycle moves of a closure."""
    return {
        "alphabet": exploration.alphabet_name,
        "complete": exploration.complete,
        "states": len(exploration.states),
        "cells": [list(cell) for cell in sorted(explored_cells(exploration))],
        "lifecycleMoves": [list(move) for move in sorted(lifecycle_moves(exploration))],
    }
