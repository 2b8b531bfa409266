"""A pytest plugin for the mutation run only (benchmarks/mutation_score.py passes it with -p): a Hypothesis
profile "mutation" with fewer, derandomized examples, so that every mutant sees the same draws and a surviving
mutant costs seconds, not a minute. tests/conftest.py loads the profile HYPOTHESIS_PROFILE names, so this plugin
only registers it; mutation_score.py sets HYPOTHESIS_PROFILE=mutation."""

from __future__ import annotations

import sys

from hypothesis import settings

settings.register_profile(
    "mutation",
    max_examples=15,
    stateful_step_count=25,
    derandomize=True,
    database=None,
    deadline=None,
    report_multiple_bugs=False,
)


def pytest_runtest_setup(item: object) -> None:
    """Empty every cache of model/ (its `lru_cache`d pure functions) before each test: mutmut forks each mutant from
    a process that already ran the suite, so a warm cache would answer without reaching the mutated function, and
    its stats run would credit a function only to the first test that computed each cached value."""
    for name, module in list(sys.modules.items()):
        if name.startswith("peerspec.model.") or name.startswith("model."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()
