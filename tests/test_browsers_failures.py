"""A browser that hangs or crashes is detected within a bound, reported with its trace and restarted; no browser
process outlives the run."""

from __future__ import annotations

import time

import pytest

from peerspec.oracle.implementations.browser import BrowserHang, processes_mentioning
from tests.browser_fixtures import BROWSERS, BrowserOwner, started

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


@pytest.mark.parametrize("name", BROWSERS)
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_no_browser_process_outlives_the_python_process_that_started_it(name: str, how: str) -> None:
    owner = BrowserOwner(name)
    assert processes_mentioning(str(owner.folder)), "the browser did not start"
    owner.end(how)
    assert not processes_mentioning(str(owner.folder)), f"{name} processes outlived their parent ({how})"
