"""Hypothesis profiles: "fast" by default, Hypothesis' own "ci" profile with more examples in CI
(selected by HYPOTHESIS_PROFILE=ci, which .ci/run sets), and "thorough" for a long local run."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests import socket_guard
from tests.browser_fixtures import GATE

settings.register_profile("fast", max_examples=40, stateful_step_count=25, deadline=None, report_multiple_bugs=False)
settings.register_profile("ci", parent=settings.get_profile("ci"), max_examples=250, stateful_step_count=40)
settings.register_profile("thorough", max_examples=3000, stateful_step_count=80, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser_available: the browser and its driver are installed")
    config.addinivalue_line("markers", "browser_missing(reason): asked to test a browser that is not installed")
    config.addinivalue_line("markers", "library(name): a library stack driven through its runner")


def pytest_runtest_setup(item: pytest.Item) -> None:
    missing = item.get_closest_marker("browser_missing")
    if missing is not None:
        pytest.fail(f"asked to test browsers ({GATE}=1), but {missing.args[0]}", pytrace=False)


# ---- no socket off loopback (tests/socket_guard.py) -----------------------------------------------------------

if os.environ.get(GATE) != "1" and os.environ.get("PEERSPEC_LIBRARY_TESTS") != "1":
    socket_guard.install()


@pytest.fixture(autouse=True)
def _no_socket_off_loopback() -> Iterator[None]:
    before = len(socket_guard.violations)
    yield
    left = socket_guard.violations[before:]
    del socket_guard.violations[before:]
    if left:
        pytest.fail(f"the test reached beyond loopback: {'; '.join(left)}", pytrace=False)
