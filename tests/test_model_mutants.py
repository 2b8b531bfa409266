"""Statements of the spec (and of the model's own bookkeeping) that the mutation run found no test for: each
test here kills mutants of model/ that survived the kill-suite (benchmarks/mutation_score.py, NOTES.md
"Mutation score"). The mutants they answer are named in each docstring by the line they changed."""

from __future__ import annotations

import math

import pytest

from peerspec.model import LIFECYCLE_STATES, LIFECYCLE_TRANSITIONS, LifecycleError, RTCPeerConnection, SpecError
from peerspec.model.certificates import MAX_EXPIRES_MS
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
