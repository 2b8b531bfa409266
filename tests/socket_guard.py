"""The ungated test suite opens no socket off loopback (issue 10, "keep it that way"): an audit hook (PEP 578)
sees every socket connect, sendto and bind, and every name lookup, before the system call, and refuses any that
would leave the machine. A refusal is raised where the call was made and recorded, so that a caller catching it
still fails its test (tests/conftest.py). Browser and library tests (their gates set) run their stacks in other
processes, which the hook cannot see; the guard stands aside for them."""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any, Final

EVENTS: Final = frozenset({"socket.connect", "socket.sendto", "socket.bind", "socket.getaddrinfo"})
LOOPBACK_NAMES: Final = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

violations: list[str] = []
_state = {"installed": False, "active": False}


class OffLoopback(RuntimeError):
    """A test tried to reach beyond loopback."""


def install() -> None:
    """Add the hook (once: audit hooks stay for the life of the process) and turn it on."""
    if not _state["installed"]:
        sys.addaudithook(_hook)
        _state["installed"] = True
    _state["active"] = True


def stand_aside() -> None:
    _state["active"] = False


def off_loopback(event: str, args: tuple[Any, ...]) -> str | None:
    """Why this audited call leaves the machine, or None when it stays on it."""
    if event == "socket.getaddrinfo":
        host = args[0]
        return None if _local_host(host, lookup=True) else f"a name lookup of {host!r}"
    sock, address = args[0], args[1]
    family = getattr(sock, "family", None)
    if family not in (socket.AF_INET, socket.AF_INET6):
        return None  # AF_UNIX, AF_NETLINK, ...: on this machine by construction
    host = address[0] if isinstance(address, tuple) and address else address
    if _local_host(host, lookup=False):
        return None
    return f"{event.removeprefix('socket.')} to {address!r}"


def _local_host(host: object, *, lookup: bool) -> bool:
    if host is None:
        return lookup  # getaddrinfo(None, port): the local wildcard or loopback, no query
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower().rstrip(".") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a name: looking it up asks a resolver; "" (bind to every interface) is not loopback


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _state["active"] or event not in EVENTS:
        return
    why = off_loopback(event, args)
    if why is not None:
        violations.append(why)
        raise OffLoopback(f"the test suite must not leave loopback: {why}")
