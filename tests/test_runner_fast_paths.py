"""The model runner records each step's outcome without the Step constructor (oracle/model_runner.recorded): the
record it makes is the one Step(...) makes, field for field, for every line of every committed vector and trace."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.model_runner import recorded, replay
from peerspec.oracle.trace import _ENCODER, _SURROGATE, Step, _plain_json, dump_step, load, parse

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
    assert list(vars(step)) == init_fields  # plain_args and plain_record (init=False): their class defaults, False
    assert [field.name for field in dataclasses.fields(Step) if not field.init] == ["plain_args", "plain_record"]
    assert Step.plain_args is False and step.plain_args is False
    assert Step.plain_record is False and step.plain_record is False
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
            assert fields_of(step) == {**fields_of(reference), "plain_args": True}  # plain_record False: read
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
            # the reader's step, its mark kept, and the runner's own mark on what it recorded
            assert vars(made) == {**vars(reference), "plain_args": True, "plain_record": True}
            assert made == reference and repr(made) == repr(reference) and hash(made.op) == hash(reference.op)


def test_what_the_runner_marks_plain_is_plain_json() -> None:
    """The writer takes a step marked plain_record without looking: every replayed step of every committed vector and
    trace is so marked, and its whole record is plain JSON of exact types by the writer's own check."""
    assert TRACES
    for path in TRACES:
        for step in replay(load(str(path))):
            if step.outcome is None:  # not run: after a construct that threw (TRACE-FORMAT.md)
                continue
            assert step.plain_record, (path.name, step.line)
            assert _plain_json(step.to_json()), (path.name, step.line)


def test_only_the_runner_marks_a_record_plain() -> None:
    (read,) = load(str(TRACES[0]))[:1]
    assert not read.plain_record  # read: its outcome and after are checked when written
    (replayed,) = replay([read.call])
    assert replayed.plain_record
    assert not dataclasses.replace(replayed, outcome={"ok": None}).plain_record
    assert not recorded(Step(read.op, read.args), {"ok": None}, None).plain_record  # args not known plain


def reference_dump(step: Step) -> str:
    """The reference writer's line (json.dumps, lone surrogates as escapes): what dump_step must write."""
    text = _ENCODER.encode(step.to_json())
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


REMOTE_OFFER_LINES = st.lists(st.sampled_from(["a=ice-ufrag:", "a=ice-pwd:", "a=mid:", "m=audio 9 UDP/TLS/RTP/SAVPF "]))


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=())), st.text(st.characters(exclude_categories=())), REMOTE_OFFER_LINES)
def test_a_record_made_from_any_text_a_trace_passes_is_plain_json(label: str, text: str, lines: list[str]) -> None:
    """Text from the trace comes back in results (a channel's label; credentials and kinds read off a remote offer's
    SDP): the record is still plain JSON of exact types (a lone surrogate is a str too: the writer's orjson refuses
    it and the reference writes it)."""
    sdp = "v=0\r\n" + "".join(f"{line}{text}\r\n" for line in lines)
    calls = [
        {"op": "construct", "args": {}},
        {"op": "createDataChannel", "args": {"label": label}},
        {"op": "setRemoteDescription", "args": {"description": {"type": "offer", "sdp": sdp}}},
        {"op": "createAnswer", "args": {}},
        {"op": "getConfiguration", "args": {}},
    ]
    data = "".join(json.dumps(call) + "\n" for call in calls).encode()
    for step in replay(parse(data)):
        assert step.plain_record
        assert _plain_json(step.to_json())
        assert dump_step(step) == reference_dump(step)
