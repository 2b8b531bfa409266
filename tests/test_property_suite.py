"""`peerspec run`: the property suite reports what it covered, and a failure comes back shrunk, as a trace
that replays and as Python."""

from __future__ import annotations

from typing import ClassVar

import pytest
from typer.testing import CliRunner

from peerspec.model import RTCPeerConnection
from peerspec.oracle.cli import app
from peerspec.oracle.model_runner import replay
from peerspec.oracle.property_suite import run_suite
from peerspec.oracle.trace import parse
from peerspec.properties.invariants import InvariantViolation
from peerspec.properties.stateful import PeerConnectionMachine


def test_a_passing_run_counts_examples_steps_and_invariant_checks() -> None:
    result = run_suite(examples=25, steps=20)
    assert result.failure is None
    stats = result.statistics
    assert stats.examples >= 25 and stats.steps > 0 and stats.invariants_checked > stats.steps
    assert {"construct", "setConfiguration", "close"} <= set(stats.rules)


class _MergingConnection(RTCPeerConnection):
    """A deliberately wrong implementation: setConfiguration merges instead of replacing."""

    def setConfiguration(self, configuration: object = None) -> None:
        if isinstance(configuration, dict):
            configuration = {**self.getConfiguration(), **configuration}
        super().setConfiguration(configuration)


class _MergingMachine(PeerConnectionMachine):
    connection_class: ClassVar[type] = _MergingConnection


def test_a_failure_is_shrunk_to_a_trace_that_replays_and_to_runnable_python() -> None:
    result = run_suite(examples=200, steps=15, machine=_MergingMachine)
    assert result.failure is not None
    assert "getConfiguration_returns_the_accepted_configuration" in result.failure
    steps = parse(result.trace.encode())
    assert steps[-1].op == "setConfiguration"
    assert len(steps) <= 4, "the shrunk sequence is short"
    replayed = replay(steps)  # the same calls on the real model succeed: the bug was the merge
    assert all(step.outcome is not None for step in replayed)
    assert any("state.setConfiguration(" in line for line in result.python)
    with pytest.raises(InvariantViolation):  # the Python reproduces the failure
        exec("\n".join(result.python), {})


def test_peerspec_run_exits_0_when_every_invariant_holds() -> None:
    outcome = CliRunner().invoke(app, ["run", "--examples", "10", "--steps", "10"])
    assert outcome.exit_code == 0, outcome.output
    assert "every invariant held" in outcome.output
    assert "lifecycle transitions covered" in outcome.output
