"""The long mode: `python -m tests.fuzz --inputs 1000000` (or PEERSPEC_FUZZ_INPUTS=1000000) shares the inputs
among the targets by weight, runs each, and prints per-target counts and every failure (a defect: its shrunk
input). `--target NAME` runs one; `--code-points` also sweeps every Unicode code point through OpaqueString.
Exit 1 if any target failed."""

from __future__ import annotations

import argparse
import os
import sys
import time

from tests.fuzz.run import fuzz
from tests.fuzz.targets import TARGETS, check_every_code_point

#: Shares of the inputs, by target: the slow targets (a CLI run, a model session) get fewer.
WEIGHTS = {
    "trace_reader": 35,
    "model_api": 12,
    "ecmascript_vs_node": 22,
    "opaque_string_vs_precis": 20,
    "js_runner_decoding": 10,
    "cli": 1,
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=int(os.environ.get("PEERSPEC_FUZZ_INPUTS", "10000")))
    parser.add_argument("--target", choices=sorted(TARGETS), action="append")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--code-points", action="store_true", help="sweep U+0000..U+10FFFF as TURN credentials")
    options = parser.parse_args()
    chosen = options.target or list(TARGETS)
    total_weight = sum(WEIGHTS[name] for name in chosen)
    failed = False
    grand = 0
    for name in chosen:
        share = max(1, options.inputs * WEIGHTS[name] // total_weight)
        outcome = fuzz(TARGETS[name], share, first_seed=options.seed)
        grand += outcome.inputs
        rate = outcome.inputs / outcome.seconds if outcome.seconds else 0.0
        state = "FAILED" if outcome.failure else "ok"
        print(f"{name:26} {outcome.inputs:9d} inputs {outcome.seconds:8.1f} s {rate:8.0f}/s  {state}", flush=True)
        if outcome.failure:
            failed = True
            print("  " + outcome.failure.replace("\n", "\n  "), flush=True)
    if options.code_points:
        start = time.monotonic()
        wrong = [cp for cp in range(0x110000) if not check_every_code_point(cp)]
        print(
            f"{'every code point':26} {0x110000:9d} inputs {time.monotonic() - start:8.1f} s  "
            f"{'FAILED: ' + ', '.join(f'U+{cp:04X}' for cp in wrong[:20]) if wrong else 'ok'}",
            flush=True,
        )
        failed = failed or bool(wrong)
    print(f"{'total':26} {grand:9d} generated inputs", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
