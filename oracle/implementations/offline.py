"""Network safety: every URL-like string a step carries must name a host under the reserved `.invalid` domain
(RFC 2606) before the step reaches any implementation, so that a generated value never makes one look up or
contact a real host."""

from __future__ import annotations

from collections.abc import Iterator

from peerspec.oracle.implementations.protocol import Step
from peerspec.properties.hosts import hosts_named, is_invalid_domain, scheme_of

ICE_SCHEMES = ("stun", "stuns", "turn", "turns")


class UnsafeURL(ValueError):
    """A step names a URL whose host is not under .invalid: it is never sent to a browser."""


def url_host(text: str) -> str | None:
    """The first host a URL-like string names (properties/hosts.py reads it every way an implementation might);
    None if it names none."""
    hosts = hosts_named(text)
    return hosts[0] if hosts else None


def is_offline_host(host: str) -> bool:
    """True for the hosts that can never resolve: empty, `invalid`, or under `.invalid`."""
    return is_invalid_domain(host.strip().lower().rstrip("."))


def _strings(value: object, under_urls: bool = False) -> Iterator[tuple[str, bool]]:
    if isinstance(value, str):
        yield value, under_urls
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, under_urls)
    elif isinstance(value, dict):
        for key, member in value.items():
            yield from _strings(member, under_urls or key == "urls")


def unsafe_urls(step: Step) -> list[str]:
    """The URLs in a step whose host is not under .invalid: every string under a `urls` member, and every
    string anywhere that starts with an ICE scheme."""
    found: list[str] = []
    for text, under_urls in _strings(step.get("args", {})):
        if not (under_urls or scheme_of(text) in ICE_SCHEMES):
            continue
        if not all(is_offline_host(host) for host in hosts_named(text)):
            found.append(text)
    return found


def ensure_offline(step: Step) -> None:
    unsafe = unsafe_urls(step)
    if unsafe:
        raise UnsafeURL(f"refusing to send {unsafe[0]!r} to an implementation: it could name a host outside .invalid")
