"""Trace format v1: the grammar of steps and values, strict loading, the canonical form, and the model's runner."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from peerspec.model import UNDEFINED, RTCPeerConnection
from peerspec.oracle.errors import TraceError
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import MAX_DEPTH, Step, dump_step, dumps, load, parse, schema
from peerspec.oracle.values import REMOTE_KINDS, DecodeContext, decode, encode


def _jsonl(*steps: object) -> bytes:
    return "".join(json.dumps(step) + "\n" for step in steps).encode()


CONSTRUCT = {"op": "construct", "args": {}}


def _problem(data: bytes) -> str:
    with pytest.raises(TraceError) as caught:
        parse(data, "t.jsonl")
    message = str(caught.value)
    assert "\n" not in message
    return message


# ---- the schema and the canonical form -------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema())


def test_a_canonical_line_has_sorted_keys_no_spaces_and_utf8_as_itself() -> None:
    step = Step("createDataChannel", {"label": "café ☕"})
    assert dump_step(step) == '{"args":{"label":"café ☕"},"op":"createDataChannel"}'


def test_a_trace_round_trips_through_its_canonical_form() -> None:
    data = _jsonl(
        {
            "args": {"name": "c", "keygenAlgorithm": {"name": "ECDSA", "namedCurve": "P-256"}},
            "op": "generateCertificate",
        },
        {"op": "construct", "args": {"configuration": {"certificates": [{"$certificate": "c"}]}}},
        {"op": "createOffer", "args": {"options": {"iceRestart": {"$js": "NaN"}}}},
    )
    steps = parse(data)
    assert parse(dumps(steps).encode()) == steps
    assert dumps(parse(dumps(steps).encode())) == dumps(steps)


def test_a_lone_surrogate_is_written_as_its_escape_and_reads_back() -> None:
    steps = parse(b'{"op":"construct","args":{"configuration":{"iceServers":[{"urls":"\\ud800"}]}}}\n')
    line = dumps(steps)
    assert "\\ud800" in line
    line.encode("utf-8")  # no unencodable code point
    assert parse(line.encode()) == steps


def test_negative_zero_stays_negative_zero_as_in_JSON_parse() -> None:
    steps = parse(b'{"op":"construct","args":{"configuration":{"iceCandidatePoolSize":-0}}}')
    size = steps[0].args["configuration"]
    assert isinstance(size, dict)
    assert math.copysign(1.0, size["iceCandidatePoolSize"]) == -1.0


def test_load_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(_jsonl(CONSTRUCT))
    assert load(str(path)) == [Step("construct", {})]


# ---- tagged values --------------------------------------------------------------------------------------


def test_js_tags_decode_to_the_values_json_cannot_hold() -> None:
    context = DecodeContext({})
    decoded = decode(
        [{"$js": "undefined"}, {"$js": "NaN"}, {"$js": "Infinity"}, {"$js": "-Infinity"}, {"a": [1]}], context
    )
    assert isinstance(decoded, list)
    assert decoded[0] is UNDEFINED
    assert math.isnan(decoded[1]) and decoded[2] == math.inf and decoded[3] == -math.inf
    assert decoded[4] == {"a": [1]}


def test_a_certificate_tag_decodes_to_the_certificate_of_that_name() -> None:
    certificate = RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"})
    assert decode({"$certificate": "c"}, DecodeContext({"c": certificate})) is certificate


def test_sdp_tags_decode_to_the_last_offer_and_answer() -> None:
    context = DecodeContext({}, last_offer_sdp="v=0 offer", last_answer_sdp="v=0 answer")
    assert decode({"type": "offer", "sdp": {"$sdp": "last-offer"}}, context) == {"type": "offer", "sdp": "v=0 offer"}
    assert decode({"$sdp": "last-answer"}, context) == "v=0 answer"


@pytest.mark.parametrize(
    "value",
    [{"$js": "bigint"}, {"$js": 1}, {"$certificate": "nobody"}, {"$sdp": "first-offer"}, {"$js": "NaN", "x": 1}],
)
def test_decoding_is_strict_about_tags(value: object) -> None:
    with pytest.raises(TraceError):
        decode(value, DecodeContext({}))


def test_results_are_encoded_with_tags_for_non_json_values() -> None:
    certificate = RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"})
    encoded = encode([math.nan, -math.inf, UNDEFINED, (certificate,)], {id(certificate): "c"})
    assert encoded == [{"$js": "NaN"}, {"$js": "-Infinity"}, {"$js": "undefined"}, [{"$certificate": "c"}]]


# ---- strict loading: every problem is one TraceError naming the line --------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b'{"op":"construct","args":{}', "line 1: not JSON"),
        (b'{"op":"construct","args":{}}\n{"op":', "line 2: not JSON"),
        (b'{"op":"construct","args":{}}\n\n{"op":"close","args":{}}\n', "line 2: blank line"),
        (b'{"op":"construct","args":{}}\n\xff\xfe\n', "line 2: not UTF-8"),
        (b'["construct"]', "line 1: a step is a JSON object"),
        (b'{"op":"frobnicate","args":{}}', "line 1: unknown op 'frobnicate'"),
        (b'{"op":7,"args":{}}', "line 1: unknown op 7"),
        (b'{"op":"construct","args":[]}', "line 1: $.args"),
        (b'{"op":"construct"}', "line 1: $: 'args' is a required property"),
        (b'{"op":"construct","args":{"config":{}}}', "line 1: $.args"),
        (b'{"op":"construct","args":{},"extra":1}', "line 1: $"),
        (b'{"op":"construct","args":{},"outcome":{"ok":null}}', "'after' is a dependency of 'outcome'"),
        (b'{"op":"construct","args":{},"outcome":{"error":{"name":"X","kind":"sync"}},"after":null}', "line 1"),
        (b'{"op":"construct","args":{"configuration":{"$js":"bigint"}}}', "'bigint' is not one of"),
        (b'{"op":"construct","args":{"configuration":{"$js":"NaN","more":1}}}', "too many properties"),
        (b'{"op":"construct","args":{"configuration":{"\\u0024js":"bigint"}}}', "'bigint' is not one of"),
        (b'{"op":"construct","args":{"configuration":{"$remote":"offer"}}}', "$remote"),
        (b'{"op":"construct","args":{"configuration":NaN}}', "line 1: NaN is not JSON"),
        (b'{"op":"construct","args":{"configuration":-Infinity}}', "line 1: -Infinity is not JSON"),
        (b'{"op":"construct","args":{"configuration":1e999}}', "not a finite double"),
        (b'{"op":"construct","args":{"configuration":' + b"9" * 310 + b"}}", "(310 digits) is not a finite double"),
        (b'{"op":"construct","args":{"configuration":' + b"9" * 5000 + b"}}", "(5000 digits)"),
        (b'{"op":"construct","args":{"configuration":' + b"[" * 70 + b"]" * 70 + b"}}", f"deeper than {MAX_DEPTH}"),
        (b"[" * 100_000 + b"]" * 100_000, f"deeper than {MAX_DEPTH}"),
        (b'{"op":"close","args":{}}', "line 1: close before construct"),
        (b'{"op":"getConfiguration","args":{}}', "getConfiguration before construct"),
        (_jsonl(CONSTRUCT, CONSTRUCT), "line 2: a second construct"),
        (_jsonl({"op": "generateCertificate", "args": {}}), "'name' is a required property"),
        (
            _jsonl(CONSTRUCT, {"op": "generateCertificate", "args": {"name": "c"}}),
            "line 2: generateCertificate steps come before construct",
        ),
        (
            _jsonl(
                {"op": "generateCertificate", "args": {"name": "c"}},
                {"op": "generateCertificate", "args": {"name": "c"}},
            ),
            "line 2: a second certificate named 'c'",
        ),
        (
            _jsonl({"op": "construct", "args": {"configuration": {"certificates": [{"$certificate": "c"}]}}}),
            "line 1: no certificate named 'c'",
        ),
        (_jsonl({"op": "generateCertificate", "args": {"name": "c"}}), "no construct step"),
        (
            _jsonl(CONSTRUCT, {"op": "setRemoteDescription", "args": {"description": {"$remote": "rollback"}}}),
            "line 2: $.args.description['$remote']",
        ),
        (_jsonl(CONSTRUCT, {"op": "close", "args": {"now": True}}), "line 2: $.args"),
    ],
)
def test_bad_input_is_one_trace_error_naming_the_line(data: bytes, expected: str) -> None:
    message = _problem(data)
    assert message.startswith("t.jsonl")
    assert expected in message


@pytest.mark.parametrize(
    "line",
    [
        {"op": "construct", "args": {"configuration": {"iceServers": [{"urls": "stun:a"}]}}},
        {"op": "construct", "args": {"configuration": {"$js": "symbol"}}},
        {"op": "close", "args": {"x": 1}},
        {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer"}}},
        {"op": "setRemoteDescription", "args": {"description": {"type": "offer", "sdp": {"$remote": "offer"}}}},
        {"op": "generateCertificate", "args": {"name": 3}},
        {"op": "getConfiguration", "args": {}, "outcome": {"ok": {"$js": "bigint", "value": "1"}}, "after": None},
    ],
)
def test_loading_gives_the_verdict_of_the_whole_schema_file(line: dict[str, object]) -> None:
    text = json.dumps(line)
    whole_schema_accepts = Draft202012Validator(schema()).is_valid(line)
    try:
        parse((json.dumps(CONSTRUCT) + "\n" + text + "\n").encode() if line["op"] != "construct" else text.encode())
    except TraceError as error:
        assert not whole_schema_accepts, str(error)
    else:
        assert whole_schema_accepts


def test_a_missing_file_is_a_trace_error(tmp_path: Path) -> None:
    with pytest.raises(TraceError, match="cannot read"):
        load(str(tmp_path / "absent.jsonl"))


# ---- the model's runner ------------------------------------------------------------------------------------


def test_replay_fills_every_step_with_outcome_and_after() -> None:
    steps = parse(_jsonl(CONSTRUCT, {"op": "createDataChannel", "args": {"label": "chat"}}))
    replayed = replay(steps)
    assert [step.call for step in replayed] == steps
    assert all(step.outcome is not None and step.after is not None for step in replayed)
    assert replayed[1].outcome == {"ok": {"label": "chat"}}


def test_steps_before_construct_have_no_connection_to_observe() -> None:
    steps = parse(_jsonl({"op": "generateCertificate", "args": {"name": "c", "keygenAlgorithm": "ECDSA"}}, CONSTRUCT))
    first = replay(steps)[0]
    assert first.outcome is not None and first.after is None


def test_after_a_failed_construct_no_step_runs() -> None:
    bad = {"op": "construct", "args": {"configuration": {"bundlePolicy": "no-such-policy"}}}
    replayed = replay(parse(_jsonl(bad, {"op": "getConfiguration", "args": {}})))
    assert replayed[0].outcome is not None and "error" in replayed[0].outcome
    assert replayed[1].outcome is None and replayed[1].after is None


def test_a_certificate_whose_generation_failed_is_a_runner_error_not_an_exception() -> None:
    steps = parse(
        _jsonl(
            {"op": "generateCertificate", "args": {"name": "c", "keygenAlgorithm": "no-such-algorithm"}},
            {"op": "construct", "args": {"configuration": {"certificates": [{"$certificate": "c"}]}}},
        )
    )
    generated, constructed = replay(steps)
    assert generated.outcome is not None and "error" in generated.outcome
    assert constructed.outcome is not None and "runnerError" in constructed.outcome


def test_last_offer_is_the_sdp_the_trace_last_created() -> None:
    steps = parse(
        _jsonl(
            CONSTRUCT,
            {"op": "createDataChannel", "args": {"label": "x"}},
            {"op": "createOffer", "args": {}},
            {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
        )
    )
    applied = replay(steps)[3]
    assert applied.outcome == {"ok": None}
    assert applied.after is not None and applied.after["signalingState"] == "have-local-offer"


def test_replay_is_deterministic_for_a_seed_and_the_seed_changes_credentials() -> None:
    steps = parse(
        _jsonl(CONSTRUCT, {"op": "createDataChannel", "args": {"label": "x"}}, {"op": "createOffer", "args": {}})
    )
    assert dumps(replay(steps, seed=5)) == dumps(replay(steps, seed=5))
    assert dumps(replay(steps, seed=5)) != dumps(replay(steps, seed=6))


# ---- the runner never raises on a valid trace ---------------------------------------------------------------

_MEMBERS = ["iceServers", "urls", "username", "credential", "bundlePolicy", "iceCandidatePoolSize", "certificates"]
_MEMBERS += ["type", "sdp", "iceRestart", "name", "namedCurve", "expires"]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
    st.sampled_from(
        [
            {"$js": "undefined"},
            {"$js": "NaN"},
            {"$js": "-Infinity"},
            {"$sdp": "last-offer"},
            {"$sdp": "last-answer"},
            {"$certificate": "c"},
            "stun:a.example",
            "turn:t.example",
            "offer",
            "answer",
            "rollback",
            "max-bundle",
            "ECDSA",
            "P-256",
        ]
    ),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(_MEMBERS), inner, max_size=4)),
    max_leaves=8,
)


def _call(op: str, key: str | None) -> st.SearchStrategy[dict[str, object]]:
    args = st.just({}) if key is None else st.one_of(st.just({}), st.builds(lambda value: {key: value}, _VALUES))
    return st.builds(lambda given: {"op": op, "args": given}, args)


_LATER_STEPS = st.one_of(
    _call("setConfiguration", "configuration"),
    _call("getConfiguration", None),
    _call("createOffer", "options"),
    _call("createAnswer", "options"),
    _call("setLocalDescription", "description"),
    _call("setRemoteDescription", "description"),
    st.sampled_from(
        [{"op": "setRemoteDescription", "args": {"description": {"$remote": kind}}} for kind in REMOTE_KINDS]
    ),
    _call("restartIce", None),
    _call("close", None),
    _call("createDataChannel", "label"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    certificate=_call("generateCertificate", "keygenAlgorithm"),
    construct=_call("construct", "configuration"),
    later=st.lists(_LATER_STEPS, max_size=8),
)
def test_any_valid_trace_replays_without_a_python_exception(
    certificate: dict[str, Any], construct: dict[str, object], later: list[dict[str, object]]
) -> None:
    certificate["args"]["name"] = "c"
    try:
        steps = parse(_jsonl(certificate, construct, *later))
    except TraceError:
        return
    replayed = replay(steps)
    assert len(replayed) == len(steps)
    assert parse(dumps(replayed).encode()) == replayed


def test_an_integer_beyond_2_to_the_53_reads_as_the_double_JSON_parse_gives() -> None:
    steps = parse(b'{"op":"construct","args":{}}\n{"op":"createDataChannel","args":{"label":9007199254740993}}\n')
    assert steps[1].args["label"] == 9007199254740992


def test_an_unknown_tag_is_refused_as_the_format_says_and_a_plain_object_with_dollar_keys_is_not() -> None:
    from peerspec.oracle.errors import TraceError
    from peerspec.oracle.trace import parse

    with pytest.raises(TraceError, match=r"unknown tag '\$foo'"):
        parse(b'{"op": "construct", "args": {"configuration": {"$foo": "bar"}}}\n')
    (step,) = parse(b'{"op": "construct", "args": {"configuration": {"$foo": "bar", "a": 1}}}\n')
    assert step.args == {"configuration": {"$foo": "bar", "a": 1}}


def test_line_separators_are_written_escaped_so_no_line_splitter_breaks_a_step() -> None:
    from peerspec.oracle.trace import Step, dump_step

    line = dump_step(Step("createDataChannel", {"label": "a\u2028b\u2029c"}))
    assert "\u2028" not in line and "\u2029" not in line
    assert line.splitlines() == [line] and '"a\\u2028b\\u2029c"' in line
