"""RTCConfiguration and RTCIceServer after WebIDL conversion (webrtc-pc §4.2.1, §4.2.2).

These are the IDL dictionaries as the spec's algorithms see them: every member with a default is
present, `username` and `credential` may be absent (None), `urls` keeps the shape the caller used
(a string or a list of strings). Values are immutable, so storing one in [[Configuration]] and
handing out copies can never alias.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from peerspec.model.certificates import RTCCertificate

ICE_TRANSPORT_POLICIES: Final = ("relay", "all")
BUNDLE_POLICIES: Final = ("balanced", "max-compat", "max-bundle")
RTCP_MUX_POLICIES: Final = ("require",)


@dataclass(frozen=True)
class RTCIceServer:
    urls: str | tuple[str, ...]
    username: str | None = None
    credential: str | None = None

    @property
    def url_list(self) -> tuple[str, ...]:
        """set the configuration step 6.2: a single string becomes a list holding it."""
        return (self.urls,) if isinstance(self.urls, str) else self.urls


@dataclass(frozen=True)
class RTCConfiguration:
    iceServers: tuple[RTCIceServer, ...] = ()
    iceTransportPolicy: str = "all"
    bundlePolicy: str = "balanced"
    rtcpMuxPolicy: str = "require"
    certificates: tuple[RTCCertificate, ...] = field(default=())
    iceCandidatePoolSize: int = 0


def configuration_dictionary(configuration: RTCConfiguration) -> dict[str, object]:
    """A fresh RTCConfiguration dictionary as a script sees it: what getConfiguration() returns.

    Every member is present with its default filled in; `username` and `credential` only when given.
    `urls` is always a list: the literal text stores the caller's string, but WPT and browsers return a
    list (NOTES.md, "urls in getConfiguration"). Certificates are the RTCCertificate objects themselves.
    """
    servers: list[object] = []
    for server in configuration.iceServers:
        entry: dict[str, object] = {"urls": list(server.url_list)}
        if server.username is not None:
            entry["username"] = server.username
        if server.credential is not None:
            entry["credential"] = server.credential
        servers.append(entry)
    return {
        "bundlePolicy": configuration.bundlePolicy,
        "certificates": list(configuration.certificates),
        "iceCandidatePoolSize": configuration.iceCandidatePoolSize,
        "iceServers": servers,
        "iceTransportPolicy": configuration.iceTransportPolicy,
        "rtcpMuxPolicy": configuration.rtcpMuxPolicy,
    }
