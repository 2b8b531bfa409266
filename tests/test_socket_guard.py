"""The socket guard (tests/socket_guard.py) refuses, before any packet is sent, what would leave loopback, and lets
loopback through."""

from __future__ import annotations

import os
import socket

import pytest

from tests import socket_guard
from tests.browser_fixtures import GATE

pytestmark = pytest.mark.skipif(
    os.environ.get(GATE) == "1" or os.environ.get("PEERSPEC_LIBRARY_TESTS") == "1",
    reason="the guard stands aside while browser or library tests run",
)


def _refused(call: object) -> None:
    before = len(socket_guard.violations)
    with pytest.raises(socket_guard.OffLoopback):
        call()  # type: ignore[operator]
    assert len(socket_guard.violations) == before + 1
    del socket_guard.violations[before:]  # this refusal was the point of the test


def test_a_connect_off_loopback_is_refused_before_the_system_call() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setblocking(False)
        _refused(lambda: sock.connect(("192.0.2.1", 9)))  # TEST-NET-1: refused before anything is sent


def test_a_datagram_off_loopback_and_a_bind_to_every_interface_are_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        _refused(lambda: sock.sendto(b"x", ("198.51.100.7", 3478)))
        _refused(lambda: sock.bind(("0.0.0.0", 0)))
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        _refused(lambda: sock.sendto(b"x", ("2001:db8::1", 3478)))


def test_a_name_lookup_is_refused_unless_it_names_loopback() -> None:
    _refused(lambda: socket.getaddrinfo("stun.example.org", 3478))
    assert socket.getaddrinfo("localhost", 9)


def test_loopback_is_let_through() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as unix:
        unix.bind("")  # the abstract namespace: never a network
