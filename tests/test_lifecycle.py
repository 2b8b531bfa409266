"""The lifecycle projection new / negotiating / restarting / closed (digest §9; model/lifecycle.py).

The spec has no such machine. The projection, first match wins: closed <=> [[IsClosed]]; restarting <=>
[[LocalIceCredentialsToReplace]] is not empty; negotiating <=> setLocalDescription has been called or the
signaling state is not "stable"; new otherwise. Every declared transition must be reachable through the
public API, and an undeclared one is a LifecycleError.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest

from peerspec.model import (
    LIFECYCLE_STATES,
    LIFECYCLE_TRANSITIONS,
    SPEC_PROFILE,
    LifecycleError,
    RemotePeer,
    RTCPeerConnection,
    SessionDescription,
    SpecError,
)
from peerspec.model.lifecycle import Lifecycle

APPLIED = SPEC_PROFILE.but(sld_called_when="applied")


def init(description: SessionDescription) -> dict[str, str]:
    return {"type": description.type, "sdp": description.sdp}


# ---- drivers: bring a connection to a lifecycle state, then make one call -------------------------------


def new() -> tuple[RTCPeerConnection, RemotePeer]:
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    return pc, RemotePeer()


def negotiating_after_a_remote_offer(profile: object = SPEC_PROFILE) -> tuple[RTCPeerConnection, RemotePeer]:
    pc, remote = RTCPeerConnection(profile=profile), RemotePeer()  # type: ignore[arg-type]
    pc.setRemoteDescription(init(remote.offer(pc)))
    return pc, remote


def negotiating() -> tuple[RTCPeerConnection, RemotePeer]:
    pc, remote = new()
    pc.setLocalDescription()
    pc.setRemoteDescription(init(remote.answer(pc)))
    return pc, remote


def restarting() -> tuple[RTCPeerConnection, RemotePeer]:
    pc, remote = negotiating()
    pc.restartIce()
    return pc, remote


def restarting_answerer() -> tuple[RTCPeerConnection, RemotePeer]:
    pc, remote = negotiating_after_a_remote_offer()
    pc.setLocalDescription()
    pc.restartIce()
    return pc, remote


def local_answer_to_a_remote_restart(pc: RTCPeerConnection, remote: RemotePeer) -> None:
    pc.setRemoteDescription(init(remote.offer(pc, ice_restart=True)))
    assert pc.lifecycle_state == "restarting"  # an offer does not clear the slot
    pc.setLocalDescription()


def remote_answer_to_a_restart_offer(pc: RTCPeerConnection, remote: RemotePeer) -> None:
    pc.setLocalDescription()
    assert pc.lifecycle_state == "restarting"
    pc.setRemoteDescription(init(remote.answer(pc)))


def restarting_with_the_first_offer_rolled_back() -> tuple[RTCPeerConnection, RemotePeer]:
    pc, remote = new()
    pc.setLocalDescription()
    pc.restartIce()
    pc.setLocalDescription({"type": "rollback"})  # the slot keeps the rolled-back offer's credentials
    return pc, remote


Setup = Callable[[], tuple[RTCPeerConnection, RemotePeer]]
Action = Callable[[RTCPeerConnection, RemotePeer], None]

# (trigger, source, dest) -> how the public API causes it.
DRIVERS: dict[tuple[str, str, str], tuple[Setup, Action]] = {
    ("setLocalDescription", "new", "negotiating"): (new, lambda pc, _r: pc.setLocalDescription()),
    ("setRemoteDescription", "new", "negotiating"): (new, lambda pc, r: pc.setRemoteDescription(init(r.offer(pc)))),
    ("setRemoteDescription", "negotiating", "new"): (
        negotiating_after_a_remote_offer,
        lambda pc, _r: pc.setRemoteDescription({"type": "rollback"}),
    ),
    ("setLocalDescription", "negotiating", "new"): (
        lambda: negotiating_after_a_remote_offer(APPLIED),
        lambda pc, _r: pc.setLocalDescription({"type": "rollback"}),
    ),
    ("restartIce", "negotiating", "restarting"): (negotiating, lambda pc, _r: pc.restartIce()),
    ("restartIce", "restarting", "negotiating"): (
        restarting_with_the_first_offer_rolled_back,
        lambda pc, _r: pc.restartIce(),
    ),
    ("setLocalDescription", "restarting", "negotiating"): (restarting_answerer, local_answer_to_a_remote_restart),
    ("setRemoteDescription", "restarting", "negotiating"): (restarting, remote_answer_to_a_restart_offer),
    ("close", "new", "closed"): (new, lambda pc, _r: pc.close()),
    ("close", "negotiating", "closed"): (negotiating, lambda pc, _r: pc.close()),
    ("close", "restarting", "closed"): (restarting, lambda pc, _r: pc.close()),
}

DECLARED = [(t.trigger, t.source, t.dest) for t in LIFECYCLE_TRANSITIONS]


def test_every_declared_transition_has_a_driver_here() -> None:
    """LIFECYCLE_TRANSITIONS: each entry must be shown reachable by a test below."""
    assert sorted(DECLARED) == sorted(DRIVERS)


@pytest.mark.parametrize(("trigger", "source", "dest"), DECLARED, ids=[f"{t}:{s}->{d}" for t, s, d in DECLARED])
def test_every_declared_transition_is_reachable_through_the_public_API(trigger: str, source: str, dest: str) -> None:
    """Digest §9.3: each transition of the projection, caused by the API call it names."""
    setup, action = DRIVERS[(trigger, source, dest)]
    pc, remote = setup()
    assert pc.lifecycle_state == source
    action(pc, remote)
    assert pc.lifecycle_state == dest


# ---- the projection along representative paths ---------------------------------------------------------


def test_a_new_connection_is_new() -> None:
    """Digest §9: new <=> not closed, setLocalDescription not called, signaling state "stable"."""
    pc = RTCPeerConnection()
    assert pc.lifecycle_state == "new"
    assert LIFECYCLE_STATES == ("new", "negotiating", "restarting", "closed")


def test_the_offerer_path_new_negotiating_restarting_negotiating_closed() -> None:
    """Digest §9.3: sLD(offer) -> negotiating; restartIce -> restarting; the restart's answer -> negotiating."""
    pc, remote = new()
    seen = [pc.lifecycle_state]
    pc.createOffer()
    seen.append(pc.lifecycle_state)  # createOffer changes no state
    pc.setLocalDescription()
    seen.append(pc.lifecycle_state)
    pc.setRemoteDescription(init(remote.answer(pc)))
    seen.append(pc.lifecycle_state)
    pc.restartIce()
    seen.append(pc.lifecycle_state)
    remote_answer_to_a_restart_offer(pc, remote)
    seen.append(pc.lifecycle_state)
    pc.close()
    seen.append(pc.lifecycle_state)
    assert seen == ["new", "new", "negotiating", "negotiating", "restarting", "negotiating", "closed"]


def test_restartIce_in_new_stays_new() -> None:
    """Digest §9.3: restartIce in new finds no local credentials, so the slot stays empty."""
    pc, _remote = new()
    pc.restartIce()
    assert pc.lifecycle_state == "new"


def test_restartIce_after_only_a_remote_offer_stays_negotiating() -> None:
    """Digest §9.3: no local description, so restartIce fills nothing."""
    pc, _remote = negotiating_after_a_remote_offer()
    pc.restartIce()
    assert pc.lifecycle_state == "negotiating"


def test_a_failed_setLocalDescription_moves_new_to_negotiating_in_the_invoked_profile() -> None:
    """set the configuration step 3.6 reading "invoked": a rejected sLD still counts as called."""
    pc, _remote = new()
    with pytest.raises(SpecError):
        pc.setLocalDescription({"type": "answer"})
    assert pc.lifecycle_state == "negotiating"


def test_a_failed_setLocalDescription_leaves_new_in_the_applied_profile() -> None:
    """set the configuration step 3.6 reading "applied": only a successful sLD counts."""
    pc = RTCPeerConnection(profile=APPLIED)
    with pytest.raises(SpecError):
        pc.setLocalDescription({"type": "answer"})
    assert pc.lifecycle_state == "new"


def test_setConfiguration_never_changes_the_lifecycle_state() -> None:
    """Digest §9.3: setConfiguration replaces the configuration and nothing else."""
    for setup in (new, negotiating, restarting):
        pc, _remote = setup()
        state = pc.lifecycle_state
        pc.setConfiguration({"iceServers": [{"urls": "stun:stun.example.net"}]})
        assert pc.lifecycle_state == state


@pytest.mark.parametrize("setup", [new, negotiating, restarting], ids=["new", "negotiating", "restarting"])
def test_closed_is_absorbing(setup: Setup) -> None:
    """close the connection step 1: once closed, nothing leaves closed."""
    pc, remote = setup()
    pc.close()
    attempts: list[Callable[[], object]] = [
        pc.restartIce,
        pc.close,
        pc.getConfiguration,
        pc.setLocalDescription,
        lambda: pc.setRemoteDescription(init(remote.offer(pc))),
        pc.createOffer,
        lambda: pc.setConfiguration({}),
    ]
    for attempt in attempts:
        with contextlib.suppress(SpecError):  # rejections are expected; only the state matters here
            attempt()
        assert pc.lifecycle_state == "closed"


def test_restarting_exactly_when_the_slot_is_not_empty() -> None:
    """Digest §9.2: restarting <=> [[LocalIceCredentialsToReplace]] is not empty (while open)."""
    pc, remote = new()
    path: list[Callable[[], object]] = [
        pc.restartIce,  # no local description: slot empty
        pc.setLocalDescription,
        pc.restartIce,  # slot: the pending offer's credentials
        lambda: pc.setRemoteDescription(init(remote.answer(pc))),  # a stale answer keeps them
        pc.setLocalDescription,  # the restart offer
        lambda: pc.setLocalDescription({"type": "rollback"}),  # rollback keeps the slot
        pc.setLocalDescription,
        lambda: pc.setRemoteDescription(init(remote.answer(pc))),  # the restart's answer clears it
        lambda: pc.setRemoteDescription(init(remote.offer(pc))),
        pc.restartIce,
        pc.setLocalDescription,  # our answer keeps the old credentials
    ]
    seen = []
    for step in path:
        step()
        seen.append(pc.lifecycle_state)
        assert (pc.lifecycle_state == "restarting") == bool(pc.local_ice_credentials_to_replace)
    assert "restarting" in seen
    assert "negotiating" in seen


# ---- undeclared transitions ----------------------------------------------------------------------------


def test_an_undeclared_transition_is_a_LifecycleError() -> None:
    """model/lifecycle.py: a projected change that LIFECYCLE_TRANSITIONS does not declare is a model bug."""
    with pytest.raises(LifecycleError):
        Lifecycle().follow("close", "restarting")


def test_a_declared_destination_through_the_wrong_trigger_is_a_LifecycleError() -> None:
    """model/lifecycle.py: new -> negotiating is declared for sLD and sRD, not for restartIce."""
    with pytest.raises(LifecycleError):
        Lifecycle().follow("restartIce", "negotiating")


def test_following_to_the_same_state_is_no_transition() -> None:
    """model/lifecycle.py: a call that leaves the projection where it was moves nothing."""
    lifecycle = Lifecycle()
    lifecycle.follow("anything", "new")
    assert lifecycle.state == "new"
