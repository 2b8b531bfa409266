"""Benchmark the model (not a test): stateful steps per second with the model against the same run with every
answer of the model side read back from a recording, as a ratio measured in the same process.

    python benchmarks/model_throughput.py [--examples 100] [--repeat 5] [--split] [--only record|model|replay]

What the ratio means. First an untimed recording run (properties.recorded_model.RecordingMachine) runs the model
on `--examples` Hypothesis examples from a fixed seed and writes down every answer the machine gets from the model
side, in order: each call's result or SpecError, each construct and generateCertificate, each precondition's read
of `is_closed`, each remote-peer description, each snapshot, each invariant check. Then, alternating (and swapping
which goes first each round), two timed runs from the same seed: PeerConnectionMachine as the tests run it (the
model, the remote peer, `snapshot_of` and all 13 invariants on every step), and ReplayingMachine, the same machine
with each of those answers read from the recording. The two see the same states, so Hypothesis draws the same
rules and arguments and does the same work, and the machine makes the same calls with the same arguments and
the same bookkeeping; the script checks it (the replay reads exactly the recorded answers, by name, in order, and
both runs' statistics, rule by rule and outcome by outcome, equal the recording's) and stops otherwise. So

    ratio = replay CPU / model CPU   (= model steps/s / replay steps/s, the steps being the same)

and 1 - ratio is the share of a stateful run's CPU that the model side costs beyond reading its answers back
(target: ratio >= 0.95). Each round's ratio is printed; the figure is their median, with their spread. Times are
CPU time (time.process_time), so other work on a shared machine counts less; before each timed run the cyclic
garbage collector collects and freezes what is alive (the recording, the modules), so neither run pays for
scanning the other's leftovers, while what a run allocates is collected during it as usual (the model's
allocations are the model's cost). The cost of one construction and one setConfiguration is
benchmarks/configuration_cost.py.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any, cast

from hypothesis import HealthCheck, seed, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from peerspec.oracle.property_suite import constants_from_hypothesis_alone
from peerspec.properties import stateful
from peerspec.properties.recorded_model import AnswerTape, RecordingMachine, ReplayingMachine
from peerspec.properties.stateful import PeerConnectionMachine, RunStatistics

SEED = 11  # every run draws from this seed, so that all of them run the same examples


class Collections:
    """CPU inside the cyclic garbage collector's passes during a run, and how many passes of each generation."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.passes = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started
            self.passes[info["generation"]] += 1


def timed_run(machine: type[PeerConnectionMachine], examples: int) -> tuple[float, RunStatistics, Collections]:
    """One stateful run of `machine` from SEED: its CPU seconds, what it exercised, its garbage collections."""
    machine.statistics = RunStatistics()
    run_settings = settings(
        max_examples=examples,
        stateful_step_count=40,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    # A factory with the seed, not the class: the seed must not stay on PeerConnectionMachine for other runs.
    factory = cast(type[RuleBasedStateMachine], seed(SEED)(lambda: machine()))
    collections = Collections()
    gc.unfreeze()
    gc.collect()
    gc.freeze()  # what is alive now (the recording, the modules) is not scanned during the run
    gc.callbacks.append(collections)
    start = time.process_time()
    try:
        with constants_from_hypothesis_alone():  # the same draws whatever else is imported
            run_state_machine_as_test(factory, settings=run_settings)
        elapsed = time.process_time() - start
    finally:
        gc.callbacks.remove(collections)
    run_statistics = machine.statistics
    machine.statistics = None
    return elapsed, run_statistics, collections


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
        total, run_statistics, _collections = timed_run(PeerConnectionMachine, examples)
    print(
        f"PeerConnectionMachine.step: {times.step:.3f} s of {total:.3f} s CPU ({100 * times.step / total:.1f}%), "
        f"of which snapshots {times.snapshots:.3f} s, invariants {times.invariants:.3f} s; "
        f"{run_statistics.steps} steps"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="Hypothesis examples per stateful run")
    parser.add_argument("--repeat", type=int, default=5, help="rounds, each one run of each machine")
    parser.add_argument(
        "--split", action="store_true", help="also time the model machine's step, snapshots, invariants"
    )
    parser.add_argument(
        "--only",
        choices=("record", "model", "replay"),
        help="the recording, then at most one run of that machine, printing nothing: for counting instructions "
        "(valgrind --tool=cachegrind --cache-sim=no; the machine's count is its run's minus --only record's)",
    )
    args = parser.parse_args()

    tape = AnswerTape()
    _elapsed, recorded, _collections = timed_run(RecordingMachine.onto(tape), args.examples)
    if args.only is not None:
        if args.only != "record":
            timed_run(PeerConnectionMachine if args.only == "model" else ReplayingMachine.reading(tape), args.examples)
        return
    print(f"recorded: {recorded.steps} steps, {len(tape.answers)} answers, {recorded.examples} examples")
    ratios = []
    for round_ in range(args.repeat):
        cpu: dict[str, float] = {}
        collected: dict[str, Collections] = {}
        for name in ("model", "replay") if round_ % 2 == 0 else ("replay", "model"):
            machine = PeerConnectionMachine if name == "model" else ReplayingMachine.reading(tape)
            cpu[name], run_statistics, collected[name] = timed_run(machine, args.examples)
            if run_statistics != recorded or (name == "replay" and not tape.finished):
                raise SystemExit(f"the {name} run is not the recorded run: the comparison would not be fair")
        ratios.append(cpu["replay"] / cpu["model"])
        gc_model, gc_replay = collected["model"], collected["replay"]
        print(
            f"round {round_ + 1}: model {cpu['model']:.3f} s, replay {cpu['replay']:.3f} s CPU, ratio {ratios[-1]:.3f}"
            f"  (of which GC: model {gc_model.seconds:.3f} s {gc_model.passes}, "
            f"replay {gc_replay.seconds:.3f} s {gc_replay.passes})"
        )
    print(
        f"ratio model/replay: {statistics.median(ratios):.3f} median of {len(ratios)} rounds "
        f"(spread {min(ratios):.3f}-{max(ratios):.3f}; target >= 0.95); {recorded.steps} steps a run"
    )
    if args.split:
        split(args.examples)


if __name__ == "__main__":
    main()
