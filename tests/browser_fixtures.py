"""Shared fixtures of the browser tests: one started browser per module.

Without PEERSPEC_BROWSER_TESTS=1 the browser tests are skipped, saying so. With it (as .ci/run and the README's
test command set it), a browser that is missing or does not start fails its tests: a run that was asked to test
the browsers must not pass by skipping them."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from peerspec.oracle.implementations.browser import BrowserOracle, BrowserUnavailable
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
