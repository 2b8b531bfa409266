"""Benchmark the model (not a test): stateful steps per second with the model against a null model, as a ratio
measured in the same process.

    python benchmarks/model_throughput.py [--examples N] [--repeat R]

The null model (properties.stateful.NullPeerConnectionMachine) has identical rules and strategies with
nothing behind them, so the ratio says how much of a stateful run the model and its invariants cost (target:
at least 0.95). Times are CPU time (time.process_time), so other work on a shared machine does not count. The
cost of one construction and one setConfiguration is benchmarks/configuration_cost.py.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from peerspec.oracle.property_suite import constants_from_hypothesis_alone
from peerspec.properties import stateful
from peerspec.properties.stateful import NullPeerConnectionMachine, PeerConnectionMachine, RunStatistics


def steps_per_second(machine: type[PeerConnectionMachine], examples: int) -> tuple[float, int]:
    machine.statistics = RunStatistics()
    run_settings = settings(
        max_examples=examples,
        stateful_step_count=40,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    start = time.process_time()
    with constants_from_hypothesis_alone():  # the same draws whatever else is imported
        run_state_machine_as_test(machine, settings=run_settings)
    elapsed = time.process_time() - start
    steps = machine.statistics.steps
    machine.statistics = None
    return steps / elapsed, steps


class StepTimes:
    """CPU time inside PeerConnectionMachine.step (the model call, the snapshot, the invariants, the bookkeeping),
    and inside its snapshots and its invariant checks, measured by wrapping them with time.process_time."""

    def __init__(self) -> None:
        self.step = self.snapshots = self.invariants = 0.0

    def __enter__(self) -> StepTimes:
        clock = time.process_time
        originals = {
            "step": (PeerConnectionMachine, "step"),
            "snapshots": (stateful, "snapshot_of"),
            "invariants": (stateful, "check_all"),
        }
        self._originals = [(owner, name, getattr(owner, name)) for owner, name in originals.values()]
        for (field, (owner, name)), (_o, _n, original) in zip(originals.items(), self._originals, strict=True):
            setattr(owner, name, self._timed(field, original, clock))
        return self

    def _timed(self, field: str, original: Callable[..., Any], clock: Callable[[], float]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return original(*args, **kwargs)
            finally:
                setattr(self, field, getattr(self, field) + clock() - start)

        return timed

    def __exit__(self, *_exc: object) -> None:
        for owner, name, original in self._originals:
            setattr(owner, name, original)


def split(examples: int) -> None:
    """Where a run of the model machine spends its CPU: the share inside PeerConnectionMachine.step."""
    with StepTimes() as times:
        start = time.process_time()
        _rate, steps = steps_per_second(PeerConnectionMachine, examples)
        total = time.process_time() - start
    print(
        f"PeerConnectionMachine.step: {times.step:.3f} s of {total:.3f} s CPU ({100 * times.step / total:.1f}%), "
        f"of which snapshots {times.snapshots:.3f} s, invariants {times.invariants:.3f} s; {steps} steps"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="Hypothesis examples per stateful run")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each machine")
    parser.add_argument(
        "--split", action="store_true", help="also time the model machine's step, snapshots, invariants"
    )
    args = parser.parse_args()

    model_rates, null_rates = [], []
    for _ in range(args.repeat):  # alternate, so drift in the machine's speed hits both alike
        rate, model_steps = steps_per_second(PeerConnectionMachine, args.examples)
        model_rates.append(rate)
        rate, null_steps = steps_per_second(NullPeerConnectionMachine, args.examples)
        null_rates.append(rate)
    model_rate, null_rate = statistics.median(model_rates), statistics.median(null_rates)
    print(f"stateful model : {model_rate:9.0f} steps/s  ({model_steps} steps a run, {args.repeat} runs)")
    print(f"null model     : {null_rate:9.0f} steps/s  ({null_steps} steps a run)")
    print(f"ratio model/null: {model_rate / null_rate:.3f}  (target >= 0.95)")
    # The two runs count different steps on the same examples (a construct the model refuses is no step, and the
    # null model refuses none), so the ratio is this factor times null CPU / model CPU per run.
    model_cpu, null_cpu = model_steps / model_rate, null_steps / null_rate
    print(
        f"per run: model {model_cpu:.3f} s CPU, null {null_cpu:.3f} s; steps counted model/null "
        f"{model_steps / null_steps:.3f}"
    )
    if args.split:
        split(args.examples)


if __name__ == "__main__":
    main()
