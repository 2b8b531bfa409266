"""The explored graph as a picture: `peerspec explore --svg` renders the lifecycle-clustered DOT graph with
Graphviz's dot where it is installed (CI installs it: .ci/setup --browsers), and says so where it is not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peerspec.oracle.explore_report import dot, write_svg
from peerspec.properties.explore import explore

LIFECYCLE_CLUSTERS = ("new", "negotiating", "restarting", "closed")


def test_the_dot_graph_has_a_cluster_per_lifecycle_state_and_edges_labelled_by_call_and_outcome() -> None:
    text = dot(explore("small"))
    for state in LIFECYCLE_CLUSTERS:
        assert f'label="{state}"' in text
    assert "construct() / ok" in text and "close() / ok" in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (.ci/setup --browsers)")
def test_the_svg_is_rendered_by_graphviz(tmp_path: Path) -> None:
    path = tmp_path / "graph.svg"
    assert write_svg(explore("small"), path)
    svg = path.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert all(f">{state}</text>" in svg for state in LIFECYCLE_CLUSTERS)


def test_without_graphviz_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)  # explore_report looks dot up through shutil.which
    path = tmp_path / "graph.svg"
    assert not write_svg(explore("small"), path)
    assert not path.exists()
