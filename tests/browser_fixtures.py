"""Shared fixtures of the browser tests: one started browser per module, or a skip that says why."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from oracle.browsers.base import BrowserOracle, BrowserUnavailable
from oracle.browsers.chromium import CHROMIUM, ChromiumOracle
from oracle.browsers.firefox import FIREFOX, FirefoxOracle
from oracle.browsers.implementation import BrowserImplementation

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


def unavailable(name: str) -> str | None:
    """Why `name` cannot be tested here, or None."""
    if os.environ.get(GATE) != "1":
        return f"{name}: browser tests run with {GATE}=1 (after .ci/install-browsers)"
    if not os.access(EXECUTABLES[name], os.X_OK):
        return f"{name}: {EXECUTABLES[name]} is not installed (run .ci/install-browsers)"
    return _driver_missing(name)


def needs(name: str) -> pytest.MarkDecorator:
    reason = unavailable(name)
    return pytest.mark.skipif(reason is not None, reason=reason or "")


BROWSERS = [pytest.param(name, marks=needs(name), id=name) for name in ORACLES]


def started(name: str, **kwargs: float) -> Iterator[BrowserImplementation]:
    oracle = ORACLES[name](**kwargs)
    try:
        oracle.start()
    except BrowserUnavailable as error:
        pytest.skip(f"{name} did not start: {error}")
    try:
        yield BrowserImplementation(oracle)
    finally:
        oracle.stop()
