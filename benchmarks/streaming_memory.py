"""Streaming: peak memory of `peerspec replay`, `check` and `explain` as a trace grows, against a baseline.

Not a test. Run from the repository root:  python benchmarks/streaming_memory.py [--steps 10000 100000 1000000]

For each length, a trace is written (construct, a data channel, then the same negotiation cycle again and again:
setConfiguration, getConfiguration, createOffer, setLocalDescription, setRemoteDescription of the remote peer's
answer), `peerspec replay` records it (that recording is what `check` reads), and each command runs in a child
process whose peak resident set size comes from os.wait4's rusage. The baseline, in the same run on the same
files, is a Python child that reads the recorded trace line by line and json.loads each line: the least any
JSON Lines reader holds. A streaming command's peak stays flat as the trace grows: the figure that matters is
the growth from the shortest to the longest trace, next to the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CYCLE = [
    {"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": "stun:stun.example.invalid"}]}}},
    {"op": "getConfiguration", "args": {}},
    {"op": "createOffer", "args": {}},
    {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
    {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
]
BASELINE = "import json, sys\nfor line in open(sys.argv[1], 'rb'):\n    json.loads(line)\n"


def write_trace(path: Path, steps: int) -> None:
    head = [{"op": "construct", "args": {}}, {"op": "createDataChannel", "args": {"label": "chat"}}]
    lines = [json.dumps(step) + "\n" for step in CYCLE]
    with path.open("w", encoding="utf-8") as out:
        for step in head[:steps]:
            out.write(json.dumps(step) + "\n")
        for index in range(max(0, steps - len(head))):
            out.write(lines[index % len(lines)])


def peak_rss_mib(argv: list[str], stdout: Path | None = None) -> tuple[float, float]:
    """The child's peak RSS in MiB and its wall time in seconds."""
    start = time.perf_counter()
    with open(stdout or os.devnull, "wb") as out:
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        assert child.stderr is not None
        _, status, usage = os.wait4(child.pid, 0)
        errors = child.stderr.read().decode(errors="replace")
        child.stderr.close()
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {child.returncode}: {errors[-500:]}")
    return usage.ru_maxrss / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    options = parser.parse_args()
    peerspec = [sys.executable, "-m", "peerspec.oracle.cli"]
    rows: list[tuple[int, str, float, float]] = []
    with tempfile.TemporaryDirectory() as work:
        for steps in options.steps:
            calls, recorded = Path(work, f"calls-{steps}.jsonl"), Path(work, f"recorded-{steps}.jsonl")
            write_trace(calls, steps)
            size = calls.stat().st_size / 2**20
            print(f"{steps} steps ({size:.1f} MiB of calls):", flush=True)
            measured = {
                "baseline (json.loads per line)": peak_rss_mib([sys.executable, "-c", BASELINE, str(calls)]),
                "replay": peak_rss_mib([*peerspec, "replay", str(calls)], stdout=recorded),
                "check": peak_rss_mib([*peerspec, "check", str(recorded)]),
                "explain": peak_rss_mib([*peerspec, "explain", str(calls)]),
            }
            for what, (rss, seconds) in measured.items():
                rows.append((steps, what, rss, seconds))
                print(f"  {what:32} peak RSS {rss:8.1f} MiB  {seconds:7.1f} s", flush=True)
    print("\ngrowth of peak RSS from the shortest to the longest trace:")
    for what in dict.fromkeys(row[1] for row in rows):
        mine = [row for row in rows if row[1] == what]
        print(f"  {what:32} {mine[0][2]:.1f} -> {mine[-1][2]:.1f} MiB ({mine[-1][2] - mine[0][2]:+.1f} MiB)")


if __name__ == "__main__":
    main()
