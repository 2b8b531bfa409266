"""The read-only attributes of RTCPeerConnection a script can observe after a step, as far as a pure model can
decide them (webrtc-pc §4.4.3 "Attributes"):

- the six description attributes: [[PendingLocalDescription]], [[CurrentLocalDescription]] and the remote two, and
  localDescription / remoteDescription, which return the pending one if not null, else the current one;
- iceGatheringState, iceConnectionState, connectionState: "new" from the constructor (steps 20-22) for as long as
  the ICE agent has nothing to do (no description applied, no candidate pool); close sets the last two to "closed"
  (close the connection steps 10-11) and leaves iceGatheringState alone. Once gathering or checking may have begun,
  the value depends on the network and timing: the model does not decide it (None);
- canTrickleIceCandidates: null until a remote description is set, then whether it has a=ice-options:trickle
  (JSEP §4.1.17): this model reads it from remoteDescription, so a rolled-back first remote offer makes it null again.
"""

from __future__ import annotations

from typing import Final

from peerspec.model.peer_connection import RTCPeerConnection
from peerspec.model.sdp import SessionDescription, parse_sdp

DESCRIPTION_ATTRIBUTES: Final = (
    "localDescription",
    "currentLocalDescription",
    "pendingLocalDescription",
    "remoteDescription",
    "currentRemoteDescription",
    "pendingRemoteDescription",
)
UNDECIDED: Final = None  # a state the model does not decide


def description_types(pc: RTCPeerConnection) -> dict[str, str | None]:
    """Each description attribute's type, or None for null."""
    return {name: _type_of(getattr(pc, name)) for name in DESCRIPTION_ATTRIBUTES}


def _type_of(description: SessionDescription | None) -> str | None:
    return description.type if description is not None else None


def ice_states(pc: RTCPeerConnection) -> dict[str, str]:
    """iceGatheringState, iceConnectionState and connectionState, only those the model decides."""
    decided: dict[str, str] = {}
    if pc.ice_agent_idle:
        decided["iceGatheringState"] = "new"
    if pc.is_closed:
        decided["iceConnectionState"] = decided["connectionState"] = "closed"
    elif pc.ice_agent_idle:
        decided["iceConnectionState"] = decided["connectionState"] = "new"
    return decided


def can_trickle_ice_candidates(pc: RTCPeerConnection) -> bool | None:
    remote = pc.remoteDescription
    if remote is None:
        return None
    parsed = parse_sdp(remote.sdp)
    return parsed is not None and parsed.trickle
