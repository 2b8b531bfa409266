"""Benchmark the model (not a test): stateful steps per second against a null model, and the cost of one
construction and one setConfiguration, each as a ratio against a baseline run in the same process.

    python benchmarks/model_throughput.py [--examples N] [--repeat R]

The null model (properties.stateful.NullPeerConnectionMachine) has identical rules and strategies with
nothing behind them, so the ratio says how much of a stateful run the model and its invariants cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import timeit
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from peerspec.model import RTCPeerConnection
from peerspec.oracle.property_suite import constants_from_hypothesis_alone
from peerspec.properties.stateful import NullPeerConnectionMachine, PeerConnectionMachine, RunStatistics

TYPICAL_CONFIGURATION: dict[str, Any] = {
    "iceServers": [
        {"urls": ["stun:stun1.example.invalid", "stun:stun2.example.invalid:3478"]},
        {"urls": "turn:turn.example.invalid?transport=udp", "username": "user", "credential": "secret"},
    ],
    "iceTransportPolicy": "all",
    "bundlePolicy": "max-bundle",
    "iceCandidatePoolSize": 2,
}


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
    start = time.perf_counter()
    with constants_from_hypothesis_alone():  # the same draws whatever else is imported
        run_state_machine_as_test(machine, settings=run_settings)
    elapsed = time.perf_counter() - start
    steps = machine.statistics.steps
    machine.statistics = None
    return steps / elapsed, steps


def per_call_seconds(statement: Any, number: int) -> float:
    return min(timeit.repeat(statement, number=number, repeat=5)) / number


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
    print(f"ratio model/null: {model_rate / null_rate:.3f}  (target >= 0.85)")

    text = json.dumps(TYPICAL_CONFIGURATION)
    baseline = per_call_seconds(lambda: json.loads(text), 20_000)
    construct = per_call_seconds(lambda: RTCPeerConnection(TYPICAL_CONFIGURATION), 5_000)
    pc = RTCPeerConnection(TYPICAL_CONFIGURATION)
    set_configuration = per_call_seconds(lambda: pc.setConfiguration(TYPICAL_CONFIGURATION), 5_000)
    print(f"baseline json.loads of the configuration: {baseline * 1e6:7.2f} us")
    print(
        f"new RTCPeerConnection(configuration)    : {construct * 1e6:7.2f} us  ({construct / baseline:.1f}x baseline)"
    )
    ratio = set_configuration / baseline
    print(f"setConfiguration(configuration)          : {set_configuration * 1e6:7.2f} us  ({ratio:.1f}x baseline)")


if __name__ == "__main__":
    main()
