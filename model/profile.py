"""Implementation-defined choices, named. The default profile, `SPEC_PROFILE`, is the spec's own reading.

Where the spec leaves a choice to the user agent (or is unclear), the model takes it from a Profile
instead of hard-coding one answer. NOTES.md, "Profiles", explains each field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final, Literal

ICE_SCHEMES: Final = frozenset({"stun", "stuns", "turn", "turns"})
MINIMUM_ICE_SERVER_LIMIT: Final = 32  # RTCConfiguration.iceServers: "MUST be at least 32"


@dataclass(frozen=True)
class Profile:
    name: str = "spec"
    # validate an ICE server URL step 3: the schemes the user agent implements (NotSupportedError otherwise).
    implemented_schemes: frozenset[str] = field(default=ICE_SCHEMES)
    # set the configuration step 5: the implementation-defined limit on ICE servers (>= 32).
    max_ice_servers: int = MINIMUM_ICE_SERVER_LIMIT
    # set the configuration step 3.6: when "setLocalDescription has already been called" becomes true:
    # "invoked" = when an sLD operation starts running on the chain; "applied" = on a successful sLD.
    sld_called_when: Literal["invoked", "applied"] = "invoked"
    # validate an ICE server URL step 7 (PR #3050): check TURN username (RFC 8489 §14.3) and
    # credential (RFC 8265 OpaqueString) conformance, not only their presence.
    check_turn_credential_syntax: bool = True
    # JSEP §3.5.1 / §4.1.18: a changed ICE server list or transport policy sets needs-ice-restart once
    # gathering has begun, so the next offer carries new credentials. webrtc-pc has no such slot.
    jsep_needs_ice_restart: bool = False
    # JSEP §5.2.1 / §5.3.1 say an offer or answer with no credentials to keep gets generated ones, not whether
    # two such descriptions may share them: False = a new pair each time; True = the pair generated last is
    # reused until an ICE restart needs a new one (Firefox: one pair per transport).
    reuse_generated_credentials: bool = False
    # JSEP §5.3.2 keeps an answer's credentials once "any session description was previously supplied to
    # setLocalDescription" (a rolled-back offer was), §5.7 discards what an abandoned description allocated:
    # "discarded" = an answer with no applied local description gets generated credentials; "with-candidate-pool"
    # = while iceCandidatePoolSize is at least 2, it keeps those of the local offer rolled back last (Chromium,
    # whose rolled-back transport keeps its pooled ICE session).
    rolled_back_offer_credentials: Literal["discarded", "with-candidate-pool"] = "discarded"

    def __post_init__(self) -> None:
        if self.max_ice_servers < MINIMUM_ICE_SERVER_LIMIT:
            raise ValueError(f"max_ice_servers must be at least {MINIMUM_ICE_SERVER_LIMIT} (the spec's minimum)")
        if not self.implemented_schemes <= ICE_SCHEMES:
            raise ValueError(f"implemented_schemes must be a subset of {sorted(ICE_SCHEMES)}")

    def but(self, **changes: object) -> Profile:
        """This profile with some choices changed: `SPEC_PROFILE.but(implemented_schemes=...)`."""
        return replace(self, **changes)  # type: ignore[arg-type]


SPEC_PROFILE: Final = Profile()
