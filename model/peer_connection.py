"""RTCPeerConnection, as far as configuration, offer/answer, ICE restart and close go (webrtc-pc §4.4).

Promise-returning methods run synchronously: they return the value the promise would fulfill with, or
raise the error it would reject with (kind="reject"). Tasks the spec queues (the negotiation-needed
task) run before the method returns, as they would before a script's next step (NOTES.md, "Promises").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Final, TypeVar

from peerspec.model.certificates import RTCCertificate, generate_certificate
from peerspec.model.configuration import RTCConfiguration, RTCIceServer, configuration_dictionary
from peerspec.model.errors import (
    InvalidAccessError,
    InvalidModificationError,
    InvalidStateError,
    OperationError,
    TypeError_,
)
from peerspec.model.js_values import ABSENT, UNDEFINED, JSValue
from peerspec.model.lifecycle import Lifecycle, LifecycleState, project
from peerspec.model.profile import SPEC_PROFILE, Profile
from peerspec.model.sdp import (
    CredentialSource,
    IceCredentials,
    MediaSection,
    SessionDescription,
    parse_sdp,
    write_sdp,
)
from peerspec.model.set_configuration import IceAgentSettings, check_configuration
from peerspec.model.signaling import (
    CREATE_ANSWER_ALLOWED_IN,
    CREATE_OFFER_ALLOWED_IN,
    OFFER_INFERRED_IN,
    ROLLBACK_REFUSED_IN,
    Side,
    SignalingState,
    next_state,
)
from peerspec.model.transceivers import (
    RTCRtpTransceiver,
    answer_direction,
    direction_of,
    receives,
    sends,
    stop_the_transceiver,
    to_legacy_offer_options,
    to_transceiver_request,
)
from peerspec.model.webidl import (
    to_answer_options,
    to_data_channel_label,
    to_local_description_init,
    to_offer_options,
    to_rtc_configuration,
    to_session_description_init,
)

T = TypeVar("T")
MODEL_ORIGIN: Final = "http://127.0.0.1"
MAX_LABEL_BYTES: Final = 65535
#: The m= section media types the model can answer (JSEP §5.3.1: any other has no supported media format).
SUPPORTED_MEDIA_TYPES: Final = frozenset({"audio", "video", "application"})


@dataclass(frozen=True)
class RTCDataChannel:
    label: str


@dataclass(frozen=True)
class _OffererState:
    """What "accurately represents the offerer's system state" compares for [[LastCreatedOffer]]."""

    has_data_channels: bool
    credentials_to_replace: frozenset[IceCredentials]
    current_local: SessionDescription | None
    transceivers: tuple[tuple[str, str, bool, bool], ...] = ()  # (kind, [[Direction]], [[Stopping]], [[Stopped]])


@dataclass(frozen=True)
class _AnswererState:
    """What "accurately represents the answerer's system state" compares for [[LastCreatedAnswer]]: the offer
    being answered and the local description whose credentials an answer keeps (JSEP §5.3.2)."""

    offer: SessionDescription | None
    current_local: SessionDescription | None


@dataclass
class _Slots:
    """The internal slots the constructor initializes (steps 9-27), plus the model's bookkeeping."""

    is_closed: bool = False
    negotiation_needed: bool = False
    data_channels: list[RTCDataChannel] = field(default_factory=list)
    chain_busy: bool = False  # [[Operations]] is non-empty (the model runs one operation at a time)
    update_negotiation_needed_on_empty_chain: bool = False
    last_created_offer: str = ""
    last_created_answer: str = ""
    last_offer_state: _OffererState | None = None
    last_answer_state: _AnswererState | None = None
    signaling_state: SignalingState = "stable"
    pending_local: SessionDescription | None = None
    current_local: SessionDescription | None = None
    pending_remote: SessionDescription | None = None
    current_remote: SessionDescription | None = None
    local_ice_credentials_to_replace: frozenset[IceCredentials] = frozenset()
    sld_called: bool = False
    jsep_needs_ice_restart: bool = False
    generated_credentials: IceCredentials | None = None  # the pair generated last (profile: reused)
    rolled_back_credentials: IceCredentials | None = None  # the local offer's rolled back last (profile: kept)
    negotiationneeded_events: int = 0
    signalingstatechange_events: int = 0
    sdp_version: int = 0
    transceivers: list[RTCRtpTransceiver] = field(default_factory=list)  # the set of transceivers, in order added
    data_mid: str | None = None  # the mid JSEP chose for the data m= section when an offer first carried it
    negotiated_mids: frozenset[str] = frozenset()  # every mid a completed exchange has had (never proposed again)
    ice_agent_idle: bool = True  # no description applied and no candidate pool: the ICE states are still "new"


class RTCPeerConnection:
    """`RTCPeerConnection(configuration, *, profile, seed)`: the seed drives every ICE credential it makes."""

    generateCertificate: ClassVar[Callable[..., RTCCertificate]]

    def __init__(
        self,
        configuration: JSValue = UNDEFINED,
        *,
        profile: Profile = SPEC_PROFILE,
        seed: int = 0,
        origin: str = MODEL_ORIGIN,
        now: int = 0,
    ) -> None:
        # WebIDL conversion precedes step 1, so its TypeErrors come first.
        converted = to_rtc_configuration(configuration, kind="throw")
        self.profile = profile
        self._credentials = CredentialSource(seed, "local")
        self._session_id = seed
        # Step 5: certificates the caller supplies must be unexpired and from this origin.
        for index, certificate in enumerate(converted.certificates):
            if certificate.expires < now:
                raise InvalidAccessError("RTCPeerConnection constructor step 5.1", f"certificates[{index}] expired")
            if certificate.origin != origin:
                raise InvalidAccessError(
                    "RTCPeerConnection constructor step 5.2", f"certificates[{index}] is from another origin"
                )
        # Step 6 (generate certificates when none are given) has no observable effect here.
        # Step 7-8: initialize the ICE agent; [[Configuration]] = null, then set the configuration.
        self._configuration: RTCConfiguration | None = None
        self._ice_agent = IceAgentSettings()
        self._slots = _Slots()
        self._set_the_configuration(converted)
        # Steps 9-27: the remaining slots start as _Slots() declares them.
        self._lifecycle = Lifecycle()

    # ---- read-only views ---------------------------------------------------------------------------

    @property
    def signalingState(self) -> SignalingState:
        return self._slots.signaling_state

    @property
    def lifecycle_state(self) -> LifecycleState:
        return self._lifecycle.state

    @property
    def is_closed(self) -> bool:
        return self._slots.is_closed

    @property
    def local_ice_credentials_to_replace(self) -> frozenset[IceCredentials]:
        """[[LocalIceCredentialsToReplace]]."""
        return self._slots.local_ice_credentials_to_replace

    @property
    def needs_ice_restart(self) -> bool:
        """JSEP §3.5.1's needs-ice-restart bit, when the profile implements it (never set otherwise)."""
        return self.profile.jsep_needs_ice_restart and self._slots.jsep_needs_ice_restart

    @property
    def negotiation_needed(self) -> bool:
        """[[NegotiationNeeded]]."""
        return self._slots.negotiation_needed

    @property
    def negotiationneeded_events(self) -> int:
        """How many negotiationneeded events have fired."""
        return self._slots.negotiationneeded_events

    @property
    def sld_called(self) -> bool:
        """Whether "setLocalDescription has already been called" (set the configuration step 3.6)."""
        return self._slots.sld_called

    @property
    def configuration(self) -> RTCConfiguration | None:
        """[[Configuration]] itself (immutable); getConfiguration() returns a fresh dictionary of it."""
        return self._configuration

    @property
    def ice_agent(self) -> IceAgentSettings:
        """The ICE agent's settings from set the configuration steps 7-9."""
        return self._ice_agent

    @property
    def currentLocalDescription(self) -> SessionDescription | None:
        return self._slots.current_local

    @property
    def pendingLocalDescription(self) -> SessionDescription | None:
        return self._slots.pending_local

    @property
    def currentRemoteDescription(self) -> SessionDescription | None:
        return self._slots.current_remote

    @property
    def pendingRemoteDescription(self) -> SessionDescription | None:
        return self._slots.pending_remote

    @property
    def signalingstatechange_events(self) -> int:
        """How many signalingstatechange events have fired."""
        return self._slots.signalingstatechange_events

    @property
    def ice_agent_idle(self) -> bool:
        """Whether no description has been applied and no candidate pool asked for: nothing has gathered yet."""
        return self._slots.ice_agent_idle

    def getTransceivers(self) -> tuple[RTCRtpTransceiver, ...]:
        """getTransceivers(): the set of transceivers (CollectTransceivers), in the order they were added."""
        return tuple(self._slots.transceivers)

    @property
    def localDescription(self) -> SessionDescription | None:
        return self._slots.pending_local or self._slots.current_local

    @property
    def remoteDescription(self) -> SessionDescription | None:
        return self._slots.pending_remote or self._slots.current_remote

    # ---- configuration -----------------------------------------------------------------------------

    def setConfiguration(self, configuration: JSValue = UNDEFINED) -> None:
        """setConfiguration(): WebIDL conversion, then steps 1-3."""
        converted = to_rtc_configuration(configuration, kind="throw")
        # Step 2: a closed connection takes no configuration.
        if self._slots.is_closed:
            raise InvalidStateError("setConfiguration step 2", "the connection is closed")
        # Step 3: set the configuration.
        self._set_the_configuration(converted)

    def getConfiguration(self) -> dict[str, object]:
        """getConfiguration(): a fresh dictionary of [[Configuration]] (no closed check)."""
        assert self._configuration is not None
        return configuration_dictionary(self._configuration)

    def _set_the_configuration(self, configuration: RTCConfiguration) -> None:
        old = self._configuration
        settings = check_configuration(configuration, old, sld_called=self._slots.sld_called, profile=self.profile)
        # JSEP §3.5.1 / §4.1.18: new servers or policy once gathering began set needs-ice-restart.
        gathering_began = self._slots.current_local is not None or self._slots.pending_local is not None
        sets_needs_ice_restart = (
            self.profile.jsep_needs_ice_restart
            and gathering_began
            and (
                _server_list(settings.ice_servers) != _server_list(self._ice_agent.ice_servers)
                or settings.ice_transports != self._ice_agent.ice_transports
            )
        )
        if sets_needs_ice_restart:
            self._slots.jsep_needs_ice_restart = True
        # Steps 7-9: hand the ICE agent its settings; step 10: store the configuration (whole replacement).
        if configuration.iceCandidatePoolSize:
            self._slots.ice_agent_idle = False  # the agent may pre-gather (JSEP §3.5.4)
        self._ice_agent = settings
        self._configuration = configuration
        # Updating the negotiation-needed flag (§4.7.3): "If such changes occur [internal changes that affect
        # negotiation], the user agent MUST update the negotiation-needed flag"; needs-ice-restart is one
        # (check if negotiation is needed step 1).
        if sets_needs_ice_restart:
            self._update_negotiation_needed_flag()

    # ---- offer / answer ----------------------------------------------------------------------------

    def createOffer(self, options: JSValue = UNDEFINED) -> SessionDescription:
        ice_restart = to_offer_options(options, kind="reject")
        legacy = to_legacy_offer_options(options, kind="reject")
        # Step 2: a closed connection rejects. (With legacy options, webrtc-pc §11's steps run first, and on a
        # closed connection their addTransceiver throws and aborts them: the model rejects here, the same error.)
        if self._slots.is_closed:
            raise InvalidStateError("createOffer step 2", "the connection is closed", kind="reject")
        if legacy:
            self._call("createOffer", lambda: self._apply_legacy_offer_options(legacy))
        return self._call("createOffer", lambda: self._chain(lambda: self._create_an_offer(ice_restart)))

    def createAnswer(self, options: JSValue = UNDEFINED) -> SessionDescription:
        to_answer_options(options, kind="reject")
        # Step 2: a closed connection rejects.
        if self._slots.is_closed:
            raise InvalidStateError("createAnswer step 2", "the connection is closed", kind="reject")
        return self._call("createAnswer", lambda: self._chain(self._create_an_answer))

    def setLocalDescription(self, description: JSValue = UNDEFINED) -> None:
        sdp_type, sdp = to_local_description_init(description, kind="reject")
        self._call("setLocalDescription", lambda: self._chain(lambda: self._set_local(sdp_type, sdp)))

    def setRemoteDescription(self, description: JSValue = ABSENT) -> None:
        sdp_type, sdp = to_session_description_init(description, kind="reject")
        self._call("setRemoteDescription", lambda: self._chain(lambda: self._set_remote(sdp_type, sdp)))

    def addTransceiver(self, trackOrKind: JSValue = ABSENT, init: JSValue = ABSENT) -> RTCRtpTransceiver:
        """addTransceiver(kind, init) for a kind string (webrtc-pc §5.1; no MediaStreamTrack in this model)."""
        request = to_transceiver_request(trackOrKind, init)

        def run() -> RTCRtpTransceiver:
            # Step 5.1: a kind other than "audio" or "video" is a TypeError.
            if request.kind not in ("audio", "video"):
                raise TypeError_("addTransceiver step 5.1", f"{request.kind!r} is neither audio nor video")
            # Step 7.
            if self._slots.is_closed:
                raise InvalidStateError("addTransceiver step 7", "the connection is closed")
            transceiver = self._add_transceiver(request.kind, request.direction)
            # Step 14.
            self._update_negotiation_needed_flag()
            return transceiver

        return self._call("addTransceiver", run)

    def _add_transceiver(self, kind: str, direction: str) -> RTCRtpTransceiver:
        # Steps 10-13: the sender, receiver and transceiver, added to the set of transceivers.
        transceiver = RTCRtpTransceiver(kind, direction)
        self._slots.transceivers.append(transceiver)
        return transceiver

    def stop_transceiver(self, transceiver: RTCRtpTransceiver) -> None:
        """transceiver.stop() (webrtc-pc §5.4 RTCRtpTransceiver stop(), steps 1-6)."""

        def run() -> None:
            # Step 3.
            if self._slots.is_closed:
                raise InvalidStateError("RTCRtpTransceiver.stop step 3", "the connection is closed")
            # Step 4: already stopping.
            if transceiver.stopping:
                return
            # Step 5: stop sending and receiving (steps 6-7: [[Direction]] "inactive", [[Stopping]] true).
            transceiver.direction_slot, transceiver.stopping = "inactive", True
            # Step 6.
            self._update_negotiation_needed_flag()

        self._call("stopTransceiver", run)

    def _apply_legacy_offer_options(self, legacy: dict[str, bool]) -> None:
        """webrtc-pc §11 "Legacy configuration extensions", createOffer steps 3.1-3.5, per kind in member order."""
        for kind, wanted in legacy.items():
            live = [t for t in self._slots.transceivers if t.kind == kind and not t.stopped]
            if not wanted:
                # Step 3.1: sendrecv becomes sendonly, recvonly becomes inactive.
                for transceiver in live:
                    transceiver.direction_slot = {"sendrecv": "sendonly", "recvonly": "inactive"}.get(
                        transceiver.direction_slot, transceiver.direction_slot
                    )
                continue
            # Step 3.2: one that already receives is enough.
            if any(t.direction_slot in ("sendrecv", "recvonly") for t in live):
                continue
            # Steps 3.3-3.5: addTransceiver(kind) without updating the negotiation-needed flag, made recvonly.
            self._add_transceiver(kind, "recvonly")

    def restartIce(self) -> None:
        """restartIce(): no closed check and no error (a closed connection's task simply aborts)."""

        def run() -> None:
            slots = self._slots
            # Step 2: the credentials of the current and pending local descriptions.
            found: frozenset[IceCredentials] = frozenset()
            for description in (slots.current_local, slots.pending_local):
                if description is not None:
                    found |= description.ice_credentials
            slots.local_ice_credentials_to_replace = found
            # Step 3.
            self._update_negotiation_needed_flag()

        self._call("restartIce", run)

    def close(self) -> None:
        def run() -> None:
            slots = self._slots
            # Close the connection step 1: a second close() does nothing.
            if slots.is_closed:
                return
            # Steps 2-3 (no event fires); the channels and transports close with it (steps 4-11).
            slots.is_closed = True
            slots.signaling_state = "closed"
            # Step 4: stop every transceiver that is not stopped (with disappear: no track events).
            for transceiver in slots.transceivers:
                if not transceiver.stopped:
                    stop_the_transceiver(transceiver)

        self._call("close", run)

    def createDataChannel(self, label: JSValue = ABSENT) -> RTCDataChannel:
        converted = to_data_channel_label(label, kind="throw")

        def run() -> RTCDataChannel:
            slots = self._slots
            # Step 2.
            if slots.is_closed:
                raise InvalidStateError("createDataChannel step 2", "the connection is closed")
            # Step 5: the label's UTF-8 form is at most 65535 bytes.
            if len(converted.encode("utf-8")) > MAX_LABEL_BYTES:
                raise TypeError_("createDataChannel step 5", "the label is longer than 65535 bytes")
            channel = RTCDataChannel(converted)
            first = not slots.data_channels
            slots.data_channels.append(channel)
            # Step 20: "If channel is the first RTCDataChannel created on connection, update the
            # negotiation-needed flag."
            if first:
                self._update_negotiation_needed_flag()
            return channel

        return self._call("createDataChannel", run)

    # ---- the operations chain and queued tasks ------------------------------------------------------

    def _call(self, trigger: str, run: Callable[[], T]) -> T:
        """Run one API call, then move the lifecycle to where the concrete state now projects."""
        try:
            return run()
        finally:
            slots = self._slots
            target = project(
                closed=slots.is_closed,
                restart_requested=bool(slots.local_ice_credentials_to_replace),
                sld_called=slots.sld_called,
                signaling_state=slots.signaling_state,
            )
            self._lifecycle.follow(trigger, target)

    def _chain(self, operation: Callable[[], T]) -> T:
        """Chain an operation; the model's chain never holds more than the running operation."""
        slots = self._slots
        # Step 2.
        if slots.is_closed:
            raise InvalidStateError("chain an operation step 2", "the connection is closed", kind="reject")
        slots.chain_busy = True
        try:
            return operation()
        finally:
            slots.chain_busy = False
            # Steps 7.4.2-7.4.6: once the chain empties, a deferred update of the flag runs.
            if not slots.is_closed and slots.update_negotiation_needed_on_empty_chain:
                slots.update_negotiation_needed_on_empty_chain = False
                self._update_negotiation_needed_flag()

    def _update_negotiation_needed_flag(self) -> None:
        """Update the negotiation-needed flag. Its queued task runs at once: no script runs in between."""
        slots = self._slots
        # Step 1: defer while an operation runs.
        if slots.chain_busy:
            slots.update_negotiation_needed_on_empty_chain = True
            return
        # Step 2: the queued task (steps 2.1-2.7).
        if slots.is_closed:  # 2.1
            return
        if slots.signaling_state != "stable":  # 2.3: re-evaluated on reaching stable
            return
        if not self._check_if_negotiation_is_needed():  # 2.4
            slots.negotiation_needed = False
            return
        if slots.negotiation_needed:  # 2.5: no duplicate events
            return
        slots.negotiation_needed = True  # 2.6
        slots.negotiationneeded_events += 1  # 2.7: fire negotiationneeded

    def _check_if_negotiation_is_needed(self) -> bool:
        slots = self._slots
        # Step 1: implementation-specific negotiation (JSEP's needs-ice-restart, when the profile has it).
        if self.profile.jsep_needs_ice_restart and slots.jsep_needs_ice_restart:
            return True
        # Step 2: an ICE restart has been requested.
        if slots.local_ice_credentials_to_replace:
            return True
        # Steps 3-4: data channels exist and no data m= section has been negotiated.
        description = slots.current_local
        if slots.data_channels and not _has_application_section(description):
            return True
        # Step 5: the transceivers.
        return any(self._transceiver_needs_negotiation(t, description) for t in slots.transceivers)

    def _transceiver_needs_negotiation(
        self, transceiver: RTCRtpTransceiver, description: SessionDescription | None
    ) -> bool:
        slots = self._slots
        # Step 5.1: stopping but not yet stopped.
        if transceiver.stopping and not transceiver.stopped:
            return True
        local = _section(description, transceiver.mid)
        remote = _section(slots.current_remote, transceiver.mid, counterpart=description)
        if not transceiver.stopped:
            # Step 5.2: not yet associated with an m= section in description.
            if local is None:
                return True
            assert description is not None
            # Step 5.3.1: it sends, and its m= section carries no a=msid line (this model's streams are none).
            if transceiver.direction_slot in ("sendrecv", "sendonly") and not local.msid:
                return True
            # Step 5.3.2: our offer; neither current description's direction (the remote's reversed) matches.
            if description.type == "offer" and local.direction != transceiver.direction_slot:
                reversed_remote = _reversed(remote.direction) if remote is not None else None
                if reversed_remote != transceiver.direction_slot:
                    return True
            # Step 5.3.3: our answer; its direction is not [[Direction]] intersected with the offered one.
            wanted = answer_direction(transceiver.direction_slot, remote.direction) if remote is not None else None
            return description.type == "answer" and wanted is not None and local.direction != wanted
        # Step 5.4: stopped and associated, but its m= section is not yet rejected.
        associated = local is not None or remote is not None
        rejected = (local is not None and local.rejected) or (remote is not None and remote.rejected)
        return associated and not rejected

    # ---- create an offer / an answer ---------------------------------------------------------------

    def _create_an_offer(self, ice_restart: bool) -> SessionDescription:
        slots = self._slots
        # Create an offer step 1 (runs on the chain, after earlier operations).
        if slots.signaling_state not in CREATE_OFFER_ALLOWED_IN:
            raise InvalidStateError(
                "create an offer step 1", f"cannot create an offer in {slots.signaling_state}", kind="reject"
            )
        # Final steps 3-6: generate the offer; RTCOfferOptions.iceRestart and JSEP §5.2.1-§5.2.3 decide
        # whether its ICE credentials are new. Kept credentials are currentLocalDescription's; with none there
        # (a first offer still pending in have-local-offer), the pending offer's (JSEP §5.2.2 "stay the same").
        current = _credentials_of(slots.current_local) or _credentials_of(slots.pending_local)
        restart = (
            ice_restart
            or bool(slots.local_ice_credentials_to_replace)
            or (self.profile.jsep_needs_ice_restart and slots.jsep_needs_ice_restart)
        )
        credentials = current if current is not None and not restart else self._generated_credentials(restart)
        media, directions, rejected = self._offer_media()
        offer = SessionDescription("offer", self._write(media, credentials, directions, rejected))
        slots.last_created_offer = offer.sdp
        slots.last_offer_state = self._offerer_state()
        return offer

    def _offer_media(self) -> tuple[tuple[tuple[str, str], ...], dict[str, str], frozenset[str]]:
        """The offer's m= sections (kind, mid), their directions and the rejected (port 0) mids. JSEP §5.2.2: the
        sections already negotiated stay, in order; one with a zero port in the current local or the current remote
        description stays rejected (port 0, a=inactive, no a=msid) unless it is recycled, and a stopping or stopped
        transceiver's gets port 0; JSEP §5.2.1: then one for each transceiver not yet in one, in the order added,
        each first taking the place of a recyclable section (none for a stopping or stopped one: webrtc-pc §5.4
        stop() treats stopping as stopped here), then the data section once channels exist."""
        slots = self._slots
        parsed = parse_sdp(slots.current_local.sdp) if slots.current_local is not None else None
        sections = parsed.media if parsed else ()
        media = [(m.kind, m.mid or str(index)) for index, m in enumerate(sections)]
        # JSEP §5.2.2: "a zero port in the current local description or the current remote description".
        far = _sections_by_mid(slots.current_remote, counterpart=slots.current_local)
        far_rejected = {mid for mid, section in far.items() if section.rejected}
        rejected = {mid for (_kind, mid), m in zip(media, sections, strict=True) if m.rejected or mid in far_rejected}
        negotiated = {mid for _kind, mid in media}
        # JSEP §5.2.2: a recycled section gets "a new MID value"; a mid once negotiated stays taken (JSEP §5.2.1
        # suggests a per-connection counter), though the section that had it was recycled.
        used = negotiated | slots.negotiated_mids | {t.jsep_mid for t in slots.transceivers if t.jsep_mid is not None}
        used |= {slots.data_mid} if slots.data_mid is not None else set()
        # JSEP §5.2.2: such a section no transceiver holds any more may be recycled for an added transceiver.
        held = {t.jsep_mid for t in slots.transceivers}
        recyclable = [index for index, (_kind, mid) in enumerate(media) if mid in rejected and mid not in held]
        # The rejected sections nobody sends on: inactive (RFC 3264 leaves a removed, port-zero stream's attributes
        # open; the model writes what a stopped transceiver's section carries).
        directions: dict[str, str] = dict.fromkeys(rejected, "inactive")
        for transceiver in slots.transceivers:
            if transceiver.jsep_mid in negotiated:
                if transceiver.stopping:
                    rejected.add(transceiver.jsep_mid)
                directions[transceiver.jsep_mid] = transceiver.direction_slot
                continue
            if transceiver.stopping:
                continue
            if transceiver.jsep_mid is None:
                transceiver.jsep_mid = _unused_mid(used)
                used.add(transceiver.jsep_mid)
            directions[transceiver.jsep_mid] = transceiver.direction_slot
            if recyclable:
                # JSEP §5.2.2: recycled "as if the m= section were being added" (a new mid), at the same index.
                media[recyclable.pop(0)] = (transceiver.kind, transceiver.jsep_mid)
                continue
            media.append((transceiver.kind, transceiver.jsep_mid))
        rejected &= {mid for _kind, mid in media}
        if slots.data_channels and not any(kind == "application" for kind, _mid in media):
            if slots.data_mid is None or slots.data_mid in negotiated:
                slots.data_mid = _unused_mid(used)
            media.append(("application", slots.data_mid))
        return tuple(media), directions, frozenset(rejected)

    def _create_an_answer(self) -> SessionDescription:
        slots = self._slots
        # Create an answer step 1.
        if slots.signaling_state not in CREATE_ANSWER_ALLOWED_IN:
            raise InvalidStateError(
                "create an answer step 1",
                f"cannot create an answer in {slots.signaling_state}",
                kind="reject",
            )
        assert slots.pending_remote is not None
        offer = parse_sdp(slots.pending_remote.sdp)
        assert offer is not None  # it was applied, so it parsed
        # Each offered section under the mid set a session description gave it (JSEP §5.10, `_named_sections`).
        named = _named_sections(slots.pending_remote, counterpart=slots.current_local, taken=slots.negotiated_mids)
        media = tuple((m.kind, mid) for mid, m in named)
        # JSEP §5.3.1: a rejected offered section is rejected in the answer (and so is a stopped transceiver's);
        # an RTP section's direction is the transceiver's intersected with the offered one (recvonly when the
        # offer's section has no transceiver of ours). webrtc-pc §5.4 stop(): a stopping, not stopped, one does
        # not affect createAnswer (only createOffer treats stopping as stopped), so it answers its "inactive".
        rejected: set[str] = set()
        directions: dict[str, str] = {}
        for (kind, mid), section in zip(media, offer.media, strict=True):
            transceiver = self._transceiver_for(mid)
            if section.rejected or (transceiver is not None and transceiver.stopped):
                rejected.add(mid)
            # JSEP §5.3.1: rejected when no offered media format is supported; a media type other than audio, video
            # or application (m=text, m=message, ...) has no format this model supports, nor a transceiver.
            if kind not in SUPPORTED_MEDIA_TYPES:
                rejected.add(mid)
            wanted = transceiver.direction_slot if transceiver is not None else "recvonly"
            directions[mid] = answer_direction(wanted, section.direction)
        # JSEP §5.3.1-§5.3.2: keep our credentials unless the remote offer restarts ICE; an answerer
        # cannot start a restart itself (RTCAnswerOptions has no iceRestart).
        remote_restarting = slots.current_remote is not None and (
            slots.pending_remote.ice_credentials != slots.current_remote.ice_credentials
        )
        ours = _credentials_of(slots.pending_local) or _credentials_of(slots.current_local) or self._kept_rolled_back()
        keep = ours is not None and not remote_restarting
        credentials = ours if keep and ours is not None else self._generated_credentials(remote_restarting)
        answer = SessionDescription("answer", self._write(media, credentials, directions, frozenset(rejected)))
        slots.last_created_answer = answer.sdp
        slots.last_answer_state = self._answerer_state()
        return answer

    def _kept_rolled_back(self) -> IceCredentials | None:
        """JSEP §5.3.2 read as keeping a rolled-back offer's credentials (profile rolled_back_offer_credentials)."""
        configuration = self._configuration
        if self.profile.rolled_back_offer_credentials == "with-candidate-pool" and configuration is not None:
            return self._slots.rolled_back_credentials if configuration.iceCandidatePoolSize >= 2 else None
        return None

    def _generated_credentials(self, restart: bool) -> IceCredentials:
        """Credentials for a description with none to keep (JSEP §5.2.1, §5.3.1) or restarting ICE: a new pair,
        or, in a profile that reuses them, the pair generated last unless this is a restart."""
        slots = self._slots
        if self.profile.reuse_generated_credentials and not restart and slots.generated_credentials is not None:
            return slots.generated_credentials
        slots.generated_credentials = self._credentials.fresh()
        return slots.generated_credentials

    def _write(
        self,
        media: tuple[tuple[str, str], ...],
        credentials: IceCredentials,
        directions: dict[str, str],
        rejected: frozenset[str],
    ) -> str:
        self._slots.sdp_version += 1
        return write_sdp(
            session_id=self._session_id,
            version=self._slots.sdp_version,
            media=media,
            credentials=credentials,
            directions=directions,
            rejected=rejected,
        )

    def _answerer_state(self) -> _AnswererState:
        return _AnswererState(self._slots.pending_remote, self._slots.current_local)

    def _transceiver_for(self, mid: str) -> RTCRtpTransceiver | None:
        return next((t for t in self._slots.transceivers if t.jsep_mid == mid), None)

    def _offerer_state(self) -> _OffererState:
        slots = self._slots
        transceivers = tuple((t.kind, t.direction_slot, t.stopping, t.stopped) for t in slots.transceivers)
        return _OffererState(
            bool(slots.data_channels), slots.local_ice_credentials_to_replace, slots.current_local, transceivers
        )

    # ---- setLocalDescription / setRemoteDescription -----------------------------------------------

    def _set_local(self, sdp_type: str | None, sdp: str) -> None:
        slots = self._slots
        if self.profile.sld_called_when == "invoked":
            slots.sld_called = True
        # Step 4.1: infer the type when it is absent.
        if sdp_type is None:
            sdp_type = "offer" if slots.signaling_state in OFFER_INFERRED_IN else "answer"
        # Steps 4.2-4.3: SDP given to sLD must be what createOffer / createAnswer returned, unchanged.
        if sdp_type == "offer" and sdp and sdp != slots.last_created_offer:
            raise InvalidModificationError(
                "setLocalDescription step 4.2", "the offer's SDP is not [[LastCreatedOffer]]", kind="reject"
            )
        if sdp_type in ("answer", "pranswer") and sdp and sdp != slots.last_created_answer:
            raise InvalidModificationError(
                "setLocalDescription step 4.3", "the answer's SDP is not [[LastCreatedAnswer]]", kind="reject"
            )
        # Steps 4.4-4.5: with no SDP, use the last one created, or create one now.
        if not sdp and sdp_type == "offer":
            sdp = slots.last_created_offer
            if not sdp or slots.last_offer_state != self._offerer_state():
                sdp = self._create_an_offer(ice_restart=False).sdp
        elif not sdp and sdp_type in ("answer", "pranswer"):
            # Step 4.5: [[LastCreatedAnswer]], unless it is empty or "no longer accurately represents the
            # answerer's system state" (a new remote offer since, e.g. one restarting ICE): then a new answer.
            sdp = slots.last_created_answer
            if not sdp or slots.last_answer_state != self._answerer_state():
                sdp = self._create_an_answer().sdp
        # Step 4.6.
        self._set_session_description(SessionDescription(sdp_type, sdp), remote=False)
        if self.profile.sld_called_when == "applied" and sdp_type != "rollback":
            slots.sld_called = True

    def _set_remote(self, sdp_type: str, sdp: str) -> None:
        slots = self._slots
        # setRemoteDescription step 3.1: an offer invalid in this state first rolls back (implicit rollback).
        if sdp_type == "offer" and next_state(slots.signaling_state, "remote", "offer") is None:
            self._set_session_description(SessionDescription("rollback", ""), remote=False)
        self._set_session_description(SessionDescription(sdp_type, sdp), remote=True)

    def _set_session_description(self, description: SessionDescription, *, remote: bool) -> None:
        """Set a session description: the failure checks in order, then the success steps."""
        slots = self._slots
        spec = "set a session description"
        state = slots.signaling_state
        # Step 2: rollback is refused in stable and the pranswer states.
        if description.type == "rollback" and state in ROLLBACK_REFUSED_IN:
            raise InvalidStateError(f"{spec} step 2", f"cannot roll back in {state}", kind="reject")
        side: Side = "remote" if remote else "local"
        new_state = next_state(state, side, description.type)
        # Step 4.6.2: the type is invalid for the current state (JSEP §5.5, §5.6).
        if new_state is None:
            raise InvalidStateError(
                f"{spec} step 4.6.2", f"a {side} {description.type} is invalid in {state}", kind="reject"
            )
        if description.type != "rollback":
            self._check_description_content(description, remote=remote)
        self._apply(description, remote=remote, new_state=new_state)

    def _check_description_content(self, description: SessionDescription, *, remote: bool) -> None:
        spec = "set a session description"
        parsed = parse_sdp(description.sdp)
        # Step 4.6.3: not valid SDP syntax -> RTCError (an OperationError) "sdp-syntax-error".
        if parsed is None:
            raise OperationError(f"{spec} step 4.6.3", "not SDP", kind="reject", detail="sdp-syntax-error")
        # Step 4.6.4: rtcpMuxPolicy "require" and a remote RTP section without rtcp-mux.
        if remote and any(m.kind != "application" and not m.rtcp_mux for m in parsed.media):
            raise InvalidAccessError(f"{spec} step 4.6.4", "the description does not use RTCP mux", kind="reject")
        # Step 4.6.6: invalid content (JSEP §5.8: every m= section needs ICE credentials; an answer
        # has exactly the offer's m= sections).
        if any(m.credentials is None for m in parsed.media):
            raise InvalidAccessError(f"{spec} step 4.6.6", "an m= section has no ICE credentials", kind="reject")
        if description.type in ("answer", "pranswer"):
            offer = self._slots.pending_local if remote else self._slots.pending_remote
            offered = parse_sdp(offer.sdp) if offer is not None else None
            if offered is not None and len(offered.media) != len(parsed.media):
                raise InvalidAccessError(
                    f"{spec} step 4.6.6", "the answer's m= sections do not match the offer's", kind="reject"
                )
            if remote:
                self._check_remote_answer_ice_restart(description)

    def _check_remote_answer_ice_restart(self, answer: SessionDescription) -> None:
        """Set a session description step 4.6.6 with JSEP §5.10 (applying a remote description), per m= section:
        an answer whose ICE ufrag or password changed from the previous remote description while the local offer
        is no ICE restart, or one that kept them while the local offer restarts ICE, is invalid content."""
        slots = self._slots
        spec = "set a session description step 4.6.6 (JSEP §5.10)"
        previous_remote = _credentials_by_mid(slots.current_remote, counterpart=slots.current_local)
        current_local = _credentials_by_mid(slots.current_local)
        offer = _credentials_by_mid(slots.pending_local)
        for mid, section in _named_sections(answer, counterpart=slots.pending_local):
            previous, kept, offered = previous_remote.get(mid), current_local.get(mid), offer.get(mid)
            if previous is None or section.credentials is None:
                continue  # a new m= section: nothing to have changed from
            changed = section.credentials != previous
            restarting = kept is not None and offered is not None and offered != kept
            # JSEP §5.10: changed credentials in an answer: "check to see if the current local description is
            # an ICE restart, and if not, generate an error".
            if changed and not restarting:
                raise InvalidAccessError(
                    spec, f"m= section {mid}: the answer restarts ICE but the offer does not", kind="reject"
                )
            # JSEP §5.10: "If the current local description indicates an ICE restart but neither the ICE
            # ufrag nor the password has changed from the previous remote description ... generate an error."
            if restarting and not changed:
                raise InvalidAccessError(
                    spec,
                    f"m= section {mid}: the offer restarts ICE but the answer keeps its credentials",
                    kind="reject",
                )

    def _apply(self, description: SessionDescription, *, remote: bool, new_state: SignalingState) -> None:
        """The success task (step 4.7), the parts that move descriptions, state and the restart slot."""
        slots = self._slots
        old_state = slots.signaling_state
        previous_local = slots.current_local
        kind = description.type
        if kind != "rollback":
            slots.ice_agent_idle = False
        self._associate_transceivers(description, remote=remote)
        if kind == "rollback":
            if slots.pending_local is not None:  # what a profile that keeps them takes (JSEP §5.3.2)
                slots.rolled_back_credentials = _credentials_of(slots.pending_local) or slots.rolled_back_credentials
            slots.pending_local = slots.pending_remote = None
        elif kind in ("offer", "pranswer"):
            if remote:
                slots.pending_remote = description
            else:
                slots.pending_local = description
        else:  # an answer completes the exchange
            if remote:
                slots.current_remote, slots.current_local = description, slots.pending_local
            else:
                slots.current_local, slots.current_remote = description, slots.pending_remote
            slots.pending_local = slots.pending_remote = None
            slots.last_created_offer = slots.last_created_answer = ""
            for current, counterpart in (
                (slots.current_local, slots.current_remote),
                (slots.current_remote, slots.current_local),
            ):
                slots.negotiated_mids = slots.negotiated_mids.union(_sections_by_mid(current, counterpart=counterpart))
            # "If none of the ICE credentials in [[LocalIceCredentialsToReplace]] are present in the
            # (new current local) description, set [[LocalIceCredentialsToReplace]] to an empty set."
            present = slots.current_local.ice_credentials if slots.current_local is not None else frozenset()
            if not (slots.local_ice_credentials_to_replace & present):
                slots.local_ice_credentials_to_replace = frozenset()
        # JSEP §3.5.1: a local offer or answer with new ICE credentials clears needs-ice-restart.
        previous_credentials = previous_local.ice_credentials if previous_local is not None else frozenset()
        if not remote and kind in ("offer", "answer") and description.ice_credentials != previous_credentials:
            slots.jsep_needs_ice_restart = False
        if kind == "answer":
            self._remove_stopped_transceivers()
        slots.signaling_state = new_state
        if new_state == "stable":
            # Reaching stable clears [[NegotiationNeeded]] and updates the flag (deferred: the chain is busy).
            slots.negotiation_needed = False
            self._update_negotiation_needed_flag()
        if new_state != old_state:
            slots.signalingstatechange_events += 1

    def _associate_transceivers(self, description: SessionDescription, *, remote: bool) -> None:
        """The transceiver steps of set a session description (webrtc-pc §4.4.1.5; JSEP §5.10-§5.11).

        A local offer associates each transceiver with the m= section createOffer proposed for it ([[Mid]] set to
        [[JsepMid]]); a remote offer finds, for each RTP section, the transceiver already associated with its mid,
        else creates a recvonly one (JSEP §5.10: only an addTrack transceiver would be reused, and this model has
        none), and drops the mids a discarded local offer had only proposed; an answer associates by the offer's
        mapping. Step 15: a rejected media description stops its transceiver. A rollback (steps 3.1 and 3.7)
        disassociates what the rolled-back description associated and removes what it created."""
        slots = self._slots
        if description.type == "rollback":
            # The mids of the current descriptions: currentLocalDescription's (the model writes a=mid in every section
            # it writes), which its counterpart's sections go by too (`_named_sections`).
            kept = set(_sections_by_mid(slots.current_local))
            slots.transceivers = [t for t in slots.transceivers if not (t.made_by_remote_offer and t.mid not in kept)]
            for transceiver in slots.transceivers:
                if transceiver.mid not in kept:
                    transceiver.jsep_mid = transceiver.mid = None
            return
        remote_offer = remote and description.type == "offer"
        if remote_offer:
            for transceiver in slots.transceivers:
                if transceiver.mid is None:
                    transceiver.jsep_mid = None
        # JSEP §5.10: a section without a MID is the one at its index in the offer (an answer) or in the current
        # local description (an offer), else gets a mid generated locally (`_named_sections`).
        if description.type == "offer":
            counterpart = slots.current_local if remote else slots.current_remote
        else:
            counterpart = slots.pending_local if remote else slots.pending_remote
        for mid, section in _named_sections(description, counterpart=counterpart, taken=slots.negotiated_mids):
            if section.kind == "application":
                continue
            associated = next((t for t in slots.transceivers if t.mid == mid), None)
            if associated is None and remote_offer:
                if section.kind not in ("audio", "video"):
                    continue
                associated = RTCRtpTransceiver(section.kind, "recvonly", made_by_remote_offer=True)
                associated.jsep_mid = mid
                slots.transceivers.append(associated)
            if associated is None:
                associated = self._transceiver_for(mid)
            if associated is None:
                continue
            associated.mid = associated.jsep_mid = mid
            if section.rejected and (remote or description.type == "answer") and not associated.stopped:
                stop_the_transceiver(associated)

    def _remove_stopped_transceivers(self) -> None:
        """An answer's step 1.1: a stopped transceiver whose m= section is rejected in the current local or remote
        description leaves the set of transceivers."""
        slots = self._slots

        def rejected_in_current(transceiver: RTCRtpTransceiver) -> bool:
            local = _section(slots.current_local, transceiver.mid)
            far = _section(slots.current_remote, transceiver.mid, counterpart=slots.current_local)
            return (local is not None and local.rejected) or (far is not None and far.rejected)

        slots.transceivers = [t for t in slots.transceivers if not (t.stopped and rejected_in_current(t))]


def _media_of(description: SessionDescription) -> tuple[MediaSection, ...]:
    parsed = parse_sdp(description.sdp)
    return parsed.media if parsed is not None else ()


def _named_sections(
    description: SessionDescription | None,
    *,
    counterpart: SessionDescription | None = None,
    taken: frozenset[str] = frozenset(),
) -> tuple[tuple[str, MediaSection], ...]:
    """Each m= section of `description` with the mid the model knows it by: its a=mid line's, else (a far end
    without the MID extension) the mid of the section at the same index in `counterpart`, else a generated one.

    JSEP §5.10 and §5.9 associate transceivers with m= section indices (the mapping createOffer established, or
    the one applying a remote offer established), and an answer's m= sections match the offer's by their order
    (RFC 3264 §6, JSEP §5.8): so an answer's section without a MID is the offer's section at its index
    (`counterpart` is the offer), and a remote offer's is the current local description's at its index; a section
    beyond the counterpart's gets a mid generated locally (JSEP §5.10, "following the guidance for a=mid" of §5.2.1:
    unique): the smallest number no other section of `description` and no mid in `taken` has, which for a first
    offer without MIDs is each section's index. Only a remote offer can have such a section (an answer has the
    offer's number of sections, set a session description step 4.6.6), and its counterpart's mids, the current
    local description's, are all in `taken` (the negotiated mids). The current remote description's counterpart
    is the current local one (the two are an offer and its answer)."""
    if description is None:
        return ()
    parsed = parse_sdp(description.sdp)
    if parsed is None:
        return ()
    if parsed.sections_by_own_mids is not None:  # the usual case, read once a text: every section has its a=mid
        return parsed.sections_by_own_mids
    media = parsed.media
    others = _media_of(counterpart) if counterpart is not None else ()
    mids = [m.mid if m.mid is not None or index >= len(others) else others[index].mid for index, m in enumerate(media)]
    used = set(taken) | {mid for mid in mids if mid is not None}
    names: list[str] = []
    for mid in mids:
        if mid is None:
            mid = _unused_mid(used)
            used.add(mid)
        names.append(mid)
    return tuple((names[index], section) for index, section in enumerate(media))


def _sections_by_mid(
    description: SessionDescription | None, *, counterpart: SessionDescription | None = None
) -> dict[str, MediaSection]:
    """The m= sections of `description` by mid (`_named_sections`); none without a description."""
    return dict(_named_sections(description, counterpart=counterpart))


def _section(
    description: SessionDescription | None, mid: str | None, *, counterpart: SessionDescription | None = None
) -> MediaSection | None:
    """The m= section of `description` with this mid (`_named_sections`; None: no description, no mid, or no such
    section)."""
    return next((m for named, m in _named_sections(description, counterpart=counterpart) if named == mid), None)


def _reversed(direction: str) -> str:
    """A direction as the other side sees it (webrtc-pc "check if negotiation is needed" step 5.3.2)."""
    return direction_of(receives(direction), sends(direction))


def _unused_mid(used: set[str]) -> str:
    """The smallest non-negative integer, as text, that no m= section or transceiver uses as its mid yet."""
    number = 0
    while str(number) in used:
        number += 1
    return str(number)


def _server_list(servers: tuple[RTCIceServer, ...]) -> tuple[tuple[tuple[str, ...], str | None, str | None], ...]:
    """The ICE servers as the agent uses them: set the configuration step 6.2 reads a string `urls` as a list of
    that one URL, so {urls: "stun:x"} and {urls: ["stun:x"]} are the same server."""
    return tuple((server.url_list, server.username, server.credential) for server in servers)


def _credentials_by_mid(
    description: SessionDescription | None, *, counterpart: SessionDescription | None = None
) -> dict[str, IceCredentials]:
    """Each m= section's ICE credentials, by mid (`_named_sections`)."""
    named = _named_sections(description, counterpart=counterpart)
    return {mid: m.credentials for mid, m in named if m.credentials is not None}


def _credentials_of(description: SessionDescription | None) -> IceCredentials | None:
    if description is None:
        return None
    found = sorted(description.ice_credentials)
    return found[0] if found else None


def _has_application_section(description: SessionDescription | None) -> bool:
    if description is None:
        return False
    parsed = parse_sdp(description.sdp)
    return parsed is not None and any(m.kind == "application" for m in parsed.media)


def _generate_certificate(
    keygenAlgorithm: JSValue = ABSENT, *, seed: int = 0, now: int = 0, origin: str = MODEL_ORIGIN
) -> RTCCertificate:
    """RTCPeerConnection.generateCertificate(keygenAlgorithm) (static)."""
    return generate_certificate(keygenAlgorithm, now=now, origin=origin, seed=seed)


RTCPeerConnection.generateCertificate = staticmethod(_generate_certificate)
