"""The strategies are safe to hand a real browser: no generated ICE URL names a host outside `.invalid`."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given

from peerspec.model import RTCPeerConnection, SpecError
from peerspec.properties.strategies import (
    configuration_arguments,
    hostile_ice_urls,
    names_a_reserved_host,
    reserved_hosts_only,
    valid_ice_urls,
)


@pytest.mark.parametrize(
    ("url", "reserved"),
    [
        ("stun:a.invalid", True),
        ("turn:u@a.b.invalid:3478?transport=udp", True),
        ("STUN:x.INVALID.", True),
        ("stun:[::1]:3478", True),
        ("stun:", True),
        ("http://example.com", True),  # not an ICE scheme: every implementation refuses it
        ("stun:example.com", False),
        ("turn:A:0", False),
        ("stun:ab.in/valid", False),
        (" turns://x.invalid.evil.example", False),
        ("stun:1.2.3.4", False),
    ],
)
def test_names_a_reserved_host(url: str, reserved: bool) -> None:
    assert names_a_reserved_host(url) is reserved


@given(hostile_ice_urls())
def test_hostile_urls_name_only_reserved_hosts(url: str) -> None:
    assert names_a_reserved_host(url)


@given(valid_ice_urls())
def test_valid_urls_are_valid_and_reserved(url: str) -> None:
    assert names_a_reserved_host(url)
    RTCPeerConnection({"iceServers": [{"urls": url, "username": "u", "credential": "c"}]})


@given(configuration_arguments())
def test_configuration_arguments_name_only_reserved_hosts(configuration: object) -> None:
    assert reserved_hosts_only(configuration)
    with contextlib.suppress(SpecError):
        RTCPeerConnection(configuration)
