"""The finite operation alphabets `peerspec explore` searches with: each operation is one call a script makes, written
as a trace step (op and args in trace format v1, tags included), so any path through the state graph is a trace.

The default alphabet holds one representative of every class of call the stateful machine (properties/stateful.py)
draws from unbounded strategies: valid configurations, each class of invalid one (a WebIDL TypeError, a SyntaxError
from a URL or an empty urls list, an InvalidAccessError from a TURN server without credentials), each change of a
member set the configuration step 3 fixes (the certificate count, bundlePolicy, iceCandidatePoolSize after sLD;
rtcpMuxPolicy has one value, so its change is a WebIDL TypeError), and every offer / answer / pranswer / rollback /
restart / remote offer / data channel / close call. `restarts` adds the offers that restart ICE (createOffer with
iceRestart, a remote offer with new credentials) and still closes; `full` adds the rest of the stateful machine's
kinds of call (another certificate, SDP given back by value, stale or modified).
Every trace starts with ALPHABET_PRELUDE, two certificates for the configurations to name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final


@dataclass(frozen=True)
class Operation:
    label: str  # how graphs and coverage name it
    op: str  # the trace op
    args: Mapping[str, object] = field(default_factory=dict, hash=False)  # trace args, tags unresolved


ECDSA: Final = {"name": "ECDSA", "namedCurve": "P-256"}
ALPHABET_PRELUDE: Final[tuple[Operation, ...]] = (
    Operation("generateCertificate c1", "generateCertificate", {"keygenAlgorithm": ECDSA, "name": "c1"}),
    Operation("generateCertificate c2", "generateCertificate", {"keygenAlgorithm": ECDSA, "name": "c2"}),
)

STUN: Final = {"iceServers": [{"urls": "stun:stun.example.invalid"}]}
WITH_CERTIFICATE: Final = {"certificates": [{"$certificate": "c1"}], "bundlePolicy": "max-bundle"}


def _configure(label: str, configuration: object) -> Operation:
    return Operation(f"setConfiguration({label})", "setConfiguration", {"configuration": configuration})


def _construct(label: str, configuration: object | None) -> Operation:
    args = {} if configuration is None else {"configuration": configuration}
    return Operation(f"construct({label})", "construct", args)


def _local(label: str, description: object | None) -> Operation:
    args = {} if description is None else {"description": description}
    return Operation(f"sLD({label})", "setLocalDescription", args)


def _remote(label: str, description: object) -> Operation:
    return Operation(f"sRD({label})", "setRemoteDescription", {"description": description})


CONSTRUCT_VALID: Final = (
    _construct("", None),
    _construct("certificate, max-bundle", WITH_CERTIFICATE),
)
CONSTRUCT_INVALID: Final = (
    _construct("TypeError: pool 256", {"iceCandidatePoolSize": 256}),
    _construct("SyntaxError: URL path", {"iceServers": [{"urls": "stun:stun.example.invalid/x"}]}),
    _construct("InvalidAccessError: TURN without credentials", {"iceServers": [{"urls": "turn:turn.example.invalid"}]}),
)
# Valid changes: {} keeps the default configuration (a success that changes nothing); "stun, pool 1" changes the
# servers and the pool size, so it succeeds before setLocalDescription and fails (step 3.6) after it, as does {}
# from there. The two configurations double the state space; more valid ones would multiply it again (`full`).
CONFIGURATION_VALID: Final = (
    _configure("defaults", {}),
    _configure("stun, pool 1", {**STUN, "iceCandidatePoolSize": 1}),
)
CONFIGURATION_INVALID: Final = (
    _configure("TypeError: pool 256", {"iceCandidatePoolSize": 256}),
    _configure("SyntaxError: empty urls", {"iceServers": [{"urls": []}]}),
    _configure("InvalidAccessError: TURN without credentials", {"iceServers": [{"urls": "turn:turn.example.invalid"}]}),
)
CONFIGURATION_IMMUTABLE: Final = (
    _configure("change bundlePolicy", {"bundlePolicy": "max-compat"}),
    _configure("change certificate count", {"certificates": [{"$certificate": "c2"}]}),
    _configure("change rtcpMuxPolicy", {"rtcpMuxPolicy": "negotiate"}),  # its only value: a WebIDL TypeError
)
CONFIGURATION_MORE: Final = (
    _configure("stun", STUN),
    _configure("relay", {"iceTransportPolicy": "relay"}),
    _configure("pool 1", {"iceCandidatePoolSize": 1}),
    _configure("other certificate", {**WITH_CERTIFICATE, "certificates": [{"$certificate": "c2"}]}),
)
SIGNALING: Final = (
    Operation("createOffer()", "createOffer"),
    Operation("createAnswer()", "createAnswer"),
    _local("", None),
    _local("pranswer", {"type": "pranswer"}),
    _local("rollback", {"type": "rollback"}),
    _remote("remote offer", {"$remote": "offer"}),
    _remote("remote answer", {"$remote": "answer"}),
    _remote("remote pranswer", {"$remote": "pranswer"}),
    _remote("rollback", {"type": "rollback"}),
    Operation("restartIce()", "restartIce"),
    Operation('createDataChannel("chat")', "createDataChannel", {"label": "chat"}),
    Operation("close()", "close"),
)
SIGNALING_MORE: Final = (
    Operation("createOffer(iceRestart)", "createOffer", {"options": {"iceRestart": True}}),
    _local("last offer", {"type": "offer", "sdp": {"$sdp": "last-offer"}}),
    _local("last answer", {"type": "answer", "sdp": {"$sdp": "last-answer"}}),
    _local("last answer as pranswer", {"type": "pranswer", "sdp": {"$sdp": "last-answer"}}),
    _local("modified offer", {"type": "offer", "sdp": "v=0\r\n"}),
    _remote("remote offer, iceRestart", {"$remote": "offer", "iceRestart": True}),
    _remote("not SDP", {"type": "offer", "sdp": "this is not SDP"}),
)
GET_CONFIGURATION: Final = Operation("getConfiguration()", "getConfiguration")

ALPHABETS: Final[Mapping[str, tuple[Operation, ...]]] = {
    # One of each: the default construct and three invalid ones, a valid, each class of invalid and each
    # immutable-member setConfiguration, getConfiguration, and every signaling, restart, channel and close call.
    "default": (
        CONSTRUCT_VALID[0],
        *CONSTRUCT_INVALID,
        *CONFIGURATION_VALID,
        *CONFIGURATION_INVALID,
        *CONFIGURATION_IMMUTABLE,
        GET_CONFIGURATION,
        *SIGNALING,
    ),
    # The default alphabet and both ways of restarting ICE by offer: createOffer({iceRestart: true}) and a remote
    # offer with new credentials. It closes too (23,972 states in the spec profile, depth 18), in about five
    # times the default's time, so it is not the default (NOTES.md, "Exhaustive exploration and coverage").
    "restarts": (
        CONSTRUCT_VALID[0],
        *CONSTRUCT_INVALID,
        *CONFIGURATION_VALID,
        *CONFIGURATION_INVALID,
        *CONFIGURATION_IMMUTABLE,
        GET_CONFIGURATION,
        *SIGNALING,
        SIGNALING_MORE[0],  # createOffer(iceRestart)
        SIGNALING_MORE[5],  # remote offer, iceRestart
    ),
    # The signaling machine alone, one configuration.
    "signaling": (CONSTRUCT_VALID[0], *SIGNALING),
    # Everything: also a construct with a certificate, more valid configurations, offers with iceRestart, remote
    # ICE restarts, descriptions given by their SDP (stale ones included) and SDP that is not SDP. Too big to close
    # in a minute: explore it with --depth.
    "full": (
        *CONSTRUCT_VALID,
        *CONSTRUCT_INVALID,
        *CONFIGURATION_VALID,
        *CONFIGURATION_MORE,
        *CONFIGURATION_INVALID,
        *CONFIGURATION_IMMUTABLE,
        GET_CONFIGURATION,
        *SIGNALING,
        *SIGNALING_MORE,
    ),
    # Small enough to explore in a test: the local offerer's side.
    "small": (
        CONSTRUCT_VALID[0],
        Operation('createDataChannel("chat")', "createDataChannel", {"label": "chat"}),
        _local("", None),
        _remote("remote answer", {"$remote": "answer"}),
        _local("rollback", {"type": "rollback"}),
        Operation("restartIce()", "restartIce"),
        Operation("close()", "close"),
    ),
}
