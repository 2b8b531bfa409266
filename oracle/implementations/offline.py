"""Network safety: every URL-like string a step carries must name a host under the reserved `.invalid` domain
(RFC 2606) before the step reaches any implementation, so that a generated value never makes one look up or
contact a real host."""

from __future__ import annotations

import re
from collections.abc import Iterator

from peerspec.oracle.implementations.protocol import Step

ICE_SCHEMES = ("stun", "stuns", "turn", "turns")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", re.DOTALL)


class UnsafeURL(ValueError):
    """A step names a URL whose host is not under .invalid: it is never sent to a browser."""


def url_host(text: str) -> str | None:
    """The host a URL-like string names, roughly as a URL parser would find it; None if it names none.

    Deliberately generous: anything of the form `scheme:rest` is read as naming the host at the front of
    `rest` (after `//` and userinfo), so that no mutation of a URL can slip a real host past the check."""
    match = _SCHEME.match(text)
    if match is None:
        return None
    rest = match.group(2).lstrip()
    rest = rest.lstrip("/\\")
    rest = re.split(r"[/\\?#]", rest, maxsplit=1)[0]
    rest = rest.rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest[: rest.find("]") + 1] if "]" in rest else rest
    return rest.split(":", 1)[0]


def is_offline_host(host: str) -> bool:
    """True for the hosts that can never resolve: empty, `invalid`, or under `.invalid`."""
    name = host.strip().lower().rstrip(".")
    return name == "" or name == "invalid" or name.endswith(".invalid")


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
        match = _SCHEME.match(text)
        url_like = under_urls or (match is not None and match.group(1).lower() in ICE_SCHEMES)
        host = url_host(text) if url_like else None
        if host is not None and not is_offline_host(host):
            found.append(text)
    return found


def ensure_offline(step: Step) -> None:
    unsafe = unsafe_urls(step)
    if unsafe:
        raise UnsafeURL(f"refusing to send {unsafe[0]!r} to a browser: its host is not under .invalid")
