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
    committed = sorted(path.name for path in VECTORS.iterdir() if path.is_file())  # wpt/: tests/test_wpt_vectors.py
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


def test_generate_never_deletes_a_file_it_did_not_write(tmp_path: Path) -> None:
    from peerspec.oracle.vectors import write

    mine = tmp_path / "my-own-trace.jsonl"
    mine.write_text('{"op": "construct", "args": {}}\n', encoding="utf-8")
    write(tmp_path, seed=0, count=2)
    first = {p.name for p in tmp_path.glob("generated-*.jsonl")}
    write(tmp_path, seed=0, count=1)  # the second generated vector is no longer listed: it goes, mine stays
    assert mine.read_text(encoding="utf-8") == '{"op": "construct", "args": {}}\n'
    assert {p.name for p in tmp_path.glob("generated-*.jsonl")} < first
    assert not list(tmp_path.glob(".*.partial"))


def test_a_vector_changed_after_the_manifest_was_written_is_refused(tmp_path: Path) -> None:
    import shutil

    import pytest

    from peerspec.oracle.errors import OracleError
    from peerspec.oracle.vectors import load_vectors

    copy = tmp_path / "vectors"
    shutil.copytree(VECTORS, copy)
    victim = next(copy.glob("generated-*.jsonl"))
    victim.write_text(victim.read_text(encoding="utf-8").replace('"ok"', '"ok" ', 1), encoding="utf-8")
    with pytest.raises(OracleError, match="sha256 is not the one the manifest records"):
        load_vectors(copy)
    victim.unlink()
    with pytest.raises(OracleError, match=f"cannot read {victim.name}"):
        load_vectors(copy)
