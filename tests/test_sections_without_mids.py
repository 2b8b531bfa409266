"""A remote offer whose m= sections carry no a=mid line (a far end without the MID extension), as JSEP (RFC 9429)
§5.10 states it: each RTP section still gets a transceiver, its mid generated locally."""

from __future__ import annotations

import pytest

from peerspec.model import RTCPeerConnection
from peerspec.model.sdp import parse_sdp


def offer_without_mids() -> str:
    """An audio and a video section, with the a=mid lines (and so the BUNDLE group) taken out."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.addTransceiver("video")
    sdp = offerer.createOffer().sdp
    return "".join(line for line in sdp.splitlines(keepends=True) if not line.startswith(("a=mid:", "a=group:")))


def test_each_rtp_section_without_a_mid_gets_a_recvonly_transceiver_with_a_generated_mid() -> None:
    """JSEP §5.10: a section not associated with a transceiver finds or creates one (recvonly, no addTrack
    transceiver to reuse here), and when the section has no MID a value is generated for the transceiver's mid
    (unique, per the §5.2.1 guidance); the model generates the section's position."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offer_without_mids()})
    assert [t.observed() for t in pc.getTransceivers()] == [
        {"kind": "audio", "mid": "0", "direction": "recvonly"},
        {"kind": "video", "mid": "1", "direction": "recvonly"},
    ]


def test_after_answering_the_transceivers_answer_their_sections_and_nothing_needs_negotiating() -> None:
    """JSEP §5.3.1: each transceiver answers its section with its direction intersected with the offered one
    (recvonly against sendrecv); once the answer is applied the connection is stable with nothing to negotiate
    (webrtc-pc check if negotiation is needed step 5), and the next offer keeps the sections recvonly, without an
    a=msid line (JSEP §5.2.2: they send nothing)."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offer_without_mids()})
    answer = pc.createAnswer()
    parsed = parse_sdp(answer.sdp)
    assert parsed is not None
    assert [(m.kind, m.direction, m.rejected) for m in parsed.media] == [
        ("audio", "recvonly", False),
        ("video", "recvonly", False),
    ]
    pc.setLocalDescription({"type": "answer", "sdp": answer.sdp})
    assert (pc.signalingState, pc.negotiation_needed) == ("stable", False)
    offer = parse_sdp(pc.createOffer().sdp)
    assert offer is not None
    assert [(m.mid, m.direction, m.msid) for m in offer.media] == [("0", "recvonly", False), ("1", "recvonly", False)]


def test_a_rollback_of_the_offer_without_mids_removes_the_transceivers_it_created() -> None:
    """webrtc-pc set a session description, rollback (steps 3.1, 3.7): the transceivers the remote offer created
    leave the set, generated mids and all."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offer_without_mids()})
    pc.setRemoteDescription({"type": "rollback"})
    assert pc.getTransceivers() == ()


@pytest.mark.parametrize("first_mid", ["0", "1"])
def test_a_generated_mid_is_unique_among_the_mids_the_offer_does_carry(first_mid: str) -> None:
    """JSEP §5.10 generates a mid for a section without one "following the guidance for a=mid" (§5.2.1: unique):
    an offer whose first section has an a=mid line ("0", or "1", the second section's position) and whose second
    has none gives the second another mid, so the two transceivers, and the answer's two sections, differ."""
    lines = offer_without_mids().splitlines(keepends=True)
    first = next(index for index, line in enumerate(lines) if line.startswith("m=audio"))
    lines.insert(first + 1, f"a=mid:{first_mid}\r\n")
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": "".join(lines)})
    mids = [t.mid for t in pc.getTransceivers()]
    assert mids[0] == first_mid and len(set(mids)) == 2
    answer = parse_sdp(pc.createAnswer().sdp)
    assert answer is not None
    assert [m.mid for m in answer.media] == mids
