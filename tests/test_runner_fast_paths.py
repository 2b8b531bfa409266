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


def fields_of(step: Step) -> dict[str, object]:
    """Every field's value, read as attributes (plain_args, no __init__ argument, falls back to its class default)."""
    return {field.name: getattr(step, field.name) for field in dataclasses.fields(Step)}


def test_a_step_has_only_its_fields_in_its_instance_dictionary() -> None:
    step = Step("close", {}, {"ok": None}, None, line=3, version=2, tagless=True)
    init_fields = [field.name for field in dataclasses.fields(Step) if field.init]
    assert list(vars(step)) == init_fields  # plain_args (init=False) is its class default, False
    assert [field.name for field in dataclasses.fields(Step) if not field.init] == ["plain_args"]
    assert Step.plain_args is False and step.plain_args is False
    assert not hasattr(Step, "__slots__") and not hasattr(Step, "__post_init__")


def test_the_reader_makes_the_step_the_constructor_makes() -> None:
    """trace.made_step, for every committed line: the Step(...) of the same fields, plain_args set."""
    assert TRACES
    for path in TRACES:
        for step in load(str(path)):
            reference = Step(
                step.op, step.args, step.outcome, step.after, line=step.line, version=step.version, tagless=step.tagless
            )
            assert type(step) is Step and step.plain_args is True
            assert list(vars(step)) == [field.name for field in dataclasses.fields(Step)]
            assert fields_of(step) == {**fields_of(reference), "plain_args": True}
            assert step == reference and repr(step) == repr(reference)
            call = step.call
            assert call == Step(step.op, step.args, line=step.line, version=step.version, tagless=step.tagless)
            assert fields_of(call) == {**fields_of(step), "outcome": None, "after": None}


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
            assert vars(made) == {**vars(reference), "plain_args": True}  # the reader's step, its mark kept
            assert made == reference and repr(made) == repr(reference) and hash(made.op) == hash(reference.op)
