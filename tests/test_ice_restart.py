"""ICE restart: RTCOfferOptions.iceRestart, restartIce() and [[LocalIceCredentialsToReplace]] (webrtc-pc
§4.4.1.4 set a session description, §4.2.6.2 RTCOfferOptions, restartIce(); "update the negotiation-needed
flag" §4.7.3; JSEP RFC 9429 §5.2.2-§5.2.3, §5.3.2, §3.5.1 and §4.1.18).

A generated offer keeps the current ICE credentials unless iceRestart is true, the slot is non-empty, or no
current local description has credentials. Only an applied answer clears the slot, and only one that no
longer carries any of the slot's credentials.
"""

from __future__ import annotations

import pytest

from peerspec.model import SPEC_PROFILE, IceCredentials, RemotePeer, RTCPeerConnection, SessionDescription, SpecError
from peerspec.model.sdp import parse_sdp, write_sdp


def init(description: SessionDescription) -> dict[str, str]:
    return {"type": description.type, "sdp": description.sdp}


def negotiated(**options: object) -> tuple[RTCPeerConnection, RemotePeer]:
    """An offerer that has completed one offer/answer exchange (current local description set, stable)."""
    pc, remote = RTCPeerConnection(**options), RemotePeer()  # type: ignore[arg-type]
    pc.createDataChannel("chat")
    pc.setLocalDescription(init(pc.createOffer()))
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert pc.signalingState == "stable"
    return pc, remote


def answered() -> tuple[RTCPeerConnection, RemotePeer]:
    """An answerer that has completed one exchange started by the remote peer."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.setRemoteDescription(init(remote.offer(pc)))
    pc.setLocalDescription(init(pc.createAnswer()))
    assert pc.signalingState == "stable"
    return pc, remote


def current_credentials(pc: RTCPeerConnection) -> frozenset[IceCredentials]:
    assert pc.currentLocalDescription is not None
    credentials = pc.currentLocalDescription.ice_credentials
    assert credentials, "every test here negotiates an m= section, so there are credentials to keep"
    return credentials


# ---- which offers get new credentials ------------------------------------------------------------------


def test_an_offer_keeps_the_current_ICE_credentials() -> None:
    """RTCOfferOptions.iceRestart false, slot empty, current credentials valid: keep them (JSEP §5.2.2)."""
    pc, _remote = negotiated()
    assert pc.createOffer().ice_credentials == current_credentials(pc)
    assert pc.createOffer({"iceRestart": False}).ice_credentials == current_credentials(pc)


def test_an_offer_with_iceRestart_true_has_new_credentials() -> None:
    """RTCOfferOptions.iceRestart: "If this dictionary member is true ... ICE credentials ... differ"."""
    pc, _remote = negotiated()
    assert pc.createOffer({"iceRestart": True}).ice_credentials.isdisjoint(current_credentials(pc))


def test_iceRestart_is_converted_with_ToBoolean() -> None:
    """RTCOfferOptions: boolean iceRestart; WebIDL §3.2.2 ToBoolean(1) is true, ToBoolean("") is false."""
    pc, _remote = negotiated()
    assert pc.createOffer({"iceRestart": 1}).ice_credentials.isdisjoint(current_credentials(pc))
    assert pc.createOffer({"iceRestart": ""}).ice_credentials == current_credentials(pc)


def test_after_restartIce_an_offer_has_new_credentials_even_with_iceRestart_false() -> None:
    """RTCOfferOptions.iceRestart: true "or [[LocalIceCredentialsToReplace]] is not empty" (PR #2169)."""
    pc, _remote = negotiated()
    pc.restartIce()
    assert pc.createOffer({"iceRestart": False}).ice_credentials.isdisjoint(current_credentials(pc))
    assert pc.createOffer().ice_credentials.isdisjoint(current_credentials(pc))


def test_an_initial_offer_has_freshly_generated_credentials() -> None:
    """RTCOfferOptions.iceRestart: keep credentials only if currentLocalDescription has valid ones (JSEP §5.2.1)."""
    first, second = RTCPeerConnection(seed=1), RTCPeerConnection(seed=2)
    for pc in (first, second):
        pc.createDataChannel("chat")
    assert first.currentLocalDescription is None
    offered = first.createOffer().ice_credentials
    assert len(offered) == 1
    assert offered != second.createOffer().ice_credentials


def test_a_pending_offer_does_not_make_the_next_offer_keep_its_credentials() -> None:
    """RTCOfferOptions.iceRestart keeps the credentials of currentLocalDescription, not of a pending offer."""
    pc, _remote = negotiated()
    restart_offer = pc.createOffer({"iceRestart": True})
    pc.setLocalDescription(init(restart_offer))
    assert pc.createOffer().ice_credentials == current_credentials(pc)


def test_createOffer_with_iceRestart_true_alone_sets_no_slot() -> None:
    """RTCOfferOptions.iceRestart has no memory: only restartIce() fills [[LocalIceCredentialsToReplace]]."""
    pc, _remote = negotiated()
    pc.createOffer({"iceRestart": True})
    assert pc.local_ice_credentials_to_replace == frozenset()
    assert pc.createOffer().ice_credentials == current_credentials(pc)


def test_an_abandoned_iceRestart_offer_is_forgotten_after_rollback() -> None:
    """RTCOfferOptions.iceRestart: a rolled-back restart offer leaves nothing requesting a restart."""
    pc, _remote = negotiated()
    pc.setLocalDescription(init(pc.createOffer({"iceRestart": True})))
    pc.setLocalDescription({"type": "rollback"})
    assert pc.local_ice_credentials_to_replace == frozenset()
    assert pc.createOffer().ice_credentials == current_credentials(pc)


# ---- restartIce() fills the slot ---------------------------------------------------------------------


def test_restartIce_before_any_local_description_leaves_the_slot_empty_and_fires_nothing() -> None:
    """restartIce step 2 finds no credentials; check if negotiation is needed step 2 is then false."""
    pc = RTCPeerConnection()
    pc.restartIce()
    assert pc.local_ice_credentials_to_replace == frozenset()
    assert pc.negotiationneeded_events == 0


def test_restartIce_after_only_a_remote_offer_leaves_the_slot_empty() -> None:
    """restartIce step 2: there is no current or pending *local* description."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.setRemoteDescription(init(remote.offer(pc)))
    pc.restartIce()
    assert pc.local_ice_credentials_to_replace == frozenset()


def test_restartIce_fills_the_slot_with_the_current_local_credentials() -> None:
    """restartIce step 2: "all ICE credentials ... found in [[CurrentLocalDescription]]"."""
    pc, _remote = negotiated()
    pc.restartIce()
    assert pc.local_ice_credentials_to_replace == current_credentials(pc)


def test_restartIce_fills_the_slot_from_current_and_pending_local_descriptions() -> None:
    """restartIce step 2: "... and all ICE credentials found in [[PendingLocalDescription]]"."""
    pc, _remote = negotiated()
    pc.restartIce()
    restart_offer = pc.createOffer()
    pc.setLocalDescription(init(restart_offer))
    pc.restartIce()
    assert pc.local_ice_credentials_to_replace == current_credentials(pc) | restart_offer.ice_credentials


def test_restartIce_empties_the_slot_before_filling_it() -> None:
    """restartIce step 2: "Empty [[LocalIceCredentialsToReplace]], and populate it" with what is found now."""
    pc, remote = negotiated()
    pc.restartIce()
    pc.setLocalDescription(init(pc.createOffer()))
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert pc.local_ice_credentials_to_replace == frozenset()
    pc.restartIce()
    assert pc.local_ice_credentials_to_replace == current_credentials(pc)


# ---- negotiationneeded ---------------------------------------------------------------------------------


def test_restartIce_in_stable_fires_negotiationneeded_once() -> None:
    """restartIce step 3 -> update the negotiation-needed flag step 2.7 fires negotiationneeded."""
    pc, _remote = negotiated()
    before = pc.negotiationneeded_events
    pc.restartIce()
    assert pc.negotiationneeded_events == before + 1
    assert pc.negotiation_needed


def test_a_repeated_restartIce_does_not_fire_again() -> None:
    """update the negotiation-needed flag step 2.5: [[NegotiationNeeded]] is already true, so abort."""
    pc, _remote = negotiated()
    pc.restartIce()
    events = pc.negotiationneeded_events
    pc.restartIce()
    pc.restartIce()
    assert pc.negotiationneeded_events == events


def test_restartIce_while_not_stable_fires_nothing_until_stable_and_then_fires() -> None:
    """update the negotiation-needed flag step 2.3; re-evaluated on reaching stable (step 4.7.14)."""
    pc, remote = negotiated()
    pc.setLocalDescription(init(pc.createOffer()))  # an offer that keeps the old credentials
    events = pc.negotiationneeded_events
    pc.restartIce()
    assert pc.negotiationneeded_events == events
    # The answer completes the pre-restart offer: the old credentials stay current, so the slot stays
    # non-empty, and reaching stable fires negotiationneeded.
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert pc.local_ice_credentials_to_replace
    assert pc.negotiationneeded_events == events + 1


def test_restartIce_while_a_remote_offer_is_pending_fires_after_the_answer() -> None:
    """update the negotiation-needed flag step 2.3: not stable; an answer never restarts on its own (JSEP §5.3.2)."""
    pc, remote = answered()
    pc.setRemoteDescription(init(remote.offer(pc)))
    events = pc.negotiationneeded_events
    pc.restartIce()
    assert pc.negotiationneeded_events == events
    pc.setLocalDescription(init(pc.createAnswer()))
    assert pc.local_ice_credentials_to_replace
    assert pc.negotiationneeded_events == events + 1


# ---- what clears the slot ----------------------------------------------------------------------------


def test_a_remote_answer_to_the_restart_offer_clears_the_slot() -> None:
    """set a session description (remote answer): none of the slot's credentials are in the new current local."""
    pc, remote = negotiated()
    pc.restartIce()
    pc.setLocalDescription(init(pc.createOffer()))
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert pc.local_ice_credentials_to_replace == frozenset()


def test_reaching_stable_with_the_slot_cleared_fires_nothing_more() -> None:
    """check if negotiation is needed step 2 is false once the slot is empty."""
    pc, remote = negotiated()
    pc.restartIce()
    events = pc.negotiationneeded_events
    pc.setLocalDescription(init(pc.createOffer()))
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert pc.negotiationneeded_events == events
    assert not pc.negotiation_needed


def test_a_stale_answer_to_a_pre_restart_offer_leaves_the_slot() -> None:
    """set a session description (remote answer): the new current local still has the slot's credentials."""
    pc, remote = negotiated()
    stale_offer = pc.createOffer()
    pc.setLocalDescription(init(stale_offer))
    pc.restartIce()
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert pc.local_ice_credentials_to_replace == stale_offer.ice_credentials


def test_a_local_answer_with_new_credentials_clears_the_slot() -> None:
    """set a session description (local answer): "if none of the ICE credentials ... are present in description"."""
    pc, remote = answered()
    pc.restartIce()
    pc.setRemoteDescription(init(remote.offer(pc, ice_restart=True)))  # the remote restarts ICE
    answer = pc.createAnswer()
    assert answer.ice_credentials.isdisjoint(pc.local_ice_credentials_to_replace)
    pc.setLocalDescription(init(answer))
    assert pc.local_ice_credentials_to_replace == frozenset()


def test_a_local_answer_keeping_the_old_credentials_leaves_the_slot() -> None:
    """set a session description (local answer): the answer still carries the slot's credentials."""
    pc, remote = answered()
    pc.restartIce()
    pc.setRemoteDescription(init(remote.offer(pc)))
    pc.setLocalDescription(init(pc.createAnswer()))
    assert pc.local_ice_credentials_to_replace == current_credentials(pc)


def test_applying_an_offer_or_pranswer_does_not_clear_the_slot() -> None:
    """set a session description: only the answer steps touch [[LocalIceCredentialsToReplace]]."""
    pc, remote = negotiated()
    pc.restartIce()
    slot = pc.local_ice_credentials_to_replace
    pc.setLocalDescription(init(pc.createOffer()))
    assert pc.local_ice_credentials_to_replace == slot
    pc.setRemoteDescription(init(remote.answer(pc, "pranswer")))
    assert pc.local_ice_credentials_to_replace == slot


def test_rollback_does_not_clear_the_slot() -> None:
    """set a session description (rollback) leaves [[LocalIceCredentialsToReplace]] as it is."""
    pc, _remote = negotiated()
    pc.restartIce()
    slot = pc.local_ice_credentials_to_replace
    pc.setLocalDescription(init(pc.createOffer()))
    pc.setLocalDescription({"type": "rollback"})
    assert pc.local_ice_credentials_to_replace == slot
    assert pc.createOffer().ice_credentials.isdisjoint(current_credentials(pc))


def test_after_a_rolled_back_restart_offer_negotiationneeded_fires_again_in_stable() -> None:
    """set a session description step 4.7.14: stable clears [[NegotiationNeeded]], then updates the flag."""
    pc, _remote = negotiated()
    pc.restartIce()
    events = pc.negotiationneeded_events
    pc.setLocalDescription(init(pc.createOffer()))
    pc.setLocalDescription({"type": "rollback"})
    assert pc.negotiationneeded_events == events + 1


def test_restartIce_after_a_rolled_back_first_offer_empties_the_slot() -> None:
    """restartIce() step 2 empties the slot and refills it from currentLocalDescription and
    pendingLocalDescription: after the first offer was rolled back there are none, so the slot ends empty and
    the lifecycle leaves "restarting" (the credentials it held belonged to an offer that no longer exists)."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    pc.setLocalDescription()
    pc.restartIce()
    states = [pc.lifecycle_state]
    pc.setLocalDescription({"type": "rollback"})
    assert pc.local_ice_credentials_to_replace  # rollback leaves the slot as it is
    pc.restartIce()
    states.append(pc.lifecycle_state)
    assert pc.local_ice_credentials_to_replace == frozenset()
    assert states == ["restarting", "negotiating"]


# ---- answers ----------------------------------------------------------------------------------------


def test_an_answer_never_restarts_ICE_on_its_own() -> None:
    """RTCAnswerOptions has no iceRestart; JSEP §5.3.2 keeps the credentials unless the offer restarts."""
    pc, remote = answered()
    pc.restartIce()
    pc.setRemoteDescription(init(remote.offer(pc)))
    assert pc.createAnswer().ice_credentials == current_credentials(pc)


def test_an_answer_to_a_remote_restart_has_new_credentials() -> None:
    """JSEP §5.3.2 / §5.10: a remote offer with new credentials restarts ICE, so the answer has new ones."""
    pc, remote = answered()
    pc.setRemoteDescription(init(remote.offer(pc, ice_restart=True)))
    assert pc.createAnswer().ice_credentials.isdisjoint(current_credentials(pc))


def test_a_remote_restart_sets_no_slot() -> None:
    """[[LocalIceCredentialsToReplace]] is filled only by restartIce()."""
    pc, remote = answered()
    pc.setRemoteDescription(init(remote.offer(pc, ice_restart=True)))
    assert pc.local_ice_credentials_to_replace == frozenset()


def test_the_answerer_restarts_in_its_next_offer() -> None:
    """restartIce on the answering side takes effect in the next offer that side creates."""
    pc, remote = answered()
    pc.restartIce()
    pc.setRemoteDescription(init(remote.offer(pc)))
    pc.setLocalDescription(init(pc.createAnswer()))
    assert pc.createOffer().ice_credentials.isdisjoint(current_credentials(pc))


# ---- close -----------------------------------------------------------------------------------------


def test_restartIce_after_close_changes_nothing_observable() -> None:
    """restartIce has no closed check; the negotiation-needed task aborts on [[IsClosed]] (step 2.1)."""
    pc, _remote = negotiated()
    pc.close()
    configuration, events = pc.getConfiguration(), pc.negotiationneeded_events
    pc.restartIce()
    assert pc.negotiationneeded_events == events
    assert pc.signalingState == "closed"
    assert pc.getConfiguration() == configuration
    assert pc.lifecycle_state == "closed"


# ---- JSEP needs-ice-restart (profile option) --------------------------------------------------------------

JSEP = SPEC_PROFILE.but(jsep_needs_ice_restart=True)
OTHER_SERVERS = {"iceServers": [{"urls": "stun:other.example.net"}]}


def test_with_jsep_needs_ice_restart_new_servers_after_sLD_make_the_next_offer_restart() -> None:
    """JSEP §4.1.18 / §3.5.1: a new server list once gathering began sets needs-ice-restart (profile option)."""
    pc, _remote = negotiated(profile=JSEP)
    pc.setConfiguration(OTHER_SERVERS)
    assert pc.createOffer().ice_credentials.isdisjoint(current_credentials(pc))


def test_with_jsep_needs_ice_restart_a_new_transport_policy_also_restarts() -> None:
    """JSEP §4.1.18: changing the ICE candidate policy after gathering began sets needs-ice-restart."""
    pc, _remote = negotiated(profile=JSEP)
    pc.setConfiguration({"iceTransportPolicy": "relay"})
    assert pc.createOffer().ice_credentials.isdisjoint(current_credentials(pc))


def test_with_jsep_needs_ice_restart_the_same_servers_do_not_restart() -> None:
    """JSEP §4.1.18: only a *changed* configuration sets needs-ice-restart."""
    pc, _remote = negotiated(profile=JSEP)
    pc.setConfiguration({})
    assert pc.createOffer().ice_credentials == current_credentials(pc)


def test_with_jsep_needs_ice_restart_a_url_string_and_a_one_url_list_are_the_same_servers() -> None:
    """set the configuration step 6.2 reads a string as a list of one URL, so {urls: "stun:x"} then
    {urls: ["stun:x"]} is no change of servers (JSEP §4.1.18) and sets no needs-ice-restart."""
    pc, _remote = negotiated(configuration={"iceServers": [{"urls": "stun:a.example.net"}]}, profile=JSEP)
    pc.setConfiguration({"iceServers": [{"urls": ["stun:a.example.net"]}]})
    assert pc.createOffer().ice_credentials == current_credentials(pc)


def test_with_jsep_needs_ice_restart_new_servers_before_any_sLD_do_not_restart() -> None:
    """JSEP §4.1.18: before gathering began, new servers just apply to the first gathering."""
    pc = RTCPeerConnection(profile=JSEP)
    pc.createDataChannel("chat")
    pc.setConfiguration(OTHER_SERVERS)
    pc.setLocalDescription()
    pc.setRemoteDescription(init(RemotePeer().answer(pc)))
    assert pc.createOffer().ice_credentials == current_credentials(pc)


def test_with_jsep_needs_ice_restart_applying_the_restart_offer_clears_it() -> None:
    """JSEP §3.5.1: needs-ice-restart "is cleared by ... setLocalDescription with new ICE credentials"."""
    pc, remote = negotiated(profile=JSEP)
    pc.setConfiguration(OTHER_SERVERS)
    pc.setLocalDescription(init(pc.createOffer()))
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert pc.createOffer().ice_credentials == current_credentials(pc)


def test_by_default_new_servers_after_sLD_do_not_change_the_offers_credentials() -> None:
    """webrtc-pc has no needs-ice-restart slot: setConfiguration step 9 waits for the next gathering phase."""
    pc, _remote = negotiated()
    pc.setConfiguration(OTHER_SERVERS)
    pc.setConfiguration({"iceTransportPolicy": "relay"})
    assert pc.createOffer().ice_credentials == current_credentials(pc)
    assert pc.local_ice_credentials_to_replace == frozenset()


# ---- the profile's reading of "generated" credentials -------------------------------------------------


def test_by_default_each_description_with_nothing_to_keep_gets_a_new_pair() -> None:
    """JSEP §5.2.1: an initial offer's credentials are generated; the spec profile generates them each time."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    assert pc.createOffer().ice_credentials.isdisjoint(pc.createOffer().ice_credentials)


def test_a_profile_that_reuses_generated_credentials_keeps_one_pair_until_a_restart() -> None:
    """JSEP §5.2.1 / §5.3.1 do not say whether two initial descriptions may share credentials
    (profile reuse_generated_credentials, as Firefox): they may, and an ICE restart still gets a new pair."""
    pc = RTCPeerConnection(profile=SPEC_PROFILE.but(reuse_generated_credentials=True))
    pc.createDataChannel("chat")
    first = pc.createOffer().ice_credentials
    assert pc.createOffer().ice_credentials == first
    pc.setLocalDescription()
    pc.setLocalDescription({"type": "rollback"})
    remote = RemotePeer()
    pc.setRemoteDescription(init(remote.offer(pc)))
    assert pc.createAnswer().ice_credentials == first  # the answer after a rollback, too
    pc.setLocalDescription()
    pc.setRemoteDescription(init(remote.offer(pc, ice_restart=True)))
    assert pc.createAnswer().ice_credentials.isdisjoint(first)


def test_with_jsep_needs_ice_restart_the_server_change_updates_the_negotiation_needed_flag() -> None:
    """Updating the negotiation-needed flag (§4.7.3): "internal changes within the implementation that affect
    negotiation" make the user agent update the flag. Setting needs-ice-restart is one (check if negotiation is
    needed step 1 counts it), so in stable negotiationneeded fires at once, and only once."""
    pc, _remote = negotiated(profile=JSEP)
    events = pc.negotiationneeded_events
    pc.setConfiguration(OTHER_SERVERS)
    assert pc.negotiation_needed
    assert pc.negotiationneeded_events == events + 1
    pc.setConfiguration({"iceServers": [{"urls": "stun:third.example.net"}]})
    assert pc.negotiationneeded_events == events + 1  # step 2.5: the flag is already set


def test_with_jsep_needs_ice_restart_a_server_change_while_negotiating_fires_once_stable() -> None:
    """Update the negotiation-needed flag step 2.3: outside stable the update waits for stable."""
    pc, remote = negotiated(profile=JSEP)
    pc.setLocalDescription(init(pc.createOffer()))
    events = pc.negotiationneeded_events
    pc.setConfiguration(OTHER_SERVERS)
    assert pc.negotiationneeded_events == events
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert pc.negotiationneeded_events == events + 1


# ---- setLocalDescription step 4.5: an answer made for an earlier offer -------------------------------------


def test_an_implicit_answer_after_a_new_restarting_remote_offer_is_made_for_that_offer() -> None:
    """setLocalDescription step 4.5: [[LastCreatedAnswer]] is used only while it still "accurately represents the
    answerer's system state"; after a new ICE-restarting remote offer it does not, so sLD() creates an answer for
    the new offer, with new credentials (JSEP §5.3.2), instead of applying the one made for the previous offer."""
    pc, remote = answered()
    old = current_credentials(pc)
    pc.setRemoteDescription(init(remote.offer(pc)))
    stale = pc.createAnswer()
    assert stale.ice_credentials == old
    pc.setRemoteDescription(init(remote.offer(pc, ice_restart=True)))
    pc.setLocalDescription()
    assert pc.signalingState == "stable"
    assert current_credentials(pc).isdisjoint(old)
    assert pc.currentLocalDescription is not None and pc.currentLocalDescription.sdp != stale.sdp


def test_an_implicit_answer_reuses_the_last_answer_while_the_offer_is_the_same() -> None:
    """setLocalDescription step 4.5: with nothing changed, sLD() applies [[LastCreatedAnswer]] itself."""
    pc, remote = answered()
    pc.setRemoteDescription(init(remote.offer(pc)))
    made = pc.createAnswer()
    pc.setLocalDescription()
    assert pc.currentLocalDescription == made


# ---- JSEP §5.10: a remote answer must agree with the local offer about restarting ICE -----------------------


def answer_with(credentials: IceCredentials, pc: RTCPeerConnection) -> dict[str, str]:
    """An answer to pc's pending offer (its m= sections) carrying `credentials`, whatever the offer says."""
    assert pc.pendingLocalDescription is not None
    offer = parse_sdp(pc.pendingLocalDescription.sdp)
    assert offer is not None
    media = tuple((m.kind, m.mid or str(i)) for i, m in enumerate(offer.media))
    return {"type": "answer", "sdp": write_sdp(session_id=5, version=9, media=media, credentials=credentials)}


def signaling_state(pc: RTCPeerConnection) -> str:
    return pc.signalingState


def remote_credentials(pc: RTCPeerConnection) -> IceCredentials:
    assert pc.currentRemoteDescription is not None
    (credentials,) = pc.currentRemoteDescription.ice_credentials
    return credentials


def test_an_answer_keeping_the_old_credentials_to_a_restarting_offer_is_InvalidAccessError() -> None:
    """JSEP §5.10: "If the current local description indicates an ICE restart but neither the ICE ufrag nor the
    password has changed from the previous remote description ... generate an error"; the content is invalid,
    so set a session description step 4.6.6 rejects with InvalidAccessError, and nothing changes."""
    pc, remote = negotiated()
    pc.setLocalDescription(init(pc.createOffer({"iceRestart": True})))
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription(answer_with(remote_credentials(pc), pc))
    assert (caught.value.name, caught.value.kind) == ("InvalidAccessError", "reject")
    assert "JSEP §5.10" in caught.value.spec
    assert pc.signalingState == "have-local-offer"
    pc.setRemoteDescription(init(remote.answer(pc)))  # the remote peer's own answer restarts too
    assert signaling_state(pc) == "stable"


def test_an_answer_with_new_credentials_to_an_offer_that_does_not_restart_is_InvalidAccessError() -> None:
    """JSEP §5.10: an answer whose ICE ufrag or password changed from the previous remote description, when the
    current local description is not an ICE restart: "generate an error" (InvalidAccessError, step 4.6.6)."""
    pc, remote = negotiated()
    pc.setLocalDescription(init(pc.createOffer()))
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription(answer_with(IceCredentials("newufrag", "n" * 24), pc))
    assert (caught.value.name, caught.value.kind) == ("InvalidAccessError", "reject")
    assert pc.signalingState == "have-local-offer"
    pc.setRemoteDescription(init(remote.answer(pc)))
    assert signaling_state(pc) == "stable"


def test_the_remote_peer_answers_a_restarting_offer_with_new_credentials() -> None:
    """JSEP §5.3.2: the answerer's credentials "MUST stay the same, unless the m= section is restarting, in which
    case new ICE credentials MUST be created"; the remote peer renews its own for a restart offer."""
    pc, remote = negotiated()
    assert pc.currentRemoteDescription is not None
    before = pc.currentRemoteDescription.ice_credentials
    pc.restartIce()
    pc.setLocalDescription()
    pranswer = remote.answer(pc, "pranswer")
    answer = remote.answer(pc)
    assert pranswer.ice_credentials.isdisjoint(before)
    assert answer.ice_credentials == pranswer.ice_credentials  # one restart, one new pair
    pc.setRemoteDescription(init(answer))
    assert pc.local_ice_credentials_to_replace == frozenset()
    pc.setLocalDescription()
    assert remote.answer(pc).ice_credentials == answer.ice_credentials  # no restart: kept


# ---- the profile's reading of a rolled-back offer's credentials ---------------------------------------------

KEEPS_ROLLED_BACK = SPEC_PROFILE.but(rolled_back_offer_credentials="with-candidate-pool")


def rolled_back_then_answering(profile: object, pool: int) -> tuple[RTCPeerConnection, frozenset[IceCredentials]]:
    """A connection whose first offer an implicit rollback discarded, now answering the remote peer's offer."""
    pc = RTCPeerConnection({"iceCandidatePoolSize": pool}, profile=profile)  # type: ignore[arg-type]
    pc.createDataChannel("chat")
    offer = pc.createOffer()
    pc.setLocalDescription(init(offer))
    pc.setRemoteDescription(init(RemotePeer().offer(pc)))  # setRemoteDescription step 3.1: rollback first
    return pc, offer.ice_credentials


def test_by_default_the_answer_after_a_rollback_gets_generated_credentials() -> None:
    """JSEP §5.7: what the abandoned offer allocated is discarded; the answer (JSEP §5.3.1) gets a new pair."""
    pc, rolled_back = rolled_back_then_answering(SPEC_PROFILE, pool=2)
    assert pc.createAnswer().ice_credentials.isdisjoint(rolled_back)


def test_a_profile_keeping_rolled_back_credentials_answers_with_them_while_it_has_a_pool() -> None:
    """JSEP §5.3.2 keeps an answer's credentials once any description "was previously supplied to
    setLocalDescription", and the rolled-back offer was (profile rolled_back_offer_credentials, as Chromium with
    an ICE candidate pool): every answer keeps them; without a pool the profile generates new ones."""
    pc, rolled_back = rolled_back_then_answering(KEEPS_ROLLED_BACK, pool=2)
    assert pc.createAnswer().ice_credentials == rolled_back
    assert pc.createAnswer().ice_credentials == rolled_back
    pc, rolled_back = rolled_back_then_answering(KEEPS_ROLLED_BACK, pool=0)
    assert pc.createAnswer().ice_credentials.isdisjoint(rolled_back)


def test_keeping_rolled_back_credentials_keeps_an_earlier_restartIce_requested() -> None:
    """restartIce() in have-local-offer puts the pending offer's credentials in [[LocalIceCredentialsToReplace]];
    an answer that keeps them does not empty it (set a session description, answer), so once stable
    negotiation is needed again (check if negotiation is needed step 2)."""
    pc = RTCPeerConnection({"iceCandidatePoolSize": 2}, profile=KEEPS_ROLLED_BACK)
    pc.createDataChannel("chat")
    pc.setLocalDescription()
    pc.restartIce()
    pc.setRemoteDescription(init(RemotePeer().offer(pc)))
    events = pc.negotiationneeded_events
    pc.setLocalDescription()
    assert pc.local_ice_credentials_to_replace
    assert pc.negotiationneeded_events == events + 1
