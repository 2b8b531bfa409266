"""Exhaustive exploration: the closure of a finite alphabet is complete and every invariant holds on it, a broken
invariant comes back as the shortest trace that breaks it, credentials count up to renaming, and the search is
deterministic (the same with a process pool, and sharded runs together reach every state)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peerspec.model import SPEC_PROFILE
from peerspec.oracle.cli import app
from peerspec.oracle.explore_report import graph_json, lifecycle_counts, mermaid, violation_trace, violation_vector
from peerspec.oracle.trace import parse
from peerspec.properties import explore as explore_module
from peerspec.properties.explore import Exploration, explore, replay
from peerspec.properties.explore_alphabet import ALPHABETS, Operation
from peerspec.properties.explore_state import World
from peerspec.properties.invariants import INVARIANTS, InvariantViolation
from peerspec.properties.records import History, StepRecord


def _abstract_states(exploration: Exploration) -> set[object]:
    return {replay(exploration.setup, state.path).abstract_state() for state in exploration.states}


def test_the_small_alphabet_closes_and_every_invariant_holds_on_every_edge() -> None:
    result = explore("small")
    assert result.complete and result.violation is None
    # Every edge but a construct that threw (no connection to judge) had every invariant checked on it.
    judged = [e for e in result.edges if not (e.source == 0 and e.outcome != "ok")]
    assert result.invariant_checks == len(INVARIANTS) * len(judged) == len(INVARIANTS) * len(result.edges)
    counts = lifecycle_counts(result)
    assert all(counts[name] > 0 for name in ("new", "negotiating", "restarting", "closed"))
    assert sum(counts.values()) == len(result.states)


def test_a_depth_bound_leaves_the_closure_incomplete() -> None:
    result = explore("small", max_depth=3)
    assert not result.complete and result.depth == 3
    assert max(state.depth for state in result.states) == 3


def _never_restarting(record: StepRecord, history: History) -> None:
    """Deliberately wrong: claims the lifecycle never reaches restarting."""
    if record.after.lifecycle == "restarting":
        raise InvariantViolation("never_restarting", f"{record.op} reached restarting")


def test_a_violated_invariant_stops_the_search_with_the_shortest_trace() -> None:
    result = explore("small", invariants=(*INVARIANTS, _never_restarting))
    assert result.violation is not None and result.violation.invariant == "never_restarting"
    assert not result.complete
    labels = [result.setup.alphabet[i].label for i in result.violation.path]
    # restartIce fills the slot from the local descriptions' credentials, and only an m= section carries them
    # (an offer with no data channel has none): four calls is the shortest way.
    assert labels == ["construct()", 'createDataChannel("chat")', "sLD()", "restartIce()"]
    steps = parse(violation_trace(result).encode())
    assert [s.op for s in steps][2:] == ["construct", "createDataChannel", "setLocalDescription", "restartIce"]
    vector = parse(violation_vector(result).encode())
    assert vector[-1].after is not None and vector[-1].after["lifecycle"] == "restarting"


def test_peerspec_explore_writes_a_violations_shortest_trace_and_vector_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = functools.partial(explore, invariants=(*INVARIANTS, _never_restarting))
    monkeypatch.setattr(explore_module, "explore", broken)
    folder = tmp_path / "violations"
    outcome = CliRunner().invoke(app, ["explore", "--alphabet", "small", "--violations", str(folder)])
    assert outcome.exit_code == 1, outcome.output
    assert "spec: never_restarting" in outcome.output and "restartIce reached restarting" in outcome.output
    trace, vector = folder / "explore-violation-spec.jsonl", folder / "explore-violation-spec.vector.jsonl"
    assert [s.op for s in parse(trace.read_bytes())][2:] == [
        "construct",
        "createDataChannel",
        "setLocalDescription",
        "restartIce",
    ]
    # The vector is what the model does on the trace: replaying the trace gives it back byte for byte.
    replayed = CliRunner().invoke(app, ["replay", str(trace)])
    assert replayed.exit_code == 0, replayed.output
    assert replayed.stdout == vector.read_text(encoding="utf-8")


def test_states_differing_only_by_credentials_are_one_abstract_state() -> None:
    offer = Operation("createOffer()", "createOffer")
    construct, channel = ALPHABETS["small"][0], ALPHABETS["small"][1]
    once, twice = World(SPEC_PROFILE), World(SPEC_PROFILE)
    for world, calls in ((once, [construct, channel, offer]), (twice, [construct, channel, offer, offer])):
        for operation in calls:
            world.apply(operation)
    # Each createOffer in stable with nothing negotiated generates fresh credentials and a new SDP version.
    assert once.last_offer_sdp != twice.last_offer_sdp
    assert once.pc is not None and twice.pc is not None
    assert once.pc.pendingLocalDescription is None and once.pc.currentLocalDescription is None
    assert once.abstract_state() == twice.abstract_state()
    before_offer = World(SPEC_PROFILE)
    for operation in (construct, channel):
        before_offer.apply(operation)
    assert before_offer.abstract_state() != once.abstract_state()


def test_exploration_is_deterministic_and_a_process_pool_changes_nothing() -> None:
    first, second, pooled = explore("small"), explore("small"), explore("small", jobs=2)
    assert first.states == second.states == pooled.states
    assert first.edges == second.edges == pooled.edges
    assert graph_json(first, full=True).split('"seconds"')[0] == graph_json(second, full=True).split('"seconds"')[0]
    assert mermaid(first) == mermaid(second)


def test_copying_and_replaying_a_state_explore_the_same_graph() -> None:
    replayed, copied = explore("small", fork="replay"), explore("small", fork="deepcopy")
    by_hand = explore("small", fork="copy")
    assert (
        [(s.depth, s.lifecycle, s.signaling_state) for s in replayed.states]
        == [(s.depth, s.lifecycle, s.signaling_state) for s in copied.states]
        == [(s.depth, s.lifecycle, s.signaling_state) for s in by_hand.states]
    )
    assert replayed.edges == copied.edges == by_hand.edges


def test_the_hand_made_copy_explores_what_deepcopy_does_on_the_default_alphabet() -> None:
    copied, by_hand = explore("default", max_depth=6, fork="deepcopy"), explore("default", max_depth=6, fork="copy")
    assert copied.states == by_hand.states and copied.edges == by_hand.edges


def test_shards_together_reach_every_state_of_the_closure() -> None:
    whole = explore("small")
    shards = [explore("small", shard=(index, 3)) for index in range(3)]
    assert set().union(*(_abstract_states(shard) for shard in shards)) == _abstract_states(whole)
    assert all(len(shard.states) < len(whole.states) for shard in shards)


def test_every_profile_closes_the_small_alphabet_with_every_invariant_holding() -> None:
    from peerspec.oracle.deviations import REGISTRY_PATH, load_registry

    registry = load_registry(REGISTRY_PATH)
    for name in registry.profiles:
        result = explore("small", profile=registry.profile(name))
        assert result.complete and result.violation is None, name


def test_peerspec_explore_reports_the_closure_and_refuses_bad_options_in_one_line() -> None:
    runner = CliRunner()
    outcome = runner.invoke(app, ["explore", "--alphabet", "small", "--profile", "spec,pion"])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output.count("closure complete") == 2
    assert "every invariant held on every edge" in outcome.output
    for bad in (["--shard", "2/2"], ["--shard", "x"], ["--profile", "nobody"], ["--jobs", "0"]):
        refused = runner.invoke(app, ["explore", "--alphabet", "small", *bad])
        assert refused.exit_code == 2, (bad, refused.output)
        assert len(refused.output.strip().splitlines()) == 1, refused.output


def test_the_remote_peers_answer_to_a_pending_restarting_offer_is_part_of_the_abstract_state() -> None:
    # RemotePeer.answer reuses the pair it made for a restarting offer while that offer is still pending: a state
    # where it has answered differs from one where it has not; once the offer is answered, what it remembered
    # can never match again and the two are one state.
    calls = {operation.label: operation for operation in ALPHABETS["signaling"]}
    world = World(SPEC_PROFILE)
    for label in ("construct()", 'createDataChannel("chat")', "sLD()", "sRD(remote answer)", "restartIce()", "sLD()"):
        world.apply(calls[label])
    world.apply(calls["sRD(remote pranswer)"])
    assert world.remote._restart_answered is not None
    forgotten = World(SPEC_PROFILE)
    for label in ("construct()", 'createDataChannel("chat")', "sLD()", "sRD(remote answer)", "restartIce()", "sLD()"):
        forgotten.apply(calls[label])
    forgotten.apply(calls["sRD(remote pranswer)"])
    forgotten.remote._restart_answered = None
    assert world.abstract_state() != forgotten.abstract_state()
    world.apply(calls["sRD(remote answer)"])
    forgotten.apply(calls["sRD(remote answer)"])
    assert world.pc is not None and world.pc.pendingLocalDescription is None
    assert world.abstract_state() == forgotten.abstract_state()


def test_an_answerer_state_left_behind_is_only_told_apart_as_no_longer_the_present_one() -> None:
    # createAnswer records (the remote offer, the current local description); after a rollback that offer is
    # gone for good (every remote offer is newly written), so answering one remote offer or two, each rolled
    # back, leaves the same abstract state.
    calls = {operation.label: operation for operation in ALPHABETS["signaling"]}
    once, twice = World(SPEC_PROFILE), World(SPEC_PROFILE)
    rounds = ("sRD(remote offer)", "createAnswer()", "sRD(rollback)")
    for world, labels in ((once, ("construct()", *rounds)), (twice, ("construct()", *rounds, *rounds))):
        for label in labels:
            world.apply(calls[label])
    assert once.pc is not None and twice.pc is not None
    assert once.pc._slots.last_answer_state != twice.pc._slots.last_answer_state
    assert once.abstract_state() == twice.abstract_state()
