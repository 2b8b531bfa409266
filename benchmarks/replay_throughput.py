"""Replay throughput: how many trace steps per second `peerspec replay` gets through, against a baseline.

Not a test. Run from the repository root:  python benchmarks/replay_throughput.py [--traces N]

The traces are written here by hand (a configuration life, an offer/answer exchange, an ICE restart, errors on
the way). The baseline, in the same process on the same lines, is json.loads + json.dumps of each line: the
least any JSON Lines tool does. Each figure is the best of --repeat rounds, each round running every stage in turn;
the last column is the median over the rounds of each round's own ratio (the stage against the baseline of the same
round), which a busy spell of a shared machine moves less than it moves the best times. The last line holds the
replay to issue 11's targets: at least 20,000 steps/s end to end (its best round) and at most 5 times the baseline's
time (the median per-round ratio: the two best times come from different rounds, and on a machine whose speed swings
from round to round their ratio swings with it; measured 2.6-6.4 in five runs of one quiet half-minute).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import TraceFunction

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import dump_step, parse

TARGET_STEPS_PER_SECOND = 20_000
TARGET_RATIO = 5.0
STUN = {"urls": ["stun:stun.example.org", "stun:stun.example.net:3478"]}
TURN = {"urls": "turn:turn.example.org?transport=udp", "username": "user", "credential": "secret"}


def one_trace(index: int) -> list[dict[str, object]]:
    """22 steps: a certificate, a configuration life, an offer/answer exchange, an ICE restart, close."""
    name = f"cert{index}"
    return [
        {
            "op": "generateCertificate",
            "args": {"name": name, "keygenAlgorithm": {"name": "ECDSA", "namedCurve": "P-256"}},
        },
        {
            "op": "construct",
            "args": {"configuration": {"iceServers": [STUN], "certificates": [{"$certificate": name}]}},
        },
        {"op": "getConfiguration", "args": {}},
        {
            "op": "setConfiguration",
            "args": {"configuration": {"certificates": [{"$certificate": name}], "iceServers": [STUN, TURN]}},
        },
        {"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": "turn:turn.example.org"}]}}},
        {
            "op": "setConfiguration",
            "args": {"configuration": {"certificates": [{"$certificate": name}], "bundlePolicy": "max-bundle"}},
        },
        {
            "op": "setConfiguration",
            "args": {
                "configuration": {"certificates": [{"$certificate": name}], "iceCandidatePoolSize": {"$js": "NaN"}}
            },
        },
        {"op": "getConfiguration", "args": {}},
        {"op": "createDataChannel", "args": {"label": f"chat {index}"}},
        {"op": "createOffer", "args": {}},
        {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
        {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
        {"op": "restartIce", "args": {}},
        {"op": "createOffer", "args": {}},
        {"op": "setLocalDescription", "args": {}},
        {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
        {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer"}}},
        {"op": "createAnswer", "args": {}},
        {"op": "setLocalDescription", "args": {}},
        {"op": "createOffer", "args": {"options": {"iceRestart": True}}},
        {"op": "close", "args": {}},
        {"op": "setConfiguration", "args": {"configuration": {}}},
    ]


def rounds_of(repeat: int, stages: list[tuple[str, Callable[[], object]]]) -> dict[str, list[float]]:
    """Each stage's time in each of `repeat` rounds; every round runs every stage once, in turn, so that a busy spell
    of a shared machine slows the baseline and the stages alike rather than one of them."""
    times: dict[str, list[float]] = {name: [] for name, _work in stages}
    for _ in range(repeat):
        for name, work in stages:
            start = time.process_time()
            work()
            times[name].append(time.process_time() - start)
    return times


def opcodes_per_step(work: Callable[[], object], steps: int) -> float:
    """The Python bytecode instructions `work` runs, per step: a count that a busy machine does not move, for the
    Python part of a stage (the baseline's json and the reader's orjson and jsonschema-rs run in C, uncounted)."""
    count = 0

    def tracer(frame: FrameType, event: str, _arg: Any) -> TraceFunction:
        nonlocal count
        if event == "call":
            frame.f_trace_opcodes = True
        elif event == "opcode":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(None)
    return count / steps


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--traces", type=int, default=200, help="how many traces (22 steps each)")
    options.add_argument("--repeat", type=int, default=15, help="rounds (every stage once a round)")
    options.add_argument(
        "--stage",
        choices=["baseline", "end-to-end"],
        help="run only this stage, --repeat times, and print nothing: for counting instructions with valgrind's "
        "callgrind, which a busy machine does not move (the stage's count is the count of --repeat 3 less that of "
        "--repeat 1, halved)",
    )
    options.add_argument(
        "--opcodes",
        action="store_true",
        help="count the Python bytecode instructions of each stage, per step, instead of timing them",
    )
    arguments = options.parse_args()

    traces = [
        "".join(json.dumps(step) + "\n" for step in one_trace(index)).encode() for index in range(arguments.traces)
    ]
    steps = sum(data.count(b"\n") for data in traces)
    parsed = [parse(data) for data in traces]
    replayed = [replay(trace) for trace in parsed]

    def baseline() -> None:
        for data in traces:
            for line in data.decode().splitlines():
                json.dumps(json.loads(line), sort_keys=True, separators=(",", ":"))

    def load_only() -> None:
        for data in traces:
            parse(data)

    def run_only() -> None:
        for trace in parsed:
            replay(trace)

    def dump_only() -> None:
        for trace in replayed:
            for step in trace:
                dump_step(step)

    def end_to_end() -> None:  # what `peerspec replay` does per trace: load, run, write
        for data in traces:
            for step in replay(parse(data)):
                dump_step(step)

    if arguments.stage is not None:
        work = baseline if arguments.stage == "baseline" else end_to_end
        end_to_end()  # as warm as the timed rounds: the first round warms what the second finds
        baseline()
        for _ in range(arguments.repeat):
            work()
        return

    if arguments.opcodes:
        print(f"{arguments.traces} traces, {steps} steps; Python {sys.version.split()[0]}; bytecode instructions run")
        for name, work in [
            ("load (strict parse + schema + order)", load_only),
            ("run on the model", run_only),
            ("dump (canonical lines)", dump_only),
            ("end to end (load, run, dump)", end_to_end),
        ]:
            print(f"{name:40} {opcodes_per_step(work, steps):9.1f} per step")
        return

    rounds = rounds_of(
        arguments.repeat,
        [
            ("baseline: json.loads + json.dumps", baseline),
            ("load (strict parse + schema + order)", load_only),
            ("run on the model", run_only),
            ("dump (canonical lines)", dump_only),
            ("end to end (load, run, dump)", end_to_end),
        ],
    )
    baselines = rounds["baseline: json.loads + json.dumps"]
    base = min(baselines)
    print(f"{arguments.traces} traces, {steps} steps, best of {arguments.repeat}; Python {sys.version.split()[0]}")
    print(f"{'stage':40} {'seconds':>9} {'steps/s':>11} {'x baseline time':>16} {'median x, per round':>20}")
    for name, times in rounds.items():
        seconds = min(times)
        per_round = statistics.median(time / baseline for time, baseline in zip(times, baselines, strict=True))
        print(f"{name:40} {seconds:9.3f} {steps / seconds:11,.0f} {seconds / base:16.1f} {per_round:20.2f}")
    end_to_end_times = rounds["end to end (load, run, dump)"]
    rate = steps / min(end_to_end_times)
    ratio = statistics.median(time / baseline for time, baseline in zip(end_to_end_times, baselines, strict=True))
    verdict = "met" if rate >= TARGET_STEPS_PER_SECOND and ratio <= TARGET_RATIO else "NOT met"
    print(
        f"targets (issue 11): >= {TARGET_STEPS_PER_SECOND:,} steps/s end to end: {rate:,.0f}; <= {TARGET_RATIO:g}x "
        f"the baseline (median per round): {ratio:.2f}x: {verdict}"
    )


if __name__ == "__main__":
    main()
