"""RTCRtpTransceiver, as far as a configuration and signaling model needs it: kind, mid, direction and the
stopping/stopped slots (webrtc-pc §5.4 "RTCRtpTransceiver interface"), with no media, tracks or codecs.

addTransceiver(kind) adds one (webrtc-pc §5.1, addTransceiver steps 5-14); createOffer gives each non-stopped one
an m= section (JSEP RFC 9429 §5.2.1, §5.2.2); stop() marks it stopping (webrtc-pc §5.4 stop() steps 1-6); the
legacy offerToReceive<Kind> options add recvonly ones (webrtc-pc §11 "Legacy configuration extensions").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from peerspec.model.errors import ErrorKind
from peerspec.model.js_values import ABSENT, JSValue, to_boolean, to_string
from peerspec.model.webidl import Converter

TRANSCEIVER_KINDS: Final = ("audio", "video")
DIRECTIONS: Final = ("sendrecv", "sendonly", "recvonly", "inactive", "stopped")
#: webrtc-pc §11: the legacy RTCOfferOptions members, each with the kind it is about, in WebIDL member order.
LEGACY_OFFER_MEMBERS: Final = (("offerToReceiveAudio", "audio"), ("offerToReceiveVideo", "video"))


@dataclass
class RTCRtpTransceiver:
    """The slots "create an RTCRtpTransceiver" initializes (steps 2-12) that this model reads."""

    kind: str  # the transceiver kind: its receiver's track kind
    direction_slot: str  # [[Direction]]
    stopping: bool = False  # [[Stopping]]
    stopped: bool = False  # [[Stopped]]
    mid: str | None = None  # [[Mid]]: set when a description that associates it is applied
    jsep_mid: str | None = None  # [[JsepMid]]: the mid JSEP proposed for it in an offer, or its section's mid
    made_by_remote_offer: bool = False  # created by applying a remote offer (a rollback of it removes it)

    @property
    def direction(self) -> str:
        """The direction getter: "stopped" once [[Stopping]] is true (webrtc-pc §5.4 direction, steps 2-3)."""
        return "stopped" if self.stopping else self.direction_slot

    def observed(self) -> dict[str, object]:
        return {"kind": self.kind, "mid": self.mid, "direction": self.direction}


@dataclass(frozen=True)
class TransceiverRequest:
    """addTransceiver's arguments, converted: the kind and RTCRtpTransceiverInit.direction."""

    kind: str
    direction: str


class NotModelled(Exception):
    """An argument the model has no way to represent (a MediaStreamTrack, non-empty sendEncodings)."""


def to_transceiver_request(
    kind: JSValue, init: JSValue = ABSENT, error_kind: ErrorKind = "throw"
) -> TransceiverRequest:
    """WebIDL conversion of addTransceiver((MediaStreamTrack or DOMString) trackOrKind, RTCRtpTransceiverInit init).

    The trace has no MediaStreamTrack, so trackOrKind is the DOMString branch of the union (ToString); init is a
    dictionary whose members convert in lexicographic order: direction (enum, default "sendrecv"), sendEncodings,
    streams (sequences; a JSON value is never a MediaStream, so only an empty streams list converts)."""
    convert = Converter(error_kind)
    if kind is ABSENT:
        raise convert.fail("addTransceiver", "the trackOrKind argument is required")
    text = to_string(kind)
    members = convert.members(init, "RTCRtpTransceiverInit")
    direction = "sendrecv"
    if "direction" in members:
        direction = convert.enum(members["direction"], "RTCRtpTransceiverInit.direction", DIRECTIONS)
    encodings: tuple[dict[str, JSValue], ...] = ()
    if "sendEncodings" in members:
        # Each element is an RTCRtpEncodingParameters dictionary (WebIDL dictionary step 1: an object, null or
        # undefined); its own members are not converted, as an encoding is not modelled.
        encodings = convert.sequence(members["sendEncodings"], "RTCRtpTransceiverInit.sendEncodings", convert.members)
    if "streams" in members:
        convert.sequence(members["streams"], "RTCRtpTransceiverInit.streams", _not_a_stream(convert))
    if encodings:  # the whole dictionary has converted: the method's steps would start here
        raise NotModelled("sendEncodings with encodings in it (simulcast) is not modelled")
    return TransceiverRequest(text, direction)


def _not_a_stream(convert: Converter) -> Callable[[JSValue, str], None]:
    def element(value: JSValue, where: str) -> None:
        raise convert.fail(where, "is not a MediaStream")

    return element


def to_legacy_offer_options(value: JSValue, kind: ErrorKind = "reject") -> dict[str, bool]:
    """The legacy RTCOfferOptions members present (an undefined member is not present), by the kind each is about,
    converted as WebIDL booleans (ToBoolean, which never fails). RTCOfferOptions' own conversion runs first."""
    members = Converter(kind).members(value, "RTCOfferOptions")
    return {media: to_boolean(members[member]) for member, media in LEGACY_OFFER_MEMBERS if member in members}


def sends(direction: str) -> bool:
    return direction in ("sendrecv", "sendonly")


def receives(direction: str) -> bool:
    return direction in ("sendrecv", "recvonly")


def direction_of(send: bool, receive: bool) -> str:
    return {(True, True): "sendrecv", (True, False): "sendonly", (False, True): "recvonly"}.get(
        (send, receive), "inactive"
    )


def answer_direction(wanted: str, offered: str) -> str:
    """JSEP §5.3.1: an answer's direction is the transceiver's intersected with the offer's, seen from our side
    (we send only if they receive, and receive only if they send)."""
    return direction_of(sends(wanted) and receives(offered), receives(wanted) and sends(offered))


def stop_the_transceiver(transceiver: RTCRtpTransceiver) -> None:
    """webrtc-pc §5.4 "stop the RTCRtpTransceiver" steps 2-5: stop sending and receiving unless stopping
    ([[Direction]] "inactive", [[Stopping]] true), then [[Stopped]] true."""
    if not transceiver.stopping:
        transceiver.direction_slot, transceiver.stopping = "inactive", True
    transceiver.stopped = True
