"""Running a fuzz target for a number of inputs: Hypothesis in rounds of at most ROUND examples (a fresh engine
each round, so its memory of tried examples stays bounded), until the target has tried its inputs or failed."""

from __future__ import annotations

import math
import random
import time
import traceback
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.fuzz.targets import Target

ROUND = 2000


@dataclass
class Outcome:
    target: str
    inputs: int
    seconds: float
    failure: str | None = None


def fuzz(target: Target, inputs: int, *, first_seed: int | None = None) -> Outcome:
    """Try `target` on at least `inputs` inputs (fewer if it fails: the failure, shrunk, is the outcome's)."""
    tried = [0]
    state = target.start()
    start = time.monotonic()
    rounds = random.Random(first_seed)
    try:
        examples_run = 0
        while tried[0] < inputs:
            per_example = tried[0] / examples_run if examples_run else 0.0
            wanted = (inputs - tried[0]) / per_example if per_example else 10  # a first small round measures
            examples = max(1, min(ROUND, math.ceil(wanted)))

            @seed(rounds.getrandbits(64))
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=False,
                suppress_health_check=list(HealthCheck),
                phases=(Phase.generate, Phase.shrink),
                report_multiple_bugs=False,
            )
            @given(target.inputs())
            def one_round(value: Any) -> None:
                tried[0] += target.check(value, state)

            before = tried[0]
            try:
                one_round()
            except Exception as error:  # the target's property does not hold: a defect, shrunk by Hypothesis
                notes = "\n".join(getattr(error, "__notes__", []))
                text = "".join(traceback.format_exception_only(type(error), error)).strip()
                return Outcome(target.name, tried[0], time.monotonic() - start, f"{text}\n{notes}".strip())
            if tried[0] == before:
                break  # the strategy has nothing left to give
            examples_run += examples
    finally:
        target.stop(state)
    return Outcome(target.name, tried[0], time.monotonic() - start)
