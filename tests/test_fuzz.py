"""Every fuzz target (tests/fuzz/) with a bounded budget: a few hundred inputs each, well under a minute in all.
The long mode is `python -m tests.fuzz --inputs 1000000`."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.fuzz.run import fuzz
from tests.fuzz.targets import TARGETS

NODE_TARGETS = {"ecmascript_vs_node", "js_runner_decoding"}
#: Inputs per target in the suite (each Hypothesis example fans out into about forty; a CLI input is a whole run),
#: ten times as many under HYPOTHESIS_PROFILE=ci: about half a minute in all.
SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 1
BUDGET = {"cli": 25 * SCALE, "model_api": 300 * SCALE}
DEFAULT_BUDGET = 800 * SCALE


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_fuzz_target_holds_on_a_bounded_budget(name: str) -> None:
    if name in NODE_TARGETS and shutil.which("node") is None:
        pytest.skip("Node.js is not installed")
    outcome = fuzz(TARGETS[name], BUDGET.get(name, DEFAULT_BUDGET), first_seed=0)
    assert outcome.failure is None, outcome.failure
    assert outcome.inputs >= BUDGET.get(name, DEFAULT_BUDGET)


def test_a_target_whose_property_fails_is_reported_with_its_shrunk_input() -> None:
    from dataclasses import replace

    from hypothesis import strategies as st

    def no_large_numbers(value: int, state: None) -> int:
        assert value < 1000, value
        return 1

    broken = replace(TARGETS["trace_reader"], inputs=lambda: st.integers(0, 10**6), check=no_large_numbers)
    outcome = fuzz(broken, 10_000, first_seed=0)
    assert outcome.failure is not None and "AssertionError: 1000" in outcome.failure
