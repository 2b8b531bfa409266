"""The stateful machine with trace format v2's calls (addTransceiver, stop, legacy offer options): every named
invariant holds after every step of random sequences that mix them with the configuration and signaling calls."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from peerspec.properties.stateful import TransceiverMachine

TransceiverMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestTransceiverMachine = TransceiverMachine.TestCase
