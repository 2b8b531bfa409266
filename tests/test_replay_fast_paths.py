"""The fast paths of a replay (issue 11 item 5) give what their references give: the reader's shortcut past the
number regex, the writer's trust in the reader's arguments, and the replayed lines, byte for byte, on every
committed trace."""

from __future__ import annotations

import dataclasses
import enum
import io
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerspec.model import UNDEFINED, RTCPeerConnection
from peerspec.oracle import values
from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.errors import TraceError
from peerspec.oracle.model_runner import _ModelRun, replay
from peerspec.oracle.trace import (
    _ENCODER,
    _NEEDS_THE_HOOKS,
    _SURROGATE,
    Step,
    _lines_of,
    _may_need_the_hooks,
    _plain_json,
    _plain_json_at_any_depth,
    dump_step,
    load,
    parse,
    parse_lines,
)
from peerspec.oracle.values import (
    DecodeContext,
    _references_at_any_depth,
    certificate_references,
    decode,
    decode_sharing,
    encode,
    encode_by_kind,
    encode_json_shaped,
)

ROOT = Path(__file__).resolve().parent.parent
TRACES = sorted(path for folder in (VECTORS_DIR, ROOT / "conformance" / "traces") for path in folder.rglob("*.jsonl"))


def reference_dump(step: Step) -> str:
    text = _ENCODER.encode(step.to_json())
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# Text made mostly of what the regex looks for, with anything else between.
NUMBERISH = st.text(alphabet=st.sampled_from('0123456789.eE-+ "é\u2028\ud800x'), max_size=40) | st.text(max_size=40)


@settings(max_examples=1000, deadline=None)
@given(NUMBERISH)
def test_a_line_the_regex_matches_is_never_let_past_it(line: str) -> None:
    if _NEEDS_THE_HOOKS.search(line) is not None:
        assert _may_need_the_hooks(line)


@pytest.mark.parametrize(
    "line",
    ["-0", "[-0]", "1e5", "1E5", "0e1", "9.5e-3", "1234567890123456", "1.23456789012345", "12345678901234.5", "é1e2"],
)
def test_what_the_hooks_must_see_is_sent_to_the_regex(line: str) -> None:
    assert _NEEDS_THE_HOOKS.search(line) is not None and _may_need_the_hooks(line)


def test_every_committed_line_the_regex_matches_is_sent_to_it() -> None:
    lines = [line for path in TRACES for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 1000
    for line in lines:
        if _NEEDS_THE_HOOKS.search(line) is not None:
            assert _may_need_the_hooks(line), line


def test_every_replayed_committed_trace_is_written_as_the_reference_writes_it() -> None:
    for path in TRACES:
        for step in replay(load(str(path))):
            assert dump_step(step) == reference_dump(step), (path.name, step.line)


def test_only_the_reader_marks_arguments_plain() -> None:
    (read,) = load(str(TRACES[0]))[:1]
    assert read.plain_args
    assert not Step(read.op, read.args).plain_args
    assert not dataclasses.replace(read, outcome={"ok": None}).plain_args  # replaced: checked again


@pytest.mark.parametrize("number", [math.nan, math.inf])
def test_arguments_put_in_a_read_step_by_replace_are_checked_again(number: float) -> None:
    (read,) = load(str(TRACES[0]))[:1]
    changed = dataclasses.replace(read, args={"x": number}, outcome={"ok": None})
    with pytest.raises(ValueError, match="not JSON compliant"):
        dump_step(changed)


def test_a_step_marked_tagless_by_hand_still_has_its_arguments_checked() -> None:
    """Only plain_args, which no constructor and no replace sets, lets the writer skip the arguments."""
    with pytest.raises(ValueError, match="not JSON compliant"):
        dump_step(Step("construct", {"configuration": {"x": math.nan}}, {"ok": None}, None, tagless=True))


def outcome_of(work: Any, *arguments: object) -> object:
    """What `work(*arguments)` gives, or the class and message of the TraceError it raises."""
    try:
        return work(*arguments)
    except TraceError as error:
        return (TraceError, str(error))


LINE_BYTES = st.lists(
    st.sampled_from(
        [b"", b"\r", b" ", b'{"op": "construct", "args": {}}', b'{"op": "close", "args": {}}', b"\xff", b"[1]"]
    ),
    max_size=5,
).map(lambda pieces: b"\n".join(pieces)) | st.binary(max_size=30)


@settings(max_examples=500, deadline=None)
@given(LINE_BYTES, st.booleans())
def test_parse_splits_the_lines_the_stream_reader_gives(data: bytes, final_newline: bool) -> None:
    data += b"\n" if final_newline else b""
    streamed = list(_lines_of(io.BytesIO(data), "<trace>"))
    assert data.split(b"\n")[: len(streamed)] == [line.removesuffix(b"\n") for line in streamed]
    assert outcome_of(lambda: parse(data)) == outcome_of(lambda: list(parse_lines(iter(streamed))))


NUMBER_LITERALS = st.sampled_from(["-0", "-0.0", "0", "1e5", "1E5", "9.5e-3", "2e400", "1.5", "12345678901234567"])


@settings(max_examples=300, deadline=None)
@given(st.lists(NUMBER_LITERALS, min_size=1, max_size=3), st.booleans())
def test_parse_reads_numbers_as_the_stream_reader_does(literals: list[str], spaced: bool) -> None:
    """parse() screens the whole text for numbers the hooks must see; the stream reader screens line by line."""
    lines = [b'{"op": "construct", "args": {}}']
    lines += [
        f'{{"op": "setConfiguration", "args": {{"configuration": {{"iceCandidatePoolSize": {literal}}}}}}}'.encode()
        for literal in literals
    ]
    data = b"\n".join(lines) + (b"\n" if spaced else b"")
    streamed = list(_lines_of(io.BytesIO(data), "<trace>"))
    parsed, read = outcome_of(lambda: parse(data)), outcome_of(lambda: list(parse_lines(iter(streamed))))
    assert parsed == read
    if isinstance(parsed, list) and isinstance(read, list):
        assert [repr(step.args) for step in parsed] == [repr(step.args) for step in read]  # -0.0 is not 0


TAGGED_VALUES = st.recursive(
    st.none() | st.integers() | st.text(max_size=5) | st.just("$certificate"),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["$certificate", "$js", "a", "b"]), children, max_size=3)
    ),
    max_leaves=16,
)


@settings(max_examples=500, deadline=None)
@given(TAGGED_VALUES)
def test_certificate_references_are_found_as_the_stack_walk_finds_them(value: object) -> None:
    assert list(certificate_references(value)) == list(_references_at_any_depth(value))


def test_certificate_references_deeper_than_the_recursion_limit_are_still_found() -> None:
    value: object = {"$certificate": "deep"}
    for _ in range(5000):
        value = [value, {"a": {"$certificate": "x"}}]
    found = list(certificate_references(value))
    assert found == list(_references_at_any_depth(value))
    assert found[0] == "deep" and len(found) == 5001


CONTEXT = DecodeContext(
    {"c": RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"}, seed=3)},
    last_offer_sdp="v=0 offer",
    last_answer_sdp="v=0 answer",
)
TAG_VALUES = st.sampled_from(
    ["c", "d", "undefined", "NaN", "Infinity", "-Infinity", "last-offer", "last-answer", "offer"]
)
TRACE_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4) | TAG_VALUES,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["$js", "$certificate", "$sdp", "$remote", "a", "b"]), children, max_size=3)
        | st.builds(
            lambda tag, tagged: {tag: tagged}, st.sampled_from(["$js", "$certificate", "$sdp", "$remote"]), TAG_VALUES
        )
    ),
    max_leaves=16,
)


def same(a: object, b: object) -> bool:
    """Equal, of the same types, in the same key order, floats by repr (NaN equal to NaN, -0.0 told from 0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return repr(a) == repr(b)
    return a is b or bool(a == b)


def untouched_parts_are_shared(value: object, decoded: object) -> bool:
    """Every object or array of `value` that decodes to itself is `value`'s own; those on the way to a tag are new."""
    if isinstance(value, dict) and isinstance(decoded, dict):
        shared = decoded is value
        return shared == same(decode(value, CONTEXT), value) and all(
            untouched_parts_are_shared(value[key], decoded[key]) for key in value if key in decoded
        )
    if isinstance(value, list) and isinstance(decoded, list):
        return (decoded is value) == same(decode(value, CONTEXT), value) and all(
            untouched_parts_are_shared(x, y) for x, y in zip(value, decoded, strict=True)
        )
    return True


@settings(max_examples=1000, deadline=None)
@given(TRACE_VALUES)
def test_decoding_with_sharing_gives_what_decode_gives(value: object) -> None:
    expected = outcome_of(lambda: decode(value, CONTEXT))
    got = outcome_of(lambda: decode_sharing(value, CONTEXT))
    assert same(got, expected)
    if not isinstance(expected, tuple):
        assert untouched_parts_are_shared(value, got)


def test_every_committed_argument_decodes_with_sharing_as_decode_decodes_it() -> None:
    for path in TRACES:
        steps = load(str(path))
        certificates = {str(s.args["name"]): CONTEXT.certificates["c"] for s in steps if s.op == "generateCertificate"}
        context = DecodeContext(certificates, "v=0 offer", "v=0 answer")
        for step in steps:
            for value in step.args.values():
                assert same(outcome_of(decode_sharing, value, context), outcome_of(decode, value, context))


class Text(str):
    pass


class Number(float):
    pass


ODD_LEAVES = st.sampled_from([math.nan, math.inf, -math.inf, Text("t"), Number(1.0), {1, 2}, b"bytes", object()])
WRITER_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3) | ODD_LEAVES,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=2), children, max_size=3)
    ),
    max_leaves=16,
)


@settings(max_examples=1000, deadline=None)
@given(WRITER_VALUES)
def test_the_writer_calls_a_value_plain_as_the_stack_walk_does(value: object) -> None:
    assert _plain_json(value) is _plain_json_at_any_depth(value)


@pytest.mark.parametrize("leaf", [None, math.nan])
def test_a_value_deeper_than_the_recursion_limit_is_judged_all_the_same(leaf: object) -> None:
    value: object = [leaf]
    for _ in range(5000):
        value = {"a": [1, value]}
    assert _plain_json(value) is _plain_json_at_any_depth(value) is (leaf is None)


class Policy(enum.StrEnum):
    BALANCED = "balanced"


class Count(enum.IntEnum):
    ONE = 1


class Members(dict[object, object]):
    pass


CERTIFICATE = CONTEXT.certificates["c"]
NAMES = {id(CERTIFICATE): "c"}
UNNAMED = RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"}, seed=4)
ODD_RESULTS = [Policy.BALANCED, Count.ONE, Text("t"), Number(2.5), math.nan, math.inf, -math.inf, -0.0, object()]
MODEL_LEAVES = st.sampled_from([UNDEFINED, CERTIFICATE, UNNAMED, *ODD_RESULTS])
MODEL_RESULTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3) | MODEL_LEAVES,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=2) | st.integers() | st.just(Policy.BALANCED), children, max_size=3)
        | st.dictionaries(st.text(max_size=2), children, max_size=2).map(Members)
    ),
    max_leaves=16,
)


def encoded(work: Any, value: object) -> object:
    try:
        return work(value, NAMES)
    except ValueError as error:
        return (ValueError, str(error))


@settings(max_examples=1000, deadline=None)
@given(MODEL_RESULTS)
def test_encoding_by_exact_type_gives_what_encoding_by_kind_gives(value: object) -> None:
    assert same(encoded(encode, value), encoded(encode_by_kind, value))


def test_every_committed_configuration_result_encodes_as_by_kind() -> None:
    for path in TRACES:
        run = _ModelRun(0)
        for step in load(str(path)):
            run.run(step)
            if step.op == "getConfiguration" and run.pc is not None and not run.stopped:
                configuration = run.pc.getConfiguration()
                names = run.certificate_names
                assert same(encode(configuration, names), encode_by_kind(configuration, names)), path.name
                assert same(encode_json_shaped(configuration, names), encode(configuration, names)), path.name


# encode_json_shaped's kind of value: anything but enum members (and UUIDs), which orjson writes as their values;
# subclasses, lone surrogates, integers beyond 64 bits, non-finite floats, None, "null" and unnamed certificates all
# take encode's walk, and an object nobody can encode its ValueError.
JSON_SHAPED_LEAVES = st.sampled_from(
    [
        UNDEFINED,
        CERTIFICATE,
        UNNAMED,
        Text("t"),
        Number(2.5),
        math.nan,
        math.inf,
        -math.inf,
        -0.0,
        "null",
        "\ud800",
        object(),
    ]
)
JSON_SHAPED_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3) | JSON_SHAPED_LEAVES,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=2) | st.integers(), children, max_size=3)
        | st.dictionaries(st.text(max_size=2), children, max_size=2).map(Members)
    ),
    max_leaves=16,
)


@settings(max_examples=1000, deadline=None)
@given(JSON_SHAPED_VALUES)
def test_encoding_in_c_gives_what_encode_gives(value: object) -> None:
    assert same(encoded(encode_json_shaped, value), encoded(encode, value))


def test_a_configuration_is_encoded_in_c_certificates_and_undefined_as_their_tags(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The usual value takes the C path (encode, the walk, is never called), tags and all."""
    pc = RTCPeerConnection({"certificates": [CERTIFICATE], "iceServers": [{"urls": "stun:a.invalid"}]})
    configuration = pc.getConfiguration()
    expected = encode(configuration, NAMES)
    monkeypatch.setattr(values, "encode", None)  # a call would be a TypeError
    assert same(encode_json_shaped(configuration, NAMES), expected)
    assert same(
        encode_json_shaped({"c": [CERTIFICATE], "x": (UNDEFINED, 1.5, -0.0)}, NAMES),
        {"c": [{"$certificate": "c"}], "x": [{"$js": "undefined"}, 1.5, -0.0]},
    )
