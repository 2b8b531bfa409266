"""The model's faster paths against the plain ones they replaced: for every generated input, the same result, or
the same first error (class, name, kind, spec citation, message). The reference paths are written here as the
model had them, built from the general WebIDL steps (Converter.members, Converter.sequence), so that a faster
path can never drift from them unseen."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from peerspec.model import RTCCertificate, RTCPeerConnection
from peerspec.model.configuration import (
    BUNDLE_POLICIES,
    ICE_TRANSPORT_POLICIES,
    RTCP_MUX_POLICIES,
    RTCConfiguration,
    RTCIceServer,
)
from peerspec.model.errors import ErrorKind, SpecError
from peerspec.model.js_values import JSValue, is_array, to_string, to_usv_string
from peerspec.model.webidl import Converter, _converting, to_rtc_configuration
from peerspec.properties.strategies import configuration_arguments, js_values

CERTIFICATES = [RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"}, seed=n) for n in (1, 2)]


@_converting
def reference_rtc_configuration(value: JSValue, kind: ErrorKind = "throw") -> RTCConfiguration:
    """WebIDL dictionary conversion of an RTCConfiguration through the general steps, places named eagerly."""
    convert = Converter(kind)
    where = "RTCConfiguration"
    members = convert.members(value, where)
    result: dict[str, object] = {}
    if "bundlePolicy" in members:
        result["bundlePolicy"] = convert.enum(members["bundlePolicy"], f"{where}.bundlePolicy", BUNDLE_POLICIES)
    if "certificates" in members:
        result["certificates"] = convert.sequence(
            members["certificates"], f"{where}.certificates", lambda item, at: _certificate(convert, item, at)
        )
    if "iceCandidatePoolSize" in members:
        result["iceCandidatePoolSize"] = convert.enforce_range_integer(
            members["iceCandidatePoolSize"], f"{where}.iceCandidatePoolSize", 0, 255
        )
    if "iceServers" in members:
        result["iceServers"] = convert.sequence(
            members["iceServers"], f"{where}.iceServers", lambda item, at: _ice_server(convert, item, at)
        )
    if "iceTransportPolicy" in members:
        result["iceTransportPolicy"] = convert.enum(
            members["iceTransportPolicy"], f"{where}.iceTransportPolicy", ICE_TRANSPORT_POLICIES
        )
    if "rtcpMuxPolicy" in members:
        result["rtcpMuxPolicy"] = convert.enum(members["rtcpMuxPolicy"], f"{where}.rtcpMuxPolicy", RTCP_MUX_POLICIES)
    return RTCConfiguration(**result)  # type: ignore[arg-type]


def _certificate(convert: Converter, value: JSValue, where: str) -> RTCCertificate:
    if not isinstance(value, RTCCertificate):
        raise convert.fail(where, "is not an RTCCertificate")
    return value


def _ice_server(convert: Converter, value: JSValue, where: str) -> RTCIceServer:
    members = convert.members(value, where)
    credential = to_string(members["credential"]) if "credential" in members else None
    if "urls" not in members:
        raise convert.fail(f"{where}.urls", "is required")
    value_of_urls = members["urls"]
    urls: str | tuple[str, ...]
    if is_array(value_of_urls):
        urls = convert.sequence(value_of_urls, f"{where}.urls", lambda item, _at: to_usv_string(item))
    else:
        urls = to_usv_string(value_of_urls)
    username = to_string(members["username"]) if "username" in members else None
    return RTCIceServer(urls=urls, username=username, credential=credential)


def outcome(convert: Any, value: JSValue, kind: ErrorKind) -> tuple[object, ...]:
    """What a conversion gives: its result (certificates by identity), or its error as a script sees it."""
    try:
        result = convert(value, kind=kind)
    except SpecError as error:
        return ("error", type(error), error.name, error.kind, error.spec, error.message)
    return ("ok", result, tuple(id(certificate) for certificate in result.certificates))


configuration_inputs = st.one_of(
    configuration_arguments(st.sampled_from(CERTIFICATES)),
    js_values(8),
    st.fixed_dictionaries(  # servers and certificates of every shape, the members the fast paths take apart
        {},
        optional={
            "iceServers": st.lists(st.one_of(js_values(4), st.dictionaries(st.sampled_from(["urls"]), js_values(3)))),
            "certificates": st.lists(st.one_of(st.sampled_from(CERTIFICATES), js_values(2)), max_size=3),
        },
    ),
)


@settings(max_examples=600)
@given(configuration_inputs, st.sampled_from(["throw", "reject"]))
def test_rtc_configuration_conversion_is_the_general_steps(value: JSValue, kind: ErrorKind) -> None:
    assert outcome(to_rtc_configuration, value, kind) == outcome(reference_rtc_configuration, value, kind)
