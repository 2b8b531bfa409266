"""The far end of the connection: enough of a peer to offer and answer, so that setRemoteDescription has
real descriptions to apply. Its credentials are those of the last exchange it completed with the connection
(the connection's currentRemoteDescription), from the seed before any; it makes new ones for an offer that
restarts ICE, and for its answer to a local offer that restarts ICE (JSEP §5.3.2), one new pair per such offer."""

from __future__ import annotations

from peerspec.model.peer_connection import RTCPeerConnection
from peerspec.model.sdp import CredentialSource, IceCredentials, SessionDescription, parse_sdp, write_sdp
from peerspec.model.transceivers import answer_direction


class RemotePeer:
    def __init__(self, seed: int = 0) -> None:
        self._source = CredentialSource(seed, "remote")
        self._credentials = self._source.fresh()
        self._session_id = 1_000_000 + seed
        self._version = 0
        self._restart_answered: tuple[str, IceCredentials] | None = None  # (the restarting offer, our new pair)

    def offer(self, local: RTCPeerConnection, *, ice_restart: bool = False) -> SessionDescription:
        """An offer to `local`: its negotiated m= sections (or one data section), our credentials."""
        self._credentials = self._source.fresh() if ice_restart else self._current(local)
        parsed = parse_sdp(local.currentLocalDescription.sdp) if local.currentLocalDescription else None
        sections = parsed.media if parsed else ()
        media = tuple((m.kind, m.mid or str(i)) for i, m in enumerate(sections))
        # Its own transceivers only receive (setRemoteDescription made them recvonly); a section rejected in either
        # current description (its own last answer is `local`'s current remote one) stays so (JSEP §5.2.2).
        far = parse_sdp(local.currentRemoteDescription.sdp) if local.currentRemoteDescription else None
        far_rejected = {m.mid or str(i) for i, m in enumerate(far.media if far else ()) if m.rejected}
        rejected = frozenset(
            mid for (_kind, mid), m in zip(media, sections, strict=True) if m.rejected or mid in far_rejected
        )
        directions = {mid: "recvonly" for _kind, mid in media}
        if not any(kind == "application" for kind, _mid in media):
            media += (("application", str(len(media))),)
        return SessionDescription("offer", self._write(media, directions, rejected))

    def answer(self, local: RTCPeerConnection, sdp_type: str = "answer") -> SessionDescription:
        """An answer (or pranswer) to `local`'s pending local offer; with none pending, to a data-only offer.
        JSEP §5.3.2: the credentials stay the same unless the offer restarts ICE, which gets a new pair."""
        pending = local.pendingLocalDescription
        parsed = parse_sdp(pending.sdp) if pending is not None else None
        sections = parsed.media if parsed else ()
        media = tuple((m.kind, m.mid or str(i)) for i, m in enumerate(sections)) if parsed else (("application", "0"),)
        # JSEP §5.3.1: a rejected offered section is rejected in the answer; its transceivers, recvonly (made by
        # setRemoteDescription, no track), answer the offered direction intersected with recvonly.
        rejected = frozenset(mid for (_kind, mid), m in zip(media, sections, strict=False) if m.rejected)
        directions = {
            mid: answer_direction("recvonly", m.direction) for (_kind, mid), m in zip(media, sections, strict=False)
        }
        if pending is not None and _restarts_ice(pending, local.currentLocalDescription):
            if self._restart_answered is None or self._restart_answered[0] != pending.sdp:
                self._restart_answered = (pending.sdp, self._source.fresh())
            self._credentials = self._restart_answered[1]
        else:
            self._credentials = self._current(local)
        return SessionDescription(sdp_type, self._write(media, directions, rejected))

    def _current(self, local: RTCPeerConnection) -> IceCredentials:
        """The credentials of the last exchange completed with `local` (a rolled-back offer's are dropped)."""
        current = local.currentRemoteDescription
        found = sorted(current.ice_credentials) if current is not None else []
        return found[0] if found else self._credentials

    def _write(self, media: tuple[tuple[str, str], ...], directions: dict[str, str], rejected: frozenset[str]) -> str:
        self._version += 1
        return write_sdp(
            session_id=self._session_id,
            version=self._version,
            media=media,
            credentials=self._credentials,
            directions=directions,
            rejected=rejected,
        )


def _restarts_ice(offer: SessionDescription, current: SessionDescription | None) -> bool:
    """The offer carries credentials other than the current local description's (JSEP §5.2.2: an ICE restart)."""
    if current is None:
        return False
    kept, offered = current.ice_credentials, offer.ice_credentials
    return bool(kept) and bool(offered) and offered != kept
