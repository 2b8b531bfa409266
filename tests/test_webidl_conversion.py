"""WebIDL conversion of the arguments (WebIDL §3.2), which runs before any step of the method.

Every TypeError here comes before the webrtc-pc algorithm starts, so it beats every DOMException the
algorithm could throw. For promise-returning methods the TypeError is a rejection, not a throw.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from peerspec.model import UNDEFINED, RemotePeer, RTCPeerConnection, SpecError, webidl
from peerspec.model.js_values import ABSENT

NAN = float("nan")
INFINITY = float("inf")


def type_error_from(configuration: object) -> SpecError:
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection(configuration)
    assert caught.value.name == "TypeError"
    assert caught.value.kind == "throw"
    return caught.value


def pool_size_after(value: object) -> object:
    return RTCPeerConnection({"iceCandidatePoolSize": value}).getConfiguration()["iceCandidatePoolSize"]


# ---- RTCConfiguration members: order and enums -------------------------------------------------------


def test_members_are_converted_in_lexicographic_order_so_bundlePolicy_fails_first() -> None:
    """WebIDL §3.2.18: dictionary members are converted in lexicographic order of their names."""
    error = type_error_from(
        {"rtcpMuxPolicy": "negotiate", "iceTransportPolicy": "x", "iceServers": None, "bundlePolicy": "x"}
    )
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.bundlePolicy")


def test_certificates_is_converted_before_iceCandidatePoolSize() -> None:
    """WebIDL §3.2.18: "certificates" sorts before "iceCandidatePoolSize"."""
    error = type_error_from({"iceCandidatePoolSize": 256, "certificates": 5})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.certificates")


def test_iceCandidatePoolSize_is_converted_before_iceServers() -> None:
    """WebIDL §3.2.18: "iceCandidatePoolSize" sorts before "iceServers" ('C' < 'S')."""
    error = type_error_from({"iceServers": None, "iceCandidatePoolSize": NAN})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.iceCandidatePoolSize")


def test_iceServers_is_converted_before_iceTransportPolicy_and_rtcpMuxPolicy() -> None:
    """WebIDL §3.2.18: "iceServers" < "iceTransportPolicy" < "rtcpMuxPolicy"."""
    error = type_error_from({"rtcpMuxPolicy": "negotiate", "iceTransportPolicy": "x", "iceServers": None})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.iceServers")


def test_iceTransportPolicy_is_converted_before_rtcpMuxPolicy() -> None:
    """WebIDL §3.2.18: "iceTransportPolicy" sorts before "rtcpMuxPolicy"."""
    error = type_error_from({"rtcpMuxPolicy": "negotiate", "iceTransportPolicy": "x"})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.iceTransportPolicy")


def test_RTCIceServer_members_convert_credential_then_urls_then_username() -> None:
    """WebIDL §3.2.18 on RTCIceServer: credential, urls, username; the required urls fails when absent."""
    error = type_error_from({"iceServers": [{"username": "u", "credential": "c"}]})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.iceServers[0].urls")


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("bundlePolicy", "max-bundles"),
        ("bundlePolicy", "Balanced"),
        ("iceTransportPolicy", "none"),
        ("iceTransportPolicy", "relay "),
        ("rtcpMuxPolicy", "negotiate"),
    ],
)
def test_an_enum_member_outside_its_enum_is_a_TypeError(member: str, value: str) -> None:
    """WebIDL §3.2.23 enumeration: a string that is not one of the enum's values throws a TypeError."""
    error = type_error_from({member: value})
    assert error.spec.startswith(f"WebIDL conversion of RTCConfiguration.{member}")


def test_an_enum_member_is_converted_with_ToString_first() -> None:
    """WebIDL §3.2.23 enumeration: ToString(value), then compare; ["relay"] stringifies to "relay"."""
    configuration = RTCPeerConnection({"iceTransportPolicy": ["relay"]}).getConfiguration()
    assert configuration["iceTransportPolicy"] == "relay"


# ---- [EnforceRange] octet iceCandidatePoolSize ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "converted"),
    [
        (0, 0),
        (255, 255),
        (1.5, 1),
        (254.999, 254),
        (-0.5, 0),
        ("3", 3),
        (" 7 ", 7),
        ("0x10", 16),
        ("", 0),
        (None, 0),
        (True, 1),
        (False, 0),
        ([], 0),
        ([9], 9),
        (UNDEFINED, 0),  # "not present": the default (WebIDL §3.2.18)
    ],
)
def test_iceCandidatePoolSize_is_ToNumber_then_truncated_toward_zero(value: object, converted: int) -> None:
    """WebIDL §3.2.4 ConvertToInt with [EnforceRange]: ToNumber, then truncate; null -> 0, true -> 1."""
    assert pool_size_after(value) == converted


@pytest.mark.parametrize("value", [256, -1, 256.5, -1.5, 1e10, NAN, INFINITY, -INFINITY, "x", {}])
def test_iceCandidatePoolSize_outside_0_to_255_or_not_finite_is_a_TypeError(value: object) -> None:
    """WebIDL §3.2.4 [EnforceRange]: NaN, ±Infinity, or a truncated value outside 0..255 throws a TypeError."""
    error = type_error_from({"iceCandidatePoolSize": value})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.iceCandidatePoolSize")


# ---- iceServers and urls --------------------------------------------------------------------------------


def test_iceServers_null_is_a_TypeError() -> None:
    """WebIDL §3.2.27 sequence<T>: null is not an object, so it throws a TypeError (WPT iceServers)."""
    error = type_error_from({"iceServers": None})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.iceServers")


@pytest.mark.parametrize("servers", ["stun:stun.example.net", 5, {"urls": "stun:stun.example.net"}])
def test_iceServers_that_is_not_an_iterable_object_is_a_TypeError(servers: object) -> None:
    """WebIDL §3.2.27 sequence<T>: a string, a number or a plain (non-iterable) object throws a TypeError."""
    error = type_error_from({"iceServers": servers})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.iceServers")


def test_iceServers_undefined_takes_the_default_empty_list() -> None:
    """RTCConfiguration: sequence<RTCIceServer> iceServers = []; undefined means "not present"."""
    assert RTCPeerConnection({"iceServers": UNDEFINED}).getConfiguration()["iceServers"] == []


@pytest.mark.parametrize("server", [{}, None, UNDEFINED, {"urls": UNDEFINED}])
def test_an_ICE_server_without_urls_is_a_TypeError(server: object) -> None:
    """RTCIceServer: `required ... urls`; [{}], [null] and [undefined] throw a TypeError (WPT iceServers)."""
    error = type_error_from({"iceServers": [server]})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.iceServers[0]")


def test_urls_may_be_a_single_string() -> None:
    """RTCIceServer.urls is (USVString or sequence<USVString>): a string is accepted as is."""
    pc = RTCPeerConnection({"iceServers": [{"urls": "stun:stun1.example.net"}]})
    assert pc.getConfiguration()["iceServers"] == [{"urls": ["stun:stun1.example.net"]}]


def test_urls_may_be_a_sequence_of_strings() -> None:
    """RTCIceServer.urls is (USVString or sequence<USVString>): an Array is a sequence."""
    urls = ["stun:stun1.example.net", "stun:stun2.example.net"]
    pc = RTCPeerConnection({"iceServers": [{"urls": urls}]})
    assert pc.getConfiguration()["iceServers"] == [{"urls": urls}]


def test_urls_null_is_stringified_to_null_which_is_not_an_ICE_server_URL() -> None:
    """WebIDL §3.2.24 union: null is not iterable, so ToString gives "null"; validate step 2 then throws SyntaxError."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": None}]})
    assert caught.value.name == "SyntaxError"
    assert caught.value.kind == "throw"
    assert caught.value.spec.startswith("validate an ICE server URL step 2")


@pytest.mark.parametrize("urls", [5, True, {}, {"0": "stun:example.net"}])
def test_a_non_iterable_urls_goes_through_ToString_and_fails_URL_validation(urls: object) -> None:
    """WebIDL §3.2.24 union: a non-iterable is converted with ToString ("5", "true", "[object Object]")."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": urls}]})
    assert caught.value.name == "SyntaxError"
    assert caught.value.spec.startswith("validate an ICE server URL step 2")


def test_username_and_credential_are_converted_with_ToString() -> None:
    """RTCIceServer: DOMString username and credential; WebIDL §3.2.10 ToString(5) is "5"."""
    pc = RTCPeerConnection({"iceServers": [{"urls": "turn:turn.example.net", "username": 5, "credential": 6}]})
    assert pc.getConfiguration()["iceServers"] == [
        {"urls": ["turn:turn.example.net"], "username": "5", "credential": "6"}
    ]


def test_a_certificate_that_is_not_an_RTCCertificate_is_a_TypeError() -> None:
    """RTCConfiguration.certificates is sequence<RTCCertificate>: any other value throws a TypeError."""
    error = type_error_from({"certificates": [{}]})
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration.certificates")


# ---- the configuration argument itself ------------------------------------------------------------------


def test_unknown_members_are_ignored() -> None:
    """WebIDL §3.2.18: only the dictionary's own members are read; peerIdentity (removed in PR #1915) is ignored."""
    pc = RTCPeerConnection({"peerIdentity": "x", "iceServer": None, "bogus": 1})
    assert pc.getConfiguration() == RTCPeerConnection().getConfiguration()


@pytest.mark.parametrize("configuration", [5, "max-bundle", True, NAN])
def test_a_configuration_that_is_not_an_object_is_a_TypeError(configuration: object) -> None:
    """WebIDL §3.2.18 step 1: a value that is not an object, undefined or null throws a TypeError."""
    error = type_error_from(configuration)
    assert error.spec.startswith("WebIDL conversion of RTCConfiguration")


@pytest.mark.parametrize("configuration", [None, UNDEFINED])
def test_a_null_or_undefined_configuration_means_all_defaults(configuration: object) -> None:
    """WebIDL §3.2.18 step 1: null and undefined convert to a dictionary with every default."""
    assert RTCPeerConnection(configuration).getConfiguration() == {
        "bundlePolicy": "balanced",
        "certificates": [],
        "iceCandidatePoolSize": 0,
        "iceServers": [],
        "iceTransportPolicy": "all",
        "rtcpMuxPolicy": "require",
    }


def test_an_Array_as_configuration_has_none_of_the_members_so_all_defaults() -> None:
    """WebIDL §3.2.18: an Array is an object whose "bundlePolicy" etc. are undefined, so all defaults."""
    pc = RTCPeerConnection([{"bundlePolicy": "max-bundle"}])
    assert pc.getConfiguration() == RTCPeerConnection().getConfiguration()


def test_setConfiguration_with_no_argument_means_all_defaults() -> None:
    """setConfiguration(optional RTCConfiguration configuration = {})."""
    pc = RTCPeerConnection({"iceTransportPolicy": "relay"})
    pc.setConfiguration()
    assert pc.getConfiguration()["iceTransportPolicy"] == "all"


def test_a_TypeError_precedes_the_closed_check_of_setConfiguration() -> None:
    """WebIDL conversion runs before setConfiguration step 2 ([[IsClosed]] -> InvalidStateError)."""
    pc = RTCPeerConnection()
    pc.close()
    with pytest.raises(SpecError) as caught:
        pc.setConfiguration({"bundlePolicy": "x"})
    assert caught.value.name == "TypeError"
    assert caught.value.kind == "throw"
    assert caught.value.spec.startswith("WebIDL conversion of RTCConfiguration.bundlePolicy")


def test_a_TypeError_precedes_every_check_of_set_the_configuration() -> None:
    """WebIDL conversion runs before set the configuration step 3 (a bundlePolicy change) and step 6 (urls)."""
    pc = RTCPeerConnection({"bundlePolicy": "max-bundle"})
    with pytest.raises(SpecError) as caught:
        pc.setConfiguration({"iceServers": [{"urls": "bogus"}], "rtcpMuxPolicy": "negotiate"})
    assert caught.value.name == "TypeError"


# ---- promise-returning methods reject ------------------------------------------------------------------


def test_createOffer_with_a_non_object_rejects_with_a_TypeError() -> None:
    """WebIDL §3.7 (operations returning a promise): a conversion error of RTCOfferOptions rejects."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().createOffer(5)
    assert (caught.value.name, caught.value.kind) == ("TypeError", "reject")
    assert caught.value.spec.startswith("WebIDL conversion of RTCOfferOptions")


def test_createAnswer_with_a_non_object_rejects_with_a_TypeError() -> None:
    """WebIDL §3.7: a conversion error of RTCAnswerOptions rejects the returned promise."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().createAnswer("x")
    assert (caught.value.name, caught.value.kind) == ("TypeError", "reject")
    assert caught.value.spec.startswith("WebIDL conversion of RTCAnswerOptions")


def test_setLocalDescription_with_a_non_object_rejects_with_a_TypeError() -> None:
    """WebIDL §3.7: a conversion error of RTCLocalSessionDescriptionInit rejects the returned promise."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().setLocalDescription(5)
    assert (caught.value.name, caught.value.kind) == ("TypeError", "reject")
    assert caught.value.spec.startswith("WebIDL conversion of RTCLocalSessionDescriptionInit")


def test_setLocalDescription_with_an_unknown_type_rejects_with_a_TypeError() -> None:
    """RTCLocalSessionDescriptionInit.type is an RTCSdpType: "bogus" is not in the enum."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().setLocalDescription({"type": "bogus"})
    assert (caught.value.name, caught.value.kind) == ("TypeError", "reject")
    assert caught.value.spec.startswith("WebIDL conversion of RTCLocalSessionDescriptionInit.type")


def test_setRemoteDescription_with_no_argument_rejects_with_a_TypeError() -> None:
    """setRemoteDescription(RTCSessionDescriptionInit description): the argument is not optional."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().setRemoteDescription()
    assert (caught.value.name, caught.value.kind) == ("TypeError", "reject")
    assert caught.value.spec.startswith("WebIDL conversion of setRemoteDescription")


def test_setRemoteDescription_without_a_type_rejects_with_a_TypeError() -> None:
    """RTCSessionDescriptionInit: `required RTCSdpType type`."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().setRemoteDescription({})
    assert (caught.value.name, caught.value.kind) == ("TypeError", "reject")
    assert caught.value.spec.startswith("WebIDL conversion of RTCSessionDescriptionInit.type")


def test_setRemoteDescription_with_an_unknown_type_rejects_with_a_TypeError_naming_the_member() -> None:
    """RTCSessionDescriptionInit.type is an RTCSdpType: "bogus" is not in the enum, and the TypeError names the
    member, before any step of setRemoteDescription reads the (empty) sdp."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().setRemoteDescription({"type": "bogus", "sdp": ""})
    assert (caught.value.name, caught.value.kind) == ("TypeError", "reject")
    assert caught.value.spec == "WebIDL conversion of RTCSessionDescriptionInit.type"


def test_a_TypeError_of_a_promise_method_precedes_the_closed_check() -> None:
    """WebIDL §3.7: conversion runs before createOffer step 2, so a closed connection still rejects TypeError."""
    pc = RTCPeerConnection()
    pc.close()
    with pytest.raises(SpecError) as caught:
        pc.createOffer(5)
    assert (caught.value.name, caught.value.kind) == ("TypeError", "reject")


def test_setRemoteDescription_accepts_an_RTCSessionDescription_whose_attributes_are_read_as_members() -> None:
    """WebIDL §3.2.18: converting an object to RTCSessionDescriptionInit reads its "type" and "sdp" properties."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription(RemotePeer().offer(pc))
    assert pc.signalingState == "have-remote-offer"


def test_createDataChannel_converts_undefined_to_the_label_undefined_but_needs_an_argument() -> None:
    """WebIDL: a required argument that is missing is a TypeError; `undefined` is converted like any value."""
    pc = RTCPeerConnection()
    assert pc.createDataChannel(UNDEFINED).label == "undefined"
    with pytest.raises(SpecError) as missing:
        pc.createDataChannel()
    assert (missing.value.name, missing.value.kind) == ("TypeError", "throw")


def test_generateCertificate_of_undefined_is_the_algorithm_named_undefined() -> None:
    """generateCertificate steps 4-6: `undefined` becomes the string "undefined", which no user agent uses."""
    with pytest.raises(SpecError) as unknown:
        RTCPeerConnection.generateCertificate(UNDEFINED)
    assert (unknown.value.name, unknown.value.kind) == ("NotSupportedError", "reject")
    with pytest.raises(SpecError) as missing:
        RTCPeerConnection.generateCertificate()
    assert (missing.value.name, missing.value.kind) == ("TypeError", "reject")


def test_setRemoteDescription_of_undefined_lacks_the_required_type() -> None:
    """RTCSessionDescriptionInit.type is required: undefined converts to {} and then fails, as a rejection."""
    with pytest.raises(SpecError) as error:
        RTCPeerConnection().setRemoteDescription(UNDEFINED)
    assert (error.value.name, error.value.kind) == ("TypeError", "reject")


def test_a_number_is_a_double_so_ToString_rounds_integers_beyond_2_to_the_53() -> None:
    """ECMAScript Number::toString: 9007199254740993 is not a double; the Number is 9007199254740992."""
    assert RTCPeerConnection().createDataChannel(9007199254740993).label == "9007199254740992"
    assert RTCPeerConnection().createDataChannel(10**21).label == "1e+21"


def test_ToString_of_a_large_Number_prints_its_shortest_round_trip_digits() -> None:
    """ECMAScript Number::toString: beyond 2**53 the digits are the shortest that round-trip, then zeros."""
    assert RTCPeerConnection().createDataChannel(43883625759628930).label == "43883625759628930"


# ---- each conversion, called on its own, fails as its method does ---------------------------------------


@pytest.mark.parametrize(
    ("conversion", "value", "kind", "where"),
    [
        (webidl.to_rtc_configuration, 5, "throw", "RTCConfiguration"),  # the constructor, setConfiguration
        (webidl.to_offer_options, 5, "reject", "RTCOfferOptions"),  # createOffer
        (webidl.to_answer_options, 5, "reject", "RTCAnswerOptions"),  # createAnswer
        (webidl.to_local_description_init, 5, "reject", "RTCLocalSessionDescriptionInit"),  # setLocalDescription
        (webidl.to_session_description_init, 5, "reject", "RTCSessionDescriptionInit"),  # setRemoteDescription
        (webidl.to_data_channel_label, ABSENT, "throw", "createDataChannel"),  # createDataChannel
    ],
)
def test_a_conversion_without_a_kind_fails_as_the_method_it_belongs_to(
    conversion: Callable[[object], object], value: object, kind: str, where: str
) -> None:
    """WebIDL §3.7: an operation that returns a promise turns a conversion failure into a rejection, any other
    operation throws it. Each conversion belongs to one kind of method, and that is its default: the constructor,
    setConfiguration and createDataChannel throw; createOffer, createAnswer, setLocalDescription and
    setRemoteDescription return promises and reject. (The properties call the conversions without a kind.)"""
    with pytest.raises(SpecError) as caught:
        conversion(value)
    assert (caught.value.name, caught.value.kind, caught.value.spec) == (
        "TypeError",
        kind,
        f"WebIDL conversion of {where}",
    )
