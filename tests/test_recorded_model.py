"""The stateful benchmark's baseline is the same run as the model's: ReplayingMachine, answering from a recording of
the model, makes exactly the calls the model machine made, with the same arguments, and exercises the same rules,
outcomes and lifecycle cells; a recording that does not answer what the replay asks stops it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, seed, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from peerspec.oracle.property_suite import constants_from_hypothesis_alone
from peerspec.properties.recorded_model import AnswerTape, Diverged, RecordingMachine, ReplayingMachine
from peerspec.properties.stateful import PeerConnectionMachine, RunStatistics

EXAMPLES = 12
SEED = 11


def run(machine: type[PeerConnectionMachine]) -> RunStatistics:
    machine.statistics = RunStatistics()
    run_settings = settings(
        max_examples=EXAMPLES,
        stateful_step_count=40,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    try:
        with constants_from_hypothesis_alone():
            factory = cast(type[RuleBasedStateMachine], seed(SEED)(lambda: machine()))  # the seed stays off the class
            run_state_machine_as_test(factory, settings=run_settings)
        assert machine.statistics is not None
        return machine.statistics
    finally:
        machine.statistics = None


@pytest.fixture(scope="module")
def recording() -> tuple[AnswerTape, RunStatistics]:
    tape = AnswerTape(verify_arguments=True)
    return tape, run(RecordingMachine.onto(tape))


def test_the_recording_records_every_kind_of_answer(recording: tuple[AnswerTape, RunStatistics]) -> None:
    tape, recorded = recording
    asked = {answer.asked for answer in tape.answers}
    assert {"construct", "generateCertificate", "is_closed", "snapshot", "check", "remote.offer"} <= asked
    assert recorded.steps > 100 and sum(answer.error is not None for answer in tape.answers) > 0
    assert sum(answer.asked == "check" for answer in tape.answers) == recorded.steps  # every step checked


def test_the_replay_makes_the_same_calls_with_the_same_arguments(recording: tuple[AnswerTape, RunStatistics]) -> None:
    tape, recorded = recording
    replayed = run(ReplayingMachine.reading(tape))  # every read compares the call's name and its arguments' repr
    assert tape.finished
    assert replayed == recorded


def test_the_model_machine_runs_the_recorded_run(recording: tuple[AnswerTape, RunStatistics]) -> None:
    _tape, recorded = recording
    assert run(PeerConnectionMachine) == recorded


def _with_first_setconfiguration_answer_changed(tape: AnswerTape, **change: Any) -> tuple[AnswerTape, int]:
    other = AnswerTape(verify_arguments=True)
    other.answers = list(tape.answers)
    index = next(i for i, answer in enumerate(other.answers) if answer.asked == "setConfiguration")
    other.answers[index] = replace(other.answers[index], **change)
    return other, index


def test_a_recording_of_another_run_stops_the_replay(recording: tuple[AnswerTape, RunStatistics]) -> None:
    other, index = _with_first_setconfiguration_answer_changed(recording[0], asked="createOffer")
    with pytest.raises(Diverged, match=f"answer {index}: asked 'setConfiguration'"):
        run(ReplayingMachine.reading(other))


def test_other_arguments_stop_the_replay(recording: tuple[AnswerTape, RunStatistics]) -> None:
    other, index = _with_first_setconfiguration_answer_changed(recording[0], arguments="({'iceServers': 'other'},)")
    with pytest.raises(Diverged, match=f"answer {index}: setConfiguration with"):
        run(ReplayingMachine.reading(other))
