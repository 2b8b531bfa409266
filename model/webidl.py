"""WebIDL conversion of JavaScript-shaped input into the spec's dictionaries (WebIDL §3.2).

Conversion happens before any step of the method runs, so every TypeError here precedes every error
the spec's own steps raise. Dictionary members are converted in lexicographic order of their names
(WebIDL §3.2.18 "dictionary"), so the first member that fails in that order decides the TypeError.
For promise-returning methods a conversion failure rejects the promise (WebIDL §3.7 "operations
returning a promise"); the caller says which with `kind`.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from typing import Final, TypeVar

from peerspec.model.certificates import RTCCertificate
from peerspec.model.configuration import (
    BUNDLE_POLICIES,
    ICE_TRANSPORT_POLICIES,
    RTCP_MUX_POLICIES,
    RTCConfiguration,
    RTCIceServer,
)
from peerspec.model.errors import ErrorKind, TypeError_, WebIDLTypeError
from peerspec.model.js_values import (
    ABSENT,
    ARRAY_TYPES,
    ORDINARY_TO_PRIMITIVE,
    UNDEFINED,
    JSValue,
    NoPrimitiveValue,
    is_array,
    is_object,
    to_boolean,
    to_number,
    to_string,
    to_usv_string,
)
from peerspec.model.signaling import SDP_TYPES

T = TypeVar("T")


def _converting(function: Callable[..., T]) -> Callable[..., T]:
    """A public conversion, with OrdinaryToPrimitive's failure (a JSON object whose own "toString" member is not
    callable) raised as the TypeError JavaScript throws there, thrown or rejected as the conversion's kind."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def converted(*args: object, **kwargs: object) -> T:
        try:
            return function(*args, **kwargs)
        except NoPrimitiveValue as error:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            raise TypeError_(ORDINARY_TO_PRIMITIVE, str(error), kind=bound.arguments["kind"]) from None

    return converted


def _defined_members(value: dict[str, JSValue]) -> dict[str, JSValue]:
    """A plain Object's members without those that are undefined (WebIDL dictionary step 4: an undefined member is
    not present). The object itself when none is: conversion reads the members and changes none."""
    if id(UNDEFINED) not in map(id, value.values()):  # by identity, as `is` (no member's __eq__ runs), in C
        return value
    return {key: member for key, member in value.items() if member is not UNDEFINED}


class Converter:
    """Converts one argument; `where` names the value in error messages (e.g. "RTCConfiguration.iceServers")."""

    def __init__(self, kind: ErrorKind) -> None:
        self.kind: ErrorKind = kind

    def fail(self, where: str, why: str) -> WebIDLTypeError:
        return TypeError_(f"WebIDL conversion of {where}", why, kind=self.kind)

    def members(self, value: JSValue, where: str) -> dict[str, JSValue]:
        """WebIDL dictionary step 1: undefined and null are an empty dictionary, other non-objects fail."""
        if isinstance(value, dict):  # the usual case first: a plain Object is an object, so the order changes nothing
            return _defined_members(value)
        if value is None or value is UNDEFINED:
            return {}
        if not is_object(value):
            raise self.fail(where, f"{to_string(value)!r} is not an object")
        properties = getattr(value, "js_properties", None)
        if callable(properties):  # a platform object, e.g. an RTCSessionDescription: its attributes
            return {key: member for key, member in properties().items() if member is not UNDEFINED}
        return {}  # an Array or another platform object has none of the dictionary's members

    def sequence(self, value: JSValue, where: str, element: Callable[[JSValue, str], T]) -> tuple[T, ...]:
        """WebIDL sequence<T>: an iterable object (here: an Array), each element converted in order."""
        if not is_array(value):
            raise self.fail(where, "is not an iterable object")
        assert isinstance(value, ARRAY_TYPES)
        return tuple(element(item, f"{where}[{index}]") for index, item in enumerate(value))

    def enum(self, value: JSValue, where: str, allowed: tuple[str, ...]) -> str:
        text = to_string(value)
        if text not in allowed:
            raise self.fail(where, f"{text!r} is not one of {', '.join(allowed)}")
        return text

    def enforce_range_integer(self, value: JSValue, where: str, low: int, high: int) -> int:
        """[EnforceRange] integer types (WebIDL §3.2.4 ConvertToInt with enforceRange)."""
        number = to_number(value)
        if math.isnan(number) or math.isinf(number):
            raise self.fail(where, f"{to_string(value)!r} is not a finite number ([EnforceRange])")
        number = math.trunc(number)
        if not low <= number <= high:
            raise self.fail(where, f"{number} is outside {low}..{high} ([EnforceRange])")
        return int(number)


def _to_rtc_configuration(value: JSValue, kind: ErrorKind = "throw") -> RTCConfiguration:
    """WebIDL dictionary conversion of an RTCConfiguration (webrtc-pc §4.2.1): members in lexicographic order,
    bundlePolicy, certificates, iceCandidatePoolSize, iceServers, iceTransportPolicy, rtcpMuxPolicy. The places
    named in errors are spelled out only when an error is raised."""
    convert = Converter(kind)
    members = convert.members(value, "RTCConfiguration")
    result: dict[str, object] = {}
    if "bundlePolicy" in members:
        result["bundlePolicy"] = convert.enum(members["bundlePolicy"], "RTCConfiguration.bundlePolicy", BUNDLE_POLICIES)
    if "certificates" in members:
        result["certificates"] = _certificates(convert, members["certificates"])
    if "iceCandidatePoolSize" in members:
        result["iceCandidatePoolSize"] = convert.enforce_range_integer(
            members["iceCandidatePoolSize"], "RTCConfiguration.iceCandidatePoolSize", 0, 255
        )
    if "iceServers" in members:
        result["iceServers"] = _ice_servers(convert, members["iceServers"])
    if "iceTransportPolicy" in members:
        result["iceTransportPolicy"] = convert.enum(
            members["iceTransportPolicy"], "RTCConfiguration.iceTransportPolicy", ICE_TRANSPORT_POLICIES
        )
    if "rtcpMuxPolicy" in members:
        result["rtcpMuxPolicy"] = convert.enum(
            members["rtcpMuxPolicy"], "RTCConfiguration.rtcpMuxPolicy", RTCP_MUX_POLICIES
        )
    return RTCConfiguration(**result)  # type: ignore[arg-type]


def _certificates(convert: Converter, value: JSValue) -> tuple[RTCCertificate, ...]:
    """sequence<RTCCertificate>: an iterable object, each element an RTCCertificate (a platform object converts
    to itself), checked in order."""
    if not is_array(value):
        raise convert.fail("RTCConfiguration.certificates", "is not an iterable object")
    assert isinstance(value, ARRAY_TYPES)
    for index, item in enumerate(value):
        if not isinstance(item, RTCCertificate):
            raise convert.fail(f"RTCConfiguration.certificates[{index}]", "is not an RTCCertificate")
    return tuple(value)


def _ice_servers(convert: Converter, value: JSValue) -> tuple[RTCIceServer, ...]:
    """sequence<RTCIceServer>: an iterable object, each element converted in order."""
    if not is_array(value):
        raise convert.fail("RTCConfiguration.iceServers", "is not an iterable object")
    assert isinstance(value, ARRAY_TYPES)
    return tuple(_ice_server(convert, item, index) for index, item in enumerate(value))


def _ice_server(convert: Converter, value: JSValue, index: int) -> RTCIceServer:
    """Convert an RTCIceServer (webrtc-pc §4.2.2): members credential, urls (required), username."""
    if isinstance(value, dict):  # what Converter.members does for a plain Object, without naming the place
        members = _defined_members(value)
    else:
        members = convert.members(value, f"RTCConfiguration.iceServers[{index}]")
    credential = to_string(members["credential"]) if "credential" in members else None
    if "urls" not in members:
        raise convert.fail(f"RTCConfiguration.iceServers[{index}].urls", "is required")
    urls = _urls(members["urls"])
    username = to_string(members["username"]) if "username" in members else None
    return RTCIceServer(urls=urls, username=username, credential=credential)


def _urls(value: JSValue) -> str | tuple[str, ...]:
    """(USVString or sequence<USVString>): an iterable object is a sequence, anything else goes
    through ToString (WebIDL §3.2.24 union conversion), so null becomes "null". Neither fails with a TypeError
    of its own (an element's ToString can only fail in OrdinaryToPrimitive)."""
    if isinstance(value, ARRAY_TYPES):  # is_array
        return tuple([to_usv_string(item) for item in value])
    return to_usv_string(value)


def _to_offer_options(value: JSValue, kind: ErrorKind = "reject") -> bool:
    """Convert RTCOfferOptions (webrtc-pc §4.2.6.2) and return its iceRestart member (default false)."""
    members = Converter(kind).members(value, "RTCOfferOptions")
    return to_boolean(members["iceRestart"]) if "iceRestart" in members else False


def _to_answer_options(value: JSValue, kind: ErrorKind = "reject") -> None:
    """Convert RTCAnswerOptions (webrtc-pc §4.2.6): no members, but a non-object still fails."""
    Converter(kind).members(value, "RTCAnswerOptions")


def _to_local_description_init(value: JSValue, kind: ErrorKind = "reject") -> tuple[str | None, str]:
    """Convert RTCLocalSessionDescriptionInit (webrtc-pc §4.6.2): optional type, sdp defaulting to ""."""
    convert = Converter(kind)
    where = "RTCLocalSessionDescriptionInit"
    members = convert.members(value, where)
    sdp = to_string(members["sdp"]) if "sdp" in members else ""
    sdp_type = convert.enum(members["type"], f"{where}.type", SDP_TYPES) if "type" in members else None
    return sdp_type, sdp


def _to_session_description_init(value: JSValue, kind: ErrorKind = "reject") -> tuple[str, str]:
    """Convert RTCSessionDescriptionInit (webrtc-pc §4.6.2): required type, sdp defaulting to ""."""
    convert = Converter(kind)
    where = "RTCSessionDescriptionInit"
    if value is ABSENT:
        raise convert.fail("setRemoteDescription", "the description argument is required")
    members = convert.members(value, where)
    sdp = to_string(members["sdp"]) if "sdp" in members else ""
    if "type" not in members:
        raise convert.fail(f"{where}.type", "is required")
    return convert.enum(members["type"], f"{where}.type", SDP_TYPES), sdp


def _to_data_channel_label(value: JSValue, kind: ErrorKind = "throw") -> str:
    """createDataChannel's first argument: a required USVString."""
    if value is ABSENT:
        raise Converter(kind).fail("createDataChannel", "the label argument is required")
    return to_usv_string(value)


# The public conversions, each with _converting's OrdinaryToPrimitive handling (assigned, not decorated: mutmut
# leaves decorated functions alone, and these are the conversions' steps).
to_rtc_configuration: Final = _converting(_to_rtc_configuration)
to_offer_options: Final = _converting(_to_offer_options)
to_answer_options: Final = _converting(_to_answer_options)
to_local_description_init: Final = _converting(_to_local_description_init)
to_session_description_init: Final = _converting(_to_session_description_init)
to_data_channel_label: Final = _converting(_to_data_channel_label)
