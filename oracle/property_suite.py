"""`peerspec run`: the stateful property suite against the model, with what it covered, and on failure the
shrunk sequence both as a trace (for any implementation) and as Python (to paste and rerun)."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import patch

import hypothesis
from hypothesis import HealthCheck, settings
from hypothesis.reporting import with_reporter
from hypothesis.stateful import run_state_machine_as_test
from hypothesis.statistics import collector

from peerspec.model import LIFECYCLE_TRANSITIONS, SPEC_PROFILE, Profile
from peerspec.oracle.trace import Step, dumps
from peerspec.oracle.values import encode
from peerspec.properties.stateful import PeerConnectionMachine, RareStatesMachine, RunStatistics


@dataclass
class SuiteResult:
    statistics: RunStatistics
    declared_lifecycle_transitions: list[tuple[str, str, str, str]]  # trigger, source, dest, why
    failure: str | None = None  # the error, one line
    python: list[str] = field(default_factory=list)  # Hypothesis' runnable reproduction
    trace: str = ""  # the shrunk sequence as trace JSON Lines
    examples_requested: int = 0
    # Hypothesis' own account of the run (its statistics, as --hypothesis-show-statistics prints them):
    # phase -> test-case status (valid, invalid, overrun, interesting) -> count, and why it stopped.
    test_cases: dict[str, Counter[str]] = field(default_factory=dict)
    stopped_because: str = ""

    @property
    def examples_ran(self) -> int:
        """The valid test cases of the generate phase: what max_examples counts."""
        return self.test_cases.get("generate", Counter())["valid"]

    def example_count_explained(self) -> str:
        """The examples asked for and run, and why they differ."""
        asked, ran = self.examples_requested, self.examples_ran
        text = f"asked for {asked} examples, ran {ran}"
        discarded = sum(
            c for counts in self.test_cases.values() for k, c in counts.items() if k in ("invalid", "overrun")
        )
        if discarded:
            text += f" (and {discarded} invalid or overrun draws Hypothesis discarded, which do not count)"
        shrinking = sum(self.test_cases.get("shrink", Counter()).values())
        if shrinking:
            text += f", plus {shrinking} while shrinking a failure"
        if ran != asked and self.stopped_because:
            text += f"; Hypothesis stopped because {self.stopped_because}"
        return text

    @property
    def uncovered_lifecycle_transitions(self) -> list[tuple[str, str, str, str]]:
        covered = self.statistics.lifecycle_transitions
        return [t for t in self.declared_lifecycle_transitions if t[:3] not in covered]


def run_suite(
    *,
    examples: int,
    steps: int,
    seed: int | None = None,
    machine: type[PeerConnectionMachine] = RareStatesMachine,
    profile: Profile = SPEC_PROFILE,
    on_example: Callable[[int], None] | None = None,
) -> SuiteResult:
    """Run `machine` for `examples` examples of up to `steps` steps. Deterministic for a given seed (and, with
    no seed, derandomized: the same run every time)."""
    statistics = RunStatistics()

    class Counted(machine):  # type: ignore[valid-type, misc]
        def __init__(self) -> None:
            super().__init__()
            if on_example is not None:
                on_example(statistics.examples)

    Counted.__name__ = machine.__name__
    Counted.__qualname__ = machine.__qualname__
    Counted.statistics = statistics
    Counted.profile = profile
    if seed is not None:
        hypothesis.seed(seed)(Counted)
    run_settings = settings(
        max_examples=examples,
        stateful_step_count=steps,
        derandomize=seed is None,
        database=None,
        deadline=None,
        report_multiple_bugs=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    result = SuiteResult(statistics, [(t.trigger, t.source, t.dest, t.why) for t in LIFECYCLE_TRANSITIONS])
    result.examples_requested = examples
    report: list[str] = []

    def collected(statistics: Any) -> None:
        for key, value in statistics.items():
            if key.endswith("-phase"):
                counts = Counter(str(case.get("status", "")) for case in value.get("test-cases", []))
                result.test_cases[key.removesuffix("-phase")] = counts
        result.stopped_because = str(statistics.get("stopped-because", ""))

    try:
        with (
            with_reporter(lambda text: report.append(str(text))),
            constants_from_hypothesis_alone(),
            collector.with_value(collected),  # type: ignore[arg-type]
        ):
            run_state_machine_as_test(Counted, settings=run_settings)
    except Exception as error:  # the property failed: Hypothesis has shrunk it and replayed the smallest case
        result.failure = " ".join(f"{type(error).__name__}: {error}".splitlines())
        result.python = _reproduction([*report, *getattr(error, "__notes__", [])], machine)
        last = Counted.last_run
        if last is not None:
            result.trace = trace_of(last)
    return result


@contextmanager
def constants_from_hypothesis_alone() -> Iterator[None]:
    """Hypothesis seeds some draws with literals it finds in whatever local modules happen to be imported, so
    the same seed would draw differently from the command line and from a test run. Runs and vectors must depend on
    the seed and versions alone: while they are drawn, Hypothesis sees no local constants (an internal hook, tied
    to the Hypothesis version the manifest records)."""
    providers: Any = importlib.import_module("hypothesis.internal.conjecture.providers")

    empty = providers.Constants(
        integers=providers.SortedSet(),
        floats=providers.SortedSet(key=providers.float_to_int),
        bytes=providers.SortedSet(),
        strings=providers.SortedSet(),
    )
    with (
        patch.object(providers, "_get_local_constants", lambda: empty),
        patch.object(providers, "CONSTANTS_CACHE", providers.LRUCache(1024)),
    ):
        yield


def _reproduction(report: list[str], machine: type) -> list[str]:
    lines = "\n".join(report).splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("state = ")), None)
    if start is None:
        return lines
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("state.teardown()")), len(lines) - 1)
    return [
        "from math import inf, nan",
        "from model import UNDEFINED",
        f"from {machine.__module__} import {machine.__name__}",
        *lines[start : end + 1],
    ]


def trace_of(run: Any) -> str:
    """A machine's run as trace JSON Lines (certificates by name, JS-only values tagged)."""
    names: dict[int, str] = run.certificate_names
    return dumps([Step(op, _encoded(args, names)) for op, args in run.trace])


def _encoded(args: dict[str, object], names: dict[int, str]) -> dict[str, object]:
    encoded = encode(args, names)
    assert isinstance(encoded, dict)
    return encoded
