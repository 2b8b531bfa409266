"""Registry matchers tied to the spec step whose rule the implementation skips: a divergence of the same shape that
another step decided (the model says which) is not the entry's, so it is either another entry's or new.

createOffer rejects with InvalidStateError at two steps: createOffer step 2 (the connection is closed) and create an
offer step 1 (the signaling state is neither stable nor have-local-offer). werift skips both (its createOffer checks
nothing), wrtc and Pion only the second; the entries about the signaling state take only step 1's rejection."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pytest

from peerspec.oracle.deviations import load_registry, trace_steps
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import Step, parse
from peerspec.oracle.verdicts import verdicts_of

REGISTRY = load_registry()
CLOSED_THEN_OFFER = [
    {"op": "construct", "args": {"configuration": {}}},
    {"op": "close", "args": {}},
    {"op": "createOffer", "args": {}},
]
SIGNALING_STATE_ENTRY = {
    "werift": "werift-createoffer-in-have-remote-offer",
    "wrtc": "wrtc-createoffer-in-have-remote-offer",
    "pion": "pion-createoffer-ignores-signaling-state",
}


def as_the_model_runs(raw: Sequence[Mapping[str, object]], implementation: str) -> list[Step]:
    return replay(trace_steps(raw), seed=7, profile=REGISTRY.profile(implementation))


def words(observed: list[Step], implementation: str) -> list[tuple[int, str, str | None]]:
    return [(v.divergence.step, v.verdict, v.deviation) for v in verdicts_of(observed, implementation, REGISTRY)]


def an_offer(implementation: str) -> dict[str, object]:
    """What createOffer fulfils with on an open connection in stable, as the model makes it."""
    made = as_the_model_runs([CLOSED_THEN_OFFER[0], CLOSED_THEN_OFFER[2]], implementation)[1]
    assert made.outcome is not None and "ok" in made.outcome
    return made.outcome


def test_the_model_rejects_createoffer_on_a_closed_connection_at_createoffer_step_2() -> None:
    refused = as_the_model_runs(CLOSED_THEN_OFFER, "werift")[2]
    error = (refused.outcome or {})["error"]
    assert isinstance(error, dict)
    assert (error["name"], error["spec"]) == ("InvalidStateError", "createOffer step 2")


@pytest.mark.parametrize("implementation", sorted(SIGNALING_STATE_ENTRY))
def test_an_offer_made_on_a_closed_connection_is_not_the_signaling_state_entry(implementation: str) -> None:
    """werift does make it (werift-createoffer-on-closed); wrtc and Pion reject it, so an offer they made there
    would be new, not their signaling state entry."""
    model = as_the_model_runs(CLOSED_THEN_OFFER, implementation)
    observed = [*model[:2], replace(model[2], outcome=an_offer(implementation))]
    verdicts = words(observed, implementation)
    assert all(deviation != SIGNALING_STATE_ENTRY[implementation] for _, _, deviation in verdicts)
    expected = ("known", "werift-createoffer-on-closed") if implementation == "werift" else ("new", None)
    assert verdicts[:1] == [(3, *expected)]


@pytest.mark.parametrize("implementation", sorted(SIGNALING_STATE_ENTRY))
def test_an_offer_made_in_have_remote_offer_is_still_the_signaling_state_entry(implementation: str) -> None:
    entry = next(d for d in REGISTRY.deviations if d.id == SIGNALING_STATE_ENTRY[implementation])
    path = entry.recorded_trace_path(implementation)
    observed = parse(path.read_bytes(), str(path))
    assert (len(observed), "known", entry.id) in words(observed, implementation)
