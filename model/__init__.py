"""peerspec's executable model of RTCPeerConnection configuration (W3C webrtc-pc Editor's Draft).

The model is pure: no I/O, no clock, no randomness but the explicit seed a connection is given.
"""

from peerspec.model.certificates import RTCCertificate
from peerspec.model.configuration import RTCConfiguration, RTCIceServer, configuration_dictionary
from peerspec.model.errors import DOMException, SpecError, WebIDLTypeError
from peerspec.model.js_values import ABSENT, UNDEFINED, Absent, Undefined
from peerspec.model.lifecycle import LIFECYCLE_MACHINE, LIFECYCLE_STATES, LIFECYCLE_TRANSITIONS, LifecycleError
from peerspec.model.peer_connection import RTCDataChannel, RTCPeerConnection
from peerspec.model.profile import SPEC_PROFILE, Profile
from peerspec.model.remote_peer import RemotePeer
from peerspec.model.sdp import IceCredentials, SessionDescription
from peerspec.model.signaling import SIGNALING_STATES

__version__ = "0.1.0"
SPEC_COMMIT = "1a2dfb478b3efcefe9e5ab2f1e1d5119437d79af"  # w3c/webrtc-pc webrtc.html, 2026-05-04

__all__ = [
    "ABSENT",
    "LIFECYCLE_MACHINE",
    "LIFECYCLE_STATES",
    "LIFECYCLE_TRANSITIONS",
    "SIGNALING_STATES",
    "SPEC_COMMIT",
    "SPEC_PROFILE",
    "UNDEFINED",
    "Absent",
    "DOMException",
    "IceCredentials",
    "LifecycleError",
    "Profile",
    "RTCCertificate",
    "RTCConfiguration",
    "RTCDataChannel",
    "RTCIceServer",
    "RTCPeerConnection",
    "RemotePeer",
    "SessionDescription",
    "SpecError",
    "Undefined",
    "WebIDLTypeError",
    "configuration_dictionary",
]
