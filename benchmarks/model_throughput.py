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

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from peerspec.oracle.property_suite import constants_from_hypothesis_alone
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="Hypothesis examples per stateful run")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each machine")
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


if __name__ == "__main__":
    main()
