"""Validate an ICE server URL (webrtc-pc §4.4.1.5, "validate an ICE server URL"; Editor's Draft with the
candidate amendments of PRs #2853, #2996, #2998 and #3050). Parsing is the WHATWG URL Standard's basic
URL parser, through ada (the parser Node.js uses)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ada_url
import precis_i18n

from peerspec.model.configuration import RTCIceServer
from peerspec.model.errors import InvalidAccessError, NotSupportedError, SyntaxError_
from peerspec.model.js_values import to_scalar_value_string
from peerspec.model.profile import ICE_SCHEMES, Profile

SPEC = "validate an ICE server URL"
TURN_SCHEMES = frozenset({"turn", "turns"})
STUN_SCHEMES = frozenset({"stun", "stuns"})
ALLOWED_TURN_QUERIES = frozenset({"transport=udp", "transport=tcp"})
MAX_TURN_USERNAME_BYTES = 508  # RFC 8489 §14.3: "fewer than 509 bytes"
OPAQUE_STRING = precis_i18n.get_profile("OpaqueString")  # RFC 8265 §4.2, on RFC 8264 §9's FreeformClass


@dataclass(frozen=True)
class ParsedURL:
    """The parts of a WHATWG URL record the algorithm reads; None is the spec's null."""

    scheme: str
    opaque_path: str | None  # None when the path is a list (the URL has no opaque path)
    query: str | None
    fragment: str | None


@lru_cache(maxsize=4096)  # a pure function of its argument: caching changes nothing but speed
def parse_url(url: str) -> ParsedURL | None:
    """The WHATWG basic URL parser; None is failure. Null-versus-empty query and fragment, and whether the
    path is opaque, are read off the serialization, which keeps them ("?" and "#" survive; an opaque path
    never begins with "/", a list path or a host always does)."""
    if not ada_url.URL.can_parse(url):
        return None
    parts = ada_url.parse_url(url, attributes=("href", "protocol"))
    href, scheme = str(parts["href"]), str(parts["protocol"])[:-1]
    rest = href[len(scheme) + 1 :]
    rest, hash_mark, fragment = rest.partition("#")
    rest, question_mark, query = rest.partition("?")
    return ParsedURL(
        scheme=scheme,
        opaque_path=None if rest.startswith("/") else rest,
        query=query if question_mark else None,
        fragment=fragment if hash_mark else None,
    )


def validate_ice_server_url(url: str, server: RTCIceServer, profile: Profile) -> None:
    """Raise the first error the algorithm reaches for `url` (one of `server`'s urls), or return."""
    # Step 1: parse with the basic URL parser.
    parsed = parse_url(url)
    # Step 2: SyntaxError, one condition at a time in the spec's order.
    if parsed is None:
        raise SyntaxError_(f"{SPEC} step 2", f"{url!r} does not parse as a URL")
    if parsed.scheme not in ICE_SCHEMES:
        raise SyntaxError_(f"{SPEC} step 2", f"scheme {parsed.scheme!r} is not stun, stuns, turn or turns")
    if parsed.opaque_path is None:
        raise SyntaxError_(f"{SPEC} step 2", f"{url!r} has no opaque path (a '//' authority or '/' path)")
    if "/" in parsed.opaque_path or "@" in parsed.opaque_path:
        raise SyntaxError_(f"{SPEC} step 2", f"the path {parsed.opaque_path!r} contains '/' or '@'")
    if parsed.fragment is not None:
        raise SyntaxError_(f"{SPEC} step 2", f"{url!r} has a fragment")
    if parsed.scheme in STUN_SCHEMES and parsed.query is not None:
        raise SyntaxError_(f"{SPEC} step 2", f"a {parsed.scheme} URL has a query")
    # Step 3: a scheme the user agent does not implement.
    if parsed.scheme not in profile.implemented_schemes:
        raise NotSupportedError(f"{SPEC} step 3", f"this user agent does not implement {parsed.scheme!r}")
    # Step 4-5: the path must be exactly a host and an optional port.
    _check_host_and_port(parsed.opaque_path)
    # Step 6: the only queries are exactly "transport=udp" and "transport=tcp".
    if parsed.query is not None and parsed.query not in ALLOWED_TURN_QUERIES:
        raise SyntaxError_(f"{SPEC} step 6", f"query {parsed.query!r} is not transport=udp or transport=tcp")
    # Step 7: TURN needs a username and a credential, each conforming to its RFC.
    if parsed.scheme in TURN_SCHEMES:
        _check_turn_credentials(server, profile)


def _check_host_and_port(path: str) -> None:
    """Steps 4-5. Deviation from the literal text: an https URL always has a path ("/") and an empty,
    never null, username and password, so "non-null" would reject every URL; we check the evident
    intent, "no path beyond '/', no username, no password" (NOTES.md, "hostAndPortURL")."""
    if not _is_host_and_port(path):
        raise SyntaxError_(f"{SPEC} step 5", f"{path!r} is not a host with an optional port (and nothing more)")


@lru_cache(maxsize=4096)
def _is_host_and_port(path: str) -> bool:
    # Step 5: in an https URL a backslash ends the authority and reads as "/", so "https://host\" has the same
    # record as "https://host" (path "/"). Step 2 refused "/" in the path; a backslash is the same separator in
    # the https URL, so it is a path beyond the host too (NOTES.md, "hostAndPortURL").
    if "\\" in path:
        return False
    host_and_port = "https://" + path
    if not ada_url.URL.can_parse(host_and_port):
        return False
    parts = ada_url.parse_url(host_and_port, attributes=("pathname", "username", "password", "search", "hash"))
    return not (parts["pathname"] != "/" or parts["username"] or parts["password"] or parts["search"] or parts["hash"])


def _check_turn_credentials(server: RTCIceServer, profile: Profile) -> None:
    step = f"{SPEC} step 7"
    if server.username is None:
        raise InvalidAccessError(step, "a turn or turns URL needs a username")
    if server.credential is None:
        raise InvalidAccessError(step, "a turn or turns URL needs a credential")
    if not profile.check_turn_credential_syntax:
        return
    # Step 7 checks the UTF-8 representations: UTF-8 encoding reads a string as scalar values, so a lone
    # surrogate (username and credential are DOMStrings, which keep them) is U+FFFD there (NOTES.md).
    username, credential = to_scalar_value_string(server.username), to_scalar_value_string(server.credential)
    # Step 7, username: RFC 8489 §14.3, fewer than 509 UTF-8 bytes, processed with the OpaqueString profile
    # (RFC 8265 §4.2). RFC 8489 sets no lower bound, and the "not zero bytes" rule belongs to RFC 8265 §4.1's
    # definition of a password, which step 7 applies to the credential only: "" is a conforming username.
    if len(username.encode("utf-8")) > MAX_TURN_USERNAME_BYTES or not (
        username == "" or _conforms_to_opaque_string(username)
    ):
        raise InvalidAccessError(step, "the username does not conform to RFC 8489 §14.3")
    # Step 7, credential: RFC 8265 §4.1, a password is one or more code points that conform to OpaqueString;
    # the empty string does not.
    if not _conforms_to_opaque_string(credential):
        raise InvalidAccessError(step, "the credential does not conform to RFC 8265 §4.1 (OpaqueString)")


@lru_cache(maxsize=4096)  # a pure function of its argument
def _conforms_to_opaque_string(text: str) -> bool:
    """RFC 8265 §4.2 OpaqueString enforcement (precis-i18n): non-ASCII spaces map to ASCII space, NFC, then
    every code point must be PRECIS FreeformClass-valid (RFC 8264 §9: no controls, default-ignorable,
    noncharacter, private-use, unassigned or old Hangul jamo code points, no Zl/Zp, the joiners only in their
    contexts) and the result must not be empty. The Unicode version is that of Python's unicodedata."""
    try:
        OPAQUE_STRING.enforce(text)
    except UnicodeError:
        return False
    return True
