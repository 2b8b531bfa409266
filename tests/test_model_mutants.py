"""Statements of the spec (and of the model's own bookkeeping) that the mutation run found no test for: each
test here kills mutants of model/ that survived the kill-suite (benchmarks/mutation_score.py, NOTES.md
"Mutation score"). The mutants they answer are named in each docstring by the line they changed."""

from __future__ import annotations

import math
import random
import string

import pytest

from peerspec.model import LIFECYCLE_STATES, LIFECYCLE_TRANSITIONS, LifecycleError, RTCPeerConnection, SpecError
from peerspec.model.certificates import MAX_EXPIRES_MS
from peerspec.model.errors import (
    DOMException,
    InvalidAccessError,
    InvalidModificationError,
    InvalidStateError,
    NotSupportedError,
    OperationError,
    SyntaxError_,
    TypeError_,
    WebIDLTypeError,
)
from peerspec.model.js_values import (
    ABSENT,
    ORDINARY_TO_PRIMITIVE,
    UNDEFINED,
    number_to_string,
    to_boolean,
    to_number,
    to_string,
)
from peerspec.model.lifecycle import (
    DECLARED_MOVES,
    LIFECYCLE_MACHINE,
    Lifecycle,
    _build_machine,
    compile_machine,
)
from peerspec.model.observable_state import ice_states
from peerspec.model.profile import Profile
from peerspec.model.remote_peer import RemotePeer
from peerspec.model.sdp import (
    CredentialSource,
    IceCredentials,
    MediaSection,
    ParsedSdp,
    SessionDescription,
    parse_sdp,
    write_sdp,
)
from peerspec.model.transceivers import (
    NotModelled,
    RTCRtpTransceiver,
    answer_direction,
    stop_the_transceiver,
    to_legacy_offer_options,
)
from peerspec.model.webidl import _converting

# ---- the lifecycle machine and its compiled lookup -----------------------------------------------------


def test_the_machine_built_from_the_table_declares_exactly_the_tables_moves() -> None:
    """model/lifecycle.py: one machine is built from LIFECYCLE_TRANSITIONS and compiled once into a lookup;
    the lookup holds every declared (trigger, source) -> destinations and nothing else (no auto transitions)."""
    expected: dict[tuple[str, str], set[str]] = {}
    for transition in LIFECYCLE_TRANSITIONS:
        expected.setdefault((transition.trigger, transition.source), set()).add(transition.dest)
    machine = _build_machine()
    assert compile_machine(machine) == {key: frozenset(dests) for key, dests in expected.items()}
    assert list(machine.states) == list(LIFECYCLE_STATES)
    assert machine.initial == "new"
    assert not machine.models  # each connection keeps its own state; the shared machine holds none
    assert compile_machine(LIFECYCLE_MACHINE) == DECLARED_MOVES


def test_an_undeclared_move_names_the_trigger_and_both_states_and_moves_nothing() -> None:
    """model/lifecycle.py: restartIce in "new" leaves the projection in "new" (the slot stays empty); a model
    that projected "restarting" there would be wrong, and the error says which move was undeclared."""
    lifecycle = Lifecycle()
    expected = "restartIce moved the lifecycle new -> restarting, an undeclared transition"
    with pytest.raises(LifecycleError, match=f"^{expected}$"):
        lifecycle.follow("restartIce", "restarting")
    assert lifecycle.state == "new"


# ---- WebIDL conversion: where the TypeError is, and OrdinaryToPrimitive ----------------------------------


def test_an_ice_server_that_is_not_an_object_is_a_TypeError_naming_its_index() -> None:
    """WebIDL §3.2.18 dictionary step 1 on RTCConfiguration.iceServers[0]: 1 is not an object; the error
    names the member and the index where the conversion failed."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": "stun:a.invalid"}, 1]})
    assert caught.value.name == "TypeError"
    assert caught.value.spec == "WebIDL conversion of RTCConfiguration.iceServers[1]"


@pytest.mark.parametrize("kind", ["throw", "reject"])
def test_a_conversion_that_finds_no_primitive_value_is_a_TypeError_of_its_kind(kind: str) -> None:
    """ES2024 §7.1.1.1 OrdinaryToPrimitive step 6 inside a WebIDL conversion: a JSON object whose own "toString"
    is not callable has no primitive value, which JavaScript throws as a TypeError; a promise-returning method
    rejects with it instead (WebIDL §3.7)."""

    def convert(value: object, kind: str = "throw") -> str:
        return to_string(value)

    with pytest.raises(SpecError) as caught:
        _converting(convert)({"toString": 1}, kind=kind)
    assert (caught.value.name, caught.value.spec, caught.value.kind) == ("TypeError", ORDINARY_TO_PRIMITIVE, kind)
    with pytest.raises(SpecError) as positional:
        _converting(convert)({"toString": 1}, kind)
    assert positional.value.kind == kind


# ---- generateCertificate (webrtc-pc §4.9.1): its errors are rejections ----------------------------------

ECDSA = {"name": "ECDSA", "namedCurve": "P-256"}


def rejection_of(keygen_algorithm: object = ABSENT) -> SpecError:
    with pytest.raises(SpecError) as caught:
        if keygen_algorithm is ABSENT:
            RTCPeerConnection.generateCertificate()
        else:
            RTCPeerConnection.generateCertificate(keygen_algorithm)
    assert caught.value.kind == "reject"
    return caught.value


def test_generateCertificate_without_an_argument_rejects_with_a_TypeError() -> None:
    """WebIDL: keygenAlgorithm is a required argument of a promise-returning operation."""
    error = rejection_of()
    assert (error.name, error.spec) == ("TypeError", "generateCertificate, WebIDL")


@pytest.mark.parametrize("expires", [float("nan"), float("inf"), -float("inf"), -1, 2**53])
def test_an_expires_that_is_not_a_finite_unsigned_long_long_rejects_with_a_TypeError(expires: float) -> None:
    """generateCertificate step 3.2: [EnforceRange] unsigned long long expires: NaN and the infinities are not
    finite, -1 and 2**53 lie outside 0..2**53-1."""
    error = rejection_of({**ECDSA, "expires": expires})
    assert (error.name, error.spec) == ("TypeError", "generateCertificate step 3.2")


@pytest.mark.parametrize(("expires", "lifetime"), [(0, 0), (1, 1), (2**53 - 1, MAX_EXPIRES_MS)])
def test_the_bounds_of_expires_are_accepted_and_capped_at_365_days(expires: int, lifetime: int) -> None:
    """generateCertificate steps 3.2-3.4: 0 and 2**53-1 are in range; no certificate lives longer than 365 days."""
    certificate = RTCPeerConnection.generateCertificate({**ECDSA, "expires": expires}, now=1_000)
    assert certificate.expires == 1_000 + lifetime


def test_an_Array_as_keygenAlgorithm_is_an_object_without_a_name() -> None:
    """generateCertificate step 3.1 reads expires only from a dictionary; WebCrypto's normalize an algorithm then
    finds no name on an Array (an object, but not an Algorithm dictionary)."""
    error = rejection_of([])
    assert (error.name, error.spec) == ("TypeError", "generateCertificate step 5 (WebCrypto normalize an algorithm)")


def test_an_algorithm_name_without_a_primitive_value_rejects_with_a_TypeError() -> None:
    """ES2024 §7.1.1.1 OrdinaryToPrimitive step 6, in the conversion of the algorithm's name: a rejection."""
    error = rejection_of({"name": {"toString": 1}, "namedCurve": "P-256"})
    assert (error.name, error.spec) == ("TypeError", ORDINARY_TO_PRIMITIVE)


def test_a_certificate_names_the_supported_algorithm_and_has_a_fingerprint_from_its_seed() -> None:
    """generateCertificate step 6 and the model's purity (NOTES.md, "Time"): the certificate is of the supported
    algorithm the name matched (ASCII case-insensitively), and its fingerprint is a SHA-256 digest that only the
    explicit seed (with origin and now) decides."""
    first = RTCPeerConnection.generateCertificate({"name": "ecdsa", "namedCurve": "P-256"}, seed=1)
    again = RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"}, seed=1)
    other = RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"}, seed=2)
    assert first.algorithm == "ECDSA"
    assert first.fingerprint == again.fingerprint != other.fingerprint
    assert len(first.fingerprint) == 64 and int(first.fingerprint, 16) >= 0


RSA = {"name": "RSASSA-PKCS1-v1_5", "modulusLength": 2048, "publicExponent": [1, 0, 1]}


@pytest.mark.parametrize("hash_member", ["SHA-256", {"name": "SHA-256"}, {"name": "SHA-256", "toString": 1}])
def test_an_RSA_hash_is_read_as_a_string_or_by_the_name_of_an_algorithm_object(hash_member: object) -> None:
    """generateCertificate step 5, WebCrypto normalize an algorithm: RsaHashedKeyGenParams.hash is a
    HashAlgorithmIdentifier, a string or an object whose name is read; an object is never converted with
    ToString (so an own "toString" member does not matter)."""
    certificate = RTCPeerConnection.generateCertificate({**RSA, "hash": hash_member})
    assert certificate.algorithm == "RSASSA-PKCS1-v1_5"


def test_an_algorithm_dictionary_without_a_name_rejects_with_a_TypeError() -> None:
    """generateCertificate step 5, WebCrypto normalize an algorithm: Algorithm.name is required."""
    error = rejection_of({"hash": "SHA-256"})
    assert (error.name, error.spec) == ("TypeError", "generateCertificate step 5 (WebCrypto normalize an algorithm)")


def test_namedCurve_is_a_DOMString_so_an_Array_converts_with_ToString() -> None:
    """generateCertificate step 5: EcKeyGenParams.namedCurve is a DOMString; ["P-256"] converts to "P-256"."""
    assert RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": ["P-256"]}).algorithm == "ECDSA"


def test_members_the_algorithm_does_not_read_are_not_converted() -> None:
    """generateCertificate step 5: normalization converts only the members of the algorithm's dictionary type,
    so a member ECDSA does not have (publicExponent) is never converted, even one with no primitive value."""
    certificate = RTCPeerConnection.generateCertificate({**ECDSA, "publicExponent": {"toString": 1}})
    assert certificate.algorithm == "ECDSA"


# ---- ECMAScript abstract operations (model/js_values.py) -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("\ufeff\u00a012\u3000", 12.0),  # ES WhiteSpace includes U+FEFF, which Python's str.strip() keeps
        ("\x8512", math.nan),  # U+0085 is Python whitespace but not ECMAScript's
        ("0x1F", 31.0),
        ("0xz1", math.nan),
        ("Infinity", math.inf),
        ("+Infinity", math.inf),
        (" -Infinity ", -math.inf),
    ],
)
def test_StringToNumber_strips_ECMAScript_whitespace_and_reads_radix_prefixes_and_Infinity(
    text: str, number: float
) -> None:
    """ES2024 §7.1.4.1.1 StringToNumber: StrWhiteSpaceChar is WhiteSpace or LineTerminator; 0x introduces hex
    digits (and nothing else); a sign may precede Infinity."""
    result = to_number(text)
    assert math.isnan(result) if math.isnan(number) else result == number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[(None, False), (UNDEFINED, False), (0, False), (-0.0, False), (math.nan, False), ("", False)],
        *[(1, True), ("false", True), ({}, True), ([], True)],
    ],
)
def test_ToBoolean(value: object, expected: bool) -> None:
    """ES2024 §7.1.2 ToBoolean: undefined, null, +0, -0, NaN and "" are false; every other Number and String,
    and every Object, is true."""
    assert to_boolean(value) is expected


def test_undefined_and_absent_are_falsy_and_print_as_their_names() -> None:
    """model/js_values.py: UNDEFINED and ABSENT are false in a Python test as undefined is in JavaScript, and
    print as the constants' names, so a shrunk example Hypothesis prints runs as Python."""
    assert not UNDEFINED and not ABSENT
    assert (repr(UNDEFINED), repr(ABSENT)) == ("UNDEFINED", "ABSENT")


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (-math.inf, "-Infinity"),
        (0.5, "0.5"),
        (1.25, "1.25"),
        (123.456, "123.456"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (1.5e-6, "0.0000015"),
        (2**53 + 2, "9007199254740994"),
    ],
)
def test_Number_toString_lays_out_the_shortest_digits_as_ECMAScript_does(number: float, text: str) -> None:
    """ES2024 §6.1.6.1.20 Number::toString: k shortest digits and exponent n; n up to 21 prints as an integer
    (with zeros) or with a decimal point, -6 < n <= 0 as 0.000ddd, anything else in exponent form."""
    assert number_to_string(number) == text


def test_ToString_of_a_platform_object_names_its_interface() -> None:
    """ES2024 §7.1.17 ToString of an object, through Object.prototype.toString: a platform object's class string is
    its interface's name (WebIDL §3.7.3), so an RTCCertificate is "[object RTCCertificate]"."""
    assert to_string(RTCPeerConnection.generateCertificate(ECDSA)) == "[object RTCCertificate]"


# ---- the spec's errors (model/errors.py): a factory per DOMException name --------------------------------

DOMEXCEPTION_FACTORIES = {
    "InvalidStateError": InvalidStateError,
    "InvalidModificationError": InvalidModificationError,
    "InvalidAccessError": InvalidAccessError,
    "SyntaxError": SyntaxError_,
    "NotSupportedError": NotSupportedError,
    "OperationError": OperationError,
}


@pytest.mark.parametrize("name", sorted(DOMEXCEPTION_FACTORIES))
def test_each_error_factory_makes_the_DOMException_of_its_name_with_the_step_message_and_kind(name: str) -> None:
    """model/errors.py: a factory names the DOMException (one of WebIDL's error names), and carries the spec step
    that raised it, the model's message, and how the caller sees it; by default no message, thrown synchronously."""
    factory = DOMEXCEPTION_FACTORIES[name]
    rejected = factory("step 1", "why", kind="reject")
    assert (type(rejected), rejected.name) == (DOMException, name)
    assert (rejected.spec, rejected.message, rejected.kind) == ("step 1", "why", "reject")
    assert str(rejected) == f"rejects with {name} (step 1): why"
    thrown = factory("step 2")
    assert (thrown.spec, thrown.message, thrown.kind) == ("step 2", "", "throw")
    assert str(thrown) == f"throws {name} (step 2)"


def test_a_TypeError_factory_makes_the_ECMAScript_TypeError() -> None:
    """model/errors.py: TypeError_ is the ECMAScript TypeError, not a DOMException, with step, message and kind."""
    error = TypeError_("WebIDL", "not an object", kind="reject")
    assert (type(error), error.name, error.spec, error.message, error.kind) == (
        WebIDLTypeError,
        "TypeError",
        "WebIDL",
        "not an object",
        "reject",
    )
    assert (TypeError_("WebIDL").message, TypeError_("WebIDL").kind) == ("", "throw")


def test_an_OperationError_carries_its_RTCError_detail() -> None:
    """webrtc-pc RTCError: its errorDetail travels with the OperationError; none by default."""
    assert OperationError("step", detail="sdp-syntax-error").detail == "sdp-syntax-error"
    assert OperationError("step").detail is None


def test_an_error_prints_as_Python_that_names_its_type_name_step_and_kind() -> None:
    """model/errors.py: repr(error) is the error's Python type with its name, step and kind."""
    assert repr(InvalidStateError("step 1")) == "DOMException('InvalidStateError', spec='step 1', kind='throw')"
    assert repr(TypeError_("WebIDL", kind="reject")) == "WebIDLTypeError('TypeError', spec='WebIDL', kind='reject')"


def test_an_error_made_directly_is_thrown_with_no_message_unless_told() -> None:
    """model/errors.py: DOMException, WebIDLTypeError and SpecError default to a synchronous throw with no message
    (a rejection is always asked for), and print as what the caller sees."""
    for error in (
        DOMException("InvalidStateError", spec="step 1"),
        WebIDLTypeError(spec="step 1"),
        SpecError("InvalidStateError", spec="step 1"),
    ):
        assert (error.spec, error.kind, error.message) == ("step 1", "throw", "")
        assert str(error) == f"throws {error.name} (step 1)"
    assert DOMException("OperationError", spec="step 1").detail is None
    assert str(WebIDLTypeError(spec="WebIDL", message="no")) == "throws TypeError (WebIDL): no"


def test_a_DOMException_of_a_name_the_model_does_not_use_is_refused_by_name() -> None:
    """model/errors.py: the model's DOMExceptions carry only the spec's names; any other is a bug, named."""
    with pytest.raises(ValueError, match=r"^not a DOMException name the model uses: 'TypeError'$"):
        DOMException("TypeError", spec="step 1")


# ---- profiles (model/profile.py): only choices the spec allows --------------------------------------------


def test_a_profile_below_the_spec_minimum_of_ICE_servers_is_refused_naming_the_minimum() -> None:
    """webrtc-pc RTCConfiguration.iceServers: the implementation-defined limit MUST be at least 32."""
    with pytest.raises(ValueError, match=r"^max_ice_servers must be at least 32 \(the spec's minimum\)$"):
        Profile(max_ice_servers=31)
    assert Profile(max_ice_servers=32).max_ice_servers == 32


def test_a_profile_implementing_a_scheme_that_is_not_an_ICE_scheme_is_refused_naming_the_schemes() -> None:
    """validate an ICE server URL step 3: the implemented schemes are some of stun, stuns, turn and turns."""
    expected = r"^implemented_schemes must be a subset of \['stun', 'stuns', 'turn', 'turns'\]$"
    with pytest.raises(ValueError, match=expected):
        Profile(implemented_schemes=frozenset({"stun", "http"}))


# ---- the far end (model/remote_peer.py): what its offers and answers carry ---------------------------------


def sections(description: SessionDescription) -> list[tuple[str, str | None, str, bool]]:
    parsed = parse_sdp(description.sdp)
    assert parsed is not None
    return [(m.kind, m.mid, m.direction, m.rejected) for m in parsed.media]


def negotiated(pc: RTCPeerConnection, remote: RemotePeer) -> RTCPeerConnection:
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answer = remote.answer(pc)
    pc.setRemoteDescription({"type": answer.type, "sdp": answer.sdp})
    return pc


def test_a_remote_offer_mirrors_the_negotiated_sections_receiving_only_and_keeps_one_data_section() -> None:
    """JSEP §5.2.2 (a subsequent offer keeps the m= sections negotiated before, in order, with their mids): the far
    end offers back the local connection's current sections; its transceivers were made by setRemoteDescription
    and have no track, so they only receive (a=recvonly); a rejected section stays rejected; the data section is
    not doubled."""
    pc = RTCPeerConnection()
    audio = pc.addTransceiver("audio")
    pc.addTransceiver("video")
    pc.createDataChannel("chat")
    remote = RemotePeer()
    negotiated(pc, remote)
    pc.stop_transceiver(audio)
    negotiated(pc, remote)
    assert sections(remote.offer(pc)) == [
        ("audio", "0", "recvonly", True),
        ("video", "1", "recvonly", False),
        ("application", "2", "sendrecv", False),
    ]


def test_a_remote_offer_adds_a_data_section_after_the_negotiated_media_when_there_is_none() -> None:
    """model/remote_peer.py: the far end always offers a data channel; with only audio negotiated, the data section
    comes after it, with the next mid; to a connection that negotiated nothing, the data section alone, mid "0"."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    remote = RemotePeer()
    negotiated(pc, remote)
    assert sections(remote.offer(pc)) == [("audio", "0", "recvonly", False), ("application", "1", "sendrecv", False)]
    assert sections(RemotePeer().offer(RTCPeerConnection())) == [("application", "0", "sendrecv", False)]


def test_the_far_end_keeps_the_mids_it_negotiated_even_when_they_are_not_indexes() -> None:
    """JSEP §5.2.2 / §5.3.1: offers and answers reuse each m= section's mid; after answering a remote offer whose
    mids are "a" and "b", both the far end's next offer and its answer to the connection's re-offer keep them."""
    offer = write_sdp(
        session_id=1,
        version=1,
        media=(("audio", "a"), ("application", "b")),
        credentials=IceCredentials("ufrag000", "p" * 24),
    )
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offer})
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    remote = RemotePeer()
    assert [mid for _kind, mid, _direction, _rejected in sections(remote.offer(pc))] == ["a", "b"]
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    assert [mid for _kind, mid, _direction, _rejected in sections(remote.answer(pc))] == ["a", "b"]


def test_the_far_ends_answer_intersects_each_offered_direction_with_recvonly() -> None:
    """JSEP §5.3.1: the answerer's transceivers (no track: recvonly) answer an offered sendrecv with recvonly and an
    offered recvonly with inactive (neither side would send)."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.addTransceiver("video", {"direction": "recvonly"})
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    assert sections(RemotePeer().answer(pc)) == [
        ("audio", "0", "recvonly", False),
        ("video", "1", "inactive", False),
    ]


def test_with_no_local_offer_pending_the_far_end_answers_a_data_only_offer() -> None:
    """model/remote_peer.py: answer() with no pending local offer answers one data section, mid "0"."""
    assert sections(RemotePeer().answer(RTCPeerConnection())) == [("application", "0", "sendrecv", False)]


def test_before_any_exchange_the_far_end_offers_and_answers_with_the_pair_its_seed_drew_first() -> None:
    """model/remote_peer.py (JSEP §5.2.1, §5.3.1): the far end's credentials come from its seed; a first offer is
    no ICE restart, so its first offer and its first answer both carry the pair drawn first."""
    offering = RemotePeer(seed=7).offer(RTCPeerConnection())
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answering = RemotePeer(seed=7).answer(pc)
    assert offering.ice_credentials == answering.ice_credentials == {CredentialSource(7, "remote").fresh()}


def test_the_far_end_draws_from_its_own_seed_zero_by_default() -> None:
    """model/remote_peer.py: RemotePeer() is RemotePeer(seed=0); its credentials come from the "remote" stream of
    its seed, not the local connection's."""
    assert RemotePeer().offer(RTCPeerConnection()).ice_credentials == {CredentialSource(0, "remote").fresh()}
    assert RemotePeer(3).offer(RTCPeerConnection()).ice_credentials == {CredentialSource(3, "remote").fresh()}


def origin(description: SessionDescription) -> str:
    return next(line for line in description.sdp.splitlines() if line.startswith("o="))


def test_the_far_ends_origin_line_keeps_its_session_and_counts_each_description_it_writes() -> None:
    """RFC 8866 §5.2: o=<username> <sess-id> <sess-version> ...; the far end's session id is fixed by its seed and
    the version goes up by one with each description it writes."""
    remote = RemotePeer(seed=7)
    assert origin(remote.offer(RTCPeerConnection())) == "o=- 1000007 1 IN IP4 127.0.0.1"
    assert origin(remote.answer(RTCPeerConnection())) == "o=- 1000007 2 IN IP4 127.0.0.1"


def test_a_rolled_back_remote_restart_leaves_the_far_end_on_the_credentials_last_negotiated() -> None:
    """JSEP §5.7 (a rollback discards the rolled-back description) and §5.2.2: after the connection rolls back the
    far end's restarting offer, the far end's next offer carries the credentials of the last completed exchange."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    remote = RemotePeer()
    negotiated(pc, remote)
    agreed = pc.currentRemoteDescription.ice_credentials if pc.currentRemoteDescription else None
    restart = remote.offer(pc, ice_restart=True)
    assert restart.ice_credentials != agreed
    pc.setRemoteDescription({"type": "offer", "sdp": restart.sdp})
    pc.setRemoteDescription({"type": "rollback"})
    assert remote.offer(pc).ice_credentials == agreed


# ---- transceivers (model/transceivers.py) ----------------------------------------------------------------


def thrown_by_addTransceiver(*arguments: object) -> SpecError:
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().addTransceiver(*arguments)
    assert (caught.value.name, caught.value.kind) == ("TypeError", "throw")
    return caught.value


@pytest.mark.parametrize(
    ("init", "where"),
    [
        (1, "RTCRtpTransceiverInit"),
        ({"direction": "sideways"}, "RTCRtpTransceiverInit.direction"),
        ({"sendEncodings": 1}, "RTCRtpTransceiverInit.sendEncodings"),
        ({"streams": 1}, "RTCRtpTransceiverInit.streams"),
        ({"streams": [{}]}, "RTCRtpTransceiverInit.streams[0]"),
    ],
)
def test_addTransceivers_init_that_does_not_convert_throws_a_TypeError_naming_the_member(
    init: object, where: str
) -> None:
    """webrtc-pc §5.1 addTransceiver, WebIDL: RTCRtpTransceiverInit converts as a dictionary (step 1: an object),
    direction as an RTCRtpTransceiverDirection, sendEncodings and streams as sequences, each stream a MediaStream;
    addTransceiver is not promise-returning, so the TypeError is thrown."""
    assert thrown_by_addTransceiver("audio", init).spec == f"WebIDL conversion of {where}"


@pytest.mark.parametrize(
    ("init", "where"),
    [
        ({"sendEncodings": [{}, 5]}, "RTCRtpTransceiverInit.sendEncodings[1]"),
        ({"sendEncodings": ["q"]}, "RTCRtpTransceiverInit.sendEncodings[0]"),
        ({"sendEncodings": [{}], "streams": [{}]}, "RTCRtpTransceiverInit.streams[0]"),
    ],
)
def test_a_send_encoding_that_is_not_an_object_or_a_stream_that_is_not_a_MediaStream_is_a_TypeError_before_simulcast(
    init: object, where: str
) -> None:
    """WebIDL: sendEncodings is a sequence<RTCRtpEncodingParameters>, so each element converts as a dictionary and
    one that is neither an object nor null/undefined is a TypeError (dictionary conversion step 1); the whole
    RTCRtpTransceiverInit converts (streams too) before any step of addTransceiver, so a TypeError of a later member
    comes before the model says that encodings (simulcast) are not modelled. Kills Converter.sequence handing each
    element's converter None instead of the element."""
    assert thrown_by_addTransceiver("audio", init).spec == f"WebIDL conversion of {where}"


def test_addTransceiver_without_trackOrKind_throws_a_TypeError() -> None:
    """WebIDL: trackOrKind is a required argument of addTransceiver."""
    assert thrown_by_addTransceiver().spec == "WebIDL conversion of addTransceiver"


def test_empty_streams_and_sendEncodings_convert_and_simulcast_says_it_is_not_modelled() -> None:
    """webrtc-pc §5.1 addTransceiver: empty sequences convert; encodings (simulcast) are outside the model, which
    says so rather than answer."""
    pc = RTCPeerConnection()
    assert pc.addTransceiver("video", {"streams": [], "sendEncodings": []}).observed()["direction"] == "sendrecv"
    with pytest.raises(NotModelled, match=r"^sendEncodings with encodings in it \(simulcast\) is not modelled$"):
        pc.addTransceiver("video", {"sendEncodings": [{}]})


def test_the_legacy_offer_options_reject_a_non_object_as_RTCOfferOptions() -> None:
    """webrtc-pc §11 legacy extensions: RTCOfferOptions converts as a dictionary; createOffer returns a promise, so
    by default the TypeError is a rejection."""
    with pytest.raises(SpecError) as caught:
        to_legacy_offer_options(1)
    error = caught.value
    assert (error.name, error.spec, error.kind) == ("TypeError", "WebIDL conversion of RTCOfferOptions", "reject")


@pytest.mark.parametrize(
    ("wanted", "answers"),
    [
        ("sendrecv", {"sendrecv": "sendrecv", "sendonly": "recvonly", "recvonly": "sendonly", "inactive": "inactive"}),
        ("sendonly", {"sendrecv": "sendonly", "sendonly": "inactive", "recvonly": "sendonly", "inactive": "inactive"}),
        ("recvonly", {"sendrecv": "recvonly", "sendonly": "recvonly", "recvonly": "inactive", "inactive": "inactive"}),
        ("inactive", {"sendrecv": "inactive", "sendonly": "inactive", "recvonly": "inactive", "inactive": "inactive"}),
    ],
)
def test_an_answers_direction_sends_only_what_the_offer_receives_and_receives_only_what_it_sends(
    wanted: str, answers: dict[str, str]
) -> None:
    """JSEP §5.3.1 (RFC 3264 §6.1): the answer's direction is the transceiver's direction intersected with the
    offered one seen from the answerer's side."""
    assert {offered: answer_direction(wanted, offered) for offered in answers} == answers


def test_stopping_a_transceiver_sets_its_Direction_slot_to_inactive() -> None:
    """webrtc-pc §5.4 stop the RTCRtpTransceiver (stop sending and receiving): [[Direction]] becomes "inactive" and
    [[Stopping]] true, so the direction getter says "stopped"; then [[Stopped]] is true."""
    transceiver = RTCRtpTransceiver("audio", "sendonly")
    stop_the_transceiver(transceiver)
    assert (transceiver.direction_slot, transceiver.stopping, transceiver.stopped) == ("inactive", True, True)
    assert transceiver.direction == "stopped"


# ---- the SDP the model writes (model/sdp.py) ---------------------------------------------------------------


def test_written_sdp_has_session_lines_then_one_section_per_mid_bundling_all_but_the_rejected() -> None:
    """JSEP §5.2.1 / §5.2.2 / §5.3.1 and RFC 8866 §5: v=, o=, s=, t=, a=ice-options:trickle and a=group:BUNDLE with
    the mids not rejected; each RTP section has port 9 (0 when rejected), c=, the ICE credentials, a=mid, its
    direction (sendrecv when none is given) and an a=msid line when it sends and is not rejected; a data section
    is SCTP over DTLS with a=sctp-port, whatever comes after it."""
    written = write_sdp(
        session_id=5,
        version=2,
        media=(("application", "d"), ("audio", "a"), ("video", "v"), ("audio", "r")),
        credentials=IceCredentials("ufrag123", "p" * 24),
        directions={"v": "recvonly", "r": "sendrecv"},
        rejected=frozenset({"r"}),
    )
    ice = ["c=IN IP4 0.0.0.0", "a=ice-ufrag:ufrag123", f"a=ice-pwd:{'p' * 24}"]
    assert written.split("\r\n") == [
        *["v=0", "o=- 5 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=ice-options:trickle", "a=group:BUNDLE d a v"],
        *["m=application 9 UDP/DTLS/SCTP webrtc-datachannel", *ice, "a=mid:d", "a=sctp-port:5000"],
        *["m=audio 9 UDP/TLS/RTP/SAVPF 111", *ice, "a=mid:a", "a=sendrecv", "a=msid:- track-a", "a=rtcp-mux"],
        *["m=video 9 UDP/TLS/RTP/SAVPF 111", *ice, "a=mid:v", "a=recvonly", "a=rtcp-mux"],
        *["m=audio 0 UDP/TLS/RTP/SAVPF 111", *ice, "a=mid:r", "a=sendrecv", "a=rtcp-mux"],
        "",
    ]


def test_generated_credentials_are_an_8_character_ufrag_and_a_24_character_pwd_of_letters_and_digits() -> None:
    """JSEP §5.2.1 / RFC 8839 §5.4: ufrag at least 24 random bits, pwd at least 128; the model draws 8 and 24
    ice-chars, letters and digits only (never "+" or "/"), the same ones for the same seed and label."""
    source = CredentialSource(11, "local")
    pairs = [source.fresh() for _ in range(60)]
    assert all(len(pair.ufrag) == 8 and len(pair.pwd) == 24 for pair in pairs)
    assert all((pair.ufrag + pair.pwd).isascii() and (pair.ufrag + pair.pwd).isalnum() for pair in pairs)
    assert CredentialSource(11, "local").fresh() == pairs[0] != CredentialSource(11, "remote").fresh()


def test_a_seeds_credentials_are_its_generators_draws_in_order_also_past_the_pairs_sources_share() -> None:
    """The model's only randomness (NOTES.md "Randomness"): a source's n-th pair is the n-th draw of 32 letters and
    digits (an 8-character ufrag, then a 24-character pwd) from `random.Random("<label>:<seed>")`, so a seed gives
    the same credentials in every process, byte for byte. It holds past the first 1,024 pairs, which every source
    of the seed shares, and for a second source of the seed that starts after the first went past them. Kills
    CredentialSource's counter starting at 1 or stepping by 2, its own generator not taken up (or a wrong one)
    past the shared pairs, and _SeededPairs seeded from the clock instead of the seed."""
    letters_and_digits = string.ascii_letters + string.digits
    generator = random.Random("local:7")
    expected = []
    for _ in range(1030):
        drawn = "".join(generator.choices(letters_and_digits, k=32))
        expected.append(IceCredentials(drawn[:8], drawn[8:]))
    first = CredentialSource(7, "local")
    assert [first.fresh() for _ in range(1030)] == expected
    second = CredentialSource(7, "local")
    assert [second.fresh() for _ in range(1030)] == expected


# ---- the SDP the model reads (model/sdp.py parse_sdp) -------------------------------------------------------


def test_sdp_lines_end_at_CRLF_or_at_a_bare_LF_and_the_last_line_needs_no_break() -> None:
    """RFC 8866 §5: a line ends with CRLF, and a parser should also accept a line ended by a single LF; the CR before
    an LF is part of the break, not of the line. A last line without a break is still a line. Kills the line
    splitting's mutants (a character cut from every line, the last piece or the one before it lost or repeated)."""
    parsed = parse_sdp(
        "v=0\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\na=mid:ab\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:cd"
    )
    assert parsed is not None
    assert [(m.kind, m.mid, m.rejected) for m in parsed.media] == [("audio", "ab", False), ("video", "cd", True)]


@pytest.mark.parametrize(
    "sdp",
    [
        "",  # no line at all
        "\r\n\n",  # only empty lines
        "s=-\r\nv=0\r\n",  # well-formed lines, but the first is not v=0
        "v=1\r\n",  # another version
        "v=0\r\nm=audio 9 P 0\r\nmid\r\n",  # a line without "=" after its type
        "v=0\r\nZ=1\r\n",  # an upper-case type letter
        "v=0\r\n=x\r\n",  # no type letter
        "v=0\r\nab=x\r\n",  # a type of two letters
    ],
)
def test_text_that_is_not_SDP_syntax_reads_as_no_description(sdp: str) -> None:
    """RFC 8866 §5: a description is lines of the form <type>=<value>, <type> one lower-case letter, and its first
    line is v=0 (the only version); anything else is not SDP (the module's docstring: "valid syntax" is exactly
    this), and parse_sdp answers None."""
    assert parse_sdp(sdp) is None


def test_every_lower_case_type_letter_a_to_z_is_SDP_syntax_and_empty_lines_are_skipped() -> None:
    """RFC 8866 §5: the type letters run from a= (attributes) to z= (time zone adjustments); a parser ignores the
    types it does not know. Empty lines are skipped (RFC 8866 §5's tolerance of line ends)."""
    assert parse_sdp("v=0\r\n\r\na=x\r\nk=y\r\nz=2882844526 -1h 2898848070 0\r\n") == ParsedSdp(())


def test_ICE_credentials_and_direction_at_session_level_apply_to_each_section_without_its_own() -> None:
    """RFC 8839 §5.4: a=ice-ufrag and a=ice-pwd may appear at session or at media level, the media level taking
    precedence, and a section has credentials only when it has both a ufrag and a pwd; RFC 8866 §6.7: a direction
    attribute at session level applies to every media section that has none of its own, and sendrecv is the
    default (RFC 3264 §5.1). The first direction attribute of a level decides."""
    parsed = parse_sdp(
        "v=0\r\na=ice-ufrag:sess\r\na=ice-pwd:sessionpassword0123456\r\na=recvonly\r\n"
        "m=audio 9 P 0\r\n"
        "m=video 9 P 0\r\na=ice-ufrag:vid1\r\na=sendonly\r\na=inactive\r\n"
        "m=audio 9 P 0\r\na=ice-pwd:audiopassword012345678\r\n"
    )
    assert parsed is not None
    assert [(m.credentials, m.direction) for m in parsed.media] == [
        (IceCredentials("sess", "sessionpassword0123456"), "recvonly"),
        (IceCredentials("vid1", "sessionpassword0123456"), "sendonly"),
        (IceCredentials("sess", "audiopassword012345678"), "recvonly"),
    ]
    alone = parse_sdp(
        "v=0\r\nm=audio 9 P 0\r\na=ice-ufrag:only\r\nm=video 9 P 0\r\na=ice-pwd:onlypassword0123456789\r\n"
    )
    assert alone is not None
    assert [(m.credentials, m.direction) for m in alone.media] == [(None, "sendrecv"), (None, "sendrecv")]


def test_a_sections_mid_msid_rtcp_mux_and_port_zero_are_its_own() -> None:
    """RFC 5888 §4 a=mid, RFC 8830 a=msid and RFC 5761 a=rtcp-mux are media-level attributes: each belongs to the
    section whose lines carry it, and a section without them has no mid, no msid and no rtcp-mux (RFC 5761 §5.1.1:
    a=rtcp-mux is used at the media level, so one at session level multiplexes no section); port 0 rejects a
    section (RFC 3264 §6, JSEP §5.3.1), any other port does not. Attribute values are read without surrounding
    whitespace, and the first a=mid of a section is its mid."""
    parsed = parse_sdp(
        "v=0\r\na=rtcp-mux\r\n"
        "m=audio 9 P 0\r\na=mid: a0 \r\na=mid:other\r\na=msid:- track\r\na=rtcp-mux\r\n"
        "m=video 0 P 0\r\n"
        "m=application 9 P x\r\n"
    )
    assert parsed == ParsedSdp(
        (
            MediaSection("audio", "a0", None, True, rejected=False, direction="sendrecv", msid=True),
            MediaSection("video", None, None, False, rejected=True, direction="sendrecv", msid=False),
            MediaSection("application", None, None, False, rejected=False, direction="sendrecv", msid=False),
        )
    )


def test_a_value_attribute_is_name_colon_value_and_a_property_attribute_is_its_name_alone() -> None:
    """RFC 8866 §5.13 (and §9: attribute-name is a token, which holds no colon): an attribute line is a=<name>:<value>
    or a=<name>. a=mid, a=msid, a=ice-ufrag and a=ice-pwd are value attributes (RFC 5888 §4, RFC 8830, RFC 8839
    §5.4), so a=mid or a=msid with no value is neither; a=rtcp-mux is a property attribute (RFC 5761 §5.1.1), so
    a=rtcp-mux:x is not it. The name ends at the first colon and the rest, colons and all, is the value. Other
    attributes with values (a=rtpmap, a=sctp-port) carry no msid. The port is the m= line's second field (RFC 8866
    §9), with or without a "/<number of ports>" after it."""
    parsed = parse_sdp(
        "v=0\r\n"
        "m=audio 9 P 111\r\na=mid\r\na=msid\r\na=rtcp-mux:x\r\na=rtpmap:111 opus/48000/2\r\n"
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:x:y\r\na=sctp-port:5000\r\n"
        "m=video 0/2 RTP/AVP 31\r\n"
    )
    assert parsed is not None
    assert [(m.mid, m.msid, m.rtcp_mux, m.rejected) for m in parsed.media] == [
        (None, False, False, False),
        ("x:y", False, False, False),
        (None, False, False, True),
    ]


@pytest.mark.parametrize(
    ("options", "trickle"),
    [("a=ice-options:ice2 trickle\r\n", True), ("a=ice-options:ice2\r\n", False), ("", False)],
)
def test_trickle_is_one_of_the_session_level_ice_options(options: str, trickle: bool) -> None:
    """RFC 8839 §5.6 / JSEP §5.2.1: a=ice-options lists ICE options separated by spaces; the description supports
    trickle ICE when "trickle" is one of them."""
    parsed = parse_sdp(f"v=0\r\n{options}m=audio 9 P 0\r\n")
    assert parsed is not None
    assert parsed.trickle is trickle


# ---- webrtc-pc "check if negotiation is needed", step 5, one transceiver at a time -------------------------

Section = tuple[str, bool]  # an m= section's direction, and whether it is rejected (port 0)


def description_of(sdp_type: str, section: Section | None, mid: str = "0") -> SessionDescription | None:
    if section is None:
        return None
    direction, rejected = section
    sdp = write_sdp(
        session_id=1,
        version=1,
        media=(("audio", mid),),
        credentials=IceCredentials("ufrag000", "p" * 24),
        directions={mid: direction},
        rejected=frozenset({mid}) if rejected else frozenset(),
    )
    return SessionDescription(sdp_type, sdp)


def needs_negotiation(
    direction: str,
    local: Section | None,
    remote: Section | None = None,
    *,
    ours: str = "answer",
    stopping: bool = False,
    stopped: bool = False,
    mid: str = "0",
) -> bool:
    """Step 5 for an audio transceiver with mid "0" and [[Direction]] `direction`, when currentLocalDescription (of
    type `ours`) has the section `local` for mid `mid` and currentRemoteDescription the section `remote`."""
    pc = RTCPeerConnection()
    transceiver = RTCRtpTransceiver("audio", direction, stopping=stopping, stopped=stopped, mid="0")
    pc._slots.current_remote = description_of("offer" if ours == "answer" else "answer", remote, mid)
    return pc._transceiver_needs_negotiation(transceiver, description_of(ours, local, mid))


def test_step_5_1_a_stopping_transceiver_not_yet_stopped_needs_negotiation_whatever_its_section_says() -> None:
    """Step 5.1: [[Stopping]] true and [[Stopped]] false: true, even when its section would otherwise match."""
    assert needs_negotiation("inactive", ("inactive", False), ("sendonly", False), stopping=True) is True


def test_step_5_2_a_transceiver_without_a_section_in_the_local_description_needs_negotiation() -> None:
    """Step 5.2: not yet associated with an m= section of currentLocalDescription (none, or none with its mid)."""
    assert needs_negotiation("sendrecv", None) is True
    assert needs_negotiation("recvonly", ("recvonly", False), ("sendrecv", False), mid="1") is True


@pytest.mark.parametrize("direction", ["sendrecv", "sendonly"])
def test_step_5_3_1_a_sending_transceiver_whose_section_has_no_msid_needs_negotiation(direction: str) -> None:
    """Step 5.3.1: [[Direction]] sends, and the section has no a=msid line (here: an inactive answer to an offer
    that would make the answer inactive anyway, so only this step can tell)."""
    offered = "inactive" if direction == "sendrecv" else "sendonly"
    assert needs_negotiation(direction, ("inactive", False), (offered, False)) is True


def test_step_5_3_2_our_offer_needs_negotiation_when_neither_description_matches_the_direction() -> None:
    """Step 5.3.2: in our offer, the section's direction differs from [[Direction]]; negotiation is needed unless
    the remote answer's direction, reversed, matches it (a recvonly transceiver answered sendonly is settled)."""
    assert needs_negotiation("recvonly", ("sendrecv", False), ("sendonly", False), ours="offer") is False
    assert needs_negotiation("recvonly", ("sendrecv", False), ("recvonly", False), ours="offer") is True
    assert needs_negotiation("recvonly", ("sendrecv", False), None, ours="offer") is True
    assert needs_negotiation("sendrecv", ("sendrecv", False), ("recvonly", False), ours="offer") is False


def test_step_5_3_3_our_answer_needs_negotiation_when_its_direction_is_not_the_intersection() -> None:
    """Step 5.3.3: in our answer, the section's direction is not [[Direction]] intersected with the offered one."""
    assert needs_negotiation("recvonly", ("inactive", False), ("sendrecv", False)) is True
    assert needs_negotiation("recvonly", ("recvonly", False), ("sendrecv", False)) is False
    assert needs_negotiation("recvonly", ("inactive", False), None) is False


@pytest.mark.parametrize(
    ("local", "remote", "needed"),
    [
        (("inactive", False), None, True),
        (("inactive", False), ("inactive", False), True),
        (None, ("inactive", False), True),
        (("inactive", True), None, False),
        (("inactive", False), ("inactive", True), False),
        (None, None, False),
    ],
)
def test_step_5_4_a_stopped_transceiver_needs_negotiation_while_associated_and_not_rejected(
    local: Section | None, remote: Section | None, needed: bool
) -> None:
    """Step 5.4: [[Stopped]] true and associated with an m= section (of either current description) that is not
    yet rejected in currentLocalDescription or currentRemoteDescription."""
    pc = RTCPeerConnection()
    transceiver = RTCRtpTransceiver("audio", "inactive", stopping=True, stopped=True, mid="0")
    pc._slots.current_remote = description_of("answer", remote)
    local_description = description_of("offer", local) or description_of("offer", ("inactive", False), mid="9")
    assert pc._transceiver_needs_negotiation(transceiver, local_description) is needed


# ---- createOffer's legacy options (webrtc-pc §11, createOffer steps 3.1-3.5) ---------------------------


def directions_after_offer(options: dict[str, object], *existing: tuple[str, str]) -> list[tuple[str, str]]:
    pc = RTCPeerConnection()
    for kind, direction in existing:
        pc.addTransceiver(kind, {"direction": direction})
    pc.createOffer(options)
    return [(t.kind, t.direction) for t in pc.getTransceivers()]


def test_offerToReceive_false_stops_receiving_on_that_kind_only_and_leaves_other_directions() -> None:
    """Step 3.1: for the kind whose offerToReceive<Kind> is false, sendrecv becomes sendonly and recvonly inactive;
    sendonly and inactive stay; transceivers of the other kind are untouched."""
    existing = [("audio", "sendrecv"), ("audio", "recvonly"), ("audio", "sendonly"), ("audio", "inactive")]
    after = directions_after_offer({"offerToReceiveAudio": False}, *existing, ("video", "sendrecv"))
    assert after == [
        ("audio", "sendonly"),
        ("audio", "inactive"),
        ("audio", "sendonly"),
        ("audio", "inactive"),
        ("video", "sendrecv"),
    ]


@pytest.mark.parametrize("receiving", ["sendrecv", "recvonly"])
def test_offerToReceive_true_adds_a_recvonly_transceiver_only_when_none_of_the_kind_receives(receiving: str) -> None:
    """Steps 3.2-3.5: a transceiver of the kind that already receives (sendrecv or recvonly) is enough; otherwise a
    recvonly one is added. Each kind is handled in turn: audio's outcome does not stop video's."""
    after = directions_after_offer({"offerToReceiveAudio": True, "offerToReceiveVideo": True}, ("audio", receiving))
    assert after == [("audio", receiving), ("video", "recvonly")]
    after = directions_after_offer({"offerToReceiveAudio": False, "offerToReceiveVideo": True})
    assert after == [("video", "recvonly")]


def test_a_transceiver_stopped_by_the_connection_has_Direction_inactive() -> None:
    """webrtc-pc §5.4 stop() steps 5-7: [[Direction]] "inactive", [[Stopping]] true."""
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("audio")
    pc.stop_transceiver(transceiver)
    assert (transceiver.direction_slot, transceiver.stopping, transceiver.direction) == ("inactive", True, "stopped")


def test_generateCertificate_defaults_to_seed_0_at_time_0() -> None:
    """NOTES.md "Time": the model has no clock and no hidden randomness; without them, seed 0 and now 0."""
    default = RTCPeerConnection.generateCertificate(ECDSA)
    explicit = RTCPeerConnection.generateCertificate(ECDSA, seed=0, now=0)
    assert (default.fingerprint, default.expires) == (explicit.fingerprint, explicit.expires)


def test_a_remote_offer_in_have_local_offer_rolls_the_local_offer_back_first() -> None:
    """webrtc-pc setRemoteDescription step 3.1 (implicit rollback): a remote offer while our own offer is pending
    rolls that back (a local rollback), then applies the remote offer."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    offer = RemotePeer().offer(RTCPeerConnection())
    pc.setRemoteDescription({"type": "offer", "sdp": offer.sdp})
    assert pc.signalingState == "have-remote-offer"
    assert pc.pendingLocalDescription is None
    assert pc.pendingRemoteDescription is not None and pc.pendingRemoteDescription.sdp == offer.sdp


def test_an_answer_intersects_each_transceivers_direction_with_the_offered_one() -> None:
    """JSEP §5.3.1: each answered section's direction is its transceiver's [[Direction]] intersected with the
    offered one, seen from our side: the recvonly transceivers setRemoteDescription made answer an offered sendrecv
    with recvonly and an offered recvonly with inactive (JSEP §5.10 associates only addTrack's transceivers, so an
    addTransceiver'd one stays out); our own sendrecv transceiver, re-offered recvonly by the far end, sendonly."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.addTransceiver("video", {"direction": "recvonly"})
    pc = RTCPeerConnection()
    own = pc.addTransceiver("audio")
    pc.setRemoteDescription({"type": "offer", "sdp": offerer.createOffer().sdp})
    assert sections(pc.createAnswer()) == [("audio", "0", "recvonly", False), ("video", "1", "inactive", False)]
    assert own.mid is None
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    remote = RemotePeer()
    negotiated(pc, remote)
    pc.setRemoteDescription({"type": "offer", "sdp": remote.offer(pc).sdp})
    assert sections(pc.createAnswer())[0] == ("audio", "0", "sendonly", False)


def test_a_final_answer_after_a_local_pranswer_keeps_the_pranswers_credentials() -> None:
    """JSEP §5.3.2 (a subsequent answer keeps the credentials unless ICE restarts): the answer that follows our own
    pranswer, in have-local-pranswer, carries the same ICE credentials as the pranswer."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": RemotePeer().offer(RTCPeerConnection()).sdp})
    pranswer = pc.createAnswer()
    pc.setLocalDescription({"type": "pranswer", "sdp": pranswer.sdp})
    assert pc.signalingState == "have-local-pranswer"
    assert pc.createAnswer().ice_credentials == pranswer.ice_credentials


def test_a_data_channel_label_of_65535_bytes_is_accepted_and_one_of_65536_is_a_TypeError() -> None:
    """webrtc-pc createDataChannel step 5: a label longer than 65535 bytes (its UTF-8 form) throws a TypeError."""
    pc = RTCPeerConnection()
    assert pc.createDataChannel("é" * 32767 + "a").label == "é" * 32767 + "a"
    with pytest.raises(SpecError) as caught:
        pc.createDataChannel("é" * 32768)
    assert (caught.value.name, caught.value.spec, caught.value.kind) == (
        "TypeError",
        "createDataChannel step 5",
        "throw",
    )


def test_the_first_data_channel_makes_negotiation_needed() -> None:
    """webrtc-pc createDataChannel step 20: the first RTCDataChannel updates the negotiation-needed flag, and with no
    data section negotiated negotiationneeded fires once; a second channel changes nothing."""
    pc = RTCPeerConnection()
    pc.createDataChannel("a")
    assert (pc.negotiation_needed, pc.negotiationneeded_events) == (True, 1)
    pc.createDataChannel("b")
    assert pc.negotiationneeded_events == 1


def test_each_description_the_connection_writes_keeps_its_session_id_and_adds_one_to_the_version() -> None:
    """JSEP §5.2.1 / §5.2.2 (RFC 8866 §5.2): <sess-id> is fixed for the session and <sess-version> goes up by one
    with each new description."""
    pc = RTCPeerConnection()
    first, second = origin(pc.createOffer()).split(), origin(pc.createOffer()).split()
    assert first[1] == second[1] and first[1].isdigit()
    assert int(second[2]) == int(first[2]) + 1


def test_a_second_offer_while_the_first_is_pending_keeps_its_credentials() -> None:
    """JSEP §5.2.2 via create an offer: with no currentLocalDescription, the pending local offer's ICE credentials
    stay the same in the next offer (no ICE restart asked for)."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    offer = pc.createOffer()
    pc.setLocalDescription({"type": "offer", "sdp": offer.sdp})
    assert pc.createOffer().ice_credentials == offer.ice_credentials


@pytest.mark.parametrize(
    ("dropped", "step"),
    [("a=rtcp-mux", "set a session description step 4.6.4"), ("a=ice-pwd:", "set a session description step 4.6.6")],
)
def test_a_remote_description_without_rtcp_mux_or_ice_credentials_rejects_with_InvalidAccessError(
    dropped: str, step: str
) -> None:
    """webrtc-pc set a session description steps 4.6.4 (RTCP mux is required: rtcpMuxPolicy "require") and 4.6.6
    (every m= section needs ICE credentials): InvalidAccessError, as a rejection."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    sdp = "".join(line for line in offerer.createOffer().sdp.splitlines(True) if not line.startswith(dropped))
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().setRemoteDescription({"type": "offer", "sdp": sdp})
    assert (caught.value.name, caught.value.spec, caught.value.kind) == ("InvalidAccessError", step, "reject")


def test_a_session_level_rtcp_mux_does_not_multiplex_the_sections_so_the_remote_offer_rejects() -> None:
    """RFC 5761 §5.1.1: a=rtcp-mux is a media-level attribute, so an offer that moves it to the session level has
    RTP sections without RTCP mux, and with rtcpMuxPolicy "require" setRemoteDescription rejects with
    InvalidAccessError (set a session description step 4.6.4)."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    lines = [line for line in offerer.createOffer().sdp.splitlines(True) if not line.startswith("a=rtcp-mux")]
    timing = next(index for index, line in enumerate(lines) if line.startswith("t="))  # the session part ends later
    sdp = "".join([*lines[: timing + 1], "a=rtcp-mux\r\n", *lines[timing + 1 :]])
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection().setRemoteDescription({"type": "offer", "sdp": sdp})
    assert (caught.value.name, caught.value.spec, caught.value.kind) == (
        "InvalidAccessError",
        "set a session description step 4.6.4",
        "reject",
    )


@pytest.mark.parametrize("sdp_type", ["answer", "pranswer"])
def test_a_remote_answer_with_other_m_sections_than_our_offer_rejects_with_InvalidAccessError(sdp_type: str) -> None:
    """webrtc-pc set a session description step 4.6.6 with JSEP §5.3.1 (an answer has one m= section per offered
    one): a remote answer or pranswer to our pending offer with another number of sections is refused."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    other = write_sdp(
        session_id=9,
        version=1,
        media=(("audio", "0"), ("video", "1")),
        credentials=IceCredentials("ufrag000", "p" * 24),
    )
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": sdp_type, "sdp": other})
    error = caught.value
    assert (error.name, error.spec, error.kind) == (
        "InvalidAccessError",
        "set a session description step 4.6.6",
        "reject",
    )


def test_a_connection_draws_its_credentials_and_session_id_from_its_seed_zero_by_default() -> None:
    """NOTES.md, "How the model runs", Randomness: a connection's only randomness is its seed (0 by default): its
    ICE credentials come from the seed's "local" stream (the far end's is "remote") and its o= session id is the
    seed."""
    for pc, seed in ((RTCPeerConnection(), 0), (RTCPeerConnection(seed=5), 5)):
        pc.createDataChannel("chat")
        offer = pc.createOffer()
        assert offer.ice_credentials == {CredentialSource(seed, "local").fresh()}
        assert origin(offer).split()[1] == str(seed)


def test_a_candidate_pool_set_by_setConfiguration_leaves_the_ice_states_undecided() -> None:
    """JSEP §3.5.4: with iceCandidatePoolSize above 0 the ICE agent may gather before any description, so the model
    no longer decides iceGatheringState, iceConnectionState or connectionState."""
    pc = RTCPeerConnection()
    assert ice_states(pc) == {"iceGatheringState": "new", "iceConnectionState": "new", "connectionState": "new"}
    pc.setConfiguration({"iceCandidatePoolSize": 1})
    assert ice_states(pc) == {}


def kinds_applied(pc: RTCPeerConnection) -> list[str]:
    assert pc.pendingLocalDescription is not None
    return [kind for kind, _mid, _direction, _rejected in sections(pc.pendingLocalDescription)]


def test_setLocalDescription_without_sdp_makes_a_new_offer_once_the_last_one_no_longer_fits() -> None:
    """webrtc-pc setLocalDescription step 4.4: with no sdp, [[LastCreatedOffer]] is used unless it "no longer
    accurately represents the offerer's system state": a transceiver or the first data channel added since, or an
    ICE restart asked for since, makes a new offer."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    pc.createOffer()
    pc.addTransceiver("audio")
    pc.setLocalDescription({"type": "offer"})
    assert kinds_applied(pc) == ["audio", "application"]
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.createOffer()
    pc.createDataChannel("chat")
    pc.setLocalDescription({"type": "offer"})
    assert kinds_applied(pc) == ["audio", "application"]
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    negotiated(pc, RemotePeer())
    stale = pc.createOffer()
    pc.restartIce()
    pc.setLocalDescription({"type": "offer"})
    assert pc.pendingLocalDescription is not None
    assert pc.pendingLocalDescription.ice_credentials.isdisjoint(stale.ice_credentials)


# ---- transceivers: step 15 (a rejected section stops its transceiver) and an answer's step 1.1 (removal) ----


def rejecting(description: SessionDescription, kind: str) -> str:
    """The SDP of `description` with its `kind` section moved to port 0: the far end rejecting it."""
    assert f"m={kind} 9 " in description.sdp
    return description.sdp.replace(f"m={kind} 9 ", f"m={kind} 0 ")


def test_a_remote_answer_rejecting_a_section_stops_its_transceiver_and_removes_it_alone() -> None:
    """webrtc-pc set a session description step 15: a rejected media description of a remote answer stops its
    transceiver; the answer's step 1.1 then removes a stopped transceiver whose section is rejected in the
    current remote description, though the current local one (our offer) accepted it. The other stays."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    audio, video = pc.addTransceiver("audio"), pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.setRemoteDescription({"type": "answer", "sdp": rejecting(remote.answer(pc), "audio")})
    assert audio.stopped and not video.stopped
    assert pc.getTransceivers() == (video,)


def test_a_remote_offer_rejecting_a_section_stops_its_transceiver_before_any_answer() -> None:
    """webrtc-pc set a session description step 15: the rejected media description may be in a remote offer;
    its transceiver is stopped as the offer is applied (it leaves the set only with the answer, step 1.1)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    audio, video = pc.addTransceiver("audio"), pc.addTransceiver("video")
    negotiated(pc, remote)
    pc.setRemoteDescription({"type": "offer", "sdp": rejecting(remote.offer(pc), "audio")})
    assert audio.stopped and not video.stopped
    assert pc.getTransceivers() == (audio, video)


def test_a_local_offer_rejecting_a_stopping_transceivers_section_does_not_stop_it_nor_does_removal() -> None:
    """webrtc-pc step 15 stops a transceiver only for a rejected section of a remote description or an answer: a
    local offer putting a stopping transceiver's section at port 0 leaves it stopping, not stopped. An answer's
    step 1.1 removes only stopped transceivers, so one the answer does not reject stays, though the current
    local description rejects its section."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    audio = pc.addTransceiver("audio")
    negotiated(pc, remote)
    pc.stop_transceiver(audio)
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    assert audio.stopping and not audio.stopped
    accepting = remote.answer(pc).sdp.replace("m=audio 0 ", "m=audio 9 ")
    pc.setRemoteDescription({"type": "answer", "sdp": accepting})
    assert audio.stopping and not audio.stopped
    assert pc.getTransceivers() == (audio,)


def test_a_transceiver_whose_proposed_mid_a_remote_offer_took_gets_a_fresh_mid_in_the_next_offer() -> None:
    """JSEP §5.10: a remote offer drops the mids a discarded local offer had only proposed ([[JsepMid]] of a
    transceiver without [[Mid]]); the remote offer's section gets a transceiver of its own, and the next offer
    proposes a new, unused mid for the unassociated one (JSEP §5.2.2), one m= section each."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": pc.createOffer({"offerToReceiveVideo": True}).sdp})
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    unassociated, created = pc.getTransceivers()
    assert (unassociated.mid, unassociated.jsep_mid, created.mid) == (None, None, "0")
    offer = pc.createOffer()
    assert [(kind, mid) for kind, mid, _direction, _rejected in sections(offer)] == [("video", "0"), ("video", "1")]
    pc.setLocalDescription({"type": "offer", "sdp": offer.sdp})
    assert (unassociated.mid, created.mid) == ("1", "0")


def test_a_transceiver_stopped_by_a_rolled_back_offer_is_removed_by_our_answer_rejecting_its_section() -> None:
    """Step 15 stopped the transceiver of a remote offer's rejected section; rolling that offer back does not
    restart it. The far end's next offer accepts the section again, but our answer rejects it (JSEP §5.3.1: the
    transceiver is stopped), and the answer's step 1.1 removes it: rejected in the current local description
    only, the current remote one accepting it."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    audio, video = pc.addTransceiver("audio"), pc.addTransceiver("video")
    negotiated(pc, remote)
    pc.setRemoteDescription({"type": "offer", "sdp": rejecting(remote.offer(pc), "audio")})
    pc.setRemoteDescription({"type": "rollback"})
    assert audio.stopped and pc.getTransceivers() == (audio, video)
    pc.setRemoteDescription({"type": "offer", "sdp": remote.offer(pc).sdp})
    answer = pc.createAnswer()
    assert [(kind, rejected) for kind, _mid, _direction, rejected in sections(answer)][:2] == [
        ("audio", True),
        ("video", False),
    ]
    pc.setLocalDescription({"type": "answer", "sdp": answer.sdp})
    assert pc.getTransceivers() == (video,)


def sections_first(sdp: str, kind: str) -> str:
    """`sdp` with its m= sections of `kind` moved before the others (each section keeps its lines)."""
    session, *media = sdp.split("m=")
    blocks = ["m=" + block for block in media]
    return session + "".join(sorted(blocks, key=lambda block: not block.startswith(f"m={kind} ")))


def test_a_remote_offers_media_section_gets_a_transceiver_after_a_data_section_or_one_of_another_kind() -> None:
    """webrtc-pc §4.4.1.5 set a session description, its transceiver steps (JSEP §5.10): each media section
    of a remote offer is processed on its own, whatever comes before it; a data section, or one of a kind no
    transceiver can have, is passed over without ending the walk, and the audio or video section after it gets
    its recvonly transceiver."""
    offerer = RTCPeerConnection()
    offerer.createDataChannel("chat")
    offerer.addTransceiver("audio")
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": sections_first(offerer.createOffer().sdp, "application")})
    assert [t.observed() for t in pc.getTransceivers()] == [{"kind": "audio", "mid": "0", "direction": "recvonly"}]
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.addTransceiver("video")
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offerer.createOffer().sdp.replace("m=audio 9 ", "m=text 9 ")})
    assert [t.observed() for t in pc.getTransceivers()] == [{"kind": "video", "mid": "1", "direction": "recvonly"}]


# ---- mutation run 4: peer_connection.py's survivors of run 3 ------------------------------------------------

JSEP_RESTART = Profile().but(jsep_needs_ice_restart=True)
OTHER_SERVERS = {"iceServers": [{"urls": "stun:other.example.net"}]}
FAR_PAIR, CHANGED_PAIR = IceCredentials("farufrag", "f" * 24), IceCredentials("newufrag", "n" * 24)


def far_sdp(media: tuple[tuple[str, str], ...], credentials: IceCredentials, version: int = 1) -> str:
    """SDP a far end wrote: the given (kind, mid) sections, all with `credentials`."""
    return write_sdp(session_id=9, version=version, media=media, credentials=credentials)


def without_mids(sdp: str) -> str:
    """`sdp` as a far end that writes no a=mid lines (and so no BUNDLE group) would send it."""
    return "".join(line for line in sdp.splitlines(keepends=True) if not line.startswith(("a=mid:", "a=group:BUNDLE")))


def mids(description: SessionDescription) -> list[str | None]:
    return [mid for _kind, mid, _direction, _rejected in sections(description)]


def test_step_5_3_2_a_sending_direction_is_settled_by_the_remote_answers_direction_reversed() -> None:
    """Check if negotiation is needed step 5.3.2: the remote answer's direction is reversed before it is compared,
    so what it receives is what we send: a sendonly transceiver whose offer said sendrecv, answered recvonly, is
    settled."""
    assert needs_negotiation("sendonly", ("sendrecv", False), ("recvonly", False), ours="offer") is False


def test_the_first_data_channel_after_an_exchange_without_a_data_section_makes_negotiation_needed() -> None:
    """Check if negotiation is needed steps 3-4: data channels exist and currentLocalDescription, though there is
    one, has no data m= section: the first channel (createDataChannel step 20) fires negotiationneeded."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    negotiated(pc, RemotePeer())
    assert not pc.negotiation_needed
    events = pc.negotiationneeded_events
    pc.createDataChannel("chat")
    assert (pc.negotiation_needed, pc.negotiationneeded_events) == (True, events + 1)


def test_a_certificate_expiring_at_the_connections_default_time_is_accepted() -> None:
    """RTCPeerConnection constructor step 5.1 refuses a certificate whose expires is *less than* the current time.
    The model's clock defaults to 0 (NOTES.md "Time"), so a certificate generated at time 0 with expires 0 is not
    expired for a connection made without `now`."""
    certificate = RTCPeerConnection.generateCertificate({**ECDSA, "expires": 0})
    assert certificate.expires == 0
    pc = RTCPeerConnection({"certificates": [certificate]})
    assert pc.getConfiguration()["certificates"] == [certificate]


@pytest.mark.parametrize("sdp", ["XXXX", "v=0", "offer"])
def test_after_an_answer_any_offer_sdp_is_refused_as_not_the_last_created_offer(sdp: str) -> None:
    """Set a session description, a local answer applied: [[LastCreatedOffer]] and [[LastCreatedAnswer]] become
    empty. setLocalDescription step 4.2 then refuses any non-empty offer SDP with InvalidModificationError, before
    its content is parsed (step 4.6.3 would say sdp-syntax-error)."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": RemotePeer().offer(pc).sdp})
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    with pytest.raises(SpecError) as caught:
        pc.setLocalDescription({"type": "offer", "sdp": sdp})
    assert (caught.value.name, caught.value.spec) == ("InvalidModificationError", "setLocalDescription step 4.2")


def test_with_jsep_needs_ice_restart_an_offer_made_before_the_server_change_does_not_clear_it() -> None:
    """JSEP §3.5.1: needs-ice-restart is cleared by applying a local description with *new* ICE credentials. An
    offer created before the servers changed keeps the current credentials, so applying it leaves the bit set, and
    the next offer restarts ICE."""
    pc, remote = RTCPeerConnection(profile=JSEP_RESTART), RemotePeer()
    pc.createDataChannel("chat")
    negotiated(pc, remote)
    kept = pc.currentLocalDescription.ice_credentials if pc.currentLocalDescription else frozenset()
    stale = pc.createOffer()
    pc.setConfiguration(OTHER_SERVERS)
    assert pc.needs_ice_restart is True
    pc.setLocalDescription({"type": "offer", "sdp": stale.sdp})
    assert stale.ice_credentials == kept
    assert pc.needs_ice_restart is True
    assert pc.createOffer().ice_credentials.isdisjoint(kept)


def test_with_jsep_needs_ice_restart_our_answer_to_a_restarting_offer_clears_it() -> None:
    """JSEP §3.5.1: a local answer with new ICE credentials clears needs-ice-restart as a local offer does; the
    bit is a boolean, false again, and the next offer keeps the answer's credentials."""
    pc, remote = RTCPeerConnection(profile=JSEP_RESTART), RemotePeer()
    pc.createDataChannel("chat")
    negotiated(pc, remote)
    pc.setConfiguration(OTHER_SERVERS)
    assert pc.needs_ice_restart is True
    pc.setRemoteDescription({"type": "offer", "sdp": remote.offer(pc, ice_restart=True).sdp})
    answer = pc.createAnswer()
    pc.setLocalDescription({"type": "answer", "sdp": answer.sdp})
    assert pc.needs_ice_restart is False
    assert pc.createOffer().ice_credentials == answer.ice_credentials


def test_with_jsep_needs_ice_restart_new_servers_before_any_description_set_nothing() -> None:
    """JSEP §4.1.18 (setConfiguration): only a change once gathering began (a local description set) sets
    needs-ice-restart; before that, new servers apply to the first gathering and negotiation is not needed."""
    pc = RTCPeerConnection(profile=JSEP_RESTART)
    pc.setConfiguration(OTHER_SERVERS)
    assert pc.needs_ice_restart is False
    assert (pc.negotiation_needed, pc.negotiationneeded_events) == (False, 0)


def test_a_profile_reusing_generated_credentials_still_restarts_an_offer_with_a_new_pair() -> None:
    """JSEP §5.2.1 / §5.2.2: an offer that restarts ICE has new credentials; a profile that reuses the pair it
    generated last (reuse_generated_credentials) reuses it only when no restart is asked for (restartIce)."""
    pc, remote = RTCPeerConnection(profile=Profile().but(reuse_generated_credentials=True)), RemotePeer()
    pc.createDataChannel("chat")
    first = pc.createOffer().ice_credentials
    negotiated(pc, remote)
    assert pc.currentLocalDescription is not None and pc.currentLocalDescription.ice_credentials == first
    pc.restartIce()
    assert pc.createOffer().ice_credentials.isdisjoint(first)


def test_a_transceiver_recycling_a_section_without_one_gets_its_mid_when_our_offer_is_applied() -> None:
    """Set a session description, a local offer: each transceiver is associated with the m= section createOffer
    proposed for it ([[Mid]] set to [[JsepMid]]). A negotiated section no transceiver of ours has (here one of a
    media type the far end offered, which our answer rejected: JSEP §5.3.1) is recycled for the added transceiver
    (JSEP §5.2.2: a new mid at its index), and the transceiver gets that mid; the video one keeps its own."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.addTransceiver("video")
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offerer.createOffer().sdp.replace("m=audio 9 ", "m=text 9 ")})
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    audio = pc.addTransceiver("audio")
    offer = pc.createOffer()
    assert [(kind, rejected) for kind, _mid, _direction, rejected in sections(offer)] == [
        ("audio", False),
        ("video", False),
    ]
    pc.setLocalDescription({"type": "offer", "sdp": offer.sdp})
    assert (audio.mid, pc.getTransceivers()[0].mid) == (mids(offer)[0], "1")
    assert audio.mid not in ("0", "1")


def test_the_transceiver_offerToReceive_adds_does_not_update_the_negotiation_needed_flag() -> None:
    """webrtc-pc §11 createOffer step 3.3: the legacy option adds its recvonly transceiver without updating the
    negotiation-needed flag, so no negotiationneeded fires, even though an earlier operation (the answer that made
    the connection stable) ran a deferred update when its chain emptied (chain an operation steps 7.4.2-7.4.6)."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    negotiated(pc, RemotePeer())
    events = pc.negotiationneeded_events
    pc.createOffer({"offerToReceiveVideo": True})
    assert [t.kind for t in pc.getTransceivers()] == ["video"]
    assert (pc.negotiation_needed, pc.negotiationneeded_events) == (False, events)


def test_a_local_answer_created_for_an_earlier_remote_offer_is_refused_when_the_sections_differ() -> None:
    """setLocalDescription step 4.3 accepts [[LastCreatedAnswer]] unchanged, but set a session description step
    4.6.6 (JSEP §5.8) still compares it with the offer it answers, the pending remote one: an answer made for an
    earlier offer with one m= section does not answer a newer offer with two, and is refused (InvalidAccessError)."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": far_sdp((("application", "0"),), FAR_PAIR)})
    stale = pc.createAnswer()
    newer = far_sdp((("audio", "0"), ("application", "1")), FAR_PAIR, version=2)
    pc.setRemoteDescription({"type": "offer", "sdp": newer})
    with pytest.raises(SpecError) as caught:
        pc.setLocalDescription({"type": "answer", "sdp": stale.sdp})
    assert (caught.value.name, caught.value.spec) == ("InvalidAccessError", "set a session description step 4.6.6")
    assert pc.signalingState == "have-remote-offer"


def exchange_with_mids(media: tuple[tuple[str, str], ...], *, keep_mids: bool = True) -> RTCPeerConnection:
    """A connection that answered a far end's offer of `media` (FAR_PAIR) and has its own re-offer applied."""
    strip = (lambda sdp: sdp) if keep_mids else without_mids
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": strip(far_sdp(media, FAR_PAIR))})
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    return pc


@pytest.mark.parametrize("keep_mids", [True, False])
def test_a_remote_answer_changing_credentials_our_offer_kept_is_refused_section_by_mid_or_position(
    keep_mids: bool,
) -> None:
    """Set a session description step 4.6.6 with JSEP §5.10: an answer whose ICE credentials changed from the
    previous remote description, to an offer that restarts nothing, is invalid. Sections are matched by their
    mids, here "a" and "b" (not their positions), and, in an exchange whose far end writes no a=mid lines, by
    their position (RFC 3264 §6). The same answer with the credentials unchanged is applied."""
    media = (("audio", "a"), ("application", "b"))
    strip = (lambda sdp: sdp) if keep_mids else without_mids
    pc = exchange_with_mids(media, keep_mids=keep_mids)
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": "answer", "sdp": strip(far_sdp(media, CHANGED_PAIR, version=2))})
    assert (caught.value.name, caught.value.kind) == ("InvalidAccessError", "reject")
    assert caught.value.spec == "set a session description step 4.6.6 (JSEP §5.10)"
    pc.setRemoteDescription({"type": "answer", "sdp": strip(far_sdp(media, FAR_PAIR, version=2))})
    assert pc.signalingState == "stable"


def test_each_m_section_of_a_remote_answer_is_checked_even_after_one_new_to_the_exchange() -> None:
    """JSEP §5.10 checks the credentials m= section by m= section: a section with no previous remote credentials
    (a mid the previous remote description did not have) has nothing to compare, and the sections after it are
    still compared, so a changed pair there is refused."""
    pc = exchange_with_mids((("audio", "a"), ("application", "b")))
    answer = far_sdp((("audio", "new"), ("application", "b")), CHANGED_PAIR, version=2)
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": "answer", "sdp": answer})
    assert caught.value.name == "InvalidAccessError"
    assert "m= section b" in caught.value.message


def test_an_answer_to_an_offer_without_mids_gives_no_two_sections_the_same_mid() -> None:
    """RFC 5888 §4: a mid identifies one m= section, so no two carry the same one. Answering an offer whose far end
    writes no a=mid lines, the model names each answered section by its position, the mid JSEP §5.10 had it generate
    for the section's transceiver (JSEP §5.3.1 puts an a=mid line in the answer only if the offer had one; the model
    writes it as Chromium 156 and Firefox 153 do: NOTES.md, "Fidelity to JSEP"); the mids are unique."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": without_mids(far_sdp((("audio", "0"), ("video", "1")), FAR_PAIR))})
    answered = mids(pc.createAnswer())
    assert len(set(answered)) == len(answered) == 2


def test_two_offers_before_any_is_applied_give_each_transceiver_its_own_mid() -> None:
    """RFC 5888 §4 (mids are unique) and JSEP §5.2.1: a transceiver added after an offer proposed a mid for the
    first one gets an unused mid, not the one already proposed."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.createOffer()
    pc.addTransceiver("video")
    assert mids(pc.createOffer()) == ["0", "1"]


def test_an_offer_while_a_data_offer_is_pending_keeps_the_data_sections_mid_and_adds_a_new_one() -> None:
    """JSEP §5.2.2 (an offer made in have-local-offer keeps the pending offer's mids) and RFC 5888 §4 (unique mids):
    the pending offer's data section keeps mid "0", and the transceiver added since gets "1"."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.addTransceiver("audio")
    assert [(kind, mid) for kind, mid, _direction, _rejected in sections(pc.createOffer())] == [
        ("audio", "1"),
        ("application", "0"),
    ]


def test_a_subsequent_offer_keeps_each_negotiated_transceivers_direction_and_adds_new_ones() -> None:
    """JSEP §5.2.2: a subsequent offer keeps the negotiated m= sections, each with its transceiver's [[Direction]]
    (here recvonly, then inactive), and adds a section for a transceiver added since."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio", {"direction": "recvonly"})
    pc.addTransceiver("video", {"direction": "inactive"})
    negotiated(pc, RemotePeer())
    pc.addTransceiver("audio")
    assert [(kind, direction) for kind, _mid, direction, _rejected in sections(pc.createOffer())] == [
        ("audio", "recvonly"),
        ("video", "inactive"),
        ("audio", "sendrecv"),
    ]


def test_a_transceiver_a_pranswer_stopped_stays_when_the_final_answer_accepts_its_section() -> None:
    """Set a session description step 15 stops the transceiver of a section a remote pranswer rejects; an answer's
    step 1.1 removes a stopped transceiver only when its section is rejected in currentLocalDescription or
    currentRemoteDescription. A final answer accepting the section (and our offer, which did) leaves it in the set,
    stopped; check if negotiation is needed step 5.4 then asks to negotiate its rejection."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    audio, video = pc.addTransceiver("audio"), pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answer = remote.answer(pc)
    pc.setRemoteDescription({"type": "pranswer", "sdp": rejecting(answer, "audio")})
    assert audio.stopped
    pc.setRemoteDescription({"type": "answer", "sdp": answer.sdp})
    assert pc.getTransceivers() == (audio, video)
    assert pc.negotiation_needed


def test_the_implicit_rollback_clears_negotiation_needed_and_the_remote_offer_leaves_it_false() -> None:
    """Set a session description: reaching stable (here by the implicit rollback of setRemoteDescription step 3.1)
    sets [[NegotiationNeeded]] to false and updates the flag, which waits while the remote offer makes the state
    have-remote-offer (update the negotiation-needed flag step 2.3): false, though the data channel is still not
    negotiated."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    assert pc.negotiation_needed is True
    pc.setRemoteDescription({"type": "offer", "sdp": RemotePeer().offer(RTCPeerConnection()).sdp})
    assert pc.signalingState == "have-remote-offer"
    assert pc.negotiation_needed is False


def test_the_states_recorded_with_the_last_created_offer_and_answer_name_the_current_local_description() -> None:
    """setLocalDescription steps 4.4-4.5 compare the offerer's and the answerer's system state with the one recorded
    when [[LastCreatedOffer]] / [[LastCreatedAnswer]] was made; both records include the current local description
    the description was made against (properties/explore_state.py reads that member to tell whether the record is
    still today's)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.createDataChannel("chat")
    negotiated(pc, remote)
    pc.createOffer()
    assert pc._slots.last_offer_state is not None
    assert pc._slots.last_offer_state.current_local is pc.currentLocalDescription is not None
    assert pc._slots.last_offer_state.transceivers == ()
    pc.setRemoteDescription({"type": "offer", "sdp": remote.offer(pc).sdp})
    pc.createAnswer()
    assert pc._slots.last_answer_state is not None
    assert pc._slots.last_answer_state.current_local is pc.currentLocalDescription is not None


def test_only_the_first_data_channel_updates_the_negotiation_needed_flag() -> None:
    """createDataChannel step 20 updates the negotiation-needed flag only for the connection's first RTCDataChannel.
    With a data section negotiated and a transceiver the legacy offerToReceiveAudio added without an update
    (webrtc-pc §11, createOffer step 3.3), a second channel updates nothing, so no negotiationneeded fires."""
    pc = RTCPeerConnection()
    pc.createDataChannel("first")
    negotiated(pc, RemotePeer())
    events = pc.negotiationneeded_events
    pc.createOffer({"offerToReceiveAudio": True})
    pc.createDataChannel("second")
    assert [t.kind for t in pc.getTransceivers()] == ["audio"]
    assert (pc.negotiation_needed, pc.negotiationneeded_events) == (False, events)


# ---- rejected sections kept, recycled, and sections without a=mid (mutation run after branch fidelity3) ----------


def media_of(description: SessionDescription) -> list[tuple[str, str | None, bool]]:
    """Each m= section of `description` as (kind, mid, rejected: port 0)."""
    parsed = parse_sdp(description.sdp)
    assert parsed is not None
    return [(m.kind, m.mid, m.rejected) for m in parsed.media]


def answered_rejecting_video(pc: RTCPeerConnection) -> None:
    """Our offer applied; the far end answers it with the video section at port 0."""
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.setRemoteDescription({"type": "answer", "sdp": rejecting(RemotePeer().answer(pc), "video")})


def test_a_section_only_the_far_ends_answer_rejected_stays_rejected_in_our_next_offer() -> None:
    """JSEP §5.2.2: a section with a zero port in the current local *or the current remote* description stays
    rejected in a subsequent offer. Our offer (the current local description) accepted video at port 9; the answer
    (the current remote one) rejected it; the next offer keeps it under its mid, at port 0.
    Kills `_sections_by_mid__mutmut_2` and `_offer_media__mutmut_15` (the current remote description not read)."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    answered_rejecting_video(pc)
    assert media_of(pc.createOffer()) == [("audio", "0", False), ("video", "1", True)]


def test_the_far_ends_own_mids_name_the_sections_its_answer_rejected() -> None:
    """JSEP §5.2.2 as above, with mids the far end chose ("a", "b": a remote offer's mids are kept, JSEP §5.10): the
    section is found by its mid, not its position. Kills `_sections_by_mid__mutmut_6` (`m.mid and str(index)`)."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.addTransceiver("video")
    remote_offer = offerer.createOffer().sdp.replace("a=mid:0", "a=mid:a").replace("a=mid:1", "a=mid:b")
    remote_offer = remote_offer.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE a b")
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": remote_offer})
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    answered_rejecting_video(pc)
    assert media_of(pc.createOffer()) == [("audio", "a", False), ("video", "b", True)]
    # The far end's next offer too (model/remote_peer.py). Kills `RemotePeer.offer__mutmut_23`.
    assert media_of(RemotePeer().offer(pc))[:2] == [("audio", "a", False), ("video", "b", True)]


def test_the_far_ends_next_offer_keeps_the_section_its_own_answer_rejected_rejected() -> None:
    """JSEP §5.2.2 for the far end (model/remote_peer.py): its answer, our current remote description, rejected the
    video section that our offer, our current local description, accepted; its next offer keeps it at port 0.
    Kills `RemotePeer.offer__mutmut_18`, `..._19`, `..._26` (its answer not read) and `..._37` (`or` -> `and`)."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    answered_rejecting_video(pc)
    assert media_of(RemotePeer().offer(pc))[:2] == [("audio", "0", False), ("video", "1", True)]


def test_a_section_a_remote_answer_without_mids_rejected_stays_rejected_in_our_next_offer() -> None:
    """JSEP §5.2.2 with a far end that writes no a=mid lines: its answer's second section, at port 0, is our video
    section (the model names a section without a mid by its position), so the next offer keeps it rejected.
    Kills `_sections_by_mid__mutmut_7` (`m.mid or str(index)` -> `str(None)`)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(rejecting(remote.answer(pc), "video"))})
    assert media_of(pc.createOffer()) == [("audio", "0", False), ("video", "1", True)]


def test_a_far_end_that_answered_without_mids_keeps_the_section_it_rejected_rejected_in_its_next_offer() -> None:
    """JSEP §5.2.2 for the far end (model/remote_peer.py) as above: its answer had no a=mid lines, so the section it
    rejected is found by its position. Kills `RemotePeer.offer__mutmut_24` (`m.mid or str(i)` -> `str(None)`)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(rejecting(remote.answer(pc), "video"))})
    assert media_of(remote.offer(pc))[:2] == [("audio", "0", False), ("video", "1", True)]


def test_every_transceiver_added_gets_a_section_though_the_first_recycles_a_rejected_one() -> None:
    """JSEP §5.2.2 then §5.2.1: the first transceiver added takes the rejected section's place (a new mid at its
    index); the next, with nothing left to recycle, gets a new section at the end.
    Kills `_offer_media__mutmut_62` (`continue` -> `break` after recycling)."""
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    answered_rejecting_video(pc)
    pc.addTransceiver("video")
    pc.addTransceiver("audio")
    assert media_of(pc.createOffer()) == [("audio", "0", False), ("video", "2", False), ("audio", "3", False)]


def test_a_negotiated_data_section_is_never_recycled_for_an_added_transceiver() -> None:
    """JSEP §5.2.2: only a section with a zero port is recycled; the negotiated data section stays where it is, and
    the transceiver added after it gets a new section after it (JSEP §5.2.1).
    Kills `_offer_media__mutmut_39` (`mid in rejected and mid not in held` -> `or`)."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    negotiated(pc, RemotePeer())
    pc.addTransceiver("audio")
    assert media_of(pc.createOffer()) == [("application", "0", False), ("audio", "1", False)]


def test_a_mid_a_recycled_section_gave_up_is_not_proposed_for_a_later_transceiver() -> None:
    """JSEP §5.2.2: a recycled section is generated "as if the m= section were being added", with a new MID, and the
    mid it had ("1") leaves the session; JSEP §5.2.1's per-connection counter never hands it out again, so a
    transceiver added after that exchange gets "3". Kills `_offer_media__mutmut_29` (`negotiated | negotiated_mids`
    -> `&`)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    answered_rejecting_video(pc)
    pc.addTransceiver("video")
    negotiated(pc, remote)
    assert media_of(pc.currentLocalDescription) == [("audio", "0", False), ("video", "2", False)]  # type: ignore[arg-type]
    pc.addTransceiver("audio")
    assert [mid for _kind, mid, _rejected in media_of(pc.createOffer())] == ["0", "2", "3"]


def test_a_rejected_section_without_a_transceiver_leaves_the_later_sections_to_theirs() -> None:
    """Set a session description step 15: each rejected media description of a remote answer stops its own
    transceiver. After the far end rejected the audio section (its transceiver stopped and removed, the section kept
    at port 0), a later answer rejecting video stops the video transceiver, though the section before it has no
    transceiver; the answer's step 1.1 then removes it.
    Kills `_associate_transceivers__mutmut_64` (`continue` -> `break` at a section with no transceiver)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.addTransceiver("audio")
    video = pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.setRemoteDescription({"type": "answer", "sdp": rejecting(remote.answer(pc), "audio")})
    assert pc.getTransceivers() == (video,)
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.setRemoteDescription({"type": "answer", "sdp": rejecting(remote.answer(pc), "video")})
    assert video.stopped
    assert pc.getTransceivers() == ()


def test_a_remote_offers_sections_without_mids_get_transceivers_named_by_their_position() -> None:
    """JSEP §5.10: an m= section of a remote offer not associated with a transceiver gets one (recvonly), and when
    the section has no MID the mid is generated locally (the model: its position).
    Kills `_associate_transceivers__mutmut_24` and `..._27` (the generated mid not used for a remote offer)."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.addTransceiver("video")
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": without_mids(offerer.createOffer().sdp)})
    assert [(t.kind, t.mid) for t in pc.getTransceivers()] == [("audio", "0"), ("video", "1")]


def test_a_remote_answers_section_without_a_mid_never_reaches_a_transceiver_added_after_the_offer() -> None:
    """JSEP §5.10 / set a session description step 15: an answer's sections reach the transceivers by mid; one added
    after our offer has no mid and no section in it, so the answer (here without a=mid lines, rejecting video)
    neither stops it nor gives it a mid. Kills `_associate_transceivers__mutmut_29` (`mid is None or ...` -> `and`)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    later = pc.addTransceiver("audio")
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(rejecting(remote.answer(pc), "video"))})
    assert pc.signalingState == "stable"
    assert (later.mid, later.stopped) == (None, False)


def test_an_expires_member_without_a_primitive_value_rejects_with_a_type_error_citing_ordinary_to_primitive() -> None:
    """generateCertificate step 3.1 converts keygenAlgorithm to RTCCertificateExpiration: ToNumber of `expires` runs
    OrdinaryToPrimitive (ECMA-262 §7.1.1.1), which throws a TypeError when neither toString nor valueOf is callable,
    so the promise rejects with it, the rule cited. Kills `generate_certificate__mutmut_31`, `_33`, `_34`, `_36`,
    `_38`, `_39` (the citation or the kind changed)."""
    with pytest.raises(WebIDLTypeError) as raised:
        RTCPeerConnection.generateCertificate({"expires": {"toString": {}}, "name": "ECDSA"}, seed=1)
    assert (raised.value.name, raised.value.kind, raised.value.spec) == ("TypeError", "reject", ORDINARY_TO_PRIMITIVE)
