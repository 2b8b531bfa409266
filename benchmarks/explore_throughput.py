"""Exploration throughput: abstract states per second and the time to the full closure of an alphabet, against a
baseline measured in the same run.

Not a test. Run from the repository root:  python benchmarks/explore_throughput.py [--alphabet default] [--jobs N]

The baseline is the model alone doing the exploration's steps: every edge of the closure run once more as one plain
model call (each state rebuilt once, then each of its operations on a copy), without snapshots, invariants or
canonical states. The ratio says what the search costs on top of the model. A second measurement compares the three
ways to rebuild a state: replaying its path from the initial state, copy.deepcopy of the parent, and the hand-made
copy the search uses by default, on the same alphabet to a fixed depth. Every time is given as wall-clock and CPU
seconds (the machine is shared: under load, wall time says little).

  python benchmarks/explore_throughput.py --profile all   # the closure of every implementation's profile too
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerspec.model import SPEC_PROFILE
from peerspec.oracle.deviations import REGISTRY_PATH, load_registry
from peerspec.properties.explore import Exploration, _copy, _cpu_time, explore, replay


def model_alone(result: Exploration) -> tuple[float, float]:
    """Wall and CPU seconds for the model to make every edge's call once, from a copy of its source state (no
    checks, no canonical state)."""
    setup = result.setup
    by_source: dict[int, list[int]] = {}
    for edge in result.edges:
        by_source.setdefault(edge.source, []).append(edge.operation)
    started, cpu = time.perf_counter(), _cpu_time()
    for state in result.states:
        operations = by_source.get(state.id, [])
        if not operations:
            continue
        parent = replay(setup, state.path)
        for operation in operations:
            _copy(parent).apply(setup.alphabet[operation])
    return time.perf_counter() - started, _cpu_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alphabet", default="default")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--profile", default="spec", help="spec, a registry profile, a comma list, or all")
    parser.add_argument("--fork-depth", type=int, default=9, help="depth of the replay/deepcopy/copy comparison")
    args = parser.parse_args()
    registry = load_registry(REGISTRY_PATH)
    names = ["spec", *sorted(registry.profiles)] if args.profile == "all" else args.profile.split(",")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    first = None
    for name in names:
        profile = SPEC_PROFILE if name == "spec" else registry.profile(name)
        result = explore(args.alphabet, profile=profile, jobs=args.jobs)
        first = first or result
        print(
            f"{name}: closure of {args.alphabet} (jobs {args.jobs}): {len(result.states)} states,"
            f" {len(result.edges)} edges, depth {result.depth}, complete={result.complete},"
            f" {result.seconds:.1f} s wall, {result.cpu_seconds:.1f} s CPU,"
            f" {result.states_per_second:.0f} states/s ({len(result.states) / result.cpu_seconds:.0f} per CPU-second),"
            f" {len(result.edges) / result.seconds:.0f} edges/s"
        )
    assert first is not None
    wall, cpu = model_alone(first)
    print(
        f"model alone, the same {len(first.edges)} calls: {wall:.1f} s wall, {cpu:.1f} s CPU"
        f" -> exploration costs {first.cpu_seconds / cpu:.2f}x the model's own work (CPU)"
    )
    timings = {}
    for fork in ("replay", "deepcopy", "copy"):
        bounded = explore(args.alphabet, max_depth=args.fork_depth, fork=fork)
        timings[fork] = bounded.cpu_seconds
        print(
            f"to depth {args.fork_depth} by {fork}: {len(bounded.states)} states,"
            f" {bounded.seconds:.1f} s wall, {bounded.cpu_seconds:.1f} s CPU"
        )
    print(
        f"CPU time, replay / copy: {timings['replay'] / timings['copy']:.2f};"
        f" deepcopy / copy: {timings['deepcopy'] / timings['copy']:.2f}"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
