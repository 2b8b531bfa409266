"""Session descriptions, as much SDP as the configuration lifecycle needs.

The model writes real (if minimal) SDP: session lines, then one m= section per negotiated kind of media,
each carrying a=ice-ufrag and a=ice-pwd (JSEP §5.2.1). It reads any SDP, including a browser's, far
enough to find its m= sections and their ICE credentials. It is not an SDP validator: "valid syntax"
here means "every line is <letter>=<value> and the first is v=0" (RFC 8866 §5), and every m= line is a
media-field of RFC 8866 §9's grammar (the line the model reads a section's kind and port from).
"""

from __future__ import annotations

import random
import re
import string
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import ClassVar, Final

ICE_CHARS: Final = string.ascii_letters + string.digits + "+/"  # RFC 8839 §5.4 ice-char
_DIRECTIONS: Final = frozenset({"sendrecv", "sendonly", "recvonly", "inactive"})


@dataclass(frozen=True, order=True)
class IceCredentials:
    """One ICE ufrag/pwd pair (RFC 8839 §5.4). [[LocalIceCredentialsToReplace]] holds these."""

    ufrag: str
    pwd: str


@dataclass(frozen=True)
class MediaSection:
    kind: str  # "application", "audio", "video", ...
    mid: str | None
    credentials: IceCredentials | None
    rtcp_mux: bool
    rejected: bool = False  # port 0 (JSEP §5.2.2: a stopped transceiver; §5.3.1: a rejected section)
    direction: str = "sendrecv"  # its a=sendrecv/sendonly/recvonly/inactive line (RFC 3264: sendrecv if none)
    msid: bool = False  # it has an a=msid line (webrtc-pc "check if negotiation is needed" step 5.3.1)


@dataclass(frozen=True)
class ParsedSdp:
    media: tuple[MediaSection, ...]
    trickle: bool = False  # a session-level a=ice-options line lists "trickle" (JSEP §5.2.1, §4.1.17)

    @cached_property  # frozen: computed once (parse_sdp hands out the same ParsedSdp for the same text)
    def ice_credentials(self) -> frozenset[IceCredentials]:
        return frozenset(m.credentials for m in self.media if m.credentials is not None)

    @cached_property
    def sections_by_own_mids(self) -> tuple[tuple[str, MediaSection], ...] | None:
        """Each m= section with its a=mid, when every section has one (else None: some need a name found for them)."""
        if any(m.mid is None for m in self.media):
            return None
        return tuple((m.mid, m) for m in self.media if m.mid is not None)


@dataclass(frozen=True)
class SessionDescription:
    """An applied or created description (RTCSessionDescription): its type and sdp."""

    js_class: ClassVar[str] = "RTCSessionDescription"

    type: str
    sdp: str

    def js_properties(self) -> dict[str, object]:
        """The properties WebIDL dictionary conversion reads from it (its type and sdp attributes)."""
        return {"type": self.type, "sdp": self.sdp}

    @property
    def ice_credentials(self) -> frozenset[IceCredentials]:
        parsed = parse_sdp(self.sdp)
        return parsed.ice_credentials if parsed is not None else frozenset()


class CredentialSource:
    """Fresh ICE credentials from an explicit seed: the model's only randomness. The n-th pair a seed gives is
    always the same, so the pairs are drawn once per process for every source of that seed (_SeededPairs); each
    source counts how many it has given."""

    def __init__(self, seed: int, label: str) -> None:
        self._seed = f"{label}:{seed}"
        self._given = 0  # how many pairs this source has given
        self._own: random.Random | None = None  # past the shared pairs: the seed's generator, carried on

    def fresh(self) -> IceCredentials:
        index, self._given = self._given, self._given + 1
        if index < _SeededPairs.SHARED:
            return _seeded_pairs(self._seed).pair(index)
        if self._own is None:
            self._own = _seeded_pairs(self._seed).generator_after_the_shared_pairs()
        return _draw(self._own)


def _draw(generator: random.Random) -> IceCredentials:
    # JSEP §5.2.1 / RFC 8839 §5.4: ufrag >= 24 random bits (4 chars), pwd >= 128 bits (22 chars).
    # One draw of 32 characters is the same sequence as a draw of 8 followed by a draw of 24.
    drawn = "".join(generator.choices(ICE_CHARS[:62], k=32))
    ufrag, pwd = drawn[:8], drawn[8:]
    return IceCredentials(ufrag, pwd)


class _SeededPairs:
    """The pairs one seed gives, in order, drawn as they are first asked for (a pure function of the seed and the
    index: sharing them changes nothing but speed). Holds at most SHARED pairs; a source that needs more goes on
    with a copy of the generator as it stands after them."""

    SHARED: ClassVar[int] = 1024

    def __init__(self, seed: str) -> None:
        self._generator = random.Random(seed)
        self._pairs: list[IceCredentials] = []
        self._lock = threading.Lock()  # two threads extending the list at once would shuffle the sequence

    def pair(self, index: int) -> IceCredentials:
        pairs = self._pairs
        if index >= len(pairs):
            with self._lock:
                while len(pairs) <= index:
                    pairs.append(_draw(self._generator))
        return pairs[index]

    def generator_after_the_shared_pairs(self) -> random.Random:
        self.pair(self.SHARED - 1)
        generator = random.Random()
        generator.setstate(self._generator.getstate())
        return generator


@lru_cache(maxsize=256)
def _seeded_pairs(seed: str) -> _SeededPairs:
    return _SeededPairs(seed)


SEND_DIRECTIONS: Final = frozenset({"sendrecv", "sendonly"})


def write_sdp(
    *,
    session_id: int,
    version: int,
    media: tuple[tuple[str, str], ...],
    credentials: IceCredentials,
    directions: Mapping[str, str] | None = None,
    rejected: frozenset[str] = frozenset(),
) -> str:
    """SDP with one m= section per (kind, mid), every section carrying the same credentials (BUNDLE). An RTP
    section's a=<direction> line comes from `directions` (by mid; sendrecv when absent), with an a=msid line when it
    sends (JSEP §5.2.1); a mid in `rejected` gets port 0 and leaves the BUNDLE group (JSEP §5.2.2, §5.3.1)."""
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
    ice = f"c=IN IP4 0.0.0.0\r\na=ice-ufrag:{credentials.ufrag}\r\na=ice-pwd:{credentials.pwd}"  # every section's
    directions = directions or {}
    append = lines.append
    for kind, mid in media:
        port = 0 if mid in rejected else 9
        if kind == "application":
            append(f"m=application {port} UDP/DTLS/SCTP webrtc-datachannel\r\n{ice}\r\na=mid:{mid}\r\na=sctp-port:5000")
            continue
        direction = directions.get(mid, "sendrecv")
        append(f"m={kind} {port} UDP/TLS/RTP/SAVPF 111\r\n{ice}\r\na=mid:{mid}\r\na={direction}")
        if direction in SEND_DIRECTIONS and mid not in rejected:
            append(f"a=msid:- track-{mid}")
        append("a=rtcp-mux")
    return "\r\n".join(lines) + "\r\n"


_ATTRIBUTES: Final = frozenset({"ice-ufrag", "ice-pwd", "mid", "ice-options"})  # the a=<name>:<value> lines read
# RFC 8866 §9: media-field = %x6d "=" media SP port ["/" integer] SP proto 1*(SP fmt); media and fmt are tokens,
# port is 1*DIGIT, integer is POS-DIGIT *DIGIT, proto is token *("/" token); SP is one space, DIGIT 0-9 only. A token
# is 1*token-char: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E.
_TOKEN: Final = r"[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+"
_MEDIA_FIELD: Final = re.compile(rf"m=({_TOKEN}) ([0-9]+)(?:/[1-9][0-9]*)? {_TOKEN}(?:/{_TOKEN})*(?: {_TOKEN})+")


def _parse_sdp(sdp: str) -> ParsedSdp | None:
    """The m= sections and their ICE credentials; None when `sdp` is not SDP syntax (RFC 8866 §5 lines, RFC 8866 §9
    m= lines)."""
    # Lines end at LF or CRLF; one CR before each LF belongs to the line break (the last line has no break).
    pieces = sdp.split("\n")
    lines = [piece[:-1] if piece.endswith("\r") else piece for piece in pieces[:-1]]
    lines.append(pieces[-1])
    lines = [line for line in lines if line != ""]
    # RFC 8866 §5: every line is <type>=<value>, the type one lowercase letter; the first is v=0.
    if not lines or lines[0] != "v=0" or not all(line[1:2] == "=" and "a" <= line[0] <= "z" for line in lines):
        return None
    session: dict[str, str] = {}
    sections: list[dict[str, str]] = []
    target = session
    for line in lines:
        if line.startswith("m="):
            # RFC 8866 §9: an m= line that is not a media-field (a run of spaces or a tab between its fields, a port
            # that is not digits, no proto or no fmt) is not SDP syntax (webrtc-pc set a session description step
            # 4.6.3 rejects the description: "sdp-syntax-error").
            media_field = _MEDIA_FIELD.fullmatch(line)
            if media_field is None:
                return None
            target = {"kind": media_field[1], "port": media_field[2]}
            sections.append(target)
            continue
        value = line[2:]
        if value in _DIRECTIONS:  # any line whose value is a direction, as the first of them decides
            target.setdefault("direction", value)
        if line[0] != "a":
            continue
        name, colon, attribute_value = value.partition(":")
        if colon and name in _ATTRIBUTES:
            target.setdefault(name, attribute_value.strip())
        elif name == "msid" and colon:
            target["msid"] = "yes"
        elif value == "rtcp-mux":
            target["rtcp-mux"] = "yes"
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
                "rtcp-mux" in section,  # a media-level attribute only (RFC 5761 §5.1.1): a session-level one is not it
                rejected=section["port"] == "0",
                direction=section.get("direction", session.get("direction", "sendrecv")),
                msid="msid" in section,
            )
        )
    return ParsedSdp(tuple(media), trickle="trickle" in session.get("ice-options", "").split())


# A pure function of an immutable string: caching changes nothing but speed. Wrapped, not decorated, so that mutmut
# (which leaves decorated functions alone) mutates the reading itself.
parse_sdp: Final = lru_cache(maxsize=1024)(_parse_sdp)
