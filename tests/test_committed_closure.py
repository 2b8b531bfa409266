"""The committed pictures of the default closure are the model's: exploring the `default` alphabet in the spec
profile again gives the state graph in docs/ (JSON and mermaid) and the spec entry of
oracle/exploration-cells.json that `peerspec run --coverage` compares with. A model change that moves the closure
fails here until they are regenerated (`peerspec explore --graph ... --mermaid ... --cells ...`; NOTES.md,
"Exhaustive exploration and coverage")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerspec.model import SPEC_PROFILE
from peerspec.oracle.explore_report import REFERENCE_PATH, graph_json, mermaid, reference_json
from peerspec.properties.explore import Exploration, explore

DOCS = Path(__file__).resolve().parents[1] / "docs"
TIMINGS = ("seconds", "cpuSeconds", "statesPerSecond")


@pytest.fixture(scope="module")
def closure() -> Exploration:
    return explore("default", profile=SPEC_PROFILE)


def test_the_default_closure_is_complete_with_every_invariant_holding(closure: Exploration) -> None:
    assert closure.complete and closure.violation is None


def test_docs_state_graph_json_is_the_closure_explored_now(closure: Exploration) -> None:
    committed = json.loads((DOCS / "state-graph.json").read_text(encoding="utf-8"))
    explored = json.loads(graph_json(closure, full=False))
    for timing in TIMINGS:  # how long it took is the machine's, not the model's
        committed.pop(timing), explored.pop(timing)
    assert explored == committed


def test_docs_state_graph_md_draws_the_closure_explored_now(closure: Exploration) -> None:
    assert mermaid(closure).strip() in (DOCS / "state-graph.md").read_text(encoding="utf-8")


def test_the_coverage_reference_holds_the_closure_explored_now(closure: Exploration) -> None:
    committed = json.loads(REFERENCE_PATH.read_text(encoding="utf-8"))["spec"]
    explored = json.loads(reference_json([closure]))["spec"]
    committed.pop("profiles"), explored.pop("profiles")  # which registry profiles share these choices
    assert explored == committed
