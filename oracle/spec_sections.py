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
}


def observation_rule(observation: str, op: str) -> str:
    """The citation for `observation` after `op`, falling back to the op's own algorithm."""
    return OBSERVATION_RULE.get((observation, op)) or OBSERVATION_RULE.get((observation, "*")) or METHOD_SECTION[op]
