"""A sharded exploration on several hosts: each shard's graph names its states by their abstract state's digest, so
`peerspec explore-merge` of every shard's graph is the closure one unsharded search reaches, and it refuses an
incomplete or mixed set of shards in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peerspec.oracle.cli import app
from peerspec.oracle.explore_merge import load_graph, merge
from peerspec.oracle.explore_report import graph_json, lifecycle_counts
from peerspec.properties.explore import explore


@pytest.fixture(scope="module")
def shard_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("shards")
    paths = []
    for index in range(3):
        path = folder / f"shard-{index}.json"
        path.write_text(graph_json(explore("small", shard=(index, 3)), full=True), encoding="utf-8")
        paths.append(path)
    return paths


def test_the_merged_shards_are_the_unsharded_closure(shard_files: list[Path]) -> None:
    whole = explore("small")
    merged = merge([(path, load_graph(path)) for path in reversed(shard_files)])
    assert merged.complete and not merged.violations
    assert set(merged.depth_by_key) == {key.hex() for key in whole.keys}
    assert merged.depth_by_key == {key.hex(): state.depth for key, state in zip(whole.keys, whole.states, strict=True)}
    keys = [key.hex() for key in whole.keys]
    assert merged.edges == {(keys[e.source], e.operation, e.outcome, keys[e.target]) for e in whole.edges}
    counts = lifecycle_counts(whole)
    line = merged.summary_line()
    assert f"{len(whole.states)} states, {len(whole.edges)} edges, depth {whole.depth}, closure complete" in line
    assert all(f"{name} {count}" in line for name, count in counts.items())


def test_peerspec_explore_merge_prints_the_closure(shard_files: list[Path]) -> None:
    outcome = CliRunner().invoke(app, ["explore-merge", *map(str, shard_files)])
    assert outcome.exit_code == 0, outcome.output
    assert "3 shards merged" in outcome.output and "every invariant held on every edge" in outcome.output


def test_a_missing_repeated_or_foreign_shard_is_refused_in_one_line(shard_files: list[Path], tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    document = json.loads(shard_files[2].read_text(encoding="utf-8"))
    document["alphabet"] = "signaling"
    other.write_text(json.dumps(document), encoding="utf-8")
    summary_only = tmp_path / "summary.json"
    summary_only.write_text(graph_json(explore("small", shard=(2, 3)), full=False), encoding="utf-8")
    runner = CliRunner()
    for files, says in (
        (shard_files[:2], "shard 2/3 missing"),
        ([*shard_files, shard_files[0]], "again"),
        ([*shard_files[:2], other], "another alphabet"),
        ([*shard_files[:2], summary_only], "not a state graph"),
        ([tmp_path / "absent.json"], "cannot read it"),
    ):
        refused = runner.invoke(app, ["explore-merge", *map(str, files)])
        assert refused.exit_code == 2, refused.output
        assert len(refused.output.strip().splitlines()) == 1 and says in refused.output, refused.output
