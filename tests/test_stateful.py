"""Random sequences of every call, with every named invariant checked after each step."""

from __future__ import annotations

from peerspec.model import SPEC_PROFILE
from peerspec.properties.stateful import PeerConnectionMachine

TestPeerConnectionLifecycle = PeerConnectionMachine.TestCase


class AppliedProfileMachine(PeerConnectionMachine):
    """The same machine on a connection whose "setLocalDescription has been called" means "applied"."""

    profile = SPEC_PROFILE.but(sld_called_when="applied")


TestPeerConnectionLifecycleWithAppliedProfile = AppliedProfileMachine.TestCase


class NeedsIceRestartProfileMachine(PeerConnectionMachine):
    """The same machine on a connection that implements JSEP's needs-ice-restart (as Firefox does): new ICE
    servers or transport policy after gathering began make the next offer restart ICE."""

    profile = SPEC_PROFILE.but(jsep_needs_ice_restart=True)


TestPeerConnectionLifecycleWithNeedsIceRestart = NeedsIceRestartProfileMachine.TestCase
