"""The model runner records each step's outcome without the Step constructor (oracle/model_runner.recorded): the
record it makes is the one Step(...) makes, field for field, for every line of every committed vector and trace."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.model_runner import recorded, replay
from peerspec.oracle.trace import Step, load

ROOT = Path(__file__).resolve().parent.parent
TRACES = sorted(path for folder in (VECTORS_DIR, ROOT / "conformance" / "traces") for path in folder.rglob("*.jsonl"))


def constructed(step: Step, outcome: dict[str, object], after: dict[str, object] | None) -> Step:
    return Step(step.op, step.args, outcome, after, line=step.line, version=step.version, tagless=step.tagless)


def test_a_step_has_only_its_fields_in_its_instance_dictionary() -> None:
    step = Step("close", {}, {"ok": None}, None, line=3, version=2, tagless=True)
    assert list(vars(step)) == [field.name for field in dataclasses.fields(Step)]
    assert not hasattr(Step, "__slots__") and not hasattr(Step, "__post_init__")


def test_every_replayed_step_is_the_step_the_constructor_makes() -> None:
    assert TRACES
    for path in TRACES:
        steps = load(str(path))
        for step, replayed in zip(steps, replay(steps), strict=True):
            if replayed.outcome is None:  # after a construct that threw, no step runs (TRACE-FORMAT.md)
                continue
            made = recorded(step.call, replayed.outcome, replayed.after)
            reference = constructed(step.call, replayed.outcome, replayed.after)
            assert type(made) is Step
            assert vars(made) == vars(reference)
            assert made == reference and repr(made) == repr(reference) and hash(made.op) == hash(reference.op)
