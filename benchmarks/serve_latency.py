"""Keystroke to verdict in the live viewer (`peerspec serve`): Debian's Chromium, driven by Playwright, types into
a call's argument on the page and the time until the page shows the model's new verdicts is measured, inside the
page (from the input event to the rendered table: the page's debounce, the POST /api/evaluate round trip, the
model's run and the rendering) and from Playwright (from the key press to the page's new evaluation count).
Baselines in the same run: the model's evaluation of the same trace alone (oracle/serve/evaluation.evaluate, what
the server does per keystroke) and the page's bare round trip to the server (GET /api/meta).

    python benchmarks/serve_latency.py [--keystrokes N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any

from peerspec.oracle.implementations.chromium import CHROMIUM, CHROMIUM_ARGS
from peerspec.oracle.serve.evaluation import evaluate
from peerspec.oracle.serve.server import ViewerThread

# Two versions of step 4's argument, a keystroke apart: without the last "}" it is not JSON (the page says so),
# with it the TURN server has credentials and setConfiguration returns.
FIELD = "[data-testid=json-4]"
VALUE = '{"iceServers":[{"urls":"turn:turn.example.invalid","username":"u","credential":"p"}]}'


def _evaluations(page: Any) -> int:
    return int(page.evaluate("() => globalThis.peerspecViewer.evaluations"))


def _wait_for(page: Any, count: int, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while _evaluations(page) < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the page showed no new verdict")
        time.sleep(0.002)


def _keystroke(page: Any, key: str) -> tuple[float, float]:
    """(ms inside the page, ms seen by Playwright) from one key press to the verdicts it changes."""
    before = _evaluations(page)
    pressed = time.perf_counter()
    if key == "Backspace":
        page.locator(FIELD).press("End")
    page.locator(FIELD).press(key)
    _wait_for(page, before + 1)
    seen = (time.perf_counter() - pressed) * 1000
    return float(page.evaluate("() => globalThis.peerspecViewer.lastLatencyMs")), seen


def _round_trip_ms(page: Any, times: int) -> list[float]:
    script = (
        "async () => { const t = performance.now(); await (await fetch('/api/meta')).json();"
        " return performance.now() - t; }"
    )
    return [float(page.evaluate(script)) for _ in range(times)]


def _model_ms(text: str, times: int) -> list[float]:
    found = []
    for _ in range(times):
        began = time.perf_counter()
        evaluate(text)
        found.append((time.perf_counter() - began) * 1000)
    return found


def _describe(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"{name}: median {statistics.median(values):.1f} ms, p90 {p90:.1f} ms (n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keystrokes", type=int, default=40)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright  # type: ignore[import-not-found, unused-ignore]

    viewer = ViewerThread().start()
    profile = tempfile.mkdtemp(prefix="peerspec-serve-bench-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                page = context.new_page()
                page.goto(viewer.url)
                _wait_for(page, 1)
                page.locator(FIELD).fill(VALUE)
                _wait_for(page, 2)
                inside, seen = [], []
                for n in range(args.keystrokes):
                    page_ms, playwright_ms = _keystroke(page, "Backspace" if n % 2 == 0 else "}")
                    inside.append(page_ms)
                    seen.append(playwright_ms)
                text = str(page.locator("[data-testid=trace-text]").input_value())
                round_trips = _round_trip_ms(page, args.keystrokes)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        viewer.stop()
    model = _model_ms(text, args.keystrokes)
    print(_describe("keystroke to verdict, inside the page", inside))
    print(_describe("keystroke to verdict, seen by Playwright", seen))
    print(_describe("baseline: the model's evaluation alone", model))
    print(_describe("baseline: the page's bare round trip (GET /api/meta)", round_trips))
    print(
        f"ratio: keystroke to verdict / model alone = {statistics.median(inside) / statistics.median(model):.1f}x;"
        f" / bare round trip = {statistics.median(inside) / statistics.median(round_trips):.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
