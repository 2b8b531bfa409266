"""The signaling state machine as the public API drives it (webrtc-pc §4.4.1.4 "set a session description",
setLocalDescription and setRemoteDescription, create an offer / create an answer, close the connection;
JSEP RFC 9429 §3.2, §5.5-§5.7), with a RemotePeer supplying the remote descriptions.

The expected table below is the digest's §7.4 table, written from the ED's words; it is typed here, not
imported from model.signaling, so that the test checks the model against the spec and not against itself.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from peerspec.model import DOMException, RemotePeer, RTCPeerConnection, SessionDescription, SpecError

STATES = ("stable", "have-local-offer", "have-remote-offer", "have-local-pranswer", "have-remote-pranswer")
CALLS = [(side, sdp_type) for side in ("local", "remote") for sdp_type in ("offer", "pranswer", "answer", "rollback")]

# (state, side, type) -> the state after the call; a missing cell rejects with InvalidStateError.
SPEC_TABLE: dict[tuple[str, str, str], str] = {
    ("stable", "local", "offer"): "have-local-offer",
    ("stable", "remote", "offer"): "have-remote-offer",
    ("have-local-offer", "local", "offer"): "have-local-offer",  # a re-offer
    ("have-local-offer", "local", "rollback"): "stable",
    ("have-local-offer", "remote", "offer"): "have-remote-offer",  # implicit rollback, then the offer
    ("have-local-offer", "remote", "pranswer"): "have-remote-pranswer",
    ("have-local-offer", "remote", "answer"): "stable",
    ("have-local-offer", "remote", "rollback"): "stable",
    ("have-remote-offer", "local", "pranswer"): "have-local-pranswer",
    ("have-remote-offer", "local", "answer"): "stable",
    ("have-remote-offer", "local", "rollback"): "stable",
    ("have-remote-offer", "remote", "offer"): "have-remote-offer",  # a re-offer
    ("have-remote-offer", "remote", "rollback"): "stable",
    ("have-local-pranswer", "local", "pranswer"): "have-local-pranswer",
    ("have-local-pranswer", "local", "answer"): "stable",
    ("have-remote-pranswer", "remote", "pranswer"): "have-remote-pranswer",
    ("have-remote-pranswer", "remote", "answer"): "stable",
}

# The steps that reject InvalidStateError because of the signaling state. The failure task of "set a
# session description" ("type is invalid for the current [[SignalingState]]") is matched on its algorithm
# name only: its step number is pinned by test_an_invalid_type_cites_the_failure_task_of_step_4 below.
CREATE_AN_OFFER_STEP_1 = "create an offer step 1"
CREATE_AN_ANSWER_STEP_1 = "create an answer step 1"
ROLLBACK_REFUSED = "set a session description step 2"
INVALID_FOR_STATE = "set a session description step"


def init(description: SessionDescription) -> dict[str, str]:
    """What a script passes: {type, sdp} of a description."""
    return {"type": description.type, "sdp": description.sdp}


def connection_in(state: str) -> tuple[RTCPeerConnection, RemotePeer]:
    """A connection driven into `state` through the public API only."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.createDataChannel("chat")
    if state == "have-local-offer":
        pc.setLocalDescription()
    elif state == "have-remote-offer":
        pc.setRemoteDescription(init(remote.offer(pc)))
    elif state == "have-local-pranswer":
        pc.setRemoteDescription(init(remote.offer(pc)))
        pc.setLocalDescription({"type": "pranswer"})
    elif state == "have-remote-pranswer":
        pc.setLocalDescription()
        pc.setRemoteDescription(init(remote.answer(pc, "pranswer")))
    elif state == "closed":
        pc.close()
    assert pc.signalingState == state
    return pc, remote


def call(pc: RTCPeerConnection, remote: RemotePeer, side: str, sdp_type: str) -> None:
    """sLD({type}) lets setLocalDescription create the SDP (steps 4.4-4.5); sRD gets the remote peer's SDP."""
    if side == "local":
        pc.setLocalDescription({"type": sdp_type})
    elif sdp_type == "offer":
        pc.setRemoteDescription(init(remote.offer(pc)))
    elif sdp_type in ("answer", "pranswer"):
        pc.setRemoteDescription(init(remote.answer(pc, sdp_type)))
    else:
        pc.setRemoteDescription({"type": "rollback"})


def expected_rejection_steps(state: str, side: str, sdp_type: str) -> tuple[str, ...]:
    """Which step rejects, by the spec's words (setLocalDescription 4.4-4.5, setRemoteDescription 3.1)."""
    if sdp_type == "rollback":
        return (ROLLBACK_REFUSED,)
    if side == "remote" and sdp_type == "offer":  # the implicit rollback is refused in the pranswer states
        return (ROLLBACK_REFUSED,)
    if side == "remote":
        return (INVALID_FOR_STATE,)
    if sdp_type == "offer":
        # With no sdp, sLD uses [[LastCreatedOffer]] if it still represents the offerer's state (then the
        # type is invalid for the state), else it creates an offer (create an offer step 1).
        return (CREATE_AN_OFFER_STEP_1, INVALID_FOR_STATE)
    return (CREATE_AN_ANSWER_STEP_1,)  # [[LastCreatedAnswer]] is "" in every such state


# ---- the whole table --------------------------------------------------------------------------------


@pytest.mark.parametrize(("side", "sdp_type"), CALLS)
@pytest.mark.parametrize("state", STATES)
def test_every_cell_of_the_signaling_table(state: str, side: str, sdp_type: str) -> None:
    """set a session description (§4.4.1.4) and JSEP §5.5-§5.6: the state after each call, or InvalidStateError."""
    pc, remote = connection_in(state)
    expected = SPEC_TABLE.get((state, side, sdp_type))
    if expected is not None:
        call(pc, remote, side, sdp_type)
        assert pc.signalingState == expected
        return
    with pytest.raises(SpecError) as caught:
        call(pc, remote, side, sdp_type)
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")
    assert caught.value.spec.startswith(expected_rejection_steps(state, side, sdp_type))
    assert pc.signalingState == state


@pytest.mark.parametrize(("side", "sdp_type"), CALLS)
def test_every_description_call_on_a_closed_connection_rejects_InvalidStateError(side: str, sdp_type: str) -> None:
    """chain an operation: "If connection.[[IsClosed]] is true, return a promise rejected with InvalidStateError"."""
    pc, remote = connection_in("closed")
    with pytest.raises(SpecError) as caught:
        call(pc, remote, side, sdp_type)
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")
    assert caught.value.spec.startswith("chain an operation step")
    assert pc.signalingState == "closed"


def test_a_closed_connection_rejects_from_step_2_of_chain_an_operation() -> None:
    """chain an operation step 2."""
    pc, remote = connection_in("closed")
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription(init(remote.offer(pc)))
    assert caught.value.spec.startswith("chain an operation step 2")


def test_an_invalid_type_cites_the_failure_task_of_step_4() -> None:
    """set a session description step 4.6.2: the type "is invalid for the current [[SignalingState]]"."""
    pc, remote = connection_in("stable")
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription(init(remote.answer(pc)))
    assert caught.value.spec.startswith("set a session description step 4.")


# ---- example paths of the ED --------------------------------------------------------------------------


def test_the_callers_path_offer_pranswer_answer() -> None:
    """RTCSignalingState: stable -> have-local-offer -> have-remote-pranswer -> stable."""
    pc, remote = connection_in("stable")
    seen = []
    pc.setLocalDescription(init(pc.createOffer()))
    seen.append(pc.signalingState)
    pc.setRemoteDescription(init(remote.answer(pc, "pranswer")))
    seen.append(pc.signalingState)
    pc.setRemoteDescription(init(remote.answer(pc)))
    seen.append(pc.signalingState)
    assert seen == ["have-local-offer", "have-remote-pranswer", "stable"]


def test_the_callees_path_offer_pranswer_answer() -> None:
    """RTCSignalingState: stable -> have-remote-offer -> have-local-pranswer -> stable."""
    pc, remote = connection_in("stable")
    seen = []
    pc.setRemoteDescription(init(remote.offer(pc)))
    seen.append(pc.signalingState)
    answer = pc.createAnswer()
    pc.setLocalDescription({"type": "pranswer", "sdp": answer.sdp})
    seen.append(pc.signalingState)
    pc.setLocalDescription({"type": "answer", "sdp": answer.sdp})
    seen.append(pc.signalingState)
    assert seen == ["have-remote-offer", "have-local-pranswer", "stable"]


def test_an_answer_makes_the_pending_descriptions_current() -> None:
    """set a session description step 4.7.6.2: a remote answer completes the exchange."""
    pc, remote = connection_in("have-local-offer")
    offer = pc.pendingLocalDescription
    answer = remote.answer(pc)
    pc.setRemoteDescription(init(answer))
    assert (pc.currentLocalDescription, pc.currentRemoteDescription) == (offer, answer)
    assert (pc.pendingLocalDescription, pc.pendingRemoteDescription) == (None, None)


# ---- rollback -------------------------------------------------------------------------------------


def test_a_remote_offer_in_have_local_offer_rolls_back_implicitly() -> None:
    """setRemoteDescription step 3.1: an offer invalid for the state first sets {type: "rollback"} locally."""
    pc, remote = connection_in("have-local-offer")
    offer = remote.offer(pc)
    pc.setRemoteDescription(init(offer))
    assert pc.signalingState == "have-remote-offer"
    assert pc.pendingLocalDescription is None
    assert pc.pendingRemoteDescription == offer


@pytest.mark.parametrize("state", ["have-local-pranswer", "have-remote-pranswer"])
def test_the_implicit_rollback_is_refused_in_the_pranswer_states(state: str) -> None:
    """setRemoteDescription step 3.1, then set a session description step 2 refuses the rollback."""
    pc, remote = connection_in(state)
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription(init(remote.offer(pc)))
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")
    assert caught.value.spec.startswith(ROLLBACK_REFUSED)


@pytest.mark.parametrize("state", ["stable", "have-local-pranswer", "have-remote-pranswer"])
@pytest.mark.parametrize("side", ["local", "remote"])
def test_rollback_is_refused_in_stable_and_the_pranswer_states(state: str, side: str) -> None:
    """set a session description step 2 (stricter than JSEP §5.7)."""
    pc, remote = connection_in(state)
    with pytest.raises(SpecError) as caught:
        call(pc, remote, side, "rollback")
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")
    assert caught.value.spec.startswith(ROLLBACK_REFUSED)


def test_a_rollback_discards_both_pending_descriptions() -> None:
    """set a session description step 4.7.12: rollback sets the pending descriptions to null, state stable."""
    pc, _remote = connection_in("have-remote-offer")
    pc.setLocalDescription({"type": "rollback"})
    assert (pc.pendingLocalDescription, pc.pendingRemoteDescription, pc.signalingState) == (None, None, "stable")


# ---- setLocalDescription: type inference and modified SDP ---------------------------------------------


@pytest.mark.parametrize(
    ("state", "after"),
    [
        ("stable", "have-local-offer"),  # inferred "offer"
        ("have-local-offer", "have-local-offer"),  # inferred "offer": a re-offer
        ("have-remote-offer", "stable"),  # inferred "answer"
        ("have-local-pranswer", "stable"),  # inferred "answer"
    ],
)
def test_setLocalDescription_without_a_type_infers_it_from_the_state(state: str, after: str) -> None:
    """setLocalDescription step 4.1: "offer" in stable, have-local-offer, have-remote-pranswer; else "answer"."""
    pc, _remote = connection_in(state)
    pc.setLocalDescription()
    assert pc.signalingState == after
    description = pc.pendingLocalDescription or pc.currentLocalDescription
    assert description is not None
    assert description.type == ("offer" if after == "have-local-offer" else "answer")


def test_an_inferred_offer_in_have_remote_pranswer_rejects_InvalidStateError() -> None:
    """setLocalDescription step 4.1 infers "offer" in have-remote-pranswer, which that state does not allow."""
    pc, _remote = connection_in("have-remote-pranswer")
    with pytest.raises(SpecError) as caught:
        pc.setLocalDescription()
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")
    assert caught.value.spec.startswith((CREATE_AN_OFFER_STEP_1, INVALID_FOR_STATE))


def test_setLocalDescription_with_a_modified_offer_rejects_InvalidModificationError() -> None:
    """setLocalDescription step 4.2: sdp is not "" and differs from [[LastCreatedOffer]]."""
    pc, _remote = connection_in("stable")
    offer = pc.createOffer()
    with pytest.raises(SpecError) as caught:
        pc.setLocalDescription({"type": "offer", "sdp": offer.sdp.replace("s=-", "s=modified")})
    assert (caught.value.name, caught.value.kind) == ("InvalidModificationError", "reject")
    assert caught.value.spec.startswith("setLocalDescription step 4.2")


def test_setLocalDescription_with_a_modified_answer_rejects_InvalidModificationError() -> None:
    """setLocalDescription step 4.3: sdp is not "" and differs from [[LastCreatedAnswer]]."""
    pc, _remote = connection_in("have-remote-offer")
    answer = pc.createAnswer()
    for sdp_type in ("answer", "pranswer"):
        with pytest.raises(SpecError) as caught:
            pc.setLocalDescription({"type": sdp_type, "sdp": answer.sdp + "a=x:y\r\n"})
        assert (caught.value.name, caught.value.kind) == ("InvalidModificationError", "reject")
        assert caught.value.spec.startswith("setLocalDescription step 4.3")
    assert pc.signalingState == "have-remote-offer"


@pytest.mark.parametrize("state", ["have-remote-offer", "have-local-pranswer", "have-remote-pranswer"])
def test_a_modified_offer_is_InvalidModificationError_before_the_state_check(state: str) -> None:
    """setLocalDescription step 4.2 runs before set a session description can find the type invalid."""
    pc, _remote = connection_in(state)
    with pytest.raises(SpecError) as caught:
        pc.setLocalDescription({"type": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"})
    assert caught.value.name == "InvalidModificationError"


def test_a_modified_answer_in_stable_is_InvalidModificationError_before_the_state_check() -> None:
    """setLocalDescription step 4.3 runs before create an answer / set a session description."""
    pc, _remote = connection_in("stable")
    with pytest.raises(SpecError) as caught:
        pc.setLocalDescription({"type": "answer", "sdp": "v=0\r\n"})
    assert caught.value.name == "InvalidModificationError"


def test_setLocalDescription_with_the_created_offer_unchanged_applies_it() -> None:
    """setLocalDescription step 4.6: the sdp equals [[LastCreatedOffer]]."""
    pc, _remote = connection_in("stable")
    offer = pc.createOffer()
    pc.setLocalDescription(init(offer))
    assert pc.pendingLocalDescription == offer


# ---- createOffer / createAnswer -----------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_createOffer_is_allowed_only_in_stable_and_have_local_offer(state: str) -> None:
    """create an offer step 1: neither "stable" nor "have-local-offer" rejects InvalidStateError."""
    pc, _remote = connection_in(state)
    if state in ("stable", "have-local-offer"):
        assert pc.createOffer().type == "offer"
        assert pc.signalingState == state  # createOffer changes no state (JSEP §4.1.8)
        return
    with pytest.raises(SpecError) as caught:
        pc.createOffer()
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")
    assert caught.value.spec.startswith(CREATE_AN_OFFER_STEP_1)


@pytest.mark.parametrize("state", STATES)
def test_createAnswer_is_allowed_only_in_have_remote_offer_and_have_local_pranswer(state: str) -> None:
    """create an answer step 1: neither "have-remote-offer" nor "have-local-pranswer" rejects InvalidStateError."""
    pc, _remote = connection_in(state)
    if state in ("have-remote-offer", "have-local-pranswer"):
        assert pc.createAnswer().type == "answer"
        assert pc.signalingState == state
        return
    with pytest.raises(SpecError) as caught:
        pc.createAnswer()
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")
    assert caught.value.spec.startswith(CREATE_AN_ANSWER_STEP_1)


# ---- setRemoteDescription content errors ----------------------------------------------------------------


@pytest.mark.parametrize("sdp", ["garbage", "", "v=1\r\n", "v=0\r\nnot a line\r\n"])
def test_setRemoteDescription_with_text_that_is_not_SDP_rejects_with_sdp_syntax_error(sdp: str) -> None:
    """set a session description (failure task): not valid SDP syntax -> RTCError, errorDetail "sdp-syntax-error"."""
    pc, _remote = connection_in("stable")
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": "offer", "sdp": sdp})
    assert (caught.value.name, caught.value.kind) == ("OperationError", "reject")
    assert isinstance(caught.value, DOMException)
    assert caught.value.detail == "sdp-syntax-error"
    assert caught.value.spec.startswith("set a session description step")
    assert pc.signalingState == "stable"


def test_an_invalid_type_for_the_state_is_reported_before_an_SDP_syntax_error() -> None:
    """set a session description (failure task): the state check comes before the SDP syntax check."""
    pc, _remote = connection_in("stable")
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": "answer", "sdp": "garbage"})
    assert caught.value.name == "InvalidStateError"


def test_a_remote_description_without_rtcp_mux_rejects_InvalidAccessError() -> None:
    """set a session description (failure task): remote, rtcpMuxPolicy "require", and no RTCP mux."""
    pc, _remote = connection_in("stable")
    sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    sdp += "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=mid:0\r\n"
    with pytest.raises(SpecError) as caught:
        pc.setRemoteDescription({"type": "offer", "sdp": sdp})
    assert (caught.value.name, caught.value.kind) == ("InvalidAccessError", "reject")


# ---- a closed connection ------------------------------------------------------------------------------


def test_close_sets_the_state_to_closed_and_fires_no_signalingstatechange() -> None:
    """close the connection step 3: [[SignalingState]] = "closed"; "This does not fire any event"."""
    pc, _remote = connection_in("have-local-offer")
    # The model counts fired signalingstatechange events in its slots; there is no public view of it.
    before = pc._slots.signalingstatechange_events
    pc.close()
    assert pc.signalingState == "closed"
    assert pc._slots.signalingstatechange_events == before


def test_signalingstatechange_fires_when_the_state_changes() -> None:
    """set a session description step 4.7.15: "If [[SignalingState]] changed above, fire an event"."""
    pc, _remote = connection_in("stable")
    pc.setLocalDescription()
    assert pc._slots.signalingstatechange_events == 1
    pc.setLocalDescription()  # a re-offer: have-local-offer again, no change
    assert pc._slots.signalingstatechange_events == 1


def test_setConfiguration_on_a_closed_connection_throws_InvalidStateError() -> None:
    """setConfiguration step 2 (a throw, not a rejection)."""
    pc, _remote = connection_in("closed")
    with pytest.raises(SpecError) as caught:
        pc.setConfiguration({})
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "throw")
    assert caught.value.spec.startswith("setConfiguration step 2")


@pytest.mark.parametrize(
    ("method", "step"),
    [
        (lambda pc: pc.createOffer(), "createOffer step 2"),
        (lambda pc: pc.createAnswer(), "createAnswer step 2"),
        (lambda pc: pc.createOffer({"iceRestart": True}), "createOffer step 2"),
    ],
    ids=["createOffer", "createAnswer", "createOffer-iceRestart"],
)
def test_createOffer_and_createAnswer_on_a_closed_connection_reject_InvalidStateError(
    method: Callable[[RTCPeerConnection], object], step: str
) -> None:
    """createOffer step 2, createAnswer step 2: a rejected promise, not a throw."""
    pc, _remote = connection_in("closed")
    with pytest.raises(SpecError) as caught:
        method(pc)
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")
    assert caught.value.spec.startswith(step)


def test_setLocalDescription_with_no_argument_on_a_closed_connection_rejects_InvalidStateError() -> None:
    """chain an operation: [[IsClosed]] rejects InvalidStateError before the operation runs."""
    pc, _remote = connection_in("closed")
    with pytest.raises(SpecError) as caught:
        pc.setLocalDescription()
    assert (caught.value.name, caught.value.kind) == ("InvalidStateError", "reject")


def test_restartIce_getConfiguration_and_a_second_close_succeed_silently_when_closed() -> None:
    """restartIce and getConfiguration have no closed check; close the connection step 1 aborts when closed."""
    pc, _remote = connection_in("have-local-offer")
    configuration = pc.getConfiguration()
    pc.close()
    events = pc.negotiationneeded_events
    pc.restartIce()
    assert pc.getConfiguration() == configuration
    pc.close()
    assert pc.signalingState == "closed"
    assert pc.negotiationneeded_events == events


def test_close_keeps_the_descriptions() -> None:
    """close the connection: it leaves the description slots untouched."""
    pc, _remote = connection_in("have-local-offer")
    pending = pc.pendingLocalDescription
    pc.close()
    assert pc.pendingLocalDescription == pending
