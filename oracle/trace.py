"""Trace format v1 and v2: load a JSON Lines trace strictly, validate it, and write it back canonically.

Reading is strict because a trace is a contract between implementations: anything this module accepts means
the same thing to every runner. Every problem becomes one TraceError naming the line.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, Final

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from peerspec.oracle.errors import TraceError
from peerspec.oracle.values import REMOTE_TAG, certificate_references

FORMAT_VERSION: Final = 1  # a trace without a header line
VERSIONS: Final = (1, 2)
HEADER_KEY: Final = "peerspecTrace"  # a v2 trace's first line is {"peerspecTrace": 2}: no op, so v1 readers refuse it
SCHEMA_PATH: Final = Path(__file__).parent / "schema" / "trace-v1.schema.json"
SCHEMA_PATHS: Final = {
    version: Path(__file__).parent / "schema" / f"trace-v{version}.schema.json" for version in VERSIONS
}
MAX_DEPTH: Final = 64  # nesting of arrays and objects, the step object itself counting as 1
_SHORTEST_TOO_DEEP: Final = 2 * (MAX_DEPTH + 1)  # the length of a line with MAX_DEPTH + 1 levels and nothing else
MAX_NUMBER_DIGITS: Final = 309  # an integer literal with more digits is beyond every finite double
# Written as \u escapes: a lone surrogate (not UTF-8) and U+2028 / U+2029, which line splitters such as Python's
# str.splitlines and JavaScript before ES2019 take for line breaks.
_SURROGATE = re.compile("[\ud800-\udfff\u2028\u2029]")


@dataclass(frozen=True)
class Step:
    """One line of a trace: the call (op, args) and, in a recorded trace, its outcome and what followed it."""

    op: str
    args: dict[str, object] = field(default_factory=dict)
    outcome: dict[str, object] | None = None  # None: not run (or not recorded)
    after: dict[str, object] | None = None  # None with an outcome: there was no connection yet
    line: int = field(default=0, compare=False)
    version: int = field(default=FORMAT_VERSION, compare=False)  # the format of the trace it is a line of
    # Set by the reader for a line without "$": args are plain JSON as read (exact types, finite numbers) and hold
    # no tag, so a runner need not decode them. A step's args are not changed in place.
    tagless: bool = field(default=False, compare=False, repr=False)
    # Set by the reader for every line (tags or not): args are plain JSON as read, so the writer checks only the
    # outcome and after. Not an __init__ argument: a step made or replaced (dataclasses.replace) with other args
    # is False, and its args are checked.
    plain_args: bool = field(default=False, init=False, compare=False, repr=False)
    # Set by the model runner on the steps it records (oracle/model_runner.recorded) when plain_args is: the outcome
    # and after it built from the model's answers are plain JSON of exact types with finite numbers (values.encode
    # tags the rest), so the writer checks nothing. Not an __init__ argument either.
    plain_record: bool = field(default=False, init=False, compare=False, repr=False)

    @property
    def call(self) -> Step:
        """The step without its record: what a runner is given (the step itself when it has none)."""
        if self.outcome is None and self.after is None:
            return self  # frozen, and equal to the copy below
        return made_step(self.op, self.args, None, None, self.line, self.version, self.tagless, self.plain_args)

    def to_json(self) -> dict[str, object]:
        record: dict[str, object] = {"op": self.op, "args": self.args}
        if self.outcome is not None:
            record["outcome"] = self.outcome
            record["after"] = self.after
        return record


def made_step(
    op: str,
    args: dict[str, object],
    outcome: dict[str, object] | None,
    after: dict[str, object] | None,
    line: int,
    version: int,
    tagless: bool,
    plain_args: bool,
) -> Step:
    """The Step that Step(op, args, outcome, after, line=line, version=version, tagless=tagless) makes, with
    plain_args set, made without the frozen dataclass's __init__ (one object.__setattr__ a field, for every line
    of a trace). A Step has no __slots__, no __post_init__ and no cached attribute, so its instance __dict__ is its
    fields and nothing else (tests/test_runner_fast_paths.py holds the two equal on every committed line)."""
    made = object.__new__(Step)
    made.__dict__.update(
        op=op,
        args=args,
        outcome=outcome,
        after=after,
        line=line,
        version=version,
        tagless=tagless,
        plain_args=plain_args,
        plain_record=False,
    )
    return made


#: The one argument each op passes, by its args member (ops not listed take none): TRACE-FORMAT.md's table.
ARGUMENT: Final[dict[str, str]] = {
    "generateCertificate": "keygenAlgorithm",
    "construct": "configuration",
    "setConfiguration": "configuration",
    "createOffer": "options",
    "createAnswer": "options",
    "setLocalDescription": "description",
    "setRemoteDescription": "description",
    "createDataChannel": "label",
    "addTransceiver": "kind",  # v2; its second argument is args.init (SECOND_ARGUMENT)
}
SECOND_ARGUMENT: Final[dict[str, str]] = {"addTransceiver": "init"}


@cache
def schema(version: int = FORMAT_VERSION) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATHS[version].read_text(encoding="utf-8"))
    return loaded


@cache
def _validator(op: str, may_hold_tags: bool, version: int = FORMAT_VERSION) -> Draft202012Validator:
    """The schema specialised, for speed, to one op: only the allOf branch for `op` is kept, and for a line with no
    "$" anywhere the value grammar (which only restricts tag objects) becomes `true`. Same file, same verdicts."""
    full = schema(version)
    specialised = {**full, "allOf": [rule["then"] for rule in full["allOf"] if op in _ops_of(rule["if"])]}
    if not may_hold_tags:
        specialised["$defs"] = {**full["$defs"], "value": True}
    return Draft202012Validator(specialised)


@cache
def _compiled(op: str, may_hold_tags: bool, version: int = FORMAT_VERSION) -> jsonschema_rs.Draft202012Validator:
    """The same specialised schema, compiled by jsonschema-rs: the fast path for every line that is valid."""
    return jsonschema_rs.Draft202012Validator(_validator(op, may_hold_tags, version).schema)


class _CompiledByOp(dict[str, jsonschema_rs.Draft202012Validator]):
    """_compiled(op, may_hold_tags, version) for each op of one version and one kind of line, kept once asked for:
    one dictionary look-up a line. An op the version does not have is a KeyError (and a key that cannot be hashed,
    such as a list, a TypeError), so that the look-up is also the reader's test of the op."""

    def __init__(self, version: int, may_hold_tags: bool) -> None:
        super().__init__()
        self.version = version
        self.may_hold_tags = may_hold_tags

    def __missing__(self, op: object) -> jsonschema_rs.Draft202012Validator:
        if not isinstance(op, str) or op not in ops(self.version):
            raise KeyError(op)
        compiled = self[op] = _compiled(op, self.may_hold_tags, self.version)
        return compiled


def _ops_of(condition: dict[str, Any]) -> list[str]:
    op = condition["properties"]["op"]
    return list(op["enum"]) if "enum" in op else [op["const"]]


@cache
def ops(version: int = FORMAT_VERSION) -> tuple[str, ...]:
    """The op names, in the order the schema lists them."""
    return tuple(schema(version)["properties"]["op"]["enum"])


#: By version, then by whether the line may hold tags (False, True): each op's compiled validator.
_COMPILED: Final = {version: (_CompiledByOp(version, False), _CompiledByOp(version, True)) for version in VERSIONS}


def header(version: int) -> dict[str, object] | None:
    """The header line a trace of this version begins with (None: version 1 has none)."""
    return None if version == FORMAT_VERSION else {HEADER_KEY: version}


def _header_version(line: str, name: str) -> int | None:
    """The version a first line declares, when it is a header ({"peerspecTrace": N}, no op); None for a step."""
    if HEADER_KEY not in line:  # a cheap test first: every other first line is read as a step
        return None
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or "op" in record:
        return None
    version = record.get(HEADER_KEY)
    if set(record) != {HEADER_KEY} or isinstance(version, bool) or version not in VERSIONS[1:]:
        raise TraceError(
            f"{name}, line 1: not a step (no op) and not a trace header "
            f'(a header is {{"{HEADER_KEY}": N}}, N one of {", ".join(map(str, VERSIONS[1:]))})'
        )
    return int(version)


# ---- reading ------------------------------------------------------------------------------------------


def load(source: str) -> list[Step]:
    """Read a whole trace from a file path, or from standard input when `source` is "-"."""
    return list(read(source))


def read(source: str) -> Iterator[Step]:
    """A trace read as a stream, from a file path or standard input ("-"): each step is given as soon as its line
    is read and valid, so memory does not grow with the trace. The first problem raises its TraceError when the
    reader reaches it, after the steps before it were given."""
    name = "<stdin>" if source == "-" else source
    if source == "-" and sys.stdin is None:  # started with descriptor 0 closed (`<&-`)
        raise TraceError(f"cannot read {name}: standard input is closed")
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise TraceError(f"cannot read {name}: {error.strerror or error}") from None
    try:
        yield from parse_lines(_lines_of(stream, name), name)
    finally:
        if source != "-":
            stream.close()


def _lines_of(stream: BinaryIO, name: str) -> Iterator[bytes]:
    """The stream's lines as they arrive (a line is given once its newline, or the end, is read)."""
    while True:
        try:
            line = stream.readline()
        except OSError as error:
            raise TraceError(f"cannot read {name}: {error.strerror or error}") from None
        if not line:
            return
        yield line


def parse(data: bytes, name: str = "<trace>") -> list[Step]:
    """A trace from its bytes: strict UTF-8, one JSON object per line, each a valid step, in a valid order."""
    # The lines _lines_of(io.BytesIO(data)) gives, without their LF: split on LF, where the last piece is the text
    # after the last LF (none when the data ends with one). tests/test_replay_fast_paths.py holds the two equal.
    try:
        text = data.decode("utf-8")  # one decoding for the whole trace (LF is byte 0x0A only in UTF-8)
    except UnicodeDecodeError:  # read line by line, which names the first line that is not UTF-8
        lines = data.split(b"\n")
        if not lines[-1]:
            lines.pop()
        return list(parse_lines(lines, name))
    texts = text.split("\n")
    if not texts[-1]:
        texts.pop()
    # The number screen once for the whole text (none of its substrings holds a line break, so it finds nothing in
    # the whole text only if it finds nothing in any line): the usual trace needs it for no line.
    return list(_steps_of(texts, name, may_need_the_hooks=_may_need_the_hooks(text)))


def parse_lines(lines: Iterable[bytes], name: str = "<trace>") -> Iterator[Step]:
    """Steps from a trace's lines (each with or without its \n), validated one line at a time; the order rules are
    checked as the steps go by (OrderCheck), and the end of the lines closes the check."""
    return _steps_of(_decoded(lines, name), name)


def _decoded(lines: Iterable[bytes], name: str) -> Iterator[str]:
    """Each line as text, without its \n: strict UTF-8, the first line that is not naming itself."""
    for number, raw in enumerate(lines, start=1):
        body = raw[:-1] if raw.endswith(b"\n") else raw
        try:
            yield body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise TraceError(f"{name}, line {number}: not UTF-8 (byte 0x{body[error.start]:02x})") from None


#: The ops whose steps the order rules look at whatever their arguments (every other op's step, once construct has
#: come, is checked only for certificate references).
_ORDERED_OPS: Final = frozenset({"generateCertificate", "construct"})


def _steps_of(lines: Iterable[str], name: str, *, may_need_the_hooks: bool = True) -> Iterator[Step]:
    """parse_lines on lines that are text; `may_need_the_hooks` False: _may_need_the_hooks is False for every line."""
    order = OrderCheck(name)
    version, first_step, number = FORMAT_VERSION, 1, 0
    for number, line in enumerate(lines, start=1):  # (number, after the loop, counts the lines)
        if number == 1:
            declared = _header_version(line, name)
            if declared is not None:  # a header is line 1; steps keep the numbers of their lines
                version, first_step = declared, 2
                continue
        may_hold_tags = "$" in line or ("\\u" in line and _may_hold_tags(line))  # _may_hold_tags, "$" first
        step = _parse_step(line, number, name, version, may_hold_tags, may_need_the_hooks)
        # A "$certificate" key is written as itself unless a \u escape spells one of its characters.
        may_hold_references = may_hold_tags and ("$certificate" in line or "\\u" in line)
        # Once construct has come, a step of another op without references breaks no order rule: not looked at.
        if may_hold_references or not order.constructed or step.op in _ORDERED_OPS:
            order.step(step, may_hold_references)
        yield step
    if number < first_step:
        raise TraceError(f"{name}: the trace is empty (it needs a construct step)")
    order.end()


class _NumberError(ValueError):
    pass


def _reject_constant(literal: str) -> float:
    raise _NumberError(f'{literal} is not JSON (write {{"$js": "{literal}"}})')


def _finite_float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise _NumberError(f"the number {_abbreviate(literal)} is not a finite double")
    return number


def _finite_int(literal: str) -> int | float:
    digits = len(literal.lstrip("-"))
    if digits > MAX_NUMBER_DIGITS:
        raise _NumberError(f"the number {_abbreviate(literal)} ({digits} digits) is not a finite double")
    number = int(literal)
    try:
        float(number)
    except OverflowError:
        raise _NumberError(f"the number {_abbreviate(literal)} is not a finite double") from None
    if abs(number) > 2**53:  # JSON.parse gives the nearest double: 9007199254740993 is 9007199254740992
        return int(float(number))
    return -0.0 if literal == "-0" else number  # JSON.parse("-0") is -0


# The reference reader: json.loads with the number hooks above. (json.loads with hooks builds a new decoder and
# scanner for every call; one built once decodes the same.)
_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float, parse_int=_finite_int)
# A line orjson may read instead: one with no exponent ("1e5"), no run of 16 digits or dots (a number too long to
# be read the same by every correct parser, or an integer beyond 2**53, which the hooks round), and no "-0" that is
# not "-0." (the hooks read the integer -0 as -0.0). Strings holding these only send a line the slow way.
# (In a number a "." follows a digit, so a run of 16 digits or dots in one starts with a digit.)
_NEEDS_THE_HOOKS = re.compile(r"[0-9](?:[eE]|[0-9.]{15})|-0(?!\.)")


# What the regex can match, found without it (a regex scan costs more than this, even on a short line): its "-0",
# a digit before "e" or "E" (each digit made "0" and "E" made "e" by _DIGITS_AND_E), or a run of 16 digits or dots
# (each made "0" by _DIGITS_AND_DOTS). Made in the line's UTF-8 bytes, where every ASCII character is its own byte and
# no other byte is ASCII, by one table look-up a byte (bytes.translate; str.translate costs ten times more); the
# substrings are then looked for in text (the bytes read as Latin-1, one character a byte), because CPython's
# `bytes in bytes` first tries its left operand as a byte value and raises and clears a TypeError every time.
_DIGITS_AND_E: Final = bytes.maketrans(b"123456789E", b"000000000e")
_DIGITS_AND_DOTS: Final = bytes.maketrans(b"123456789.", b"0000000000")


def _may_need_the_hooks(line: str) -> bool:
    """True wherever _NEEDS_THE_HOOKS finds a match (and on some lines where it finds none): a line for which it
    is False needs no regex scan (tests/test_replay_fast_paths.py holds the two to this)."""
    if "-0" in line:
        return True
    data = line.encode("utf-8", "surrogatepass")
    return "0e" in data.translate(_DIGITS_AND_E).decode("latin-1") or "0000000000000000" in data.translate(
        _DIGITS_AND_DOTS
    ).decode("latin-1")


def _load_json(line: str, may_need_the_hooks: bool = True) -> object:
    """The line's JSON value, as the reference reader gives it. orjson reads a line whose numbers need none of the
    hooks (it returns what the reference returns there); anything orjson refuses, or the hooks must see, goes to the
    reference reader, which accepts it or explains the refusal in its own words (a lone surrogate escape, NaN,
    nesting deeper than orjson takes: the reference decides). `may_need_the_hooks` False: the caller's screen of a
    text holding the line found nothing."""
    if not (may_need_the_hooks and _may_need_the_hooks(line)) or _NEEDS_THE_HOOKS.search(line) is None:
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError:
            pass
    if line.startswith("\ufeff"):  # what json.loads refuses before it decodes (the decoder alone would not)
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", line, 0)
    return _DECODER.decode(line)


def _may_hold_tags(line: str) -> bool:
    """Whether the line can hold a tag at all: a tag key is written "$..." or "\\u0024..." (any case of hex)."""
    return "$" in line or ("\\u" in line and "\\u0024" in line.lower())


def _parse_step(
    line: str, number: int, name: str, version: int, may_hold_tags: bool, may_need_the_hooks: bool = True
) -> Step:
    # (The place, f"{name}, line {number}", is spelled only on the way to an error; a blank line is not JSON, so it
    # is told apart only there.)
    try:
        record = _load_json(line, may_need_the_hooks)
    except _NumberError as error:
        raise TraceError(f"{name}, line {number}: {error}") from None
    except RecursionError:
        raise TraceError(f"{name}, line {number}: nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # json.JSONDecodeError, or a literal Python refuses to convert
        if line.strip() == "":
            raise TraceError(f"{name}, line {number}: blank line (every line is one step)") from None
        raise TraceError(f"{name}, line {number}: not JSON ({error})") from None
    # A line nested deeper than MAX_DEPTH holds MAX_DEPTH + 1 openings and their closings: the shortest is not short.
    if len(line) >= _SHORTEST_TOO_DEEP and _depth_exceeds(line, record, MAX_DEPTH):
        raise TraceError(f"{name}, line {number}: nested deeper than {MAX_DEPTH} levels")
    if not isinstance(record, dict):
        raise TraceError(f"{name}, line {number}: a step is a JSON object, not {type(record).__name__}")
    op: Any = record.get("op")  # a str once the look-up below has found it
    try:
        compiled = _COMPILED[version][may_hold_tags][op]  # a KeyError for an unknown op, a TypeError for a list
    except (KeyError, TypeError):
        raise TraceError(
            f"{name}, line {number}: unknown op {_abbreviate(repr(op))} (known: {', '.join(ops(version))})"
        ) from None
    # A yes of the compiled validator is the schema's yes. A no (or a value the compiled one cannot take, such as a
    # lone surrogate) is decided, and explained, by the reference validator: the same schema, its messages.
    try:
        valid = compiled.is_valid(record)
    except UnicodeEncodeError:  # a string holding a lone surrogate is not UTF-8: the compiled one cannot take it
        valid = False
    if not valid:
        problem = best_match(_validator(op, may_hold_tags, version).iter_errors(record))
        if problem is not None:
            raise TraceError(f"{name}, line {number}: {problem.json_path}: {_schema_message(problem)}")
    # The reader's values are plain JSON: dicts, lists, str, int, bool, None and finite floats (the hooks refuse
    # the rest), so its steps' args need no check before they are written (Step.plain_args).
    return made_step(
        op, record["args"], record.get("outcome"), record.get("after"), number, version, not may_hold_tags, True
    )


def _schema_message(problem: ValidationError) -> str:
    # The schema's one false subschema is the $remote rule; jsonschema reports it at the object, not its member.
    if problem.schema is False:
        return f"{REMOTE_TAG} is only allowed as setRemoteDescription's args.description"
    if problem.validator == "enum" and problem.validator_value == ["$js", "$certificate", "$sdp"]:
        return f"unknown tag {problem.instance!r} (a one-member object keyed $... is a tag: $js, $certificate, $sdp)"
    return _abbreviate(problem.message, 200)


def _depth_exceeds(line: str, record: object, limit: int) -> bool:
    if line.count("[") + line.count("{") <= limit:  # an upper bound on the depth (brackets in strings count too)
        return False
    pending: list[tuple[object, int]] = [(record, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


class OrderCheck:
    """The order rules, one step at a time: zero or more generateCertificate steps, exactly one construct, then
    the rest; certificate names bound before use. Holds only the certificate names and whether construct came."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.certificates: set[object] = set()
        self.constructed = False

    def step(self, step: Step, may_hold_references: bool = True) -> None:
        """Check one step; `may_hold_references` False (its line holds no "$certificate", written as itself or
        with \\u escapes) skips looking for certificate references."""
        op = step.op
        if op == "generateCertificate":
            if self.constructed:
                raise TraceError(f"{self._where(step)}: generateCertificate steps come before construct")
            if step.args["name"] in self.certificates:
                raise TraceError(f"{self._where(step)}: a second certificate named {step.args['name']!r}")
        elif op == "construct":
            if self.constructed:
                raise TraceError(f"{self._where(step)}: a second construct step (a trace has exactly one)")
            self.constructed = True
        elif not self.constructed:
            raise TraceError(f"{self._where(step)}: {op} before construct")
        if may_hold_references:
            for reference in certificate_references(step.args):
                if reference not in self.certificates:
                    raise TraceError(
                        f"{self._where(step)}: no certificate named {reference!r} is generated before this step"
                    )
        if op == "generateCertificate":
            self.certificates.add(step.args["name"])

    def _where(self, step: Step) -> str:
        """The place an error names (spelled only on the way to one)."""
        return f"{self.name}, line {step.line}"

    def end(self) -> None:
        if not self.constructed:
            raise TraceError(f"{self.name}: the trace has no construct step")


# ---- writing ------------------------------------------------------------------------------------------


# The reference writer: json.dumps with these options (built once: json.dumps builds one for every call).
_ENCODER: Final = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# orjson writes what the reference writes for plain JSON values (sorted keys, no spaces, non-ASCII as itself, the
# same escapes of control characters, '"' and "\\"), except: floats in 1e-9 <= |x| < 1e-4 ("0.00001" and "1e-9"
# where Python writes "1e-05" and "1e-09"), U+2028 and U+2029 (which it writes as themselves), and NaN and the
# infinities (null, where the reference refuses). Lines holding a digit then "e-", "0.0000" or U+2028/U+2029 take
# the reference; values other than plain JSON (checked first, _plain_json) too. The passthrough options make orjson
# refuse, not convert, dataclasses, datetimes and subclasses of str, int, dict and list.
_ORJSON_OPTIONS: Final = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)


def dump_step(step: Step) -> str:
    """The canonical line: sorted keys, no spaces, UTF-8 as itself (a lone surrogate, U+2028 and U+2029 as their
    \\u escapes). orjson writes it when the reference would write the same bytes (above); else the reference."""
    record = step.to_json()
    if step.plain_record or (
        type(step.op) is str and _plain_json((step.outcome, step.after))  # one walk over the two
        if step.plain_args
        else _plain_json(record)
    ):
        try:
            written = orjson.dumps(record, option=_ORJSON_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError: a lone surrogate, a key that is not a string, too deep
            pass
        else:
            text = written.decode("utf-8")
            if not _reference_writes_differently(text):
                return text
    text = _ENCODER.encode(record)
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


_DIGITS: Final = bytes.maketrans(b"123456789", b"000000000")


def _reference_writes_differently(written: str) -> bool:
    """Whether orjson's line (as text) may differ from the reference's: a float written with a digit then "e-" or
    with "0.0000", or U+2028 or U+2029. Substring searches in text (see _may_need_the_hooks): "e-" also appears in
    words ("have-local-offer"), so where it does, a digit before it is looked for, every digit made "0"."""
    if "0.0000" in written or "\u2028" in written or "\u2029" in written:
        return True
    return "e-" in written and "0e-" in written.encode("utf-8", "surrogatepass").translate(_DIGITS).decode("latin-1")


_SCALARS: Final = frozenset({str, int, bool, type(None)})


def _plain_json(value: object) -> bool:
    """Whether `value` holds only dicts, lists, tuples, strings, ints, bools, None and finite floats, of exactly
    those types (no subclass, no NaN or infinity): what orjson and the reference write alike."""
    try:
        return _plain_by_recursion(value)
    except RecursionError:  # nested deeper than the interpreter's recursion limit (orjson refuses it anyway)
        return _plain_json_at_any_depth(value)


def _plain_by_recursion(value: object) -> bool:
    """_plain_json's walk, recursive, a member of an exact scalar type taken without a call
    (tests/test_replay_fast_paths.py holds it to _plain_json_at_any_depth)."""
    kind = type(value)
    if kind is dict:
        members: Iterable[object] = value.values()  # type: ignore[attr-defined]
    elif kind is list or kind is tuple:
        members = value  # type: ignore[assignment]
    elif kind in _SCALARS:
        return True
    else:
        return kind is float and math.isfinite(value)  # type: ignore[arg-type]
    for member in members:  # noqa: SIM110 (a loop: all() over a generator costs a frame switch a member)
        if type(member) not in _SCALARS and not _plain_by_recursion(member):
            return False
    return True


def _plain_json_at_any_depth(value: object) -> bool:
    """_plain_json with a stack of its own, for a value nested too deep to walk by recursion."""
    pending = [value]
    pop, push = pending.pop, pending.extend
    while pending:
        item = pop()
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if type(item) is dict:
            push(item.values())
        elif type(item) is list or type(item) is tuple:
            push(item)
        elif type(item) is not float or not math.isfinite(item):
            return False
    return True


def dumps(steps: Sequence[Step]) -> str:
    """The canonical trace: a header line first when the steps are of a version that has one."""
    first = header(steps[0].version) if steps else None
    lines = [json.dumps(first, sort_keys=True, separators=(",", ":"))] if first is not None else []
    return "".join(line + "\n" for line in [*lines, *(dump_step(step) for step in steps)])


def split_header(trace: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """A trace as runners pass it (JSON objects): its header object, if it begins with one, and its steps."""
    if trace and isinstance(trace[0], dict) and "op" not in trace[0] and HEADER_KEY in trace[0]:
        return [trace[0]], list(trace[1:])
    return [], list(trace)


def wire(steps: Sequence[Step]) -> list[dict[str, object]]:
    """The calls as a runner is handed them (the JS runner's runTrace): the header object first for a v2 trace."""
    first = header(steps[0].version) if steps else None
    calls: list[dict[str, object]] = [{"op": s.op, "args": s.args} for s in steps]
    return [first, *calls] if first is not None else calls


def _abbreviate(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-(limit // 2) :]
