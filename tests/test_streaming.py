"""`replay`, `check` and `explain` stream a trace (issue 10 item 12): each step is read, replayed and written
while the rest is still coming, and no step is held once it has been dealt with."""

from __future__ import annotations

import json
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerspec.oracle.batch_check import judge
from peerspec.oracle.deviations import Registry
from peerspec.oracle.errors import TraceError
from peerspec.oracle.model_runner import replay, replay_with_messages
from peerspec.oracle.narrate import narrate
from peerspec.oracle.trace import Step, parse, parse_lines

CONSTRUCT = b'{"op": "construct", "args": {}}\n'
CYCLE = [
    b'{"op": "createDataChannel", "args": {"label": "chat"}}\n',
    b'{"op": "createOffer", "args": {}}\n',
    b'{"op": "setLocalDescription", "args": {}}\n',
    b'{"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}}\n',
    b'{"op": "getConfiguration", "args": {}}\n',
]


def _lines(count: int) -> Iterator[bytes]:
    yield CONSTRUCT
    for index in range(count - 1):
        yield CYCLE[index % len(CYCLE)]


def _peerspec() -> list[str]:
    return [sys.executable, "-m", "peerspec.oracle.cli"]


@pytest.mark.parametrize("command", ["replay", "explain"])
def test_the_first_line_comes_out_before_the_input_is_closed(command: str) -> None:
    process = subprocess.Popen(
        [*_peerspec(), command, "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(CONSTRUCT + CYCLE[0])
        process.stdin.flush()
        first = process.stdout.readline()  # the input is still open: a reader holding the whole trace blocks here
        assert first.startswith(b"{" if command == "replay" else b"Step 1: new RTCPeerConnection()"), first
        if command == "replay":
            assert json.loads(first)["outcome"] == {"ok": None}
    finally:
        process.stdin.close()
    rest = process.stdout.read()
    assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else b""
    assert rest.count(b"\n") == 1


def test_a_step_is_given_as_soon_as_its_line_is_read() -> None:
    pulled: list[int] = []

    def lines() -> Iterator[bytes]:
        for number, line in enumerate(_lines(4), start=1):
            pulled.append(number)
            yield line

    steps = parse_lines(lines(), "t")
    assert next(steps).op == "construct" and pulled == [1]
    assert next(steps).op == "createDataChannel" and pulled == [1, 2]


def test_a_bad_line_is_reported_with_its_number_after_the_good_ones_were_given() -> None:
    steps = parse_lines(iter([CONSTRUCT, CYCLE[0], b'{"op": "construct", "args": {}}\n']), "t")
    assert [next(steps).op, next(steps).op] == ["construct", "createDataChannel"]
    with pytest.raises(TraceError, match=r"^t, line 3: a second construct step"):
        next(steps)


def test_the_end_of_the_lines_closes_the_order_check() -> None:
    with pytest.raises(TraceError, match=r"^t: the trace has no construct step$"):
        list(parse_lines(iter([b'{"op": "generateCertificate", "args": {"name": "c"}}\n']), "t"))
    with pytest.raises(TraceError, match=r"^t: the trace is empty"):
        list(parse_lines(iter([]), "t"))


def test_replay_writes_the_good_steps_then_one_line_and_exit_2_for_the_bad_one(tmp_path: Path) -> None:
    trace = tmp_path / "t.jsonl"
    trace.write_bytes(CONSTRUCT + CYCLE[0] + b"{not json\n")
    done = subprocess.run([*_peerspec(), "replay", str(trace)], capture_output=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stdout.count(b"\n") == 2
    assert done.stderr.decode().startswith(f"peerspec: {trace}, line 3: not JSON") and done.stderr.count(b"\n") == 1


class _Watched:
    """Steps handed out one at a time, each watched by a weak reference: how many are still alive."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.refs: list[weakref.ref[Step]] = []
        self.most_alive = 0

    def __iter__(self) -> Iterator[Step]:
        for step in parse_lines(_lines(self.count), "t"):
            self.most_alive = max(self.most_alive, sum(1 for ref in self.refs if ref() is not None))
            self.refs.append(weakref.ref(step))
            yield step


def test_replay_and_narration_hold_no_step_once_it_is_written() -> None:
    watched = _Watched(200)
    for _ in narrate(replay_with_messages(watched)):
        pass
    assert watched.most_alive <= 2


def test_check_holds_no_step_of_an_agreeing_trace() -> None:
    recorded = replay(parse(b"".join(_lines(200))))
    recorded_lines = [json.dumps(step.to_json()).encode() + b"\n" for step in recorded]
    watched = _Watched(0)

    def steps() -> Iterator[Step]:
        for step in parse_lines(iter(recorded_lines), "t"):
            watched.most_alive = max(watched.most_alive, sum(1 for ref in watched.refs if ref() is not None))
            watched.refs.append(weakref.ref(step))
            yield step

    del recorded
    result = judge("t", steps(), "", Registry(()))
    assert result.steps == 200 and result.verdicts == ()
    assert watched.most_alive <= 2
