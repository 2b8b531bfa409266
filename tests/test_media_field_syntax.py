"""An m= line is SDP syntax only as RFC 8866 §9's media-field: `m=<media> <port>[/<integer>] <proto> <fmt> ...`, one
space between fields, media, proto's parts and each fmt tokens, port digits, the optional number of ports a positive
integer. A description with any other m= line is not valid SDP syntax, which set a session description step 4.6.3
(webrtc-pc 1a2dfb47) rejects with an RTCError "sdp-syntax-error" (an OperationError), as for text that is not SDP."""

from __future__ import annotations

import pytest

from peerspec.model import RemotePeer, RTCPeerConnection
from peerspec.model.errors import DOMException, SpecError
from peerspec.model.sdp import parse_sdp

MALFORMED_MEDIA_LINES = [
    "m=audio  9 UDP/TLS/RTP/SAVPF 111",  # two spaces after the media
    "m=audio 9  UDP/TLS/RTP/SAVPF 111",  # two spaces after the port
    "m=audio\t9 UDP/TLS/RTP/SAVPF 111",  # a tab for a space
    "m= audio 9 UDP/TLS/RTP/SAVPF 111",  # a space before the media
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 ",  # a space after the last fmt
    "m=audio x9 UDP/TLS/RTP/SAVPF 111",  # a port that is not digits
    "m=audio -9 UDP/TLS/RTP/SAVPF 111",
    "m=audio \uff19 UDP/TLS/RTP/SAVPF 111",  # a digit outside 0-9 (FULLWIDTH DIGIT NINE)
    "m=audio 9/ UDP/TLS/RTP/SAVPF 111",  # "/" with no number of ports
    "m=audio 9/0 UDP/TLS/RTP/SAVPF 111",  # integer = POS-DIGIT *DIGIT
    "m=audio 9/02 UDP/TLS/RTP/SAVPF 111",
    "m=audio 9 UDP/TLS//SAVPF 111",  # an empty proto part
    "m=audio 9 UDP/TLS/RTP/SAVPF",  # no fmt
    "m=audio 9",  # no proto, no fmt
    "m=audio",
    "m=",
    "m=aud:io 9 UDP/TLS/RTP/SAVPF 111",  # ":" is no token-char
    "m=audio 9 UDP/TLS/RTP/SAVPF 1\u00a011",  # nor is a no-break space
]


def description(media_line: str) -> str:
    return f"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n{media_line}\r\nc=IN IP4 0.0.0.0\r\n"


@pytest.mark.parametrize("media_line", MALFORMED_MEDIA_LINES)
def test_an_m_line_that_is_not_a_media_field_is_not_SDP_syntax(media_line: str) -> None:
    assert parse_sdp(description(media_line)) is None


@pytest.mark.parametrize(
    ("media_line", "kind", "rejected"),
    [
        ("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "audio", False),  # as Chromium writes it
        ("m=video 0 UDP/TLS/RTP/SAVPF 120", "video", True),  # a rejected section, as Firefox writes it
        ("m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "application", False),
        ("m=video 49170/2 RTP/AVP 31", "video", False),  # a number of ports
        ("m=text 0 RTP/AVP 98", "text", True),
    ],
)
def test_a_media_field_gives_the_sections_kind_and_its_port_decides_rejection(
    media_line: str, kind: str, rejected: bool
) -> None:
    """The kind is the media token; the section is rejected when its port is 0 (RFC 3264 §6), a "/<integer>"
    after the port being no part of it."""
    parsed = parse_sdp(description(media_line))
    assert parsed is not None
    assert [(m.kind, m.rejected) for m in parsed.media] == [(kind, rejected)]


def far_end_offer() -> str:
    return RemotePeer().offer(RTCPeerConnection()).sdp


@pytest.mark.parametrize("spacing", ["  ", "\t"])
def test_a_remote_offer_with_a_malformed_m_line_rejects_as_an_sdp_syntax_error(spacing: str) -> None:
    """Set a session description step 4.6.3: the same error as for text that is not SDP at all; nothing is applied
    (the connection stays stable, with no remote description and no transceiver)."""
    sdp = far_end_offer()
    assert "m=application 9 " in sdp
    pc = RTCPeerConnection()
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": "offer", "sdp": sdp.replace("m=application 9 ", f"m=application{spacing}9 ")})
    error = caught.value
    assert isinstance(error, DOMException)
    assert (error.name, error.spec, error.detail, error.kind) == (
        "OperationError",
        "set a session description step 4.6.3",
        "sdp-syntax-error",
        "reject",
    )
    assert (pc.signalingState, pc.remoteDescription, pc.getTransceivers()) == ("stable", None, ())


def test_a_remote_answer_with_a_malformed_m_line_rejects_and_leaves_the_offer_pending() -> None:
    """Step 4.6.3 for an answer: rejected before any content check (step 4.6.6 would compare its m= sections with
    the offer's); the local offer stays pending in have-local-offer."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.addTransceiver("audio")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answer = remote.answer(pc).sdp
    assert "m=audio 9 UDP/TLS/RTP/SAVPF 111" in answer
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": "answer", "sdp": answer.replace("m=audio 9 ", "m=audio 9/0 ")})
    assert (caught.value.name, caught.value.spec) == ("OperationError", "set a session description step 4.6.3")
    assert pc.signalingState == "have-local-offer"
    assert [t.mid for t in pc.getTransceivers()] == ["0"]
