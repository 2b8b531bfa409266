"""Shared fixtures of the browser tests: one started browser per module.

Without PEERSPEC_BROWSER_TESTS=1 the browser tests are skipped, saying so. With it (as .ci/run and the README's
test command set it), a browser that is missing or does not start fails its tests: a run that was asked to test
the browsers must not pass by skipping them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerspec.oracle.implementations.browser import BrowserOracle, BrowserUnavailable, processes_mentioning
from peerspec.oracle.implementations.browser_implementation import BrowserImplementation
from peerspec.oracle.implementations.chromium import CHROMIUM, ChromiumOracle
from peerspec.oracle.implementations.firefox import FIREFOX, FirefoxOracle

ORACLES: dict[str, type[BrowserOracle]] = {"chromium": ChromiumOracle, "firefox": FirefoxOracle}
EXECUTABLES = {"chromium": CHROMIUM, "firefox": FIREFOX}


def _driver_missing(name: str) -> str | None:
    try:
        if name == "chromium":
            import playwright  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
        else:
            import marionette_driver  # noqa: F401
    except ImportError:
        return f"{name}: its driver is not installed (run .ci/install-browsers)"
    return None


GATE = "PEERSPEC_BROWSER_TESTS"


def asked() -> bool:
    return os.environ.get(GATE) == "1"


def unavailable(name: str) -> str | None:
    """Why `name` cannot be tested here, or None."""
    if not os.access(EXECUTABLES[name], os.X_OK):
        return f"{name}: {EXECUTABLES[name]} is not installed (run .ci/install-browsers)"
    return _driver_missing(name)


def needs(name: str) -> pytest.MarkDecorator:
    """Skipped unless asked for; when asked for, a missing browser or driver fails the test with the reason."""
    if not asked():
        return pytest.mark.skip(reason=f"{name}: browser tests run with {GATE}=1 (after .ci/install-browsers)")
    reason = unavailable(name)
    return pytest.mark.browser_missing(reason) if reason is not None else pytest.mark.browser_available


BROWSERS = [pytest.param(name, marks=needs(name), id=name) for name in ORACLES]


def started(name: str, **kwargs: float) -> Iterator[BrowserImplementation]:
    oracle = ORACLES[name](**kwargs)
    try:
        oracle.start()
    except BrowserUnavailable as error:
        pytest.fail(f"{name} did not start: {error}")
    try:
        yield BrowserImplementation(oracle)
    finally:
        oracle.stop()


_OWNER = """
import sys, time
from tests.browser_fixtures import ORACLES
oracle = ORACLES[sys.argv[1]]()
oracle.start()
assert oracle._tmp is not None
print(oracle._tmp.name, flush=True)
time.sleep(600)
"""


class BrowserOwner:
    """A Python process that started browser `name` and sleeps: its browser's temporary folder is `folder`, whose
    path every browser process it started has on its command line."""

    def __init__(self, name: str) -> None:
        root = Path(__file__).resolve().parent.parent
        self.process = subprocess.Popen(
            [sys.executable, "-c", _OWNER, name], cwd=root, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )  # fmt: skip
        assert self.process.stdout is not None
        self.folder = Path(self.process.stdout.readline().strip())

    def end(self, how: str) -> None:
        """Sends the owner SIGTERM or SIGKILL and waits for it, then up to 15 s for its browser's processes."""
        self.process.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()
        deadline = time.monotonic() + 15
        while processes_mentioning(str(self.folder)) and time.monotonic() < deadline:
            time.sleep(0.2)
