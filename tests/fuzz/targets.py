"""The fuzz targets. Each one is a strategy of inputs and a check that says what must hold for every input; a
check returns how many inputs it tried (a batch sent to Node counts each value). What must hold, per target:

- trace_reader: any bytes are either a trace (and its canonical form reads back as the same steps) or one
  TraceError line naming the trace; never another exception.
- model_api: the model's public API answers any JSON-shaped value with a SpecError or a result, never a Python
  exception, and its getConfiguration() is always a dictionary trace JSON can hold.
- ecmascript_vs_node: the model's ToString / ToNumber agree with Node's String() / Number() on JSON values.
- opaque_string_vs_precis: a TURN server's username and credential are accepted exactly when RFC 8489 §14.3 and
  RFC 8265 §4.1/§4.2 (precis-i18n's OpaqueString, asked directly) accept them.
- js_runner_decoding: the JS runner hands the implementation the value the model's decoding makes of the same
  trace value (own data members, no inherited ones, the same numbers, undefined where a tag says so).
- cli: every subcommand answers any arguments and standard input with exit 0, 1 or 2, a problem in one line
  on stderr, never a traceback or an internal error.
"""

from __future__ import annotations

import json
import math
import os
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import precis_i18n
from hypothesis import strategies as st
from typer.testing import CliRunner

from peerspec.model import UNDEFINED, RTCPeerConnection, SpecError
from peerspec.model.js_values import to_scalar_value_string
from peerspec.oracle.cli import app
from peerspec.oracle.errors import TraceError
from peerspec.oracle.trace import ARGUMENT, dumps, ops, parse
from peerspec.oracle.values import DecodeContext, decode
from peerspec.properties.strategies import configuration_arguments, js_values, local_descriptions, offer_options
from tests.fuzz.expand import json_value, mutate, text
from tests.fuzz.node import CONVERSIONS, DECODING, RUNNER, NodeWorker
from tests.test_js_values_against_node import VALUES as CONVERSION_VALUES
from tests.test_js_values_against_node import model as model_conversions

BATCH = 50  # values drawn by Hypothesis per example of a Node target
FAN_OUT = int(os.environ.get("PEERSPEC_FUZZ_FAN_OUT", "40"))  # inputs expanded from each example (expand.py)
SEEDS = st.integers(min_value=0, max_value=2**64 - 1)


@dataclass
class Target:
    name: str
    inputs: Callable[[], st.SearchStrategy[Any]]
    check: Callable[[Any, Any], int]
    start: Callable[[], Any] = field(default=lambda: None)  # what check is given as its second argument
    stop: Callable[[Any], None] = field(default=lambda state: None)


# ---- trace JSON -------------------------------------------------------------------------------------------

_NAMES = st.sampled_from(["c1", "c2", "__proto__", "toString", "", "\u2028"])
TAGS = st.one_of(
    st.builds(lambda v: {"$js": v}, st.sampled_from(["undefined", "NaN", "Infinity", "-Infinity", "null", ""])),
    st.builds(lambda v: {"$certificate": v}, _NAMES | st.integers()),
    st.builds(lambda v: {"$sdp": v}, st.sampled_from(["last-offer", "last-answer", "first"])),
    st.builds(lambda v: {"$remote": v}, st.sampled_from(["offer", "answer", "pranswer", "rollback"])),
    st.builds(lambda k, v: {k: v}, st.sampled_from(["$foo", "$", "$JS", "\\u0024js"]), st.text(max_size=3)),
)
_KEYS = st.one_of(
    st.sampled_from(["iceServers", "urls", "username", "credential", "certificates", "__proto__", "constructor"]),
    st.sampled_from(["$js", "$certificate", "iceRestart", "type", "sdp", "bundlePolicy", "iceCandidatePoolSize"]),
    st.text(max_size=5),
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
TRACE_VALUES = st.recursive(
    _SCALARS | TAGS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=10,
)


def _step(op: str, value: object, present: bool, name: object) -> dict[str, object]:
    args: dict[str, object] = {}
    member = ARGUMENT.get(op)
    if member is not None and present:
        args[member] = value
    if op == "generateCertificate":
        args["name"] = name
    return {"op": op, "args": args}


STEPS = st.builds(
    _step, st.sampled_from([*ops(), "bogus"]), TRACE_VALUES, st.booleans(), _NAMES | st.integers()
) | st.dictionaries(st.sampled_from(["op", "args", "outcome", "after", "x"]), TRACE_VALUES, max_size=4)

_RAW_LINES = st.one_of(
    st.builds(lambda step: json.dumps(step).encode(), STEPS),
    st.builds(lambda step: json.dumps(step, ensure_ascii=False).encode("utf-8", "surrogatepass"), STEPS),
    st.sampled_from([b"", b" ", b"\r", b"{}", b"[]", b"NaN", b'{"op": "construct", "args": {}}\r', b"\xef\xbb\xbf"]),
    st.builds(
        lambda n: b'{"op":"construct","args":{"configuration":' + b"[" * n + b"]" * n + b"}}", st.integers(0, 400)
    ),
    st.builds(
        lambda d: b'{"op":"createDataChannel","args":{"label":' + d + b"}}",
        st.sampled_from(
            [b"1e999", b"-0", b"9" * 400, b"9007199254740993", b"1E+308", b'"\\ud800"', b'"\\u0000"', b"- 1"]
        ),
    ),
    st.binary(max_size=40),
)


def _mutated(line: bytes, cut: int, insert: bytes) -> bytes:
    if not line:
        return insert
    at = cut % (len(line) + 1)
    return line[:at] + insert + line[at:]


LINES = _RAW_LINES | st.builds(_mutated, _RAW_LINES, st.integers(0, 200), st.binary(min_size=1, max_size=3))
TRACE_BYTES = st.builds(
    lambda head, body, end: b"\n".join([head, *body]) + end,
    st.just(b'{"op": "construct", "args": {}}') | LINES,
    st.lists(LINES, max_size=6),
    st.sampled_from([b"\n", b"", b"\r\n", b"\n\n"]),
)


def check_trace_reader(example: tuple[bytes, int], state: None) -> int:
    data, seed = example
    rng = random.Random(seed)
    for trace in [data, *(mutate(rng, data) for _ in range(FAN_OUT))]:
        _read_trace(trace)
    return FAN_OUT + 1


def _read_trace(data: bytes) -> None:
    try:
        steps = parse(data, "fuzz")
    except TraceError as error:
        message = str(error)
        assert message.startswith("fuzz") and "\n" not in message, message
        return
    canonical = dumps(steps)
    again = parse(canonical.encode("utf-8"), "canonical")
    assert dumps(again) == canonical
    assert "\u2028" not in canonical and "\u2029" not in canonical and len(canonical.splitlines()) == len(steps)


# ---- the model's API --------------------------------------------------------------------------------------


def _deep(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


RAW_JSON = st.one_of(
    js_values(8),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.builds(_deep, st.integers(300, 2000)),
    st.builds(lambda inner: {"toString": inner, "valueOf": inner}, js_values(3)),
)
MODEL_CALLS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "setConfiguration",
                "createOffer",
                "createAnswer",
                "setLocalDescription",
                "createDataChannel",
                "setRemoteDescription",
                "restartIce",
                "getConfiguration",
                "close",
                "generateCertificate",
            ]
        ),
        st.one_of(RAW_JSON, configuration_arguments(), offer_options(), local_descriptions()),
    ),
    max_size=6,
)
MODEL_INPUTS = st.tuples(st.one_of(configuration_arguments(), RAW_JSON), MODEL_CALLS)


_OPS = ["setConfiguration", "createOffer", "createAnswer", "setLocalDescription", "createDataChannel",
        "setRemoteDescription", "restartIce", "getConfiguration", "close", "generateCertificate"]  # fmt: skip


def check_model_api(example: tuple[tuple[object, list[tuple[str, object]]], int], state: None) -> int:
    (configuration, calls), seed = example
    rng = random.Random(seed)
    tried = _model_session(configuration, calls)
    for _ in range(FAN_OUT // 8):
        more = [(rng.choice(_OPS), json_value(rng)) for _ in range(rng.randrange(8))]
        tried += _model_session(json_value(rng), more)
    return tried


def _model_session(configuration: object, calls: list[tuple[str, object]]) -> int:
    try:
        pc = RTCPeerConnection(configuration, seed=1)
    except SpecError:
        return 1
    for op, value in calls:
        try:
            if op == "generateCertificate":
                RTCPeerConnection.generateCertificate(value, seed=2)
            elif op in ("restartIce", "getConfiguration", "close"):
                getattr(pc, op)()
            else:
                getattr(pc, op)(value)
        except SpecError:
            pass
        configuration_now = pc.getConfiguration()
        assert isinstance(configuration_now, dict)
    return 1 + len(calls)


# ---- ECMAScript conversions against Node ---------------------------------------------------------------------


def check_conversions(example: tuple[list[object], int], node: NodeWorker) -> int:
    drawn, seed = example
    rng = random.Random(seed)
    values = drawn + [json_value(rng) for _ in range(FAN_OUT * len(drawn) // 4)]
    answers = node.ask([json.dumps(v) for v in values])
    for value, answer in zip(values, answers, strict=True):
        assert model_conversions(value) == answer, (value, answer)
    return len(values)


# ---- OpaqueString against precis-i18n ----------------------------------------------------------------------------

OPAQUE_STRING = precis_i18n.get_profile("OpaqueString")
_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec=None),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
        st.sampled_from(["\u00a0", "\u3000", "\u200c", "\u200d", "\u0301", "\ufeff", "\u2028", "\x7f", "\uffff"]),
    ),
    max_size=12,
) | st.builds(lambda n: "a" * n, st.integers(500, 520))


def _js_string(text: str) -> str:
    """The string as JavaScript holds it: adjacent surrogates form the pair they spell."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _opaque(text: str) -> bool:
    try:
        OPAQUE_STRING.enforce(to_scalar_value_string(text))
    except UnicodeError:
        return False
    return True


def expected_turn_credentials_valid(username: str, credential: str) -> bool:
    """RFC 8489 §14.3 (fewer than 509 UTF-8 bytes, OpaqueString) and RFC 8265 §4.1 (a non-empty OpaqueString)."""
    scalar = to_scalar_value_string(username)
    username_ok = len(scalar.encode("utf-8")) < 509 and (username == "" or _opaque(username))
    return username_ok and _opaque(credential)


def check_opaque_string(example: tuple[tuple[str, str], int], state: None) -> int:
    pair, seed = example
    rng = random.Random(seed)
    pairs = [pair, *((text(rng, 8), text(rng, 8)) for _ in range(FAN_OUT))]
    for username, credential in pairs:
        _turn_credentials(username, credential)
    return len(pairs)


def _turn_credentials(raw_username: str, raw_credential: str) -> None:
    username, credential = _js_string(raw_username), _js_string(raw_credential)
    server = {"urls": "turn:turn.example.invalid", "username": username, "credential": credential}
    try:
        RTCPeerConnection({"iceServers": [server]}, seed=0)
        accepted = True
    except SpecError as error:
        assert error.name == "InvalidAccessError", error
        accepted = False
    assert accepted == expected_turn_credentials_valid(username, credential), (username, credential)


def check_every_code_point(code_point: int) -> bool:
    """One code point as a credential: the model's verdict is precis-i18n's (the exhaustive sweep's check)."""
    credential = chr(code_point)
    server = {"urls": "turn:turn.example.invalid", "username": "u", "credential": credential}
    try:
        RTCPeerConnection({"iceServers": [server]}, seed=0)
        accepted = True
    except SpecError:
        accepted = False
    return accepted == expected_turn_credentials_valid("u", credential)


# ---- the JS runner's decoding against the model's ----------------------------------------------------------------

DECODABLE = st.recursive(
    _SCALARS
    | st.builds(lambda v: {"$js": v}, st.sampled_from(["undefined", "NaN", "Infinity", "-Infinity"]))
    | st.builds(lambda v: {"$sdp": v}, st.sampled_from(["last-offer", "last-answer"])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=10,
)


def describe(value: object) -> object:
    """A decoded value as the Node side describes what the constructor received."""
    if value is UNDEFINED:
        return {"u": 1}
    if value is None or isinstance(value, bool | str):
        return {"v": value}
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return {"n": "NaN"}
        if math.isinf(number):
            return {"n": "Infinity" if number > 0 else "-Infinity"}
        if number == 0 and math.copysign(1, number) < 0:
            return {"n": "-0"}
        return {"n": number}
    if isinstance(value, list):
        return {"a": [describe(item) for item in value], "p": True}
    assert isinstance(value, dict)
    keys = sorted(value, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
    return {"o": [[key, describe(value[key])] for key in keys], "p": True, "own": True}


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def check_js_decoding(example: tuple[list[object], int], node: NodeWorker) -> int:
    drawn, seed = example
    rng = random.Random(seed)
    values = drawn + [json_value(rng, tags=True) for _ in range(FAN_OUT * len(drawn) // 4)]
    steps: list[dict[str, object]] = []
    for value in values:
        step: dict[str, object] = {"op": "construct", "args": {"configuration": value}}
        try:
            (parsed,) = parse(json.dumps(step).encode(), "fuzz")
        except TraceError:
            continue  # not a valid trace: no runner is given it
        steps.append(parsed.to_json())
    if not steps:
        return len(values)
    answers = node.ask(steps)
    for step, answer in zip(steps, answers, strict=True):
        args = step["args"]
        assert isinstance(args, dict)
        assert answer["outcome"] == {"ok": None}, (step, answer)
        expected = describe(decode(args["configuration"], DecodeContext({})))
        assert answer["seen"] is not None and len(answer["seen"]) == 1, answer
        assert _same(answer["seen"][0], expected), (step, answer["seen"][0], expected)
    return len(values)


# ---- every CLI subcommand ---------------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "-",
        "--seed",
        "--format",
        "--impl",
        "--deviations",
        "--out",
        "--count",
        "--examples",
        "--steps",
        "--help",
        "json",
        "text",
        "dot",
        "mermaid",
        "0",
        "-1",
        "99999999999",
        "x",
        "--trace",
        "--all",
        "--vectors",
        "/nonexistent",
        "/dev/null",
        "/",
        "\x1b[2J",
        "é",
    ]
)
CLI_INPUTS = st.tuples(
    st.sampled_from(
        ["replay", "check", "explain"] * 8 + ["diagram", "conformance", "nosuch"] * 2 + ["generate", "run"]
    ),
    st.lists(_WORDS | st.text(max_size=6), max_size=4),
    TRACE_BYTES,
    st.booleans(),
)
_RUNNER = CliRunner()


def _cli_args(command: str, words: list[str], folder: Path, trace: Path) -> list[str]:
    args = [command, *words]
    if command in ("replay", "check", "explain") and not any(w == "-" or w.startswith("/") for w in words):
        args.append(str(trace))
    if command == "generate":
        args = [a for a in args if a not in ("--count", "--out")] + ["--out", str(folder / "v"), "--count", "0"]
    if command == "run":
        args = [a for a in args if a not in ("--examples", "--steps")] + ["--examples", "1", "--steps", "2"]
    if command == "conformance":
        args = [a for a in args if a not in ("--vectors", "--out")] + ["--vectors", str(folder / "none")]
    return args


def check_cli(inputs: tuple[str, list[str], bytes, bool], state: None) -> int:
    command, words, data, from_stdin = inputs
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        trace = folder / "trace.jsonl"
        trace.write_bytes(data)
        args = _cli_args(command, words, folder, trace)
        result = _RUNNER.invoke(app, args, input=data if from_stdin else b"")
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr, repr(result.exception))
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
    if result.exit_code == 2:  # the problem in one line (after any warning, each a line of its own)
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith("peerspec: ") for line in lines), (args, result.stderr)
        assert result.stderr.endswith("\n") and len(lines) <= 2, (args, result.stderr)
    return 1


def _node(script: str, *args: str) -> Callable[[], NodeWorker]:
    return lambda: NodeWorker(script, *args)


def _stop_node(worker: NodeWorker) -> None:
    worker.close()


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("trace_reader", lambda: st.tuples(TRACE_BYTES, SEEDS), check_trace_reader),
        Target("model_api", lambda: st.tuples(MODEL_INPUTS, SEEDS), check_model_api),
        Target(
            "ecmascript_vs_node",
            lambda: st.tuples(st.lists(CONVERSION_VALUES, min_size=1, max_size=BATCH), SEEDS),
            check_conversions,
            _node(CONVERSIONS),
            _stop_node,
        ),
        Target("opaque_string_vs_precis", lambda: st.tuples(st.tuples(_TEXT, _TEXT), SEEDS), check_opaque_string),
        Target(
            "js_runner_decoding",
            lambda: st.tuples(st.lists(DECODABLE, min_size=1, max_size=BATCH), SEEDS),
            check_js_decoding,
            _node(DECODING, str(RUNNER)),
            _stop_node,
        ),
        Target("cli", lambda: CLI_INPUTS, check_cli),
    )
}
