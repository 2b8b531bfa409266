"""Batch checking: `peerspec check` of every committed vector in one process against one process per vector, and
the command's start-up (`peerspec --help`) against a bare `python -c pass`. Each ratio is measured in this one run.

Not a test. Run from anywhere:  python benchmarks/check_throughput.py [--files N] [--repeat R]

The vectors are checked as an implementation recorded them; here the recording is the model's own (the
committed vectors), which makes every step agree, so what is timed is the checking, not the reporting.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peerspec.oracle.deviations import VECTORS_DIR


def seconds(command: list[str], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=159, help="how many vectors (default: all 159)")
    parser.add_argument("--repeat", type=int, default=5, help="start-up runs, best of")
    options = parser.parse_args()
    peerspec = shutil.which("peerspec") or str(Path(sys.executable).with_name("peerspec"))
    files = sorted(VECTORS_DIR.glob("*.jsonl"))[: options.files]
    steps = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
    with tempfile.TemporaryDirectory() as folder:
        for f in files:
            shutil.copy(f, Path(folder) / f.name)
        batch = seconds([peerspec, "check", folder], repeat=2)
        began = time.perf_counter()
        for f in files:
            subprocess.run([peerspec, "check", str(f)], check=True, capture_output=True)
        one_by_one = time.perf_counter() - began
    print(f"check, {len(files)} vectors ({steps} steps):")
    print(f"  one call:            {batch:7.2f} s  ({steps / batch:8.0f} steps/s)")
    print(f"  {len(files)} calls:          {one_by_one:7.2f} s  ({steps / one_by_one:8.0f} steps/s)")
    print(f"  ratio:               {one_by_one / batch:7.1f}x faster in one call")
    python = seconds([sys.executable, "-c", "pass"], options.repeat)
    helped = seconds([peerspec, "--help"], options.repeat)
    print(f"start-up (best of {options.repeat}):")
    print(f"  python -c pass:      {python * 1000:7.1f} ms")
    print(f"  peerspec --help:     {helped * 1000:7.1f} ms  ({helped / python:.1f}x python -c pass)")


if __name__ == "__main__":
    main()
