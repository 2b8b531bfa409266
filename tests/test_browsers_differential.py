"""The differential machine against real browsers: the model and the browser step by step, known deviations only.

Runs when the browser and its driver are installed (.ci/install-browsers); skipped with the reason otherwise.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis.stateful import run_state_machine_as_test

from peerspec.oracle.conformance import record, reproduces
from peerspec.oracle.deviations import load_registry
from peerspec.oracle.differential import differential_machine, fixed_run
from peerspec.oracle.implementations.browser_implementation import BrowserImplementation
from tests.browser_fixtures import BROWSERS, started

EXAMPLES = 15
STEPS = 20


@pytest.fixture(scope="module", params=BROWSERS)
def browser(request: pytest.FixtureRequest) -> Iterator[BrowserImplementation]:
    yield from started(str(request.param))


def test_the_browser_differs_from_the_model_only_by_registered_deviations(browser: BrowserImplementation) -> None:
    machine = differential_machine(browser)
    run_state_machine_as_test(
        machine,
        settings=fixed_run(EXAMPLES, STEPS),
    )
    statistics = machine.statistics_of_run
    assert statistics.steps > 0
    for verdicts, trace in statistics.flaky:  # seen once, not on replay: reported, not failed
        text = f"{browser.name} was not deterministic: {verdicts[0].describe()} ({len(trace)} steps)"
        warnings.warn(text, stacklevel=1)


def test_every_registry_entry_reproduces_in_the_browser_now(browser: BrowserImplementation, tmp_path: Path) -> None:
    registry = load_registry()
    entries = {d.id: d for d in registry.for_implementation(browser.name)}
    verdicts = record(browser, registry, traces_dir=tmp_path)
    assert set(verdicts) == set(entries)
    failing = [i for i, v in verdicts.items() if not reproduces(v, entries[i])]
    assert not failing, f"entries that no longer reproduce in {browser.name}: {failing}"
