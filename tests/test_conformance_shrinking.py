"""Shrinking a divergent trace (oracle/conformance.py), with no browser: the "implementation" here is the model
itself under another profile, so the trace diverges exactly where the two profiles' readings of the spec do.

What is under test is the shrinker: it must keep the divergence it was given, end with a trace from which no
single step can be removed, and leave a trace without a new divergence as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from peerspec.model import SPEC_PROFILE
from peerspec.oracle.conformance import minimize, shows_new_divergence_like
from peerspec.oracle.deviations import Classified, Registry, trace_steps
from peerspec.oracle.implementations.protocol import Trace
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import Step
from peerspec.oracle.verdicts import verdicts_of

NO_DEVIATIONS = Registry(deviations=())


class ModelUnderAnotherProfile:
    """Runs traces on the model with `sld_called_when="applied"`: "setLocalDescription has been called" only
    once one has succeeded, where the spec profile (the registry's default) counts any call."""

    name = "applied-profile"

    def __init__(self) -> None:
        self.batches = 0

    def run_traces(self, traces: Sequence[Trace]) -> list[Trace]:
        self.batches += 1
        profile = SPEC_PROFILE.but(sld_called_when="applied")
        return [[step.to_json() for step in replay(trace_steps(trace), seed=7, profile=profile)] for trace in traces]


FILLER: Trace = [
    {"op": "getConfiguration", "args": {}},
    {"op": "createDataChannel", "args": {"label": "chat"}},
    {"op": "createAnswer", "args": {}},
]

# A failed setLocalDescription counts as "called" under the spec profile only: afterwards the pool size is
# frozen (set the configuration step 3.6) for the model, not for the other profile.
DIVERGENT: Trace = [
    {"op": "construct", "args": {"configuration": {"iceCandidatePoolSize": 1}}},
    *FILLER,
    {"op": "setLocalDescription", "args": {"description": {"type": "answer", "sdp": "v=0"}}},
    *FILLER,
    {"op": "setConfiguration", "args": {"configuration": {"iceCandidatePoolSize": 2}}},
    *FILLER,
]


def first_new(trace: Trace, implementation: ModelUnderAnotherProfile) -> Classified:
    observed = trace_steps(implementation.run_traces([list(trace)])[0])
    return next(v for v in verdicts_of(observed, implementation.name, NO_DEVIATIONS) if v.verdict == "new")


def still(trace: Trace, implementation: ModelUnderAnotherProfile) -> bool:
    observed: list[Step] = trace_steps(implementation.run_traces([list(trace)])[0])
    new = first_new(DIVERGENT, implementation)
    return shows_new_divergence_like(new, implementation.name, NO_DEVIATIONS)(observed)


def test_the_shrunk_trace_keeps_the_divergence_and_loses_every_step_it_does_not_need() -> None:
    implementation = ModelUnderAnotherProfile()
    new = first_new(DIVERGENT, implementation)
    keep = shows_new_divergence_like(new, implementation.name, NO_DEVIATIONS)
    smaller = minimize(implementation, DIVERGENT, keep)
    assert [s["op"] for s in smaller] == ["construct", "setLocalDescription", "setConfiguration"]
    assert still(smaller, implementation)
    for i in range(1, len(smaller)):
        assert not still(smaller[:i] + smaller[i + 1 :], implementation), f"step {i + 1} was not needed"


def test_shrinking_takes_a_few_round_trips_not_one_per_step() -> None:
    implementation = ModelUnderAnotherProfile()
    new = first_new(DIVERGENT, implementation)
    keep = shows_new_divergence_like(new, implementation.name, NO_DEVIATIONS)
    before = implementation.batches
    minimize(implementation, DIVERGENT, keep)
    assert implementation.batches - before <= 6 < len(DIVERGENT)
