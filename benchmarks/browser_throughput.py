"""Compared steps per second against real browsers, batched (whole traces in one round trip) and step by step
(one round trip per step, as the differential machine runs), each with the model alone on the same steps as the
baseline in the same run.  ``python benchmarks/browser_throughput.py [--traces N] [--browser NAME]``.

A compared step = the browser runs it, the model runs it, and oracle/compare.py compares the two.
"""

from __future__ import annotations

import argparse
import sys
import time

from peerspec.oracle.compare import compare
from peerspec.oracle.deviations import trace_steps
from peerspec.oracle.implementations.browser import BrowserUnavailable
from peerspec.oracle.implementations.browser_implementation import BrowserImplementation
from peerspec.oracle.implementations.chromium import ChromiumOracle
from peerspec.oracle.implementations.firefox import FirefoxOracle
from peerspec.oracle.implementations.smoke import bench_traces
from peerspec.oracle.model_runner import ModelSession, replay

ORACLES = {"chromium": ChromiumOracle, "firefox": FirefoxOracle}


def model_alone(traces: list[list[dict[str, object]]]) -> float:
    """Steps per second of the model replaying and comparing the traces against itself."""
    began = time.monotonic()
    steps = 0
    for trace in traces:
        calls = trace_steps(trace)
        expected = replay(calls, seed=7)
        compare(expected, expected)
        steps += len(calls)
    return steps / (time.monotonic() - began)


def batched(browser: BrowserImplementation, traces: list[list[dict[str, object]]]) -> float:
    began = time.monotonic()
    observed = browser.run_traces(traces)
    steps = 0
    for raw in observed:
        got = trace_steps(raw)
        compare(replay([s.call for s in got], seed=7), got)
        steps += len(got)
    return steps / (time.monotonic() - began)


def stepwise(browser: BrowserImplementation, traces: list[list[dict[str, object]]]) -> float:
    began = time.monotonic()
    steps = 0
    for trace in traces:
        browser.open()
        model = ModelSession(seed=7)
        expected, observed = [], []
        for step in trace:
            expected.append(model.step(trace_steps([step])[0]))
            observed.append(trace_steps([browser.step(step)])[0])
            compare(expected, observed)
            steps += 1
    browser.close()
    return steps / (time.monotonic() - began)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--traces", type=int, default=300, help="traces of 10 steps each (default 300)")
    parser.add_argument("--browser", choices=sorted(ORACLES), action="append")
    args = parser.parse_args(argv)
    traces = bench_traces(args.traces)
    base = model_alone(traces)
    print(f"model alone (replay + compare): {base:.0f} steps/s")
    status = 0
    for name in args.browser or sorted(ORACLES):
        try:
            with ORACLES[name]() as oracle:
                browser = BrowserImplementation(oracle)
                browser.run_traces(traces[:5])  # warm-up
                b = batched(browser, traces)
                s = stepwise(browser, traces[: max(1, args.traces // 5)])
                print(
                    f"{name} {oracle.version}: batched {b:.0f} compared steps/s ({b / base:.3f} x model); "
                    f"step by step {s:.0f} compared steps/s ({s / base:.3f} x model)"
                )
        except BrowserUnavailable as error:
            print(f"{name}: unavailable: {error}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
