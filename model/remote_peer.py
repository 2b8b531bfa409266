"""The far end of the connection: enough of a peer to offer and answer, so that setRemoteDescription has
real descriptions to apply. It keeps its own ICE credentials (from the seed) across descriptions and
renews them only when asked to restart ICE."""

from __future__ import annotations

from peerspec.model.peer_connection import RTCPeerConnection
from peerspec.model.sdp import CredentialSource, SessionDescription, parse_sdp, write_sdp
from peerspec.model.transceivers import answer_direction


class RemotePeer:
    def __init__(self, seed: int = 0) -> None:
        self._source = CredentialSource(seed, "remote")
        self._credentials = self._source.fresh()
        self._session_id = 1_000_000 + seed
        self._version = 0

    def offer(self, local: RTCPeerConnection, *, ice_restart: bool = False) -> SessionDescription:
        """An offer to `local`: its negotiated m= sections (or one data section), our credentials."""
        if ice_restart:
            self._credentials = self._source.fresh()
        parsed = parse_sdp(local.currentLocalDescription.sdp) if local.currentLocalDescription else None
        sections = parsed.media if parsed else ()
        media = tuple((m.kind, m.mid or str(i)) for i, m in enumerate(sections))
        # Its own transceivers only receive (setRemoteDescription made them recvonly); a rejected section stays so.
        rejected = frozenset(mid for (_kind, mid), m in zip(media, sections, strict=True) if m.rejected)
        directions = {mid: "recvonly" for _kind, mid in media}
        if not any(kind == "application" for kind, _mid in media):
            media += (("application", str(len(media))),)
        return SessionDescription("offer", self._write(media, directions, rejected))

    def answer(self, local: RTCPeerConnection, sdp_type: str = "answer") -> SessionDescription:
        """An answer (or pranswer) to `local`'s pending local offer; with none pending, to a data-only offer."""
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
        return SessionDescription(sdp_type, self._write(media, directions, rejected))

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
