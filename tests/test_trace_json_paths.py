"""orjson is only a fast path for reading and writing trace lines: every line reads to the value the reference
reader (json with peerspec's number hooks) gives, every step is written to the bytes the reference writer
(json.dumps, sorted keys, no spaces, UTF-8 as itself) writes, and what the reference refuses stays refused with
the reference's message."""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.errors import TraceError
from peerspec.oracle.trace import (
    _DECODER,
    _ENCODER,
    _SURROGATE,
    Step,
    _load_json,
    _reference_writes_differently,
    dump_step,
    parse,
)

ROOT = Path(__file__).resolve().parent.parent
LINES: list[str] = [
    line
    for folder in (VECTORS_DIR, ROOT / "conformance" / "traces")
    for path in sorted(folder.rglob("*.jsonl"))
    for line in path.read_text(encoding="utf-8").splitlines()
]


def reference_load(line: str) -> Any:
    return _DECODER.decode(line)


def reference_dump(step: Step) -> str:
    text = _ENCODER.encode(step.to_json())
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def same(a: Any, b: Any) -> bool:
    """Equal, of the same types, in the same key order, -0.0 told from 0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return repr(a) == repr(b)
    return bool(a == b)


def test_the_committed_traces_are_many() -> None:
    assert len(LINES) > 1000


def test_every_committed_line_reads_as_the_reference_reads_it() -> None:
    for line in LINES:
        assert same(_load_json(line), reference_load(line)), line


def test_every_committed_step_is_written_as_the_reference_writes_it() -> None:
    for path in sorted(VECTORS_DIR.glob("*.jsonl")):
        for step in parse(path.read_bytes(), path.name):
            assert dump_step(step) == reference_dump(step), (path.name, step.line)


@pytest.mark.parametrize(
    "line",
    [
        "-0",
        "[-0, 0, -0.0]",
        "9007199254740993",
        "-9007199254740993",
        "18446744073709551616",
        "1e5",
        "[2.5E-3, 1e400]",
        "0.1000000000000000055511151231257827",
        "123456789.123456789",
        '"\\ud800"',
        '"\\ud83d\\ude00"',
        '{"a": 1, "b": 2, "a": 3}',
        '"a\\u0000\\b\\f\\n\\r\\t\\/\\"\\\\"',
        '"\u2028\u2029\x7f é"',
        " [1, 2] ",
        "[" * 2000 + "]" * 2000,
    ],
)
def test_lines_the_hooks_or_the_reference_must_read(line: str) -> None:
    try:
        expected: Any = reference_load(line)
    except (ValueError, RecursionError) as error:
        expected = type(error)
    try:
        got: Any = _load_json(line)
    except (ValueError, RecursionError) as error:
        got = type(error)
    assert same(got, expected) if not isinstance(expected, type) else got is expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"op": "construct", "args": {"x": NaN}}', 'NaN is not JSON (write {"$js": "NaN"})'),
        ('{"op": "construct", "args": {"x": 1e400}}', "the number 1e400 is not a finite double"),
        ('\ufeff{"op": "construct", "args": {}}', "not JSON (Unexpected UTF-8 BOM"),
        ('{"op": "construct", "args": {}', "not JSON (Expecting ',' delimiter"),
        ('{"op": "construct", "args": {"x": "\x01"}}', "not JSON (Invalid control character"),
    ],
)
def test_refused_lines_keep_the_reference_message(line: str, message: str) -> None:
    with pytest.raises(TraceError) as refused:
        parse(line.encode("utf-8"))
    assert message in str(refused.value)


def test_a_line_with_a_lone_surrogate_escape_still_reads() -> None:
    (step,) = parse(b'{"op": "construct", "args": {"configuration": {"iceServers": [{"urls": "\\ud800"}]}}}')
    assert step.args == {"configuration": {"iceServers": [{"urls": "\ud800"}]}}


FLOATS = [
    *(
        sign * mantissa * 10.0**exponent
        for sign in (1, -1)
        for mantissa in (1, 1.5, 9.87654321)
        for exponent in range(-12, 23)
    ),
    5e-324,
    1.7976931348623157e308,
    2.0**53,
    -0.0,
    0.1,
]  # fmt: skip


@pytest.mark.parametrize("number", FLOATS)
def test_every_float_is_written_as_the_reference_writes_it(number: float) -> None:
    step = Step("construct", {"configuration": {"iceCandidatePoolSize": number, "x": [number]}})
    assert dump_step(step) == reference_dump(step)


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_a_non_finite_float_is_still_refused(number: float) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        dump_step(Step("construct", {"configuration": {"x": number}}))


class Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    ["\u2028", "\u2029", "\ud800", "é 😀 \x00\x1f\x7f", Text("a subclass"), {1: "an int key"}, 2**64, -(2**63) - 1, ()],
)
def test_unusual_values_are_written_as_the_reference_writes_them(value: object) -> None:
    step = Step("construct", {"configuration": {"x": value}})
    assert dump_step(step) == reference_dump(step)


def test_values_json_cannot_hold_are_still_refused() -> None:
    for value in (object(), {1, 2}, Step("close")):
        with pytest.raises(TypeError):
            dump_step(Step("construct", {"x": value}))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_round_trips_as_the_reference_does(value: object) -> None:
    step = Step("construct", {"configuration": value})
    line = dump_step(step)
    assert line == reference_dump(step)
    assert same(_load_json(line), reference_load(line))
    assert same(_load_json(json.dumps(value)), reference_load(json.dumps(value)))


@pytest.mark.parametrize(
    ("written", "differs"),
    [
        (b'{"signalingState":"have-local-offer"}', False),
        (b'{"x":1.5e-7}', True),
        (b'{"x":"e-"}', False),
        (b'{"x":"9e-"}', True),  # only a string, but the writer cannot tell: the reference writes it
        (b'{"x":0.00001}', True),
        (b'{"x":"\xe2\x80\xa8"}', True),
        (b'{"x":"\xe2\x80\xa9"}', True),
        (b'{"x":1e+16}', False),
    ],
)
def test_the_writer_hands_to_the_reference_every_line_it_may_write_differently(written: bytes, differs: bool) -> None:
    assert _reference_writes_differently(written.decode("utf-8")) is differs


def test_a_line_without_a_dollar_sign_is_read_as_tagless() -> None:
    tagless, tagged, escaped = parse(
        b'{"op": "construct", "args": {"configuration": {"iceServers": []}}}\n'
        b'{"op": "setConfiguration", "args": {"configuration": {"iceCandidatePoolSize": {"$js": "NaN"}}}}\n'
        b'{"op": "setConfiguration", "args": {"configuration": {"iceCandidatePoolSize": {"\\u0024js": "NaN"}}}}\n'
    )
    assert (tagless.tagless, tagged.tagless, escaped.tagless) == (True, False, False)
    assert tagless == Step("construct", {"configuration": {"iceServers": []}})  # the mark is no part of the step


def test_replaying_a_trace_changes_none_of_its_arguments() -> None:
    """The runner hands a tagless line's arguments to the model as read, so the model must leave them as they are."""
    from peerspec.oracle.model_runner import replay

    for path in sorted(VECTORS_DIR.glob("*.jsonl")):
        steps = parse(path.read_bytes(), path.name)
        before = [copy.deepcopy(step.args) for step in steps]
        replayed = replay(steps)
        assert [step.args for step in steps] == before, path.name
        assert [step.args for step in replayed] == before, path.name


_WRITTEN_DIFFERENTLY = re.compile("[0-9]e-|0\\.0000|[\u2028\u2029]")


@given(st.text(alphabet=st.sampled_from("09e-.aE\u2028\u2029"), max_size=12))
def test_the_writer_hands_to_the_reference_exactly_the_text_its_pattern_finds(text: str) -> None:
    assert _reference_writes_differently(text) is (_WRITTEN_DIFFERENTLY.search(text) is not None)
