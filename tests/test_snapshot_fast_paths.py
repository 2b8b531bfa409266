"""snapshot_of's fast path is the plain one: on every step of random runs of the stateful machine, the snapshot it
makes equals, field for field (type, values, equality, repr), the one the Snapshot constructor makes from the
connection's getConfiguration(); it shares one configuration dictionary while [[Configuration]] stays the same object,
and asks a connection that is not the model's own class every time."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from peerspec.model import RTCPeerConnection
from peerspec.properties.records import Snapshot, snapshot_of, snapshot_reference
from peerspec.properties.stateful import PeerConnectionMachine


class ComparingMachine(PeerConnectionMachine):
    compared = 0

    def snapshot(self) -> Snapshot:
        fast, reference = snapshot_of(self.pc), snapshot_reference(self.pc)
        assert type(fast) is Snapshot
        assert vars(fast) == vars(reference)
        assert fast == reference and repr(fast) == repr(reference)
        type(self).compared += 1
        return fast


def test_the_fast_snapshot_is_the_constructors_on_every_step() -> None:
    run_state_machine_as_test(
        ComparingMachine,
        settings=settings(
            max_examples=60, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
    assert ComparingMachine.compared > 500


def test_one_configuration_dictionary_while_the_configuration_stays() -> None:
    pc = RTCPeerConnection({"iceServers": [{"urls": "stun:a.invalid"}]})
    first = snapshot_of(pc)
    pc.createDataChannel("chat")
    assert snapshot_of(pc).configuration is first.configuration
    pc.setConfiguration({"iceServers": [{"urls": "stun:b.invalid"}]})
    changed = snapshot_of(pc)
    assert changed.configuration is not first.configuration
    assert changed.configuration == pc.getConfiguration() != first.configuration
    other = RTCPeerConnection({"iceServers": [{"urls": "stun:a.invalid"}]})
    assert snapshot_of(other).configuration is not first.configuration  # another connection: asked anew


def test_a_connection_of_another_class_is_asked_every_time() -> None:
    class Answering(RTCPeerConnection):
        calls = 0

        def getConfiguration(self) -> dict[str, object]:
            type(self).calls += 1
            return {**super().getConfiguration(), "asked": type(self).calls}

    pc = Answering()
    assert snapshot_of(pc).configuration["asked"] == 1
    assert snapshot_of(pc).configuration["asked"] == 2
