"""The `peerspec` command: replay, check, explain and diagram, and the promise of one-line errors with exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from peerspec.oracle.cli import app
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import dumps, parse

runner = CliRunner()

Record = dict[str, Any]


def _jsonl(*steps: object) -> bytes:
    return "".join(json.dumps(step) + "\n" for step in steps).encode()


def _invoke(*args: str, input: bytes | None = None) -> Result:
    return runner.invoke(app, list(args), input=input)


def _write(tmp_path: Path, data: bytes, name: str = "trace.jsonl") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _recorded(*steps: object) -> list[Record]:
    """What a conforming implementation records for these steps: the model's own replay."""
    return [json.loads(line) for line in dumps(replay(parse(_jsonl(*steps)))).splitlines()]


def _check(tmp_path: Path, records: list[Record]) -> Result:
    return _invoke("check", _write(tmp_path, _jsonl(*records), "observed.jsonl"))


CONSTRUCT = {"op": "construct", "args": {}}
STUN = {"urls": "stun:stun.example.org"}


# ---- replay ---------------------------------------------------------------------------------------------


def test_replay_echoes_each_step_as_a_canonical_line_with_the_models_outcome_and_after(tmp_path: Path) -> None:
    data = _jsonl(CONSTRUCT, {"op": "setConfiguration", "args": {"configuration": {"bundlePolicy": "max-compat"}}})
    result = _invoke("replay", _write(tmp_path, data))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    second = json.loads(lines[1])
    assert second["op"] == "setConfiguration"
    assert second["outcome"]["error"]["name"] == "InvalidModificationError"
    assert second["outcome"]["error"]["spec"].startswith("set the configuration step 3")
    assert set(second["after"]) == {"signalingState", "negotiationneeded", "lifecycle"}
    assert lines[1] == json.dumps(second, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_replay_reads_standard_input_and_takes_a_seed() -> None:
    data = _jsonl(CONSTRUCT, {"op": "createDataChannel", "args": {"label": "x"}}, {"op": "createOffer", "args": {}})
    first = _invoke("replay", "-", "--seed", "1", input=data)
    again = _invoke("replay", "-", "--seed", "1", input=data)
    other = _invoke("replay", "-", "--seed", "2", input=data)
    assert first.exit_code == 0 and first.stdout == again.stdout != other.stdout


# ---- check ----------------------------------------------------------------------------------------------


def test_check_passes_a_trace_a_conforming_implementation_recorded(tmp_path: Path) -> None:
    records = _recorded(
        CONSTRUCT,
        {"op": "createDataChannel", "args": {"label": "chat"}},
        {"op": "createOffer", "args": {}},
        {"op": "setLocalDescription", "args": {}},
        {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
        {"op": "restartIce", "args": {}},
        {"op": "createOffer", "args": {}},
        {"op": "close", "args": {}},
        {"op": "createOffer", "args": {}},
    )
    result = _check(tmp_path, records)
    assert result.exit_code == 0, result.stdout
    assert "all 9 steps agree" in result.stdout


def test_check_compares_credentials_by_pattern_and_ignores_spec_message_and_lifecycle(tmp_path: Path) -> None:
    """A browser's trace: random ufrags, an error message instead of a spec step, no lifecycle."""
    records = _recorded(
        CONSTRUCT,
        {"op": "createDataChannel", "args": {"label": "chat"}},
        {"op": "createOffer", "args": {}},
        {"op": "createOffer", "args": {}},
        {"op": "createAnswer", "args": {}},
    )
    browser_like: list[Record] = []
    for record in records:
        text = json.dumps(record)
        for pair in (record["outcome"].get("ok", None) and record["outcome"]["ok"].get("iceCredentials", [])) or []:
            text = text.replace(pair[0], "Rnd" + pair[0][::-1]).replace(pair[1], "Pwd" + pair[1][::-1])
        changed = json.loads(text)
        error = changed["outcome"].get("error")
        if error:
            error["message"] = "whatever the browser says"
            del error["spec"]
        del changed["after"]["lifecycle"]
        browser_like.append(changed)
    assert browser_like != records
    result = _check(tmp_path, browser_like)
    assert result.exit_code == 0, result.stdout


def test_check_catches_a_configuration_merged_instead_of_replaced(tmp_path: Path) -> None:
    records = _recorded(
        {"op": "construct", "args": {"configuration": {"iceServers": [STUN]}}},
        {"op": "getConfiguration", "args": {}},
        {"op": "setConfiguration", "args": {"configuration": {"iceTransportPolicy": "relay"}}},
        {"op": "getConfiguration", "args": {}},
    )
    # A merging implementation keeps the iceServers the second configuration left out.
    records[3]["outcome"]["ok"]["iceServers"] = records[1]["outcome"]["ok"]["iceServers"]
    result = _check(tmp_path, records)
    assert result.exit_code == 1
    assert "step 4 getConfiguration: configuration.iceServers" in result.stdout
    assert "set the configuration step 10" in result.stdout


def test_check_catches_a_turn_url_accepted_without_credentials(tmp_path: Path) -> None:
    records = _recorded(
        CONSTRUCT,
        {"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": "turn:turn.example.org"}]}}},
    )
    model_error = records[1]["outcome"]["error"]
    records[1]["outcome"] = {"ok": None}
    result = _check(tmp_path, records)
    assert result.exit_code == 1
    assert f"expected throws {model_error['name']}, observed returns" in result.stdout
    assert model_error["spec"] in result.stdout


def test_check_catches_a_wrong_error_kind(tmp_path: Path) -> None:
    records = _recorded(CONSTRUCT, {"op": "close", "args": {}}, {"op": "createOffer", "args": {}})
    error = records[2]["outcome"]["error"]
    assert error["kind"] == "reject"
    error["kind"] = "throw"
    result = _check(tmp_path, records)
    assert result.exit_code == 1
    assert "step 3 createOffer: error kind" in result.stdout
    assert f"expected rejects with {error['name']}, observed throws {error['name']}" in result.stdout


def test_check_catches_credentials_that_change_without_an_ice_restart(tmp_path: Path) -> None:
    records = _recorded(
        CONSTRUCT,
        {"op": "createDataChannel", "args": {"label": "chat"}},
        {"op": "createOffer", "args": {}},
        {"op": "setLocalDescription", "args": {}},
        {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
        {"op": "createOffer", "args": {}},
    )
    records[5]["outcome"]["ok"]["iceCredentials"] = [["changed", "changedchangedchangedchan"]]
    result = _check(tmp_path, records)
    assert result.exit_code == 1
    assert "step 6 createOffer: ICE credentials (equality pattern) — expected [C1], observed [C2]" in result.stdout


def test_check_catches_credentials_kept_through_an_ice_restart(tmp_path: Path) -> None:
    records = _recorded(
        CONSTRUCT,
        {"op": "createDataChannel", "args": {"label": "chat"}},
        {"op": "createOffer", "args": {}},
        {"op": "setLocalDescription", "args": {}},
        {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
        {"op": "restartIce", "args": {}},
        {"op": "createOffer", "args": {}},
    )
    records[6]["outcome"]["ok"]["iceCredentials"] = records[2]["outcome"]["ok"]["iceCredentials"]
    result = _check(tmp_path, records)
    assert result.exit_code == 1
    assert "step 7 createOffer: ICE credentials" in result.stdout


def test_check_catches_a_wrong_signaling_state_and_negotiationneeded_count(tmp_path: Path) -> None:
    records = _recorded(CONSTRUCT, {"op": "createDataChannel", "args": {"label": "chat"}})
    records[1]["after"]["negotiationneeded"] += 1
    records[1]["after"]["signalingState"] = "have-local-offer"
    result = _check(tmp_path, records)
    assert result.exit_code == 1
    assert "after.negotiationneeded" in result.stdout and "after.signalingState" in result.stdout


def test_check_reports_a_runner_error_as_the_harness_failure_it_is(tmp_path: Path) -> None:
    records = _recorded(CONSTRUCT, {"op": "getConfiguration", "args": {}})
    records[1]["outcome"] = {"runnerError": "getConfiguration is not a function"}
    result = _check(tmp_path, records)
    assert result.exit_code == 1
    assert "HARNESS ERROR, not the implementation's" in result.stdout
    assert "getConfiguration is not a function" in result.stdout
    assert "NEW" not in result.stdout


def test_check_refuses_a_trace_with_no_recorded_outcome(tmp_path: Path) -> None:
    result = _invoke("check", _write(tmp_path, _jsonl(CONSTRUCT)))
    assert result.exit_code == 2
    assert "no step has an outcome" in result.stderr


# ---- explain and diagram ----------------------------------------------------------------------------------


def test_explain_narrates_each_step_with_the_spec_step_that_decided_it(tmp_path: Path) -> None:
    data = _jsonl(
        {"op": "construct", "args": {"configuration": {"bundlePolicy": "max-bundle"}}},
        {"op": "setConfiguration", "args": {"configuration": {}}},
        {"op": "createDataChannel", "args": {"label": "chat"}},
    )
    result = _invoke("explain", _write(tmp_path, data))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("Step 2: setConfiguration({}) throws InvalidModificationError — set the configuration")
    assert "bundlePolicy" in lines[1]
    assert "negotiationneeded fires (1 so far)" in lines[2]


def test_diagram_draws_the_lifecycle_transitions_as_mermaid() -> None:
    from peerspec.model import LIFECYCLE_TRANSITIONS

    result = _invoke("diagram")
    assert result.exit_code == 0, result.stderr
    assert "stateDiagram-v2" in result.stdout
    for transition in LIFECYCLE_TRANSITIONS:
        assert f"{transition.source} --> {transition.dest}: " in result.stdout
        assert transition.trigger in result.stdout
    assert "is_projected" not in result.stdout  # conditions hidden


@pytest.mark.skipif(shutil.which("dot") is not None, reason="graphviz is installed here")
def test_diagram_as_dot_without_graphviz_is_a_one_line_error() -> None:
    _assert_one_line_error(_invoke("diagram", "--format", "dot"))


# ---- every error is one line and exit 2 -----------------------------------------------------------------


def _assert_one_line_error(result: Result, code: int = 2) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("peerspec: ")
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    assert "Traceback" not in result.stderr


BAD_TRACES: dict[str, bytes] = {
    "malformed JSON": b'{"op": "construct", "args": {}\n',
    "wrong types": b'{"op": "construct", "args": ["not", "an", "object"]}\n',
    "unknown op": b'{"op": "connect", "args": {}}\n',
    "huge number": b'{"op": "construct", "args": {"configuration": {"iceCandidatePoolSize": 1e400}}}\n',
    "huge integer": b'{"op": "construct", "args": {"configuration": ' + b"7" * 5000 + b"}}\n",
    "NaN literal": b'{"op": "construct", "args": {"configuration": NaN}}\n',
    "deep nesting": b'{"op": "construct", "args": {"configuration": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}\n",
    "non-UTF-8": b'{"op": "construct", "args": {"configuration": {"iceServers": [{"urls": "stun:\xe9"}]}}}\n',
    "empty file": b"",
    "unknown tag": b'{"op": "construct", "args": {"configuration": {"$js": "symbol"}}}\n',
    "no construct": b'{"op": "close", "args": {}}\n',
}


@pytest.mark.parametrize("command", ["replay", "check", "explain"])
@pytest.mark.parametrize("problem", sorted(BAD_TRACES))
def test_bad_input_to_every_subcommand_is_one_line_and_exit_2(tmp_path: Path, command: str, problem: str) -> None:
    _assert_one_line_error(_invoke(command, _write(tmp_path, BAD_TRACES[problem])))


@pytest.mark.parametrize("command", ["replay", "check", "explain"])
def test_bad_standard_input_is_one_line_and_exit_2(command: str) -> None:
    _assert_one_line_error(_invoke(command, "-", input=b"\xff\xfe"))


@pytest.mark.parametrize("command", ["replay", "check", "explain"])
def test_a_missing_file_or_a_directory_is_one_line_and_exit_2(tmp_path: Path, command: str) -> None:
    _assert_one_line_error(_invoke(command, str(tmp_path / "absent.jsonl")))
    _assert_one_line_error(_invoke(command, str(tmp_path)))


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["replay"],
        ["replay", "a", "b"],
        ["replay", "--seed", "x", "t"],
        ["diagram", "--format", "svg"],
        ["run", "--examples", "0"],
        ["run", "--steps", "many"],
        ["run", "--sld-called-when", "sometimes"],
        ["run", "--seed", "1e99"],
        ["generate", "--count", "-1"],
        ["generate", "--count", "99999999999999999999"],
        ["generate", "--seed", "NaN"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str]) -> None:
    _assert_one_line_error(_invoke(*args))


def test_an_unexpected_exception_is_one_line_and_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> Callable[[], None]:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("peerspec.oracle.model_runner.replay_with_messages", broken)
    result = _invoke("replay", _write(tmp_path, _jsonl(CONSTRUCT)))
    _assert_one_line_error(result, code=3)
    assert result.stderr.startswith("peerspec: internal error: RuntimeError: boom")


def test_the_console_entry_point_gives_one_line_and_exit_2_without_a_traceback(tmp_path: Path) -> None:
    bad = _write(tmp_path, BAD_TRACES["deep nesting"])
    done = subprocess.run(
        [sys.executable, "-m", "peerspec.oracle.cli", "check", bad], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.count(b"\n") == 1 and done.stderr.startswith(b"peerspec: ")


def test_generate_into_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "not-a-directory"
    target.write_text("x")
    _assert_one_line_error(_invoke("generate", "--out", str(target), "--count", "0"))


def test_generate_writes_the_rule_cases_and_a_manifest(tmp_path: Path) -> None:
    result = _invoke("generate", "--out", str(tmp_path / "v"), "--count", "0")
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "v" / "manifest.json").read_text())
    assert manifest["generated"] == 0 and manifest["cases"]
    assert all((tmp_path / "v" / case["file"]).exists() for case in manifest["cases"])


def _peerspec() -> str:
    return str(Path(sys.executable).with_name("peerspec"))


def test_a_full_disk_is_one_line_and_exit_2_not_an_internal_error() -> None:
    vector = sorted((Path(__file__).resolve().parent.parent / "vectors").glob("generated-*.jsonl"))[0]
    with open("/dev/full", "wb") as full:
        result = subprocess.run([_peerspec(), "replay", str(vector)], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and "No space left on device" in result.stderr.decode()


def test_a_reader_that_closes_the_pipe_early_ends_the_command_quietly(tmp_path: Path) -> None:
    long_trace = tmp_path / "long.jsonl"
    lines = ['{"op": "construct", "args": {}}'] + ['{"op": "getConfiguration", "args": {}}'] * 5000
    long_trace.write_text("\n".join(lines) + "\n", encoding="utf-8")
    process = subprocess.Popen([_peerspec(), "replay", str(long_trace)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""
