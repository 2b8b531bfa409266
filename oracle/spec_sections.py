"""Which part of the spec decides what, per op and per observation: the citations check and explain print when
the model has no error of its own to cite (its errors carry their step; see model/errors.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

# The ops whose result is a promise: their errors are rejections, their success "fulfills".
PROMISE_OPS: Final = frozenset(
    {"createOffer", "createAnswer", "setLocalDescription", "setRemoteDescription", "generateCertificate"}
)

# The algorithm each op runs (webrtc-pc §4.4, §4.9; JSEP RFC 9429 where webrtc-pc hands over to it).
METHOD_SECTION: Final[Mapping[str, str]] = {
    "construct": "the RTCPeerConnection constructor",
    "setConfiguration": "setConfiguration() steps 1-3 (set the configuration)",
    "getConfiguration": "getConfiguration()",
    "createOffer": "createOffer() (create an offer)",
    "createAnswer": "createAnswer() (create an answer)",
    "setLocalDescription": "setLocalDescription() (set a session description)",
    "setRemoteDescription": "setRemoteDescription() (set a session description)",
    "restartIce": "restartIce()",
    "close": "close() (close the connection)",
    "createDataChannel": "createDataChannel()",
    "generateCertificate": "generateCertificate()",
    "addTransceiver": "addTransceiver() (webrtc-pc §5.1)",
    "stopTransceiver": "RTCRtpTransceiver stop() (webrtc-pc §5.4)",
}

# The rule behind one observation of a successful step: (observation, op) -> citation; op "*" = any op.
OBSERVATION_RULE: Final[Mapping[tuple[str, str], str]] = {
    ("configuration", "getConfiguration"): (
        "set the configuration step 10: [[Configuration]] is replaced whole, every omitted member taking its"
        " default; getConfiguration() returns it"
    ),
    ("iceCredentials", "createOffer"): (
        "create an offer (JSEP §5.2.1): new ICE credentials only for an ICE restart"
        " ([[LocalIceCredentialsToReplace]] or iceRestart: true)"
    ),
    ("iceCredentials", "createAnswer"): (
        "create an answer (JSEP §5.3.1): new ICE credentials only when the remote offer restarts ICE"
    ),
    ("type", "createOffer"): 'create an offer: the description\'s type is "offer"',
    ("type", "createAnswer"): 'create an answer: the description\'s type is "answer"',
    ("label", "createDataChannel"): "createDataChannel(): the channel's label is the label argument (a USVString)",
    ("signalingState", "*"): "set a session description (JSEP §3.2 transitions) and close the connection step 3",
    ("negotiationneeded", "*"): "update the negotiation-needed flag (§4.7.3)",
    # Trace format v2's observations.
    ("media", "createOffer"): (
        "create an offer (JSEP §5.2.1-§5.2.2): an m= section per transceiver (a stopping or stopped one's with"
        " port 0 once negotiated, none before), then the data section; legacy offerToReceive<Kind> (webrtc-pc §11)"
    ),
    ("media", "createAnswer"): "create an answer (JSEP §5.3.1): the offer's m= sections, rejected ones with port 0",
    ("transceiver", "addTransceiver"): (
        "addTransceiver() steps 10-13: kind as given, [[Direction]] from init.direction (default sendrecv), mid null"
    ),
    ("descriptions", "*"): (
        "the description attributes (webrtc-pc §4.4.3): set a session description moves pending and current;"
        " localDescription/remoteDescription are the pending one if any, else the current one"
    ),
    ("signalingstatechange", "*"): "set a session description: fire signalingstatechange when the state changed",
    ("iceStates", "*"): (
        'constructor steps 20-22 ([[IceGatheringState]], [[IceConnectionState]], [[ConnectionState]] "new") and'
        ' close the connection steps 10-11 ("closed")'
    ),
    ("canTrickleIceCandidates", "*"): (
        "canTrickleIceCandidates: null before a remote description, then whether it has a=ice-options:trickle"
        " (JSEP §4.1.17)"
    ),
    ("transceivers", "*"): (
        "the set of transceivers (getTransceivers()): addTransceiver, legacy offerToReceive<Kind> (webrtc-pc §11),"
        ' [[Mid]] set by set a session description, direction "stopped" once [[Stopping]] (§5.4)'
    ),
}


def observation_rule(observation: str, op: str) -> str:
    """The citation for `observation` after `op`, falling back to the op's own algorithm."""
    return OBSERVATION_RULE.get((observation, op)) or OBSERVATION_RULE.get((observation, "*")) or METHOD_SECTION[op]
