"""The committed conformance vectors are exactly what `peerspec generate` makes from their seed, and each
hand-written case shows its rule."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from peerspec.oracle.compare import compare
from peerspec.oracle.model_runner import replay
from peerspec.oracle.rule_cases import RULE_CASES
from peerspec.oracle.vectors import MANIFEST, load_vectors, rule_vectors, write

VECTORS = Path(__file__).resolve().parent.parent / "vectors"


def committed_manifest() -> dict[str, object]:
    loaded: dict[str, object] = json.loads((VECTORS / MANIFEST).read_text(encoding="utf-8"))
    return loaded


def test_regenerating_the_vectors_gives_the_committed_bytes(tmp_path: Path) -> None:
    index = committed_manifest()
    if index["hypothesis"] != version("hypothesis"):
        pytest.skip(f"vectors were drawn with hypothesis {index['hypothesis']}, this is {version('hypothesis')}")
    seed, count = index["seed"], index["generated"]
    assert isinstance(seed, int) and isinstance(count, int)
    write(tmp_path, seed, count)
    committed = sorted(path.name for path in VECTORS.iterdir())
    assert sorted(path.name for path in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (VECTORS / name).read_bytes(), f"{name} differs"


def test_every_hand_written_rule_case_is_in_the_corpus() -> None:
    ids = {case["id"] for case in committed_manifest()["cases"]}  # type: ignore[attr-defined]
    assert {case.id for case in RULE_CASES} <= ids


def test_each_rule_case_ends_as_the_spec_says() -> None:
    """rule_vectors() refuses a case whose last step the model does not decide as the case states."""
    assert len(rule_vectors(0)) == len(RULE_CASES)


def test_the_committed_vectors_agree_with_the_model_today() -> None:
    for vector in load_vectors(VECTORS):
        assert compare(replay(vector.steps), vector.steps) == [], vector.id
