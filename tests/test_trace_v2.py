"""Trace format v2 (oracle/TRACE-FORMAT.md, "Versioning"): a header line, two more ops, and optional observations
in `after`; version 1 files read as before, and what v1 does not allow stays refused there."""

from __future__ import annotations

import json

import pytest

from peerspec.oracle.compare import compare
from peerspec.oracle.errors import TraceError
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import Step, dumps, parse, split_header, wire

HEADER = '{"peerspecTrace":2}\n'
CONSTRUCT = '{"op":"construct","args":{}}\n'


def v2(*lines: str) -> list[Step]:
    return parse((HEADER + CONSTRUCT + "".join(line + "\n" for line in lines)).encode(), "t")


def test_a_v2_trace_begins_with_its_header_and_numbers_steps_by_line() -> None:
    steps = v2('{"op":"addTransceiver","args":{"kind":"audio"}}')
    assert [(s.op, s.line, s.version) for s in steps] == [("construct", 2, 2), ("addTransceiver", 3, 2)]


def test_the_canonical_form_keeps_the_header_and_reads_back_the_same() -> None:
    steps = replay(v2('{"op":"stopTransceiver","args":{"index":0}}'))
    text = dumps(steps)
    assert text.startswith(HEADER) and parse(text.encode()) == steps


def test_v2_ops_and_observations_are_refused_in_a_v1_trace() -> None:
    with pytest.raises(TraceError, match="unknown op 'addTransceiver'"):
        parse((CONSTRUCT + '{"op":"addTransceiver","args":{"kind":"audio"}}\n').encode())
    recorded = json.loads(dumps(replay(v2())).splitlines()[1])
    with pytest.raises(TraceError, match="after"):
        parse((json.dumps(recorded) + "\n").encode())


def test_a_header_of_an_unknown_version_or_shape_is_refused() -> None:
    for header in ('{"peerspecTrace":3}', '{"peerspecTrace":1}', '{"peerspecTrace":2,"x":1}', '{"peerspecTrace":true}'):
        with pytest.raises(TraceError, match="line 1: not a step"):
            parse((header + "\n" + CONSTRUCT).encode())


def test_a_header_alone_is_an_empty_trace() -> None:
    with pytest.raises(TraceError, match="empty"):
        parse(HEADER.encode())


def test_stopTransceiver_needs_a_non_negative_integer_index() -> None:
    for args in ("{}", '{"index":-1}', '{"index":"0"}'):
        with pytest.raises(TraceError):
            v2('{"op":"stopTransceiver","args":' + args + "}")


def test_the_model_records_v2_observations_only_in_a_v2_trace() -> None:
    v1_after = replay(parse(CONSTRUCT.encode()))[0].after
    v2_after = replay(v2())[0].after
    assert v1_after is not None and v2_after is not None
    assert set(v1_after) == {"signalingState", "negotiationneeded", "lifecycle"}
    assert {"localDescription", "iceGatheringState", "signalingstatechange", "transceivers"} <= set(v2_after)


def test_a_runner_that_observes_less_is_not_judged_on_what_it_did_not_observe() -> None:
    expected = replay(v2('{"op":"addTransceiver","args":{"kind":"audio"}}'))
    observed = [
        Step(s.op, s.args, s.outcome, {"signalingState": "stable", "negotiationneeded": i})
        for i, s in enumerate(expected)
    ]
    assert compare(expected, observed) == []


def test_an_observed_v2_member_that_differs_is_a_divergence() -> None:
    expected = replay(v2('{"op":"addTransceiver","args":{"kind":"audio"}}'))
    after = dict(expected[1].after or {})
    after["transceivers"] = [{"kind": "audio", "mid": None, "direction": "recvonly"}]
    observed = [expected[0], Step(expected[1].op, expected[1].args, expected[1].outcome, after)]
    found = compare(expected, observed)
    assert [d.observation for d in found] == ["after.transceivers"]


def test_a_mid_is_compared_only_as_present_or_null() -> None:
    expected = replay(v2('{"op":"addTransceiver","args":{"kind":"audio"}}', '{"op":"setLocalDescription","args":{}}'))
    after = dict(expected[2].after or {})
    after["transceivers"] = [{"kind": "audio", "mid": "audio-0", "direction": "sendrecv"}]
    observed = [*expected[:2], Step(expected[2].op, expected[2].args, expected[2].outcome, after)]
    assert compare(expected, observed) == []


def test_runners_get_the_header_first_and_pass_it_back() -> None:
    steps = v2()
    handed = wire(steps)
    assert handed[0] == {"peerspecTrace": 2}
    assert split_header(handed) == ([{"peerspecTrace": 2}], handed[1:])
    assert split_header(wire(parse(CONSTRUCT.encode()))) == ([], [{"op": "construct", "args": {}}])


def test_an_argument_the_model_cannot_represent_is_not_implemented_there_and_never_judged() -> None:
    calls = v2('{"op":"addTransceiver","args":{"kind":"video","init":{"sendEncodings":[{"rid":"a"}]}}}')
    expected = replay(calls)
    assert "notImplemented" in (expected[1].outcome or {})
    observed = [expected[0], Step(expected[1].op, expected[1].args, {"ok": {"kind": "video"}}, expected[1].after)]
    assert [d.observation for d in compare(expected, observed)] == ["not implemented"]
