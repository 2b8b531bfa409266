"""A browser that hangs or crashes is detected within a bound, reported with its trace and restarted; no browser
process outlives the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peerspec.oracle.implementations.browser import BrowserHang, processes_mentioning
from tests.browser_fixtures import BROWSERS, started

HANG_TIMEOUT = 2.0


@pytest.mark.parametrize("name", BROWSERS)
def test_a_hung_browser_is_killed_within_the_bound_and_restarted(name: str) -> None:
    for browser in started(name, hang_timeout=HANG_TIMEOUT):
        began = time.monotonic()
        with pytest.raises(BrowserHang):
            browser.oracle.freeze_for_test()
        assert time.monotonic() - began < HANG_TIMEOUT + 5
        browser.oracle.restart()
        browser.open()
        assert browser.step({"op": "construct", "args": {}})["outcome"] == {"ok": None}


@pytest.mark.parametrize("name", BROWSERS)
def test_a_crash_mid_session_is_reported_with_its_trace_and_the_browser_restarted(name: str) -> None:
    for browser in started(name, hang_timeout=HANG_TIMEOUT):
        browser.open()
        browser.step({"op": "construct", "args": {}})
        browser.oracle._kill()  # what a crash looks like from outside
        observed = browser.step({"op": "getConfiguration", "args": {}})
        assert "runnerError" in observed["outcome"]
        assert browser.failures and [s["op"] for s in browser.failures[-1].trace] == ["construct", "getConfiguration"]
        browser.open()
        assert browser.step({"op": "construct", "args": {}})["outcome"] == {"ok": None}


_CHILD = """
import sys, time
from tests.browser_fixtures import ORACLES
oracle = ORACLES[sys.argv[1]]()
oracle.start()
assert oracle._tmp is not None
print(oracle._tmp.name, flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("name", BROWSERS)
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_no_browser_process_outlives_the_python_process_that_started_it(name: str, how: str) -> None:
    root = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, name],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert child.stdout is not None
    marker = child.stdout.readline().strip()
    assert marker and processes_mentioning(marker), "the browser did not start"
    child.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
    child.wait(timeout=30)
    deadline = time.monotonic() + 15
    while processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not processes_mentioning(marker), f"{name} processes outlived their parent ({how})"
