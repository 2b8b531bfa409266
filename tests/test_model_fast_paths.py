"""The model's faster paths against the plain ones they replaced: for every generated input, the same result, or
the same first error (class, name, kind, spec citation, message). The reference paths are written here as the
model had them, built from the general WebIDL steps (Converter.members, Converter.sequence), so that a faster
path can never drift from them unseen."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from peerspec.model import RTCCertificate, RTCPeerConnection
from peerspec.model.configuration import (
    BUNDLE_POLICIES,
    ICE_TRANSPORT_POLICIES,
    RTCP_MUX_POLICIES,
    RTCConfiguration,
    RTCIceServer,
)
from peerspec.model.errors import ErrorKind, SpecError
from peerspec.model.js_values import UNDEFINED, JSValue, NoPrimitiveValue, is_array, to_string, to_usv_string
from peerspec.model.peer_connection import _named_sections
from peerspec.model.sdp import (
    SEND_DIRECTIONS,
    IceCredentials,
    MediaSection,
    ParsedSdp,
    SessionDescription,
    parse_sdp,
    write_sdp,
)
from peerspec.model.webidl import Converter, _converting, to_rtc_configuration
from peerspec.properties.strategies import configuration_arguments, js_values

CERTIFICATES = [RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-256"}, seed=n) for n in (1, 2)]


@_converting
def reference_rtc_configuration(value: JSValue, kind: ErrorKind = "throw") -> RTCConfiguration:
    """WebIDL dictionary conversion of an RTCConfiguration through the general steps, places named eagerly."""
    convert = Converter(kind)
    where = "RTCConfiguration"
    members = convert.members(value, where)
    result: dict[str, object] = {}
    if "bundlePolicy" in members:
        result["bundlePolicy"] = convert.enum(members["bundlePolicy"], f"{where}.bundlePolicy", BUNDLE_POLICIES)
    if "certificates" in members:
        result["certificates"] = convert.sequence(
            members["certificates"], f"{where}.certificates", lambda item, at: _certificate(convert, item, at)
        )
    if "iceCandidatePoolSize" in members:
        result["iceCandidatePoolSize"] = convert.enforce_range_integer(
            members["iceCandidatePoolSize"], f"{where}.iceCandidatePoolSize", 0, 255
        )
    if "iceServers" in members:
        result["iceServers"] = convert.sequence(
            members["iceServers"], f"{where}.iceServers", lambda item, at: _ice_server(convert, item, at)
        )
    if "iceTransportPolicy" in members:
        result["iceTransportPolicy"] = convert.enum(
            members["iceTransportPolicy"], f"{where}.iceTransportPolicy", ICE_TRANSPORT_POLICIES
        )
    if "rtcpMuxPolicy" in members:
        result["rtcpMuxPolicy"] = convert.enum(members["rtcpMuxPolicy"], f"{where}.rtcpMuxPolicy", RTCP_MUX_POLICIES)
    return RTCConfiguration(**result)  # type: ignore[arg-type]


def _certificate(convert: Converter, value: JSValue, where: str) -> RTCCertificate:
    if not isinstance(value, RTCCertificate):
        raise convert.fail(where, "is not an RTCCertificate")
    return value


def _ice_server(convert: Converter, value: JSValue, where: str) -> RTCIceServer:
    members = convert.members(value, where)
    credential = to_string(members["credential"]) if "credential" in members else None
    if "urls" not in members:
        raise convert.fail(f"{where}.urls", "is required")
    value_of_urls = members["urls"]
    urls: str | tuple[str, ...]
    if is_array(value_of_urls):
        urls = convert.sequence(value_of_urls, f"{where}.urls", lambda item, _at: to_usv_string(item))
    else:
        urls = to_usv_string(value_of_urls)
    username = to_string(members["username"]) if "username" in members else None
    return RTCIceServer(urls=urls, username=username, credential=credential)


def outcome(convert: Any, value: JSValue, kind: ErrorKind) -> tuple[object, ...]:
    """What a conversion gives: its result (certificates by identity), or its error as a script sees it."""
    try:
        result = convert(value, kind=kind)
    except SpecError as error:
        return ("error", type(error), error.name, error.kind, error.spec, error.message)
    return ("ok", result, tuple(id(certificate) for certificate in result.certificates))


configuration_inputs = st.one_of(
    configuration_arguments(st.sampled_from(CERTIFICATES)),
    js_values(8),
    st.fixed_dictionaries(  # servers and certificates of every shape, the members the fast paths take apart
        {},
        optional={
            "iceServers": st.lists(st.one_of(js_values(4), st.dictionaries(st.sampled_from(["urls"]), js_values(3)))),
            "certificates": st.lists(st.one_of(st.sampled_from(CERTIFICATES), js_values(2)), max_size=3),
        },
    ),
)


@settings(max_examples=600)
@given(configuration_inputs, st.sampled_from(["throw", "reject"]))
def test_rtc_configuration_conversion_is_the_general_steps(value: JSValue, kind: ErrorKind) -> None:
    assert outcome(to_rtc_configuration, value, kind) == outcome(reference_rtc_configuration, value, kind)


# ---- SDP parsing --------------------------------------------------------------------------------------

_LINE = re.compile(r"[a-z]=.*")
_DIRECTIONS = frozenset({"sendrecv", "sendonly", "recvonly", "inactive"})
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`{|}~" + string.ascii_letters + string.digits)


def _is_token(text: str) -> bool:
    return text != "" and set(text) <= _TOKEN_CHARS


def reference_media_field(value: str) -> tuple[str, str] | None:
    """An m= line's value read field by field against RFC 8866 §9's media-field (fields one space apart: media,
    port with an optional "/" and a number not starting with 0, proto as tokens joined by "/", then one or more
    fmt tokens): its (media, port), or None when it is not one."""
    fields = value.split(" ")
    if len(fields) < 4:
        return None
    media, port_field, proto, *formats = fields
    port, slash, count = port_field.partition("/")
    digits = set(string.digits)
    port_ok = port != "" and set(port) <= digits
    count_ok = not slash or (count != "" and set(count) <= digits and not count.startswith("0"))
    tokens_ok = _is_token(media) and all(map(_is_token, proto.split("/"))) and all(map(_is_token, formats))
    return (media, port) if port_ok and count_ok and tokens_ok else None


def reference_parse_sdp(sdp: str) -> ParsedSdp | None:
    """parse_sdp as it was: a regular expression for the line breaks and for each line's syntax, each m= line read
    field by field (`reference_media_field`), and every attribute looked for by its prefix on every line."""
    lines = [line for line in re.split(r"\r?\n", sdp) if line != ""]
    if not lines or lines[0] != "v=0" or not all(_LINE.fullmatch(line) for line in lines):
        return None
    session: dict[str, str] = {}
    sections: list[dict[str, str]] = []
    for line in lines:
        if line.startswith("m="):
            media_field = reference_media_field(line[2:])
            if media_field is None:
                return None
            sections.append({"kind": media_field[0], "port": media_field[1]})
            continue
        target = sections[-1] if sections else session
        for attribute in ("ice-ufrag", "ice-pwd", "mid", "ice-options"):
            prefix = f"a={attribute}:"
            if line.startswith(prefix):
                target.setdefault(attribute, line[len(prefix) :].strip())
        if line == "a=rtcp-mux":
            target["rtcp-mux"] = "yes"
        if line[2:] in _DIRECTIONS:
            target.setdefault("direction", line[2:])
        if line.startswith("a=msid:"):
            target["msid"] = "yes"
    media = []
    for section in sections:
        ufrag = section.get("ice-ufrag", session.get("ice-ufrag"))
        pwd = section.get("ice-pwd", session.get("ice-pwd"))
        credentials = IceCredentials(ufrag, pwd) if ufrag is not None and pwd is not None else None
        media.append(
            MediaSection(
                section["kind"],
                section.get("mid"),
                credentials,
                "rtcp-mux" in section,  # media level only (RFC 5761 §5.1.1)
                rejected=section["port"] == "0",
                direction=section.get("direction", session.get("direction", "sendrecv")),
                msid="msid" in section,
            )
        )
    return ParsedSdp(tuple(media), trickle="trickle" in session.get("ice-options", "").split())


SDP_LINES = st.one_of(
    st.sampled_from(
        [
            "v=0", "v=1", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=ice-options:trickle", "a=ice-options: ice2",
            "a=group:BUNDLE 0 1", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=video 0 UDP/TLS/RTP/SAVPF 96",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=audio", "m=", "c=IN IP4 0.0.0.0",
            "m=audio  9 UDP/TLS/RTP/SAVPF 111", "m=audio\t9 P 0", "m=video 0/2 RTP/AVP 31 32", "m=video 0/02 P 0",
            "m=audio x9 P 0", "m=audio 9 P/ 0", "m=audio 9 P 0 ", "m=audio 9 P\u00a00", "m=aud:io 9 P 0",
            "a=ice-ufrag:abcd", "a=ice-ufrag: spaced ", "a=ice-pwd:0123456789abcdefghijkl", "a=ice-pwd:",
            "a=mid:0", "a=mid:1", "a=mid:", "a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive", "b=sendonly",
            "a=sendonly:x", "a=msid:- track-0", "a=msid", "a=msid:", "a=rtcp-mux", "a=rtcp-mux:x", "a=rtcp-mux ",
            "a=ice-ufrag", "a=mid:\u2028", "a=ice-pwd:\u00a0x\u3000", "A=sendrecv", "=x", "a", "ab", "a=", "é=x",
            "a=ice-options:trickle\r", "\r", "a=sctp-port:5000", "a=ice-ufrag:x:y",
        ]
    ),
    st.builds(lambda kind, text: f"{kind}={text}", st.sampled_from("amvbcZ=1 "), st.text(max_size=12)),
    st.text(max_size=8),
)  # fmt: skip
VALID_SDP_LINES = st.sampled_from(
    [
        "m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=video 0 UDP/TLS/RTP/SAVPF 96", "m=application 9 x", "m=audio",
        "m=application 9 P x", "m=video 0/2 RTP/AVP 31", "m=audio 9  P 0",
        "a=ice-ufrag:abcd", "a=ice-ufrag: spaced ", "a=ice-pwd:0123456789abcdefghijkl", "a=ice-pwd:", "a=mid:0",
        "a=mid:1", "a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive", "b=sendonly", "a=sendonly:x",
        "a=msid:- track-0", "a=msid", "a=msid:", "a=rtcp-mux", "a=rtcp-mux:x", "a=rtcp-mux ", "a=ice-ufrag",
        "a=ice-options:trickle", "a=ice-options:ice2 trickle", "a=ice-options", "c=IN IP4 0.0.0.0", "a=mid",
        "a=ice-pwd:\u00a0x\u3000", "a=ice-ufrag:x:y", "a=ice-ufrag:\r", "é=x", "A=x", "a:x",
    ]
)  # fmt: skip
SDP_TEXTS = st.one_of(
    st.builds(
        lambda lines, crlf: ("\r\n" if crlf else "\n").join(["v=0", *lines]),
        st.lists(VALID_SDP_LINES, max_size=14),
        st.booleans(),
    ),
    st.builds(
        lambda head, lines, breaks, tail: (
            head + "".join(line + brk for line, brk in zip(lines, breaks, strict=False)) + tail
        ),
        st.sampled_from(["v=0\r\n", "v=0\n", "v=0\r\nm=audio 9 x\r\n", "v=0\nm=video 0 x y\n", ""]),
        st.lists(SDP_LINES, max_size=16),
        st.lists(st.sampled_from(["\r\n", "\n", "\r\r\n", "\r", "\n\n", "\n\r"]), min_size=16, max_size=16),
        st.sampled_from(["", "\r", "\r\n", "x"]),
    ),
    st.builds(
        lambda media, rejected, directions, version: write_sdp(
            session_id=7,
            version=version,
            media=tuple((kind, str(index)) for index, kind in enumerate(media)),
            credentials=IceCredentials("abcdefgh", "0123456789abcdefghijklmn"),
            directions={str(index): direction for index, direction in enumerate(directions)},
            rejected=frozenset(str(index) for index in rejected),
        ),
        st.lists(st.sampled_from(["audio", "video", "application"]), max_size=4),
        st.sets(st.integers(0, 3)),
        st.lists(st.sampled_from(sorted(_DIRECTIONS)), max_size=4),
        st.integers(0, 5),
    ),
    st.text(max_size=30),
)


@settings(max_examples=1500)
@given(SDP_TEXTS)
def test_sdp_parsing_is_the_line_by_line_reading(sdp: str) -> None:
    assert parse_sdp.__wrapped__(sdp) == reference_parse_sdp(sdp)


# ---- USVString ----------------------------------------------------------------------------------------


def reference_to_usv_string(value: JSValue) -> str:
    """ToString, then every lone surrogate U+FFFD, without the ASCII shortcut."""
    text = to_string(value)
    if re.search("[\ud800-\udfff]", text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


@settings(max_examples=800)
@given(st.one_of(st.text(), st.text(alphabet=st.characters(codec="ascii")), js_values(4)))
def test_usv_string_conversion_is_to_string_then_scalar_values(value: JSValue) -> None:
    try:
        expected: object = reference_to_usv_string(value)
    except NoPrimitiveValue as error:
        expected = ("NoPrimitiveValue", str(error))
    try:
        found: object = to_usv_string(value)
    except NoPrimitiveValue as error:
        found = ("NoPrimitiveValue", str(error))
    assert found == expected
    assert type(found) is type(expected)


# ---- SDP writing --------------------------------------------------------------------------------------


def reference_write_sdp(
    *,
    session_id: int,
    version: int,
    media: tuple[tuple[str, str], ...],
    credentials: IceCredentials,
    directions: Mapping[str, str] | None = None,
    rejected: frozenset[str] = frozenset(),
) -> str:
    """write_sdp as it was, a list item a line. SDP with one m= section per (kind, mid), every section carrying
    the same credentials (BUNDLE). An RTP section's a=<direction> line comes from `directions` (by mid; sendrecv
    when absent), with an a=msid line when it sends (JSEP §5.2.1); a mid in `rejected` gets port 0 and leaves the
    BUNDLE group (JSEP §5.2.2, §5.3.1)."""
    lines = [
        "v=0",
        f"o=- {session_id} {version} IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=ice-options:trickle",  # JSEP §5.2.1: "MUST be added" (an answer: when the offer had it, §5.3.1)
    ]
    bundled = [mid for _kind, mid in media if mid not in rejected]
    if bundled:
        lines.append("a=group:BUNDLE " + " ".join(bundled))
    for kind, mid in media:
        port = 0 if mid in rejected else 9
        if kind == "application":
            lines.append(f"m=application {port} UDP/DTLS/SCTP webrtc-datachannel")
        else:
            lines.append(f"m={kind} {port} UDP/TLS/RTP/SAVPF 111")
        lines += ["c=IN IP4 0.0.0.0", f"a=ice-ufrag:{credentials.ufrag}", f"a=ice-pwd:{credentials.pwd}"]
        lines += [f"a=mid:{mid}"]
        if kind == "application":
            lines += ["a=sctp-port:5000"]
            continue
        direction = (directions or {}).get(mid, "sendrecv")
        lines += [f"a={direction}"]
        if direction in SEND_DIRECTIONS and mid not in rejected:
            lines += [f"a=msid:- track-{mid}"]
        lines += ["a=rtcp-mux"]
    return "\r\n".join(lines) + "\r\n"


MIDS = st.one_of(st.sampled_from(["0", "1", "2", "10", "data"]), st.text(max_size=4))


@settings(max_examples=600)
@given(
    st.integers(0, 2**40),
    st.integers(0, 10**6),
    st.lists(st.tuples(st.sampled_from(["audio", "video", "application", "text"]), MIDS), max_size=5),
    st.builds(IceCredentials, st.text(max_size=8), st.text(max_size=24)),
    st.one_of(st.none(), st.dictionaries(MIDS, st.sampled_from([*sorted(_DIRECTIONS), "x"]), max_size=4)),
    st.frozensets(MIDS, max_size=3),
)
def test_sdp_writing_is_a_line_at_a_time(
    session_id: int,
    version: int,
    media: list[tuple[str, str]],
    credentials: IceCredentials,
    directions: dict[str, str] | None,
    rejected: frozenset[str],
) -> None:
    arguments: dict[str, Any] = {
        "session_id": session_id,
        "version": version,
        "media": tuple(media),
        "credentials": credentials,
        "directions": directions,
        "rejected": rejected,
    }
    assert write_sdp(**arguments) == reference_write_sdp(**arguments)
    del arguments["directions"], arguments["rejected"]  # their defaults
    assert write_sdp(**arguments) == reference_write_sdp(**arguments)


# ---- Naming m= sections ------------------------------------------------------------------------------


def reference_named_sections(
    description: SessionDescription | None, counterpart: SessionDescription | None, taken: frozenset[str]
) -> tuple[tuple[str, MediaSection], ...]:
    """_named_sections without the shortcut for a description whose every section has its a=mid: each section by its
    a=mid, else by the counterpart's mid at its index, else by the smallest number no one uses."""
    parsed = parse_sdp(description.sdp) if description is not None else None
    if parsed is None:
        return ()
    counterpart_parsed = parse_sdp(counterpart.sdp) if counterpart is not None else None
    others = counterpart_parsed.media if counterpart_parsed is not None else ()
    mids = [
        m.mid if m.mid is not None or index >= len(others) else others[index].mid
        for index, m in enumerate(parsed.media)
    ]
    used = set(taken) | {mid for mid in mids if mid is not None}
    names = []
    for mid in mids:
        if mid is None:
            number = 0
            while str(number) in used:
                number += 1
            mid = str(number)
            used.add(mid)
        names.append(mid)
    return tuple(zip(names, parsed.media, strict=True))


DESCRIPTIONS = st.one_of(st.none(), st.builds(SessionDescription, st.sampled_from(["offer", "answer"]), SDP_TEXTS))


@settings(max_examples=800)
@given(DESCRIPTIONS, DESCRIPTIONS, st.frozensets(st.sampled_from(["0", "1", "2", "3", "x"])))
def test_sections_are_named_as_the_general_reading_names_them(
    description: SessionDescription | None, counterpart: SessionDescription | None, taken: frozenset[str]
) -> None:
    assert _named_sections(description, counterpart=counterpart, taken=taken) == reference_named_sections(
        description, counterpart, taken
    )


# ---- A plain Object's members --------------------------------------------------------------------------


@given(st.dictionaries(st.text(max_size=3), js_values(2), max_size=5))
def test_a_plain_objects_members_are_those_not_undefined(value: dict[str, JSValue]) -> None:
    members = Converter("throw").members(value, "RTCConfiguration")
    assert members == {key: member for key, member in value.items() if member is not UNDEFINED}
    assert all(member is not UNDEFINED for member in members.values())


class _Incomparable:
    """A platform object whose == throws (as a script's valueOf might): conversion never asks it."""

    def __eq__(self, other: object) -> bool:
        raise AssertionError("compared")

    __hash__ = object.__hash__


def test_undefined_members_are_told_by_identity() -> None:
    """Undefined is told by identity: no member is compared with it, so a member whose == throws is a member."""
    member = _Incomparable()
    assert Converter("throw").members({"x": member}, "RTCConfiguration")["x"] is member
