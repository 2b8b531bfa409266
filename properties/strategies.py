"""Hypothesis strategies for the values a script can hand an RTCPeerConnection.

Every host in a generated URL is under the reserved `.invalid` top-level domain (RFC 2606), so the
same values are safe to give a real browser: nothing they name can resolve.
"""

from __future__ import annotations

import math
from typing import Final

from hypothesis import strategies as st

from peerspec.model import UNDEFINED
from peerspec.model.configuration import BUNDLE_POLICIES, ICE_TRANSPORT_POLICIES, RTCP_MUX_POLICIES
from peerspec.properties.hosts import hosts_named, is_invalid_domain, scheme_of

JSON = object

# ---- JavaScript values --------------------------------------------------------------------------

JS_NUMBER_EDGES: Final[tuple[float, ...]] = (
    0.0, -0.0, 0.5, 1.5, -0.5, -1.0, 254.9, 255.0, 255.5, 256.0, 2.0**31, 2.0**53, 1e21, -1e21,
    math.nan, math.inf, -math.inf,
)  # fmt: skip


def js_numbers() -> st.SearchStrategy[float | int]:
    return st.one_of(
        st.sampled_from(JS_NUMBER_EDGES),
        st.integers(min_value=-(2**64), max_value=2**64),
        st.floats(allow_nan=True, allow_infinity=True),
    )


def js_scalars() -> st.SearchStrategy[JSON]:
    """Every primitive a JSON-plus-markers value can be: undefined, null, booleans, numbers, strings."""
    return st.one_of(
        st.just(UNDEFINED),
        st.none(),
        st.booleans(),
        js_numbers(),
        st.sampled_from(["", " ", "0", "1.5", "0x10", "Infinity", "NaN", "null", "undefined", "all", "\ud800"]),
        st.text(max_size=12),
    )


def js_values(max_leaves: int = 8) -> st.SearchStrategy[JSON]:
    """Any JSON-shaped value with the markers JSON cannot hold: scalars, Arrays and plain Objects."""
    keys = st.one_of(
        st.sampled_from(
            ["iceServers", "urls", "username", "credential", "bundlePolicy", "iceCandidatePoolSize", "type", "sdp"]
        ),
        st.text(max_size=6),
    )
    return st.recursive(
        js_scalars(),
        lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=4)),
        max_leaves=max_leaves,
    )


# ---- ICE server URLs ----------------------------------------------------------------------------

_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)


def invalid_domain_hosts() -> st.SearchStrategy[str]:
    return st.builds(lambda labels: ".".join([*labels, "invalid"]), st.lists(_LABEL, min_size=1, max_size=2))


def ports() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), st.integers(0, 65535).map(lambda p: f":{p}"), st.just(":"))


def valid_ice_urls() -> st.SearchStrategy[str]:
    """URLs that pass "validate an ICE server URL" steps 1-6 (TURN still needs credentials, step 7)."""
    stun = st.builds(lambda s, h, p: f"{s}:{h}{p}", st.sampled_from(["stun", "stuns"]), invalid_domain_hosts(), ports())
    turn = st.builds(
        lambda s, h, p, q: f"{s}:{h}{p}{q}",
        st.sampled_from(["turn", "turns"]),
        invalid_domain_hosts(),
        ports(),
        st.sampled_from(["", "?transport=udp", "?transport=tcp"]),
    )
    return st.one_of(stun, turn)


HOSTILE_URL_PARTS: Final = (
    "", "stun:", "turn:", "stun://a.invalid", "stun:/a.invalid", "stun:a.invalid/", "stun:a.invalid/x",
    "stun:u@a.invalid", "stun:@a.invalid", "stun:a.invalid#", "stun:a.invalid#f", "stun:a.invalid?",
    "stun:a.invalid?transport=udp", "turn:a.invalid?transport=UDP", "turn:a.invalid?&transport=udp",
    "turn:a.invalid?transport=udp&x", "turn:a.invalid?", "turn:a.invalid:65536", "turn:a.invalid:-1",
    "turn:a.invalid:x", "stun:a b.invalid", "stun:a%20b.invalid", "STUN:a.invalid", "Turn:a.invalid",
    " stun:a.invalid ", "stun:\ta.invalid", "http://a.invalid", "https://a.invalid", "relative-url",
    "stun:[::1", "stun:[::1]:3478", "stun:1.2.3.4.5", "stun:a..invalid", "stuns:a.invalid:0",
    "turns:a.invalid?transport=tcp", "stun:a.invalid:3478:3478", "stun:\u00e9.invalid", "stun:xn--.invalid",
)  # fmt: skip


LOOPBACK_HOSTS: Final = frozenset({"[::1]", "127.0.0.1"})
ICE_SCHEMES_NAMED: Final = frozenset({"stun", "stuns", "turn", "turns"})


def names_a_reserved_host(text: str) -> bool:
    """True unless `text` could name an ICE server outside the reserved `.invalid` domain (or loopback): a string
    that, read any way a parser might read it (properties/hosts.py), starts like a stun/turn URL must have only
    empty, `.invalid` or loopback hosts."""
    if scheme_of(text) not in ICE_SCHEMES_NAMED:
        return True
    return all(is_invalid_domain(host) or host in LOOPBACK_HOSTS for host in hosts_named(text))


def reserved_hosts_only(value: object) -> bool:
    """Every string anywhere inside `value` passes names_a_reserved_host (keys aside)."""
    if isinstance(value, str):
        return names_a_reserved_host(value)
    if isinstance(value, list | tuple):
        return all(reserved_hosts_only(item) for item in value)
    if isinstance(value, dict):
        return all(reserved_hosts_only(item) for item in value.values())
    return True


def hostile_ice_urls() -> st.SearchStrategy[str]:
    """Strings near the edge of validity, mutations of valid URLs, and arbitrary text; none names a host
    outside `.invalid` (or loopback), so they are safe to hand a real browser."""
    mutated = st.builds(
        lambda url, cut, extra: url[:cut] + extra + url[cut:],
        valid_ice_urls(),
        st.integers(0, 20),
        st.sampled_from(["/", "@", "#", "?", "//", ":", " ", "%", "?transport=udp", "\x00", "[", "]"]),
    )
    return st.one_of(st.sampled_from(HOSTILE_URL_PARTS), mutated, st.text(max_size=20)).filter(names_a_reserved_host)


def credentials() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["", "user", "pass word", "\u00e9l\u00e8ve"]),
        st.text(max_size=10),
        st.just("x" * 509),
        st.just("x" * 508),
    )


def ice_servers(*, valid: bool) -> st.SearchStrategy[dict[str, JSON]]:
    if valid:
        # Every server carries conforming credentials, which a TURN URL needs (validate step 7).
        urls = valid_ice_urls()
        # RFC 8489 §14.3 lets a username be empty; RFC 8265 §4.1 does not let a credential be.
        conforming = st.sampled_from(["user", "\u00e9l\u00e8ve", "x" * 508])
        return st.fixed_dictionaries(
            {
                "urls": st.one_of(urls, st.lists(urls, min_size=1, max_size=3)),
                "username": st.sampled_from(["", "user", "\u00e9l\u00e8ve", "x" * 508]),
                "credential": conforming,
            }
        )
    urls = st.one_of(valid_ice_urls(), hostile_ice_urls())
    return st.fixed_dictionaries(
        {"urls": st.one_of(urls, st.lists(urls, max_size=3))},
        optional={"username": credentials(), "credential": credentials()},
    )


# ---- RTCConfiguration --------------------------------------------------------------------------


def configurations(
    certificates: st.SearchStrategy[object] | None = None, *, valid: bool = False
) -> st.SearchStrategy[dict[str, JSON]]:
    """RTCConfiguration dictionaries. With valid=True every member converts and every URL validates;
    otherwise members take WebIDL edge values too (they may convert, or raise TypeError and more)."""
    certificate_lists = st.lists(certificates, max_size=2, unique_by=id) if certificates is not None else st.just([])
    if valid:
        members = {
            "iceServers": st.lists(ice_servers(valid=True), max_size=3),
            "iceTransportPolicy": st.sampled_from(ICE_TRANSPORT_POLICIES),
            "bundlePolicy": st.sampled_from(BUNDLE_POLICIES),
            "rtcpMuxPolicy": st.sampled_from(RTCP_MUX_POLICIES),
            "certificates": certificate_lists,
            "iceCandidatePoolSize": st.integers(0, 255),
        }
    else:
        members = {
            "iceServers": st.one_of(
                st.lists(ice_servers(valid=False), max_size=3), js_values(4).filter(reserved_hosts_only)
            ),
            "iceTransportPolicy": st.one_of(st.sampled_from(ICE_TRANSPORT_POLICIES), js_scalars()),
            "bundlePolicy": st.one_of(st.sampled_from(BUNDLE_POLICIES), js_scalars()),
            "rtcpMuxPolicy": st.one_of(st.sampled_from(RTCP_MUX_POLICIES), st.just("negotiate"), js_scalars()),
            "certificates": st.one_of(certificate_lists, js_values(3)),
            "iceCandidatePoolSize": st.one_of(st.integers(0, 255), js_numbers(), js_scalars()),
        }
    return st.fixed_dictionaries({}, optional=members)


def configuration_arguments(certificates: st.SearchStrategy[object] | None = None) -> st.SearchStrategy[JSON]:
    """What a script may pass where an RTCConfiguration is expected: mostly dictionaries, sometimes not."""
    return st.one_of(
        configurations(certificates, valid=True),
        configurations(certificates, valid=False),
        st.just(UNDEFINED),
        js_values(4).filter(reserved_hosts_only),
    )


# ---- offer options and descriptions ------------------------------------------------------------


def offer_options() -> st.SearchStrategy[JSON]:
    return st.one_of(
        st.just(UNDEFINED),
        st.fixed_dictionaries({}, optional={"iceRestart": st.one_of(st.booleans(), js_scalars())}),
        js_scalars(),
    )


SDP_TYPES_AND_JUNK: Final = ("offer", "answer", "pranswer", "rollback", "Offer", "")


def local_descriptions() -> st.SearchStrategy[JSON]:
    """setLocalDescription's argument: implicit ({} or absent), typed with empty SDP, or with hostile SDP."""
    return st.one_of(
        st.just(UNDEFINED),
        st.just({}),
        st.builds(lambda t: {"type": t}, st.sampled_from(SDP_TYPES_AND_JUNK)),
        st.builds(lambda t, sdp: {"type": t, "sdp": sdp}, st.sampled_from(SDP_TYPES_AND_JUNK), st.text(max_size=8)),
        js_scalars(),
    )


# ---- trace format v2: transceivers and the legacy offer options ---------------------------------------------

TRANSCEIVER_DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive", "stopped")


def transceiver_kinds() -> st.SearchStrategy[JSON]:
    """addTransceiver's trackOrKind: mostly the two kinds, sometimes any other value (a TypeError, step 5.1)."""
    return st.one_of(
        st.sampled_from(["audio", "video"]), st.sampled_from(["", "Audio", "text", "application"]), js_scalars()
    )


def transceiver_inits() -> st.SearchStrategy[JSON]:
    """RTCRtpTransceiverInit: absent (UNDEFINED), or a dictionary with a direction (sometimes not one of the enum)."""
    direction = st.one_of(st.sampled_from(TRANSCEIVER_DIRECTIONS), st.just("both"))
    return st.one_of(
        st.just(UNDEFINED),
        st.fixed_dictionaries({}, optional={"direction": direction, "streams": st.just([])}),
    )


def legacy_offer_options() -> st.SearchStrategy[JSON]:
    """RTCOfferOptions with the legacy offerToReceiveAudio / offerToReceiveVideo members (any JS value: ToBoolean)."""
    member = st.one_of(st.booleans(), js_scalars())
    return st.fixed_dictionaries(
        {}, optional={"offerToReceiveAudio": member, "offerToReceiveVideo": member, "iceRestart": st.booleans()}
    )
