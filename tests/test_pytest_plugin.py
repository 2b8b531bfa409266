"""The pytest plugin hands an implementation's test suite one test per vector."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerspec.oracle.vectors import MANIFEST, load_vectors

VECTORS = Path(__file__).resolve().parent.parent / "vectors"

CONFORMING = """
from peerspec.oracle.model_runner import replay

def test_the_model_conforms(peerspec_vector):
    assert peerspec_vector.divergences(replay(peerspec_vector.calls)) == []
"""

MERGING = """
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import Step

def test_a_wrong_implementation_diverges(peerspec_vector):
    observed = replay(peerspec_vector.calls)
    if any(step.op == "getConfiguration" for step in observed):
        observed = [
            Step(s.op, s.args, {"ok": {**s.outcome["ok"], "iceServers": [{"urls": ["stun:x.invalid"]}]}}, s.after)
            if s.op == "getConfiguration" and s.outcome and "ok" in s.outcome else s
            for s in observed
        ]
    assert peerspec_vector.divergences(observed) == []
"""


def test_the_fixture_yields_every_vector(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(CONFORMING)
    result = pytester.runpytest("--peerspec-vectors", str(VECTORS), "-q")
    result.assert_outcomes(passed=len(load_vectors(VECTORS)))


def test_a_divergence_fails_the_vectors_it_shows_in(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MERGING)
    result = pytester.runpytest("--peerspec-vectors", str(VECTORS), "-q")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) > 0 and outcomes.get("passed", 0) > 0


def test_a_directory_without_a_manifest_stops_collection_with_one_clear_line(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(CONFORMING)
    result = pytester.runpytest("--peerspec-vectors", str(tmp_path))
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines([f"*peerspec: *{MANIFEST}*not a peerspec vector manifest*--peerspec-vectors DIR*"])
