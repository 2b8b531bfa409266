"""Set a configuration (webrtc-pc §4.4.1.5 "set the configuration"; Editor's Draft, after PR #2689 moved all
validation ahead of any change). `check_configuration` is steps 2-6 and changes nothing; the caller then
applies steps 7-10. A failed call therefore changes neither [[Configuration]] nor the ICE agent."""

from __future__ import annotations

from dataclasses import dataclass

from peerspec.model.configuration import RTCConfiguration, RTCIceServer
from peerspec.model.errors import InvalidModificationError, SyntaxError_
from peerspec.model.ice_server_url import validate_ice_server_url
from peerspec.model.profile import Profile

SPEC = "set the configuration"


@dataclass(frozen=True)
class IceAgentSettings:
    """What steps 7-9 hand the ICE agent: transports setting, candidate pool size, the (truncated) servers."""

    ice_transports: str = "all"
    candidate_pool_size: int = 0
    ice_servers: tuple[RTCIceServer, ...] = ()


def check_configuration(
    configuration: RTCConfiguration,
    old_config: RTCConfiguration | None,
    *,
    sld_called: bool,
    profile: Profile,
) -> IceAgentSettings:
    """Steps 2-6: raise the first error the spec reaches, else return the ICE agent settings to apply."""
    # Step 3: only once a configuration is stored (not during construction).
    if old_config is not None:
        _check_unchangeable_members(configuration, old_config, sld_called=sld_called)
    # Step 4-5: truncate to the implementation-defined limit; servers past it are ignored, unvalidated.
    ice_servers = configuration.iceServers[: profile.max_ice_servers]
    # Step 6: each server, each url, in order; the first failure is the error.
    for server in ice_servers:
        urls = server.url_list
        if not urls:
            raise SyntaxError_(f"{SPEC} step 6.3", "an ICE server's urls is an empty list")
        for url in urls:
            validate_ice_server_url(url, server, profile)
    return IceAgentSettings(configuration.iceTransportPolicy, configuration.iceCandidatePoolSize, ice_servers)


def _check_unchangeable_members(
    configuration: RTCConfiguration, old_config: RTCConfiguration, *, sld_called: bool
) -> None:
    # Step 3.1: the certificate count may not change.
    if len(configuration.certificates) != len(old_config.certificates):
        raise InvalidModificationError(f"{SPEC} step 3.1", "the number of certificates changed")
    # Step 3.3.1: each certificate must be the very same object, index by index.
    for index, (new, old) in enumerate(zip(configuration.certificates, old_config.certificates, strict=True)):
        if new is not old:
            raise InvalidModificationError(f"{SPEC} step 3.3.1", f"certificates[{index}] is another certificate")
    # Step 3.4: the bundle policy is fixed for the connection's life.
    if configuration.bundlePolicy != old_config.bundlePolicy:
        raise InvalidModificationError(f"{SPEC} step 3.4", "bundlePolicy cannot change")
    # Step 3.5: so is the rtcp-mux policy (unreachable while "require" is its only value).
    if configuration.rtcpMuxPolicy != old_config.rtcpMuxPolicy:
        raise InvalidModificationError(f"{SPEC} step 3.5", "rtcpMuxPolicy cannot change")
    # Step 3.6: the candidate pool size is frozen once setLocalDescription has been called.
    if configuration.iceCandidatePoolSize != old_config.iceCandidatePoolSize and sld_called:
        raise InvalidModificationError(
            f"{SPEC} step 3.6", "iceCandidatePoolSize cannot change after setLocalDescription"
        )
