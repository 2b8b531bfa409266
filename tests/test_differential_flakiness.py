"""The differential machine (oracle/differential.py) against an implementation whose timing varies, with no
browser: the stand-in is the model itself, except that in its first session restartIce() reports one
negotiationneeded event too many, as a browser whose event arrives late or early might.

A divergence the implementation repeats when the same calls are replayed fails the run; one it does not
repeat is kept as flaky and fails nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from peerspec.oracle.deviations import Registry, trace_steps
from peerspec.oracle.differential import NewDivergence, differential_machine
from peerspec.oracle.implementations.protocol import Step as JSONStep
from peerspec.oracle.implementations.protocol import Trace
from peerspec.oracle.model_runner import ModelSession

NO_DEVIATIONS = Registry(deviations=())

# The machine is driven rule by rule here, outside Hypothesis, where its assume() (a URL off .invalid) warns.
pytestmark = pytest.mark.filterwarnings("ignore:Using `assume` outside a property-based test")


class Stammering:
    """The model, with restartIce's negotiationneeded count off by one in its first `bad_sessions` sessions."""

    name = "stammering"

    def __init__(self, bad_sessions: int) -> None:
        self.bad_sessions = bad_sessions
        self.sessions = 0
        self.session = ModelSession(seed=7)

    def open(self) -> None:
        self.sessions += 1
        self.session = ModelSession(seed=7)

    def close(self) -> None:
        pass

    def step(self, step: JSONStep) -> JSONStep:
        observed = self.session.step(trace_steps([step])[0]).to_json()
        after = observed.get("after")
        if step["op"] == "restartIce" and self.sessions <= self.bad_sessions and isinstance(after, dict):
            observed["after"] = {**after, "negotiationneeded": int(after["negotiationneeded"]) + 1}
        return observed

    def run_traces(self, traces: Sequence[Trace]) -> list[Trace]:
        out: list[Trace] = []
        for trace in traces:
            self.open()
            out.append([self.step(step) for step in trace])
        return out


def restart_after_an_exchange(implementation: Any) -> Any:
    machine = differential_machine(implementation, registry=NO_DEVIATIONS, check_browser_invariants=False)()
    machine.construct({})
    machine.offer_answer_exchange(pranswer_first=False, with_a_data_channel=True)
    machine.restartIce()
    machine.teardown()
    return machine


def test_a_divergence_not_repeated_on_replay_is_kept_as_flaky_and_fails_nothing() -> None:
    machine = restart_after_an_exchange(Stammering(bad_sessions=1))
    [(verdicts, trace)] = machine.statistics_of_run.flaky
    assert [v.verdict for v in verdicts] == ["flaky"]
    assert verdicts[0].divergence.observation == "after.negotiationneeded"
    assert trace[-1].op == "restartIce"


def test_a_divergence_repeated_on_replay_fails_the_run() -> None:
    with pytest.raises(NewDivergence, match=r"after\.negotiationneeded"):
        restart_after_an_exchange(Stammering(bad_sessions=99))
