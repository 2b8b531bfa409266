"""What `peerspec run`'s progress bar says, from Hypothesis' own reporting: each test case Hypothesis runs is an
observation (hypothesis.internal.observability) saying in which phase it was generated ("during generate phase",
"during shrink phase", ...) and whether it passed, failed or gave up. The bar counts valid examples in the
generate phase, says how many were discarded (Hypothesis runs more test cases than --examples when some are
invalid: max_examples counts valid ones), and says "shrinking a failure" only when Hypothesis is shrinking one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import patch

from hypothesis.internal import observability

PHASE_WORDS = {
    "explicit": "explicit examples",
    "reuse": "replaying saved examples",
    "generate": "examples",
    "target": "examples (targeting)",
    "shrink": "shrinking a failure",
    "explain": "explaining a failure",
}
_PHASE = re.compile(r"during (\w+) phase")


@dataclass
class Phases:
    """The run so far, as Hypothesis reports it; `on_change(description, valid examples, shrinking)` after each
    test case."""

    on_change: Callable[[str, int, bool], None] = field(default=lambda description, valid, shrinking: None)
    phase: str = "generate"
    valid: int = 0
    discarded: int = 0
    seen: list[str] = field(default_factory=list)  # every description shown, in order

    def observe(self, observation: Any) -> None:
        if getattr(observation, "type", None) != "test_case":
            return
        found = _PHASE.search(str(getattr(observation, "how_generated", "")))
        self.phase = found.group(1) if found else ("shrink" if self.phase == "shrink" else self.phase)
        status = getattr(observation, "status", "")
        if self.phase in ("explicit", "reuse", "generate", "target"):
            if status == "gave_up":
                self.discarded += 1
            else:
                self.valid += 1
        description = self.description()
        if not self.seen or self.seen[-1] != description:
            self.seen.append(description)
        self.on_change(description, self.valid, self.phase in ("shrink", "explain"))

    def description(self) -> str:
        words = PHASE_WORDS.get(self.phase, f"{self.phase} phase")
        if self.discarded and self.phase in ("generate", "target"):
            return f"{words} ({self.discarded} discarded as invalid)"
        return words


@contextmanager
def observing(phases: Phases) -> Iterator[None]:
    """Hypothesis' test case observations delivered to `phases` (without the line coverage observability would
    otherwise collect on every test case: not needed here, and slow before Python 3.12)."""
    with (
        patch.object(observability, "OBSERVABILITY_COLLECT_COVERAGE", False),
        observability.with_observability_callback(phases.observe),
    ):
        yield
