"""The model's public API answers any JSON value the way a JavaScript engine would, never with a Python exception:
objects whose own toString is not callable are TypeErrors where a string is needed (OrdinaryToPrimitive),
integers beyond a double are ±Infinity (as JSON.parse makes them), and arrays nested to any depth convert."""

from __future__ import annotations

import pytest

from peerspec.model import RTCPeerConnection, SpecError


def refusal(configuration: object) -> tuple[str, str] | None:
    try:
        RTCPeerConnection(configuration)
    except SpecError as error:
        return error.name, error.spec
    return None


@pytest.mark.parametrize(
    "configuration",
    [
        {"iceServers": [{"urls": {"toString": 1}}]},
        {"iceServers": [{"urls": "stun:a.invalid", "username": {"toString": 0}}]},
        {"iceServers": [{"urls": ["stun:a.invalid", [{"toString": None}]]}]},
        {"bundlePolicy": {"toString": "balanced"}},
    ],
)
def test_an_object_with_its_own_toString_member_has_no_string_value(configuration: object) -> None:
    assert refusal(configuration) == ("TypeError", "ECMAScript OrdinaryToPrimitive step 6 (ES2024 §7.1.1.1)")


def test_an_own_valueOf_member_leaves_the_inherited_toString_to_answer() -> None:
    assert refusal({"iceServers": [{"urls": {"valueOf": 1}}]}) == ("SyntaxError", "validate an ICE server URL step 2")


@pytest.mark.parametrize("member", ["iceCandidatePoolSize", "bundlePolicy", "iceTransportPolicy", "rtcpMuxPolicy"])
def test_an_integer_beyond_a_double_is_infinity_not_a_python_error(member: str) -> None:
    name, _spec = refusal({member: 10**400}) or ("", "")
    assert name == "TypeError"


def test_a_turn_username_that_is_a_huge_integer_converts_to_Infinity() -> None:
    server = {"urls": "turn:a.invalid", "username": 10**400, "credential": "c"}
    pc = RTCPeerConnection({"iceServers": [server]})
    servers = pc.getConfiguration()["iceServers"]
    assert isinstance(servers, list) and servers[0]["username"] == "Infinity"


def test_arrays_nested_deeper_than_pythons_recursion_limit_convert() -> None:
    deep: list[object] = []
    inner = deep
    for _ in range(5000):
        nested: list[object] = []
        inner.append(nested)
        inner = nested
    assert refusal({"iceServers": [{"urls": deep}]}) == ("SyntaxError", "validate an ICE server URL step 2")
