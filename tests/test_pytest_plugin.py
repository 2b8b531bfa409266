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


JUDGED = """
from peerspec.oracle.deviations import TRACES_DIR
from peerspec.oracle.trace import parse

def test_a_recorded_known_deviation(peerspec_verdicts):
    path = sorted(TRACES_DIR.glob("*.chromium.jsonl"))[0]
    assert peerspec_verdicts(parse(path.read_bytes(), str(path))) == []
"""


def test_peerspec_verdicts_fail_only_on_what_the_named_implementations_registry_does_not_know(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(JUDGED)
    pytester.runpytest("-q", "--peerspec-impl", "chromium").assert_outcomes(passed=1)
    pytester.runpytest("-q").assert_outcomes(failed=1)  # judged by the spec alone, the deviation is new


def test_a_registry_of_ones_own_that_cannot_be_read_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(JUDGED)
    result = pytester.runpytest("-q", "--peerspec-deviations", str(pytester.path / "missing.json"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no deviation registry at*"])
