"""A far end's answer (or pranswer) whose m= sections carry no a=mid line, as JSEP (RFC 9429) §5.10 and webrtc-pc
1a2dfb47 state it: an answer's m= sections match the offer's by their order (RFC 3264 §6, JSEP §5.8), and JSEP maps
each transceiver to its m= section's index, so a section without a MID is the offer's section at its index and goes
by that section's mid everywhere: set a session description step 15, the removal of a stopped transceiver whose
section is rejected, the next offer (JSEP §5.2.2) and check if negotiation is needed."""

from __future__ import annotations

import pytest

from peerspec.model import RemotePeer, RTCPeerConnection
from peerspec.model.errors import SpecError
from peerspec.model.sdp import SessionDescription, parse_sdp

Section = tuple[str, str | None, bool, str, bool]  # kind, mid, rejected (port 0), direction, has an a=msid line


def sections(description: SessionDescription) -> list[Section]:
    parsed = parse_sdp(description.sdp)
    assert parsed is not None
    return [(m.kind, m.mid, m.rejected, m.direction, m.msid) for m in parsed.media]


def without_mids(sdp: str) -> str:
    """`sdp` as a far end without the MID extension would send it: no a=mid lines and so no BUNDLE group."""
    return "".join(line for line in sdp.splitlines(keepends=True) if not line.startswith(("a=mid:", "a=group:")))


def offered_audio_and_video() -> tuple[RTCPeerConnection, RemotePeer]:
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    return pc, remote


def rejecting_the_video(answer: str) -> str:
    assert "m=video 9 " in answer
    return answer.replace("m=video 9 ", "m=video 0 ")


def test_an_answer_without_mids_rejecting_the_video_section_stops_and_removes_its_transceiver() -> None:
    """Step 15: the rejected media description is the offer's video section (its index), so its transceiver is
    stopped; an answer's step 1.1 then removes it, as it would for an answer that names the section by its mid."""
    pc, remote = offered_audio_and_video()
    answer = without_mids(rejecting_the_video(remote.answer(pc).sdp))
    pc.setRemoteDescription({"type": "answer", "sdp": answer})
    assert [t.observed() for t in pc.getTransceivers()] == [{"kind": "audio", "mid": "0", "direction": "sendrecv"}]
    assert (pc.signalingState, pc.negotiation_needed) == ("stable", False)


def test_after_an_answer_without_mids_the_next_offer_keeps_the_rejected_section_rejected_and_inactive() -> None:
    """JSEP §5.2.2: the current remote description rejected the section at index 1, the offer's mid "1"; the next
    offer keeps it at port 0, a=inactive and no a=msid (its transceiver was stopped and removed), and the audio
    section as it was."""
    pc, remote = offered_audio_and_video()
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(rejecting_the_video(remote.answer(pc).sdp))})
    assert sections(pc.createOffer()) == [
        ("audio", "0", False, "sendrecv", True),
        ("video", "1", True, "inactive", False),
    ]


def test_a_pranswer_without_mids_rejecting_the_video_section_stops_its_transceiver_and_the_answer_removes_it() -> None:
    """Step 15 runs for a pranswer too (the transceiver is stopped, though still in the set: removal is an answer's
    step 1.1); the final answer, also without mids, removes it."""
    pc, remote = offered_audio_and_video()
    rejecting = without_mids(rejecting_the_video(remote.answer(pc).sdp))
    pc.setRemoteDescription({"type": "pranswer", "sdp": rejecting})
    assert [(t.kind, t.stopped) for t in pc.getTransceivers()] == [("audio", False), ("video", True)]
    pc.setRemoteDescription({"type": "answer", "sdp": rejecting})
    assert [t.kind for t in pc.getTransceivers()] == ["audio"]


def recycled_video_offer() -> tuple[RTCPeerConnection, RemotePeer]:
    """Audio and video negotiated, the video section rejected by the far end (with mids); a new video transceiver
    then recycles that section (JSEP §5.2.2: the same index, a new mid, "2"), and our offer is applied."""
    pc, remote = offered_audio_and_video()
    pc.setRemoteDescription({"type": "answer", "sdp": rejecting_the_video(remote.answer(pc).sdp)})
    pc.addTransceiver("video")
    offer = pc.createOffer()
    pc.setLocalDescription({"type": "offer", "sdp": offer.sdp})
    assert [mid for _kind, mid, *_rest in sections(offer)] == ["0", "2"]
    return pc, remote


def test_an_answer_section_without_a_mid_goes_by_the_offers_mid_at_its_index_not_by_its_position() -> None:
    """The answer's second section is the offer's second, whose mid is "2" (not "1", its position): rejecting it
    stops and removes the transceiver with mid "2", and the next offer keeps section "2" rejected."""
    pc, remote = recycled_video_offer()
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(rejecting_the_video(remote.answer(pc).sdp))})
    assert [t.observed() for t in pc.getTransceivers()] == [{"kind": "audio", "mid": "0", "direction": "sendrecv"}]
    assert [(mid, rejected) for _kind, mid, rejected, *_rest in sections(pc.createOffer())] == [
        ("0", False),
        ("2", True),
    ]


def test_an_accepted_answer_without_mids_stops_nothing_and_leaves_nothing_to_negotiate() -> None:
    """Step 15 stops only a transceiver whose section is rejected, and check if negotiation is needed (step 5) finds
    each transceiver's section in the current descriptions (the answer's at the offer's index): an answer accepting
    both sections, without mids, leaves both transceivers live and nothing to negotiate."""
    pc, remote = recycled_video_offer()
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(remote.answer(pc).sdp)})
    assert [(t.mid, t.stopped) for t in pc.getTransceivers()] == [("0", False), ("2", False)]
    assert (pc.signalingState, pc.negotiation_needed) == ("stable", False)


def test_a_later_remote_offer_without_mids_reaches_the_transceivers_the_current_local_description_maps() -> None:
    """JSEP §5.10: a remote offer's section already associated with a transceiver (by the index mapping) needs no
    new one: after an exchange answered without mids, the far end's re-offer without mids reaches the transceivers
    at mids "0" and "2", and our answer names the sections so. Its new data section, beyond the current local
    description's, gets a mid generated locally that is unique (JSEP §5.2.1): not "2", nor "1", which the rejected
    video section had (a negotiated mid is not given again)."""
    pc, remote = recycled_video_offer()
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(remote.answer(pc).sdp)})
    pc.setRemoteDescription({"type": "offer", "sdp": without_mids(remote.offer(pc).sdp)})
    assert [(t.kind, t.mid) for t in pc.getTransceivers()] == [("audio", "0"), ("video", "2")]
    assert [(kind, mid) for kind, mid, *_rest in sections(pc.createAnswer())] == [
        ("audio", "0"),
        ("video", "2"),
        ("application", "3"),
    ]


def test_an_answer_without_mids_is_checked_for_an_ice_restart_section_by_section_at_the_offers_mids() -> None:
    """Set a session description step 4.6.6 with JSEP §5.10: a remote answer whose section changed its ICE
    credentials from the previous remote description, to an offer that restarts no ICE, is invalid content
    (InvalidAccessError). The previous remote description has no mids either: its second section is the one with
    mid "2" (the current local description's at that index), so a new answer changing only that section's
    credentials is refused, and the offer stays pending."""
    pc, remote = recycled_video_offer()
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(remote.answer(pc).sdp)})
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answer = without_mids(remote.answer(pc).sdp)
    ufrag = next(line for line in answer.splitlines() if line.startswith("a=ice-ufrag:"))
    head, _, second = answer.rpartition(ufrag)  # the last section's ufrag line only
    changed = head + "a=ice-ufrag:Zz9Zz9Zz" + second
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": "answer", "sdp": changed})
    assert (caught.value.name, caught.value.spec) == (
        "InvalidAccessError",
        "set a session description step 4.6.6 (JSEP §5.10)",
    )
    assert "m= section 2" in caught.value.message
    assert pc.signalingState == "have-local-offer"


def test_check_if_negotiation_is_needed_reads_a_mid_less_answers_direction_at_the_transceivers_index() -> None:
    """Check if negotiation is needed step 5.3.2: for our offer, a transceiver needs negotiation when neither the
    current local section's direction nor the current remote one's, reversed, is its [[Direction]]. The far end
    answered the video section (mid "2", index 1) recvonly, without mids; once createOffer's legacy
    offerToReceiveVideo: false turns [[Direction]] to sendonly (webrtc-pc §11, step 3.1), the answer's direction
    reversed matches it, so a rolled-back offer leaves nothing to negotiate (the flag is updated on reaching
    stable)."""
    pc, remote = recycled_video_offer()
    answer = without_mids(remote.answer(pc).sdp)
    pc.setRemoteDescription({"type": "answer", "sdp": answer})
    assert [direction for *_rest, direction, _msid in sections(SessionDescription("answer", answer))] == [
        "recvonly",
        "recvonly",
    ]
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer({"offerToReceiveVideo": False}).sdp})
    assert [t.direction for t in pc.getTransceivers()] == ["sendrecv", "sendonly"]
    events = pc.negotiationneeded_events
    pc.setLocalDescription({"type": "rollback"})
    assert (pc.signalingState, pc.negotiation_needed, pc.negotiationneeded_events) == ("stable", False, events)


def test_a_new_section_in_a_mid_less_re_offer_gets_one_mid_for_its_transceiver_and_our_answer() -> None:
    """JSEP §5.10: a section beyond the current local description's gets a transceiver whose mid is generated
    (unique: not "0" or "2", the live ones), and the transceiver's mid is the one our answer gives the section."""
    pc, remote = recycled_video_offer()
    pc.setRemoteDescription({"type": "answer", "sdp": without_mids(remote.answer(pc).sdp)})
    offer = without_mids(remote.offer(pc).sdp).replace(
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=audio 9 UDP/TLS/RTP/SAVPF 111"
    )
    offer = offer.replace("a=sctp-port:5000", "a=sendrecv\r\na=rtcp-mux")
    pc.setRemoteDescription({"type": "offer", "sdp": offer})
    transceivers = pc.getTransceivers()
    assert [t.kind for t in transceivers] == ["audio", "video", "audio"]
    assert transceivers[2].mid not in ("0", "2")
    answer = pc.createAnswer()
    assert [mid for _kind, mid, *_rest in sections(answer)] == [t.mid for t in transceivers]
