"""addTransceiver(kind), RTCRtpTransceiver.stop(), the legacy offerToReceive<Kind> options and the attributes a
script observes, as webrtc-pc 1a2dfb47 and JSEP (RFC 9429) state them."""

from __future__ import annotations

import pytest

from peerspec.model import UNDEFINED, RemotePeer, RTCPeerConnection, SpecError
from peerspec.model.observable_state import can_trickle_ice_candidates, description_types, ice_states
from peerspec.model.sdp import parse_sdp
from peerspec.model.transceivers import NotModelled


def kinds(sdp: str) -> list[tuple[str, bool]]:
    parsed = parse_sdp(sdp)
    assert parsed is not None
    return [(m.kind, m.rejected) for m in parsed.media]


def negotiate(pc: RTCPeerConnection, remote: RemotePeer) -> None:
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    answer = remote.answer(pc)
    pc.setRemoteDescription({"type": answer.type, "sdp": answer.sdp})


def test_a_kind_other_than_audio_or_video_is_a_TypeError_before_the_closed_check() -> None:
    pc = RTCPeerConnection()
    pc.close()
    with pytest.raises(SpecError) as raised:
        pc.addTransceiver("text")
    assert (raised.value.name, raised.value.spec) == ("TypeError", "addTransceiver step 5.1")


def test_a_closed_connection_refuses_a_transceiver_with_InvalidStateError() -> None:
    pc = RTCPeerConnection()
    pc.close()
    with pytest.raises(SpecError) as raised:
        pc.addTransceiver("audio")
    assert (raised.value.name, raised.value.spec) == ("InvalidStateError", "addTransceiver step 7")


def test_an_invalid_direction_is_a_TypeError_of_the_init_dictionary() -> None:
    with pytest.raises(SpecError) as raised:
        RTCPeerConnection().addTransceiver("audio", {"direction": "both"})
    assert raised.value.name == "TypeError"


def test_a_stream_in_init_is_a_TypeError_since_no_trace_value_is_a_MediaStream() -> None:
    with pytest.raises(SpecError):
        RTCPeerConnection().addTransceiver("video", {"streams": [{}]})


def test_simulcast_encodings_are_not_modelled_and_say_so() -> None:
    with pytest.raises(NotModelled):
        RTCPeerConnection().addTransceiver("video", {"sendEncodings": [{"rid": "a"}]})


def test_a_new_transceiver_is_sendrecv_without_a_mid_and_fires_negotiationneeded() -> None:
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("audio")
    assert transceiver.observed() == {"kind": "audio", "mid": None, "direction": "sendrecv"}
    assert pc.negotiationneeded_events == 1


def test_offers_carry_one_m_section_per_transceiver_in_the_order_added_then_data() -> None:
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    pc.addTransceiver("video")
    pc.addTransceiver("audio")
    assert kinds(pc.createOffer().sdp) == [("video", False), ("audio", False), ("application", False)]


def test_applying_the_offer_gives_each_transceiver_its_mid() -> None:
    pc = RTCPeerConnection()
    first, second = pc.addTransceiver("audio"), pc.addTransceiver("video")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    assert first.mid is not None and second.mid is not None and first.mid != second.mid


def test_a_rollback_takes_the_mids_back() -> None:
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("audio")
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.setLocalDescription({"type": "rollback"})
    assert transceiver.mid is None


def test_a_transceiver_stopped_before_it_was_offered_gets_no_m_section() -> None:
    pc = RTCPeerConnection()
    pc.stop_transceiver(pc.addTransceiver("audio"))
    pc.addTransceiver("video")
    assert kinds(pc.createOffer().sdp) == [("video", False)]


def test_stopping_a_negotiated_transceiver_offers_port_0_and_the_answer_stops_and_removes_it() -> None:
    pc, remote = RTCPeerConnection(), RemotePeer()
    transceiver = pc.addTransceiver("audio")
    negotiate(pc, remote)
    assert pc.negotiation_needed is False
    pc.stop_transceiver(transceiver)
    assert transceiver.direction == "stopped" and pc.negotiation_needed
    assert kinds(pc.createOffer().sdp) == [("audio", True)]
    negotiate(pc, remote)
    assert transceiver.stopped and pc.getTransceivers() == ()
    assert pc.negotiation_needed is False


def test_a_stopping_transceiver_does_not_affect_createAnswer_so_its_section_is_answered_inactive() -> None:
    # webrtc-pc §5.4 stop(): only createOffer treats a stopping transceiver as stopped for JSEP; one stopping but
    # not stopped "will not affect createAnswer" (RFC 8843: rejecting the offerer-tagged section would take its
    # BUNDLE group with it). So JSEP §5.3.1's "has been stopped" does not reject it: its [[Direction]], "inactive"
    # since stop sending and receiving step 6, meets the offered sendrecv as inactive.
    offerer, pc = RTCPeerConnection(), RTCPeerConnection()
    offerer.addTransceiver("audio")
    pc.setRemoteDescription({"type": "offer", "sdp": offerer.createOffer().sdp})
    (transceiver,) = pc.getTransceivers()
    pc.stop_transceiver(transceiver)
    answer = parse_sdp(pc.createAnswer().sdp)
    assert answer is not None
    assert [(m.kind, m.rejected, m.direction) for m in answer.media] == [("audio", False, "inactive")]
    # Applying it does not stop the transceiver (set a session description step 15 stops only on a rejected
    # section): still stopping, it needs negotiation (check if negotiation is needed step 5.1), and it is the
    # next offer that puts its section at port 0.
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    assert transceiver.stopping and not transceiver.stopped and pc.getTransceivers() == (transceiver,)
    assert pc.negotiation_needed
    assert kinds(pc.createOffer().sdp) == [("audio", True)]


def test_stop_on_a_stopping_transceiver_does_nothing_and_on_a_closed_connection_throws() -> None:
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("audio")
    pc.stop_transceiver(transceiver)
    events = pc.negotiationneeded_events
    pc.stop_transceiver(transceiver)
    assert pc.negotiationneeded_events == events
    pc.close()
    with pytest.raises(SpecError) as raised:
        pc.stop_transceiver(transceiver)
    assert raised.value.spec == "RTCRtpTransceiver.stop step 3"


def test_close_stops_every_transceiver() -> None:
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("video")
    pc.close()
    assert transceiver.stopped and transceiver.direction == "stopped"


@pytest.mark.parametrize(
    ("value", "adds"), [(True, True), (1, True), ("x", True), (False, False), (0, False), ("", False)]
)
def test_offerToReceiveAudio_converts_as_a_WebIDL_boolean(value: object, adds: bool) -> None:
    pc = RTCPeerConnection()
    pc.createOffer({"offerToReceiveAudio": value})
    assert [t.observed()["direction"] for t in pc.getTransceivers()] == (["recvonly"] if adds else [])


def test_the_legacy_transceiver_is_added_without_updating_the_negotiation_needed_flag() -> None:
    pc = RTCPeerConnection()
    pc.createOffer({"offerToReceiveVideo": True})
    assert pc.negotiationneeded_events == 0 and kinds(pc.createOffer().sdp) == [("video", False)]


def test_false_turns_sendrecv_into_sendonly_and_recvonly_into_inactive() -> None:
    pc = RTCPeerConnection()
    sending, receiving = pc.addTransceiver("audio"), pc.addTransceiver("audio", {"direction": "recvonly"})
    pc.createOffer({"offerToReceiveAudio": False})
    assert (sending.direction, receiving.direction) == ("sendonly", "inactive")


def test_an_undefined_legacy_member_is_not_present() -> None:
    pc = RTCPeerConnection()
    pc.createOffer({"offerToReceiveAudio": UNDEFINED})
    assert pc.getTransceivers() == ()


def test_the_attributes_start_as_the_constructor_sets_them() -> None:
    pc = RTCPeerConnection()
    assert set(description_types(pc).values()) == {None}
    assert ice_states(pc) == {"iceGatheringState": "new", "iceConnectionState": "new", "connectionState": "new"}
    assert can_trickle_ice_candidates(pc) is None


def test_once_a_description_is_applied_the_model_leaves_the_ice_states_undecided_until_close() -> None:
    pc = RTCPeerConnection()
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    assert ice_states(pc) == {}
    assert description_types(pc)["pendingLocalDescription"] == "offer"
    pc.close()
    assert ice_states(pc) == {"iceConnectionState": "closed", "connectionState": "closed"}


def test_a_remote_description_with_ice_options_trickle_makes_canTrickleIceCandidates_true() -> None:
    pc, remote = RTCPeerConnection(), RemotePeer()
    offer = remote.offer(pc)
    pc.setRemoteDescription({"type": "offer", "sdp": offer.sdp})
    assert can_trickle_ice_candidates(pc) is True
    pc.setRemoteDescription({"type": "offer", "sdp": offer.sdp.replace("a=ice-options:trickle\r\n", "")})
    assert can_trickle_ice_candidates(pc) is False


def test_signalingstatechange_fires_once_per_change() -> None:
    pc = RTCPeerConnection()
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    pc.setLocalDescription({"type": "offer", "sdp": pc.createOffer().sdp})
    assert pc.signalingstatechange_events == 1
    pc.setLocalDescription({"type": "rollback"})
    assert pc.signalingstatechange_events == 2


def test_a_remote_offer_section_without_an_associated_transceiver_creates_a_recvonly_one() -> None:
    pc = RTCPeerConnection()
    offer = pc.createOffer({"offerToReceiveVideo": True})  # proposes mid 0 for the legacy transceiver
    pc.setRemoteDescription({"type": "offer", "sdp": offer.sdp})
    legacy, created = pc.getTransceivers()
    assert legacy.observed() == {"kind": "video", "mid": None, "direction": "recvonly"}  # the proposal is dropped
    assert created.observed() == {"kind": "video", "mid": "0", "direction": "recvonly"}


def test_a_rollback_of_the_remote_offer_removes_the_transceivers_it_created() -> None:
    pc = RTCPeerConnection()
    pc.setRemoteDescription({"type": "offer", "sdp": RTCPeerConnection().createOffer({"offerToReceiveAudio": 1}).sdp})
    assert [t.kind for t in pc.getTransceivers()] == ["audio"]
    pc.setRemoteDescription({"type": "rollback"})
    assert pc.getTransceivers() == ()


def test_answering_ones_own_offer_leaves_the_unassociated_transceiver_needing_negotiation() -> None:
    pc = RTCPeerConnection()
    offer = pc.createOffer({"offerToReceiveVideo": True})
    pc.setRemoteDescription({"type": "offer", "sdp": offer.sdp})
    pc.setLocalDescription({"type": "answer", "sdp": pc.createAnswer().sdp})
    assert kinds(pc.currentLocalDescription.sdp if pc.currentLocalDescription else "") == [("video", False)]
    assert pc.negotiation_needed and pc.negotiationneeded_events == 1
