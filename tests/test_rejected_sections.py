"""A rejected m= section in later offers, as JSEP (RFC 9429) §5.2.2 and webrtc-pc 1a2dfb47 state it: a section
with a zero port in the current local or the current remote description stays rejected (port 0, no a=msid line,
out of the BUNDLE group) under its mid, unless an added transceiver recycles it (a new mid, the same index)."""

from __future__ import annotations

from peerspec.model import RemotePeer, RTCPeerConnection
from peerspec.model.sdp import SessionDescription, parse_sdp

Section = tuple[str, str | None, bool, str, bool]  # kind, mid, rejected (port 0), direction, has an a=msid line


def sections(description: SessionDescription) -> list[Section]:
    parsed = parse_sdp(description.sdp)
    assert parsed is not None
    return [(m.kind, m.mid, m.rejected, m.direction, m.msid) for m in parsed.media]


def bundle_group(description: SessionDescription) -> list[str]:
    line = next(line for line in description.sdp.splitlines() if line.startswith("a=group:BUNDLE "))
    return line.split()[1:]


def video_rejected_by_the_far_end() -> tuple[RTCPeerConnection, RemotePeer]:
    """Audio and video offered; the far end's answer rejects the video section (port 0, out of its BUNDLE group, as
    RFC 9143 has an answerer reject a section that is not the group's tagged one)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answer = remote.answer(pc).sdp
    assert "m=video 9 " in answer and "a=group:BUNDLE 0 1\r\n" in answer
    rejecting = answer.replace("m=video 9 ", "m=video 0 ").replace("a=group:BUNDLE 0 1\r\n", "a=group:BUNDLE 0\r\n")
    pc.setRemoteDescription({"type": "answer", "sdp": rejecting})
    return pc, remote


def test_a_section_the_far_ends_answer_rejected_stays_rejected_in_the_next_offer() -> None:
    """JSEP §5.2.2: the current local description (our offer) accepted the video section and the current remote one
    (the answer) rejected it; the next offer keeps it at its index and mid, port 0, a=inactive and no a=msid, and the
    BUNDLE group names only the live sections. The rejection stopped and removed the transceiver (webrtc-pc set a
    session description step 15, an answer's step 1.1), so nothing needs negotiating."""
    pc, _remote = video_rejected_by_the_far_end()
    assert [t.kind for t in pc.getTransceivers()] == ["audio"]
    assert not pc.negotiation_needed
    offer = pc.createOffer()
    assert sections(offer) == [
        ("audio", "0", False, "sendrecv", True),
        ("video", "1", True, "inactive", False),
    ]
    assert bundle_group(offer) == ["0"]


def test_a_section_the_remote_offer_rejected_stays_rejected_in_our_answer_and_our_next_offer() -> None:
    """JSEP §5.3.1: a section the offer rejects is rejected in the answer; JSEP §5.2.2: with a zero port in the
    current descriptions, our next offer keeps it rejected, without a=msid."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.addTransceiver("video")
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offerer.createOffer().sdp.replace("m=video 9 ", "m=video 0 ")})
    answer = pc.createAnswer()
    assert [(kind, rejected) for kind, _mid, rejected, _direction, _msid in sections(answer)] == [
        ("audio", False),
        ("video", True),
    ]
    pc.setLocalDescription({"type": "answer", "sdp": answer.sdp})
    assert [(kind, mid, rejected, msid) for kind, mid, rejected, _direction, msid in sections(pc.createOffer())] == [
        ("audio", "0", False, False),
        ("video", "1", True, False),
    ]


def test_the_far_ends_next_offer_keeps_the_section_its_answer_rejected_rejected() -> None:
    """JSEP §5.2.2 for the far end (model/remote_peer.py): its own answer, our current remote description, rejected
    the video section, so its next offer keeps it at port 0. Applying that offer, webrtc-pc gives the section a
    transceiver (JSEP §5.10) which step 15 stops at once; our answer rejects it (JSEP §5.3.1: its transceiver is
    stopped) and an answer's step 1.1 removes it."""
    pc, remote = video_rejected_by_the_far_end()
    offer = remote.offer(pc)
    assert [(kind, mid, rejected) for kind, mid, rejected, _direction, _msid in sections(offer)][:2] == [
        ("audio", "0", False),
        ("video", "1", True),
    ]
    pc.setRemoteDescription({"type": "offer", "sdp": offer.sdp})
    assert [(t.kind, t.stopped) for t in pc.getTransceivers()] == [("audio", False), ("video", True)]
    answer = pc.createAnswer()
    assert [rejected for _kind, _mid, rejected, _direction, _msid in sections(answer)][:2] == [False, True]
    pc.setLocalDescription({"type": "answer", "sdp": answer.sdp})
    assert [t.kind for t in pc.getTransceivers()] == ["audio"]


def test_an_added_transceiver_recycles_the_rejected_section_with_a_new_mid_at_its_index() -> None:
    """JSEP §5.2.2: a transceiver added while a section has a zero port in the current descriptions takes that
    section's place, generated as a new section (a new mid, never the rejected one's) at the same index, so the
    offer has no more m= sections than before; applying the offer associates the transceiver with it."""
    pc, _remote = video_rejected_by_the_far_end()
    added = pc.addTransceiver("video")
    offer = pc.createOffer()
    assert sections(offer) == [
        ("audio", "0", False, "sendrecv", True),
        ("video", "2", False, "sendrecv", True),
    ]
    assert bundle_group(offer) == ["0", "2"]
    pc.setLocalDescription({"type": "offer", "sdp": offer.sdp})
    assert added.mid == "2"


def test_a_section_is_recycled_for_a_transceiver_of_another_media_type_too() -> None:
    """JSEP §5.2.2 recycles "that m= section" for the added transceiver whatever its media type was: an audio
    transceiver takes the rejected video section's index with a new mid; the far end answers it, and once the
    answer is applied the transceiver is associated, nothing needs negotiating, and the next offer keeps it live."""
    pc, remote = video_rejected_by_the_far_end()
    added = pc.addTransceiver("audio")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answer = remote.answer(pc)
    pc.setRemoteDescription({"type": answer.type, "sdp": answer.sdp})
    assert (added.mid, pc.signalingState, pc.negotiation_needed) == ("2", "stable", False)
    assert [(kind, mid, rejected) for kind, mid, rejected, _direction, _msid in sections(pc.createOffer())] == [
        ("audio", "0", False),
        ("audio", "2", False),
    ]


# ---- JSEP §5.3.1: an offered m= section of a media type with no supported format is rejected ----------------


def offer_with_text() -> str:
    """An offer whose first m= section is m=text (RFC 4566 §5.14), the second video."""
    offerer = RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.addTransceiver("video")
    return offerer.createOffer().sdp.replace("m=audio 9 ", "m=text 9 ")


def test_an_offered_section_of_an_unsupported_media_type_is_rejected_in_the_answer() -> None:
    """JSEP §5.3.1: an offered m= section none of whose media formats is supported is rejected (port 0) in the
    answer; an m=text section has no transceiver (JSEP §5.10 creates them for RTP audio and video only), and the
    video section after it is answered as usual."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offer_with_text()})
    assert [t.kind for t in pc.getTransceivers()] == ["video"]
    answer = pc.createAnswer()
    assert [(kind, mid, rejected, msid) for kind, mid, rejected, _direction, msid in sections(answer)] == [
        ("text", "0", True, False),
        ("video", "1", False, False),
    ]
    assert bundle_group(answer) == ["1"]


def test_the_rejected_unsupported_section_stays_rejected_and_is_recycled_by_an_added_transceiver() -> None:
    """JSEP §5.2.2: once our answer rejected the m=text section, our next offer keeps it at port 0, and a
    transceiver added later recycles it (a new mid at its index)."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": offer_with_text()})
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    assert [(kind, rejected) for kind, _mid, rejected, _direction, _msid in sections(pc.createOffer())] == [
        ("text", True),
        ("video", False),
    ]
    pc.addTransceiver("audio")
    assert [(kind, mid, rejected) for kind, mid, rejected, _direction, _msid in sections(pc.createOffer())] == [
        ("audio", "2", False),
        ("video", "1", False),
    ]


def test_a_mid_a_recycled_section_had_is_never_proposed_again() -> None:
    """JSEP §5.2.2: recycling generates "a new MID value", and §5.2.1 suggests mids from a per-connection counter:
    once the rejected section's mid "1" has left the session with its section, a transceiver added later still
    gets a mid no exchange has used ("3"), not "1"."""
    pc, remote = video_rejected_by_the_far_end()
    recycling = pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answer = remote.answer(pc)
    pc.setRemoteDescription({"type": answer.type, "sdp": answer.sdp})
    added = pc.addTransceiver("audio")
    offer = pc.createOffer()
    assert [(kind, mid) for kind, mid, _rejected, _direction, _msid in sections(offer)] == [
        ("audio", "0"),
        ("video", "2"),
        ("audio", "3"),
    ]
    pc.setLocalDescription({"type": "offer", "sdp": offer.sdp})
    assert (recycling.mid, added.mid) == ("2", "3")
