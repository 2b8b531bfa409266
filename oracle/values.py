"""Tagged values (trace format v1): the JavaScript values JSON cannot hold, written as one-member objects.

    {"$js": "undefined" | "NaN" | "Infinity" | "-Infinity"}   undefined, NaN, +Infinity, -Infinity
    {"$certificate": NAME}                                     the RTCCertificate generateCertificate NAME made
    {"$sdp": "last-offer" | "last-answer"}                     the sdp of this trace's latest createOffer/createAnswer
    {"$remote": "offer" | "answer" | "pranswer"}               only as setRemoteDescription's description (the
                                                               runner asks the remote peer for it; not decoded here)

A tag is an object whose *only* member is the tag key. An object holding a tag key next to other members is
refused rather than read as a plain object, so that no valid trace means one thing here and another in a
runner. Everything else passes through unchanged: hostile values must reach the implementation as written.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Final

import orjson

from peerspec.model import UNDEFINED, RTCCertificate
from peerspec.oracle.errors import TraceError

JS_TAG: Final = "$js"
CERTIFICATE_TAG: Final = "$certificate"
SDP_TAG: Final = "$sdp"
REMOTE_TAG: Final = "$remote"
TAG_KEYS: Final = frozenset({JS_TAG, CERTIFICATE_TAG, SDP_TAG, REMOTE_TAG})

JS_CONSTANTS: Final[Mapping[str, object]] = {
    "undefined": UNDEFINED,
    "NaN": math.nan,
    "Infinity": math.inf,
    "-Infinity": -math.inf,
}
_CONTAINERS: Final = (dict, list)  # isinstance's tuples, built once (a union is built each time it is evaluated)
_USUAL_KINDS: Final = (str, bool, int)
_ARRAYS: Final = (list, tuple)
SDP_SOURCES: Final = ("last-offer", "last-answer")
REMOTE_KINDS: Final = ("offer", "answer", "pranswer")


@dataclass
class DecodeContext:
    """What a tag can refer to at this point of a run."""

    certificates: Mapping[str, RTCCertificate]
    last_offer_sdp: str = ""
    last_answer_sdp: str = ""


def decode(value: object, context: DecodeContext) -> object:
    """A trace value as the JavaScript value it stands for (model input). Strict: an unknown tag is a TraceError."""
    # A member that is neither an object nor an array decodes to itself: taken as it is, without a call.
    if isinstance(value, dict):
        tag = _tag_key(value)
        if tag is None:
            return {
                key: decode(member, context) if isinstance(member, _CONTAINERS) else member
                for key, member in value.items()
            }
    elif isinstance(value, list):
        return [decode(item, context) if isinstance(item, _CONTAINERS) else item for item in value]
    else:
        return value
    return _decoded_tag(tag, value[tag], context)


def decode_sharing(value: object, context: DecodeContext) -> object:
    """decode's value, sharing with `value` every object and array that holds no tag: only the objects and arrays
    on the way to a tag are new. For a caller that changes no part of either (the model runner: the model changes no
    argument). Same errors as decode; tests/test_replay_fast_paths.py holds the two to the same values."""
    kind = type(value)
    if kind is dict:
        members: dict[object, object] = value  # type: ignore[assignment]
        if not TAG_KEYS.isdisjoint(members):  # one look at the keys, in C
            if len(members) == 1:
                for key, tagged in members.items():  # the one member
                    return _decoded_tag(key, tagged, context)  # type: ignore[arg-type]
            _tag_key(members)  # a tag key beside other members: decode's TraceError
        copied: dict[object, object] | None = None
        for key, member in members.items():
            if isinstance(member, _CONTAINERS):
                decoded = decode_sharing(member, context)
                if decoded is not member:  # a tag inside: the copy holds its decoded value
                    if copied is None:
                        copied = dict(members)
                    copied[key] = decoded
        return members if copied is None else copied
    if kind is list:
        items: list[object] = value  # type: ignore[assignment]
        copy: list[object] | None = None
        for index, item in enumerate(items):
            if isinstance(item, _CONTAINERS):
                decoded = decode_sharing(item, context)
                if decoded is not item:
                    if copy is None:
                        copy = list(items)
                    copy[index] = decoded
        return items if copy is None else copy
    return decode(value, context)  # a scalar (itself), or a subclass of dict or list: decode copies it


def _decoded_tag(tag: str, tagged: object, context: DecodeContext) -> object:
    """The value a tag {TAG: TAGGED} stands for."""
    if tag == JS_TAG:
        if isinstance(tagged, str) and tagged in JS_CONSTANTS:
            return JS_CONSTANTS[tagged]
        raise TraceError(f"unknown {JS_TAG} tag {_short(tagged)} (known: {', '.join(JS_CONSTANTS)})")
    if tag == CERTIFICATE_TAG:
        if isinstance(tagged, str) and tagged in context.certificates:
            return context.certificates[tagged]
        raise TraceError(f"no certificate named {_short(tagged)} was generated earlier in the trace")
    if tag == SDP_TAG:
        if tagged == "last-offer":
            return context.last_offer_sdp
        if tagged == "last-answer":
            return context.last_answer_sdp
        raise TraceError(f"unknown {SDP_TAG} tag {_short(tagged)} (known: {', '.join(SDP_SOURCES)})")
    raise TraceError(f"a {REMOTE_TAG} tag is only allowed as setRemoteDescription's args.description")


@dataclass(frozen=True)
class RemoteRequest:
    """A {"$remote": KIND} description: what the remote peer is asked to make. Only an offer may add
    "iceRestart": true (the remote peer restarts ICE, so the local answer must carry new credentials)."""

    kind: str
    ice_restart: bool = False


def remote_request(value: object) -> RemoteRequest | None:
    """The request in a {"$remote": KIND} description, or None when `value` is not a $remote tag."""
    if not isinstance(value, dict) or REMOTE_TAG not in value:
        return None
    kind = value[REMOTE_TAG]
    if not (isinstance(kind, str) and kind in REMOTE_KINDS):
        raise TraceError(f"unknown {REMOTE_TAG} kind {_short(kind)} (known: {', '.join(REMOTE_KINDS)})")
    extra = set(value) - {REMOTE_TAG}
    if not extra:
        return RemoteRequest(kind)
    if kind == "offer" and extra == {"iceRestart"} and value["iceRestart"] is True:
        return RemoteRequest(kind, ice_restart=True)
    raise TraceError(f'a {REMOTE_TAG} tag allows only "iceRestart": true beside it, and only for an offer')


def certificate_references(value: object) -> Iterator[object]:
    """Every name a {"$certificate": NAME} tag inside `value` refers to, in document order."""
    found: list[object] = []
    try:
        _collect_references(value, found)
    except RecursionError:  # nested deeper than the interpreter's recursion limit (a trace line is at most 64)
        return _references_at_any_depth(value)
    return iter(found)


def _collect_references(value: object, found: list[object]) -> None:
    """certificate_references' walk, recursive, entering only the objects and arrays (tests/test_replay_fast_paths.py
    holds it to _references_at_any_depth)."""
    if isinstance(value, dict):
        if len(value) == 1 and CERTIFICATE_TAG in value:
            found.append(value[CERTIFICATE_TAG])
            return
        for member in value.values():
            if isinstance(member, _CONTAINERS):
                _collect_references(member, found)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, _CONTAINERS):
                _collect_references(item, found)


def _references_at_any_depth(value: object) -> Iterator[object]:
    """certificate_references with a stack of its own, for a value nested too deep to walk by recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            if len(item) == 1 and CERTIFICATE_TAG in item:
                yield item[CERTIFICATE_TAG]
            else:
                pending.extend(reversed(list(item.values())))


_EXACT_USUAL_KINDS: Final = frozenset({str, bool, int, type(None)})  # each encodes to itself


def encode(value: object, certificate_names: Mapping[int, str]) -> object:
    """A model result as trace JSON: non-JSON numbers and undefined tagged, certificates by the name they were made
    under (keyed by id(); an unnamed certificate is {"$certificate": null}), tuples as arrays."""
    # The exact types a model result is made of, told by one look-up of the type; everything else (floats,
    # undefined, subclasses, what cannot be encoded) by encode_by_kind, which gives the same value for these too
    # (tests/test_replay_fast_paths.py holds the two equal).
    kind = type(value)
    if kind in _EXACT_USUAL_KINDS:
        return value
    if kind is dict:
        return {
            key if type(key) is str else str(key): member
            if type(member) in _EXACT_USUAL_KINDS
            else encode(member, certificate_names)
            for key, member in value.items()  # type: ignore[attr-defined]
        }
    if kind is list or kind is tuple:
        return [
            item if type(item) in _EXACT_USUAL_KINDS else encode(item, certificate_names)
            for item in value  # type: ignore[attr-defined]
        ]
    if kind is RTCCertificate:
        return {CERTIFICATE_TAG: certificate_names.get(id(value))}
    return encode_by_kind(value, certificate_names)


_PASSTHROUGH: Final = (
    orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
)
_UNDEFINED_TAG: Final = {JS_TAG: "undefined"}


def encode_json_shaped(value: object, certificate_names: Mapping[int, str]) -> object:
    """encode's value, for a value holding no enum member and no UUID (orjson writes those as their values, where
    encode refuses a plain Enum or keeps a str or int one as it is): encoded in C. Every model result made from trace
    arguments is such a value (a trace's values are exact JSON types, which WebIDL conversion keeps), getConfiguration's
    dictionary among them. orjson writes the value, asking _json_tag for each certificate and undefined, and reads it
    back (new objects, tuples as arrays); what it refuses (a key or a value of a subclass, a lone surrogate, an integer
    beyond 64 bits, nesting beyond its limit) and anything it writes as null (None, NaN and the infinities) is left to
    encode (tests/test_replay_fast_paths.py holds the two equal)."""
    try:
        written = orjson.dumps(value, default=partial(_json_tag, certificate_names), option=_PASSTHROUGH)
    except TypeError:  # orjson.JSONEncodeError
        return encode(value, certificate_names)
    text = written.decode("utf-8")  # (`bytes in bytes` raises and clears a TypeError in CPython: text is cheaper)
    if "null" in text:
        return encode(value, certificate_names)
    return orjson.loads(text)


def _json_tag(certificate_names: Mapping[int, str], value: object) -> object:
    """orjson's default for encode_json_shaped: the tag of a named certificate or of undefined; for anything else the
    TypeError that makes orjson refuse the value."""
    if type(value) is RTCCertificate:
        name = certificate_names.get(id(value))
        if name is not None:
            return {CERTIFICATE_TAG: name}
    elif value is UNDEFINED:
        return _UNDEFINED_TAG
    raise TypeError(f"{type(value).__name__} is encoded by encode")


def encode_by_kind(value: object, certificate_names: Mapping[int, str]) -> object:
    """encode, each value told by isinstance (subclasses as their base kinds): the reference for encode."""
    # The usual kinds first; no value is of two of these kinds, so the order changes no result.
    if value is None or isinstance(value, _USUAL_KINDS):
        return value
    # Members of the usual kinds encode to themselves: taken as they are, without a call.
    if isinstance(value, dict):
        return {
            str(key): member
            if member is None or isinstance(member, _USUAL_KINDS)
            else encode_by_kind(member, certificate_names)
            for key, member in value.items()
        }
    if isinstance(value, _ARRAYS):
        return [
            item if item is None or isinstance(item, _USUAL_KINDS) else encode_by_kind(item, certificate_names)
            for item in value
        ]
    if value is UNDEFINED:
        return {JS_TAG: "undefined"}
    if isinstance(value, float):
        if not math.isfinite(value):
            return {JS_TAG: "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
        return value
    if isinstance(value, RTCCertificate):
        return {CERTIFICATE_TAG: certificate_names.get(id(value))}
    raise ValueError(f"the model returned a value the trace format cannot hold: {value!r}")


def _tag_key(value: dict[object, object]) -> str | None:
    """The tag key of a tag object; None for a plain object; TraceError for a tag key beside other members."""
    if not (JS_TAG in value or CERTIFICATE_TAG in value or SDP_TAG in value or REMOTE_TAG in value):
        return None  # the usual case, decided without building the sorted list below
    present = sorted(key for key in TAG_KEYS if key in value)
    if len(value) != 1:
        raise TraceError(f"a {present[0]} tag must be the only member of its object")
    return present[0]


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
