"""Hypothesis profiles: "fast" by default, Hypothesis' own "ci" profile with more examples in CI
(selected by HYPOTHESIS_PROFILE=ci, which .ci/run sets), and "thorough" for a long local run."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("fast", max_examples=40, stateful_step_count=25, deadline=None, report_multiple_bugs=False)
settings.register_profile("ci", parent=settings.get_profile("ci"), max_examples=250, stateful_step_count=40)
settings.register_profile("thorough", max_examples=3000, stateful_step_count=80, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))
