"""`peerspec run`'s progress bar says the phase Hypothesis reports (issue 10 item 14): a passing run never reads
"shrinking a failure", a failing one does once Hypothesis shrinks, and discarded examples are counted as such."""

from __future__ import annotations

from peerspec.oracle.property_suite import run_suite
from peerspec.oracle.suite_progress import Phases, observing
from tests.test_property_suite import _MergingMachine


def test_a_passing_run_is_only_ever_in_the_generate_phase() -> None:
    phases = Phases()
    with observing(phases):
        result = run_suite(examples=30, steps=10)
    assert result.failure is None
    assert all(description.startswith("examples") for description in phases.seen), phases.seen
    assert phases.valid == 30
    assert result.statistics.examples == phases.valid + phases.discarded  # every test case Hypothesis ran


def test_a_failing_run_says_shrinking_once_hypothesis_shrinks() -> None:
    phases = Phases()
    with observing(phases):
        result = run_suite(examples=200, steps=15, machine=_MergingMachine)
    assert result.failure is not None
    assert phases.seen[0].startswith("examples") and "shrinking a failure" in phases.seen
