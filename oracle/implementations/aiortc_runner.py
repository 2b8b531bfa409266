"""`AiortcRunner`: aiortc (https://github.com/aiortc/aiortc, from PyPI) behind the peerspec session protocol.

Serve it as a child process, inside a network namespace with only loopback (aiortc gathers candidates in
setLocalDescription, and with no iceServers in a configuration it uses its own default STUN server):

    unshare -n sh -c 'ip link set lo up; exec python -m peerspec.oracle.implementations.python_runner \\
        peerspec.oracle.implementations.aiortc_runner:AiortcRunner'

aiortc 1.16 has `RTCPeerConnection(configuration)`, `createOffer()`, `createAnswer()` (no options),
`setLocalDescription(description=None)`, `setRemoteDescription(description)`, `createDataChannel(label)` and an
async `close()`; it has no setConfiguration, getConfiguration, restartIce or generateCertificate (and its
RTCConfiguration has no certificates), so those are not implemented. It never fires negotiationneeded (the count
stays 0). How each trace value maps onto its API is in oracle/runners/python/README.md; in short, what the
typed API cannot hold (a wrong JSON type, null where it means something else, an unknown enum string, a member
RTCConfiguration lacks, a lone surrogate in a USVString) is {"notImplemented": ...}, never an error.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping
from typing import Any, ClassVar, Final

from aiortc import (
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.rtcconfiguration import RTCBundlePolicy, RTCIceTransportPolicy

from peerspec.model import ABSENT, UNDEFINED
from peerspec.oracle.implementations.python_runner import (
    Description,
    PythonRunner,
    _Session,
    has_lone_surrogate,
)
from peerspec.oracle.values import certificate_references

SDP_TYPES: Final = ("offer", "pranswer", "answer", "rollback")
# RTCConfiguration members of the spec that aiortc's RTCConfiguration lacks.
MISSING_CONFIGURATION_MEMBERS: Final = ("certificates", "iceCandidatePoolSize", "rtcpMuxPolicy")
OFFER_OPTION_MEMBERS: Final = ("iceRestart",)  # RTCOfferOptions; RTCAnswerOptions has none


def _kind(value: object) -> str:
    """A JSON value's kind, for messages."""
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class AiortcRunner(PythonRunner):
    """aiortc's RTCPeerConnection, driven by peerspec traces."""

    name: ClassVar[str] = "aiortc"
    has_rollback: ClassVar[bool] = False  # aiortc accepts {"type": "rollback"} but does not roll back
    remote_ice_restart_by_new_peer: ClassVar[bool] = True  # createOffer() has no iceRestart option

    @property
    def version(self) -> str:
        return importlib.metadata.version("aiortc")

    # ---- the calls -------------------------------------------------------------------------------------

    def do_construct(self, *configuration: Any) -> Any:
        return RTCPeerConnection(*configuration)

    def do_createOffer(self, pc: Any, *options: Any) -> Any:
        return pc.createOffer()  # convert() lets only options meaning "none" through, as no argument

    def do_createAnswer(self, pc: Any, *options: Any) -> Any:
        return pc.createAnswer()

    def do_setLocalDescription(self, pc: Any, *description: Any) -> Any:
        return pc.setLocalDescription(*description)

    def do_setRemoteDescription(self, pc: Any, *description: Any) -> Any:
        return pc.setRemoteDescription(*description)

    def do_close(self, pc: Any) -> Any:
        return pc.close()

    def do_createDataChannel(self, pc: Any, *label: Any) -> Any:
        return pc.createDataChannel(*label)

    # ---- values ----------------------------------------------------------------------------------------

    def convert(self, op: str, value: object) -> object:
        if op == "construct":
            return self._configuration(value)
        if op in ("createOffer", "createAnswer"):
            return self._options(op, value)
        if op in ("setLocalDescription", "setRemoteDescription"):
            return self._description(op, value)
        if op == "createDataChannel":
            if not isinstance(value, str):
                raise self.cannot(f"a data channel label that is {_kind(value)} (createDataChannel takes a str)")
            if has_lone_surrogate(value):
                raise self.cannot("a lone surrogate in a label (a USVString; a Python str has no such conversion)")
            return value
        return super().convert(op, value)

    def _configuration(self, value: object) -> object:
        if value is UNDEFINED:
            return ABSENT  # undefined for an optional argument is the argument not passed (WebIDL)
        if value is None:
            return None  # null for a dictionary is the empty dictionary; aiortc's None is its default configuration
        if not isinstance(value, dict):
            raise self.cannot(f"a configuration that is {_kind(value)} (RTCConfiguration is a dataclass)")
        members = {key: member for key, member in value.items() if member is not UNDEFINED}
        for key in MISSING_CONFIGURATION_MEMBERS:
            if key in members:
                raise self.cannot(f"configuration.{key} (aiortc's RTCConfiguration has no such member)")
        fields: dict[str, Any] = {}
        if "iceServers" in members:
            fields["iceServers"] = self._ice_servers(members["iceServers"])
        if "bundlePolicy" in members:
            fields["bundlePolicy"] = self._enum(RTCBundlePolicy, members["bundlePolicy"], "configuration.bundlePolicy")
        if "iceTransportPolicy" in members:
            fields["iceTransportPolicy"] = self._enum(
                RTCIceTransportPolicy, members["iceTransportPolicy"], "configuration.iceTransportPolicy"
            )
        return RTCConfiguration(**fields)

    def _enum(self, enum: Any, value: object, where: str) -> Any:
        names = [member.value for member in enum]
        if not isinstance(value, str) or value not in names:
            shown = repr(value) if isinstance(value, str) else _kind(value)
            raise self.cannot(f"{where} {shown} (the enum {enum.__name__} has {', '.join(names)})")
        return enum(value)

    def _ice_servers(self, value: object) -> list[RTCIceServer]:
        if not isinstance(value, list):
            raise self.cannot(f"configuration.iceServers that is {_kind(value)} (a list of RTCIceServer)")
        return [self._ice_server(server, f"configuration.iceServers[{i}]") for i, server in enumerate(value)]

    def _ice_server(self, value: object, where: str) -> RTCIceServer:
        if not isinstance(value, dict):
            raise self.cannot(f"{where} that is {_kind(value)} (RTCIceServer is a dataclass)")
        members = {key: member for key, member in value.items() if member is not UNDEFINED}
        if "urls" not in members:
            raise self.cannot(f"{where} without urls (RTCIceServer's urls has no default)")
        urls = members["urls"]
        if isinstance(urls, list):
            for j, url in enumerate(urls):
                self._usv_string(url, f"{where}.urls[{j}]")
        else:
            self._usv_string(urls, f"{where}.urls")
        fields: dict[str, Any] = {"urls": urls}
        for key in ("username", "credential"):
            if key in members:
                member = members[key]
                if not isinstance(member, str):
                    raise self.cannot(f"{where}.{key} that is {_kind(member)} (an Optional[str])")
                fields[key] = member
        return RTCIceServer(**fields)

    def _usv_string(self, value: object, where: str) -> None:
        if not isinstance(value, str):
            raise self.cannot(f"{where} that is {_kind(value)} (a str)")
        if has_lone_surrogate(value):
            raise self.cannot(f"a lone surrogate in {where} (a USVString; a Python str has no such conversion)")

    def _options(self, op: str, value: object) -> object:
        """aiortc's createOffer() and createAnswer() take no options: only options that mean "none" are passed,
        as no argument (absent, undefined, null, an object with no member the spec's dictionary has, or only
        iceRestart: false, which is what aiortc always does)."""
        if value is UNDEFINED or value is None:
            return ABSENT
        if not isinstance(value, dict):
            raise self.cannot(f"{op} options that are {_kind(value)} ({op}() takes no options)")
        known = OFFER_OPTION_MEMBERS if op == "createOffer" else ()
        for key in known:
            member = value.get(key, UNDEFINED)
            if member is not UNDEFINED and member is not False:
                raise self.cannot(
                    f"{op} options.{key} = {_kind(member) if member is not True else 'true'} ({op}() takes no options)"
                )
        return ABSENT

    def _description(self, op: str, value: object) -> object:
        local = op == "setLocalDescription"
        if value is UNDEFINED and local:
            return ABSENT  # the implicit form: setLocalDescription()
        if value is None and local:
            return ABSENT  # null is the empty RTCLocalSessionDescriptionInit: the implicit form
        if not isinstance(value, dict):
            raise self.cannot(f"a description that is {_kind(value)} (RTCSessionDescription is a dataclass)")
        members = {key: member for key, member in value.items() if member is not UNDEFINED}
        sdp = members.get("sdp", "")  # RTCSessionDescriptionInit's sdp defaults to ""
        if not isinstance(sdp, str):
            raise self.cannot(f"a description's sdp that is {_kind(sdp)} (a str)")
        if "type" not in members:
            if local and sdp == "":
                return ABSENT  # no type (and no sdp): the implicit form
            raise self.cannot("a description without a type (RTCSessionDescription's type has no default)")
        sdp_type = members["type"]
        if not isinstance(sdp_type, str) or sdp_type not in SDP_TYPES:
            shown = repr(sdp_type) if isinstance(sdp_type, str) else _kind(sdp_type)
            raise self.cannot(f"a description's type {shown} (RTCSessionDescription's type is one of {SDP_TYPES})")
        return RTCSessionDescription(sdp=sdp, type=sdp_type)

    async def _arguments(self, s: _Session, op: str, args: dict[str, Any]) -> tuple[object, ...]:
        # peerspec's child-process driver answers a step whose op the runner lacks (generateCertificate) itself,
        # so this runner never hears of the certificate a later step names, and decoding the reference would
        # fail as a runner error. aiortc has no generateCertificate and its RTCConfiguration no certificates:
        # a step that names a certificate is one aiortc's API cannot express.
        if "generateCertificate" not in self.implements:
            for name in certificate_references(args):
                raise self.cannot(
                    f"certificate {name!r} (aiortc has no generateCertificate, nor its RTCConfiguration certificates)"
                )
        return await super()._arguments(s, op, args)

    # ---- the remote peer -------------------------------------------------------------------------------

    async def make_remote_peer(self) -> Any:
        peer = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        peer.createDataChannel("peerspec-remote")
        return peer

    def description_of(self, value: Any) -> Description:
        if isinstance(value, Mapping):
            return super().description_of(value)
        return Description(str(value.type), str(value.sdp))
