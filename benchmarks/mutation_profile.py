"""A pytest plugin for the mutation run only (benchmarks/mutation_score.py passes it with -p): a Hypothesis
profile "mutation" with fewer, derandomized examples, so that every mutant sees the same draws and a surviving
mutant costs seconds, not a minute. tests/conftest.py loads the profile HYPOTHESIS_PROFILE names, so this plugin
only registers it; mutation_score.py sets HYPOTHESIS_PROFILE=mutation."""

from __future__ import annotations

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
