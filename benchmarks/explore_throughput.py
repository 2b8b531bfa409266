"""Exploration throughput: abstract states per second and the time to the full closure of an alphabet, against a
baseline measured in the same run.

Not a test. Run from the repository root:  python benchmarks/explore_throughput.py [--alphabet default] [--jobs N]

The baseline is the model alone doing the exploration's steps: every edge of the closure run once more as one plain
model call (each state rebuilt once, then each of its operations on a copy), without snapshots, invariants or
canonical states. The ratio says what the search costs on top of the model. A second measurement compares the two
ways to rebuild a state, replaying its path from the initial state and copy.deepcopy of the parent (the one the
search uses by default), on the same alphabet to a fixed depth.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerspec.properties.explore import Exploration, _deepcopy, explore, replay


def model_alone(result: Exploration) -> float:
    """Seconds for the model to make every edge's call once, from a copy of its source state (no checks)."""
    setup = result.setup
    by_source: dict[int, list[int]] = {}
    for edge in result.edges:
        by_source.setdefault(edge.source, []).append(edge.operation)
    started = time.perf_counter()
    for state in result.states:
        operations = by_source.get(state.id, [])
        if not operations:
            continue
        parent = replay(setup, state.path)
        for operation in operations:
            _deepcopy(parent).apply(setup.alphabet[operation])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alphabet", default="default")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--fork-depth", type=int, default=9, help="depth of the replay-versus-deepcopy comparison")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    result = explore(args.alphabet, jobs=args.jobs)
    print(
        f"closure of {args.alphabet} (jobs {args.jobs}): {len(result.states)} states, {len(result.edges)} edges,"
        f" depth {result.depth}, complete={result.complete}, {result.seconds:.1f} s,"
        f" {result.states_per_second:.0f} states/s, {len(result.edges) / result.seconds:.0f} edges/s"
    )
    baseline = model_alone(result)
    print(
        f"model alone, the same {len(result.edges)} calls: {baseline:.1f} s"
        f" -> exploration costs {result.seconds / baseline:.2f}x the model's own work"
    )
    timings = {}
    for fork in ("replay", "deepcopy"):
        bounded = explore(args.alphabet, max_depth=args.fork_depth, fork=fork)
        timings[fork] = bounded.seconds
        print(f"to depth {args.fork_depth} by {fork}: {len(bounded.states)} states, {bounded.seconds:.1f} s")
    print(f"replay / deepcopy time: {timings['replay'] / timings['deepcopy']:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
