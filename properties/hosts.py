"""Which hosts a URL-like string could make an implementation contact, read every way an implementation might read
it: the WHATWG URL parser the model uses (model/ice_server_url.py's parse_url, which first strips leading and
trailing C0 controls and spaces and drops every tab and newline), a generous reading of the text with every
control character and space removed, and the text as written.

Generated values (properties/strategies.py) and the oracle's network guard (oracle/implementations/offline.py)
both ask this module, so that no spelling a parser would clean up can carry a real host past either.
"""

from __future__ import annotations

import re
from typing import Final

from peerspec.model.ice_server_url import parse_url

_SCHEME: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", re.DOTALL)
_C0_OR_SPACE: Final = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE: Final = re.compile(r"[\t\n\r]")
_CONTROLS_AND_SPACES: Final = re.compile(r"[\x00-\x20\x7f]")


def whatwg_preprocessed(text: str) -> str:
    """The input as the WHATWG basic URL parser sees it after its first two steps."""
    return _TAB_OR_NEWLINE.sub("", text.strip(_C0_OR_SPACE))


def readings(text: str) -> list[str]:
    """The spellings of `text` an implementation might act on: as written, as the URL parser cleans it, and with
    every control character and space removed."""
    found = [text, whatwg_preprocessed(text), _CONTROLS_AND_SPACES.sub("", text)]
    return list(dict.fromkeys(found))


def scheme_of(text: str) -> str | None:
    """The scheme any reading of `text` starts with (lower case), or None."""
    for reading in readings(text):
        match = _SCHEME.match(reading)
        if match is not None:
            return match.group(1).lower()
    return None


def hosts_named(text: str) -> list[str]:
    """Every host some reading of `text` names (lower case, without a trailing dot): the host the WHATWG parser
    finds (an authority's, or the front of an opaque path as the ICE URL steps read it), and the front of what
    follows `scheme:` (after slashes and userinfo) in each reading. Empty when no reading looks like a URL."""
    hosts: list[str] = []
    for reading in readings(text):
        match = _SCHEME.match(reading)
        if match is None:
            continue
        hosts += _front_hosts(match.group(2))
        parsed = parse_url(reading)
        if parsed is not None and parsed.opaque_path is not None:
            hosts += _front_hosts(parsed.opaque_path)
    return list(dict.fromkeys(host.lower().rstrip(".") for host in hosts))


def _front_hosts(rest: str) -> list[str]:
    """The host at the front of `rest`, read two ways: cut at the first delimiter and then past any userinfo (as
    the URL parser reads it), and past the last "@" anywhere and then cut (as a parser that knows fewer
    delimiters might)."""
    rest = rest.lstrip("/\\")
    cut_first = re.split(r"[/\\?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    userinfo_first = re.split(r"[/\\?#]", rest.rsplit("@", 1)[-1], maxsplit=1)[0]
    return [_without_port(host) for host in (cut_first, userinfo_first)]


def _without_port(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.split(":", 1)[0]


def is_invalid_domain(host: str) -> bool:
    """The hosts that can never resolve: empty, `invalid`, or under the reserved `.invalid` domain (RFC 2606)."""
    return host == "" or host == "invalid" or host.endswith(".invalid")
