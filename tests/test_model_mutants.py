"""Statements of the spec (and of the model's own bookkeeping) that the mutation run found no test for: each
test here kills mutants of model/ that survived the kill-suite (benchmarks/mutation_score.py, NOTES.md
"Mutation score"). The mutants they answer are named in each docstring by the line they changed."""

from __future__ import annotations

import pytest

from peerspec.model import LIFECYCLE_STATES, LIFECYCLE_TRANSITIONS, LifecycleError, RTCPeerConnection, SpecError
from peerspec.model.js_values import ORDINARY_TO_PRIMITIVE, to_string
from peerspec.model.lifecycle import (
    DECLARED_MOVES,
    LIFECYCLE_MACHINE,
    Lifecycle,
    _build_machine,
    compile_machine,
)
from peerspec.model.webidl import _converting

# ---- the lifecycle machine and its compiled lookup -----------------------------------------------------


def test_the_machine_built_from_the_table_declares_exactly_the_tables_moves() -> None:
    """model/lifecycle.py: one machine is built from LIFECYCLE_TRANSITIONS and compiled once into a lookup;
    the lookup holds every declared (trigger, source) -> destinations and nothing else (no auto transitions)."""
    expected: dict[tuple[str, str], set[str]] = {}
    for transition in LIFECYCLE_TRANSITIONS:
        expected.setdefault((transition.trigger, transition.source), set()).add(transition.dest)
    machine = _build_machine()
    assert compile_machine(machine) == {key: frozenset(dests) for key, dests in expected.items()}
    assert list(machine.states) == list(LIFECYCLE_STATES)
    assert machine.initial == "new"
    assert not machine.models  # each connection keeps its own state; the shared machine holds none
    assert compile_machine(LIFECYCLE_MACHINE) == DECLARED_MOVES


def test_an_undeclared_move_names_the_trigger_and_both_states_and_moves_nothing() -> None:
    """model/lifecycle.py: restartIce in "new" leaves the projection in "new" (the slot stays empty); a model
    that projected "restarting" there would be wrong, and the error says which move was undeclared."""
    lifecycle = Lifecycle()
    expected = "restartIce moved the lifecycle new -> restarting, an undeclared transition"
    with pytest.raises(LifecycleError, match=f"^{expected}$"):
        lifecycle.follow("restartIce", "restarting")
    assert lifecycle.state == "new"


# ---- WebIDL conversion: where the TypeError is, and OrdinaryToPrimitive ----------------------------------


def test_an_ice_server_that_is_not_an_object_is_a_TypeError_naming_its_index() -> None:
    """WebIDL §3.2.18 dictionary step 1 on RTCConfiguration.iceServers[0]: 1 is not an object; the error
    names the member and the index where the conversion failed."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": "stun:a.invalid"}, 1]})
    assert caught.value.name == "TypeError"
    assert caught.value.spec == "WebIDL conversion of RTCConfiguration.iceServers[1]"


@pytest.mark.parametrize("kind", ["throw", "reject"])
def test_a_conversion_that_finds_no_primitive_value_is_a_TypeError_of_its_kind(kind: str) -> None:
    """ES2024 §7.1.1.1 OrdinaryToPrimitive step 6 inside a WebIDL conversion: a JSON object whose own "toString"
    is not callable has no primitive value, which JavaScript throws as a TypeError; a promise-returning method
    rejects with it instead (WebIDL §3.7)."""

    def convert(value: object, kind: str = "throw") -> str:
        return to_string(value)

    with pytest.raises(SpecError) as caught:
        _converting(convert)({"toString": 1}, kind=kind)
    assert (caught.value.name, caught.value.spec, caught.value.kind) == ("TypeError", ORDINARY_TO_PRIMITIVE, kind)
    with pytest.raises(SpecError) as positional:
        _converting(convert)({"toString": 1}, kind)
    assert positional.value.kind == kind
