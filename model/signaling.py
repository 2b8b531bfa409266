"""The signaling state machine as data (webrtc-pc §4.3.1 RTCSignalingState, §4.4.1.4 "set a session
description"; JSEP RFC 9429 §3.2 and §5.5-§5.6). The table drives the model, the docs and the tests."""

from __future__ import annotations

from typing import Final, Literal

SignalingState = Literal[
    "stable", "have-local-offer", "have-remote-offer", "have-local-pranswer", "have-remote-pranswer", "closed"
]
Side = Literal["local", "remote"]

SIGNALING_STATES: Final[tuple[SignalingState, ...]] = (
    "stable",
    "have-local-offer",
    "have-remote-offer",
    "have-local-pranswer",
    "have-remote-pranswer",
    "closed",
)
SDP_TYPES: Final = ("offer", "pranswer", "answer", "rollback")

# (state, side, type) -> next state. A triple that is absent is "invalid for the current state": the
# operation rejects with InvalidStateError. "closed" has no row: a closed connection rejects everything.
TRANSITIONS: Final[dict[tuple[SignalingState, Side, str], SignalingState]] = {
    ("stable", "local", "offer"): "have-local-offer",
    ("stable", "remote", "offer"): "have-remote-offer",
    ("have-local-offer", "local", "offer"): "have-local-offer",
    ("have-local-offer", "local", "rollback"): "stable",
    ("have-local-offer", "remote", "pranswer"): "have-remote-pranswer",
    ("have-local-offer", "remote", "answer"): "stable",
    ("have-local-offer", "remote", "rollback"): "stable",
    ("have-remote-offer", "local", "pranswer"): "have-local-pranswer",
    ("have-remote-offer", "local", "answer"): "stable",
    ("have-remote-offer", "local", "rollback"): "stable",
    ("have-remote-offer", "remote", "offer"): "have-remote-offer",
    ("have-remote-offer", "remote", "rollback"): "stable",
    ("have-local-pranswer", "local", "pranswer"): "have-local-pranswer",
    ("have-local-pranswer", "local", "answer"): "stable",
    ("have-remote-pranswer", "remote", "pranswer"): "have-remote-pranswer",
    ("have-remote-pranswer", "remote", "answer"): "stable",
}

# set a session description step 2: rollback is refused outright in these states (webrtc-pc is stricter
# than JSEP §5.7, which allows rollback in any state but stable).
ROLLBACK_REFUSED_IN: Final = frozenset({"stable", "have-local-pranswer", "have-remote-pranswer"})
# create an offer step 1 / create an answer step 1.
CREATE_OFFER_ALLOWED_IN: Final = frozenset({"stable", "have-local-offer"})
CREATE_ANSWER_ALLOWED_IN: Final = frozenset({"have-remote-offer", "have-local-pranswer"})
# setLocalDescription step 4.1: with no type, "offer" in these states, "answer" elsewhere.
OFFER_INFERRED_IN: Final = frozenset({"stable", "have-local-offer", "have-remote-pranswer"})


def next_state(state: SignalingState, side: Side, sdp_type: str) -> SignalingState | None:
    """The state after applying a description, or None when the type is invalid in `state`."""
    return TRANSITIONS.get((state, side, sdp_type))
