"""The reductions of the abstract state are sound: states the reduced canonical form merges behave the same for every
call of the alphabet. Checked as a bisimulation over every state an unreduced search reaches to a bound: any two
of them with the same reduced state, given the same call, have the same outcome, the same invariant verdicts, the
same lifecycle and signaling state after it, and again the same reduced state. And the check is not vacuous: a
reduction that merges states that do differ (forgetting the data channels) fails it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from peerspec.model import SPEC_PROFILE
from peerspec.model.profile import Profile
from peerspec.oracle.deviations import REGISTRY_PATH, load_registry
from peerspec.properties import explore_state
from peerspec.properties.explore import Setup, _copy, _digest, explore, replay
from peerspec.properties.explore_alphabet import ALPHABETS
from peerspec.properties.explore_state import AlphabetFacts, World
from peerspec.properties.invariants import InvariantViolation
from peerspec.properties.records import Outcome


def _behaviour(world: World, setup: Setup, reduced: Setup) -> Iterator[tuple[object, ...]]:
    """For each call of the alphabet enabled in `world`: its outcome, the invariants it breaks, where it leads and
    the reduced state it leads to."""
    for index, operation in enumerate(setup.alphabet):
        if not world.enabled(operation):
            yield (index, "disabled")
            continue
        child = _copy(world)
        history = child.history()
        ran = child.run(operation)
        child.facts = reduced.facts
        if isinstance(ran, Outcome):
            yield (index, ran.error, _digest(child))
            continue
        broken = []
        for invariant in setup.invariants:
            try:
                invariant(ran, history)
            except InvariantViolation as error:
                broken.append(error.invariant)
        child.recorded(ran)
        yield (index, ran.outcome.error, ran.after.lifecycle, ran.after.signaling_state, tuple(broken), _digest(child))


def merged_states_that_differ(alphabet: str, depth: int, profile: Profile = SPEC_PROFILE) -> list[str]:
    """Every pair of states (unreduced search to `depth`) the reduction merges but some call tells apart."""
    unreduced = explore(alphabet, max_depth=depth, profile=profile, reduce=False)
    facts = AlphabetFacts.of(ALPHABETS[alphabet])
    reduced = Setup(unreduced.setup.alphabet, profile, unreduced.setup.invariants, facts=facts)
    seen: dict[bytes, tuple[tuple[int, ...], list[tuple[object, ...]]]] = {}
    found = []
    for state in unreduced.states:
        world = replay(unreduced.setup, state.path)
        world.facts = facts
        key = _digest(world)
        world.facts = unreduced.setup.facts
        behaviour = list(_behaviour(world, unreduced.setup, reduced))
        if key not in seen:
            seen[key] = (state.path, behaviour)
        elif seen[key][1] != behaviour:
            found.append(f"{seen[key][0]} and {state.path}")
    assert len(seen) < len(unreduced.states)  # the reduction merged something: the check has pairs to judge
    return found


@pytest.mark.parametrize(("alphabet", "depth"), [("signaling", 7), ("default", 5), ("restarts", 5)])
def test_states_the_reduction_merges_answer_every_call_alike(alphabet: str, depth: int) -> None:
    assert merged_states_that_differ(alphabet, depth) == []


@pytest.mark.parametrize("name", ["chromium", "firefox"])
def test_the_reduction_is_sound_in_implementation_profiles(name: str) -> None:
    assert merged_states_that_differ("signaling", 6, load_registry(REGISTRY_PATH).profile(name)) == []


def test_a_reduction_that_merges_states_that_differ_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = explore_state._kept_slots

    def wrongly_kept(profile: Profile, facts: AlphabetFacts) -> tuple[str, ...]:
        # Wrong, and only when reducing: the data channels change the next offer.
        slots = kept(profile, facts)
        return slots if facts == explore_state.NO_FACTS else tuple(s for s in slots if s != "data_channels")

    monkeypatch.setattr(explore_state, "_kept_slots", wrongly_kept)
    assert merged_states_that_differ("signaling", 4) != []


def test_the_reduced_closure_reaches_the_unreduced_search_s_cells_and_verdicts() -> None:
    bound = 7
    reduced, unreduced = explore("signaling", max_depth=bound), explore("signaling", max_depth=bound, reduce=False)

    def cells(result: object) -> set[tuple[str, str, str]]:
        assert hasattr(result, "edges") and hasattr(result, "states") and hasattr(result, "setup")
        return {
            (result.states[e.source].lifecycle, result.setup.alphabet[e.operation].label, e.outcome)
            for e in result.edges
        }

    assert cells(reduced) == cells(unreduced)
    assert reduced.violation is None and unreduced.violation is None
    assert len(reduced.states) < len(unreduced.states)


def test_what_an_alphabet_never_does() -> None:
    assert AlphabetFacts.of(ALPHABETS["default"]) == AlphabetFacts(gives_sdp_back=False, pool_of_two_or_more=False)
    assert AlphabetFacts.of(ALPHABETS["full"]).gives_sdp_back
