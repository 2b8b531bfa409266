"""`peerspec check` as an implementer's CI uses it: many traces in one process, verdicts per implementation
(known deviations and profile), root causes first with consequences folded, machine-readable output, and the
outcomes that are not disagreements about the spec (not implemented, harness errors) reported as what they are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from peerspec.oracle.cli import app
from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import dumps, parse

runner = CliRunner()
Record = dict[str, Any]
CONSTRUCT = {"op": "construct", "args": {}}


def _recorded(*steps: object) -> list[Record]:
    """What a conforming implementation records for these steps: the model's own replay."""
    text = "".join(json.dumps(step) + "\n" for step in steps).encode()
    return [json.loads(line) for line in dumps(replay(parse(text))).splitlines()]


def _write(folder: Path, name: str, records: list[Record]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _check(*args: str) -> Any:
    return runner.invoke(app, ["check", *args])


def test_check_takes_a_folder_and_ends_with_a_summary(tmp_path: Path) -> None:
    _write(tmp_path, "a.jsonl", _recorded(CONSTRUCT, {"op": "getConfiguration", "args": {}}))
    _write(tmp_path, "sub/b.jsonl", _recorded(CONSTRUCT, {"op": "close", "args": {}}))
    result = _check(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("summary: 2 traces, 4 steps; 2 agree, 0 diverge")


def test_check_of_the_committed_vectors_as_recorded_by_the_model_agrees() -> None:
    result = _check(str(VECTORS_DIR), "--format", "json")
    assert result.exit_code == 0, result.output[-2000:]
    summary = json.loads(result.stdout)["summary"]
    assert summary["traces"] == summary["agree"] >= 150


def test_json_output_carries_each_verdict_with_its_spec_step(tmp_path: Path) -> None:
    records = _recorded(
        CONSTRUCT, {"op": "setConfiguration", "args": {"configuration": {"bundlePolicy": "max-bundle"}}}
    )
    records[1]["outcome"] = {"ok": None}
    path = _write(tmp_path, "t.jsonl", records)
    result = _check(str(path), "--format", "json")
    assert result.exit_code == 1
    (trace,) = json.loads(result.stdout)["traces"]
    (verdict,) = trace["verdicts"]
    assert verdict["verdict"] == "new" and verdict["step"] == 2
    assert verdict["spec"] == "set the configuration step 3.4"


def test_the_implementations_own_error_message_is_shown(tmp_path: Path) -> None:
    records = _recorded(
        CONSTRUCT, {"op": "setConfiguration", "args": {"configuration": {"bundlePolicy": "max-bundle"}}}
    )
    records[1]["outcome"] = {"error": {"name": "InvalidStateError", "kind": "throw", "message": "bundle is frozen"}}
    result = _check(str(_write(tmp_path, "t.jsonl", records)))
    assert "'bundle is frozen'" in result.stdout


def test_a_step_the_implementation_lacks_is_not_implemented_and_fails_nothing(tmp_path: Path) -> None:
    records = _recorded(CONSTRUCT, {"op": "restartIce", "args": {}}, {"op": "getConfiguration", "args": {}})
    records[1]["outcome"] = {"notImplemented": "no restartIce in this stack"}
    result = _check(str(_write(tmp_path, "t.jsonl", records)))
    assert result.exit_code == 0, result.output
    assert "[not implemented]" in result.stdout and "no restartIce in this stack" in result.stdout


def test_later_divergences_fold_under_the_first_one(tmp_path: Path) -> None:
    records = _recorded(
        CONSTRUCT,
        {"op": "createDataChannel", "args": {"label": "x"}},
        {"op": "createOffer", "args": {}},
        {"op": "setLocalDescription", "args": {}},
    )
    records[1]["outcome"] = {"error": {"name": "TypeError", "kind": "throw"}}  # no channel, so an empty offer:
    records[2]["outcome"] = {"ok": {"type": "offer", "iceCredentials": []}}
    result = _check(str(_write(tmp_path, "t.jsonl", records)))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1].startswith("  [NEW] step 2 createDataChannel: outcome")
    assert any(line.startswith("    + 1 consequence folded: step 3 ICE credentials") for line in lines)
    assert not any("[NEW] step 3" in line for line in lines)


def test_negotiationneeded_is_judged_per_step_not_as_a_running_total(tmp_path: Path) -> None:
    records = _recorded(
        CONSTRUCT,
        {"op": "setConfiguration", "args": {"configuration": {}}},
        {"op": "getConfiguration", "args": {}},
        {"op": "getConfiguration", "args": {}},
    )
    for later in records[1:]:  # one extra event fired by setConfiguration, none after it
        later["after"] = {**later["after"], "negotiationneeded": later["after"]["negotiationneeded"] + 1}
    result = _check(str(_write(tmp_path, "t.jsonl", records)), "--format", "json")
    (trace,) = json.loads(result.stdout)["traces"]
    (verdict,) = trace["verdicts"]
    assert (verdict["step"], verdict["observation"]) == (2, "after.negotiationneeded")
    assert verdict["expected"] == "0 events fired by this step" and verdict["observed"] == "1 event fired by this step"


def test_the_steps_after_a_failed_construct_are_one_divergence(tmp_path: Path) -> None:
    records = _recorded(CONSTRUCT, *[{"op": "getConfiguration", "args": {}}] * 20)
    records[0]["outcome"] = {"error": {"name": "TypeError", "kind": "throw", "message": "no certificates"}}
    records[0]["after"] = None
    for later in records[1:]:
        later.pop("outcome")
        later.pop("after")
    result = _check(str(_write(tmp_path, "t.jsonl", records)), "--format", "json")
    (trace,) = json.loads(result.stdout)["traces"]
    assert [v["observation"] for v in trace["verdicts"]] == ["outcome", "not run"]
    assert "steps 2 to 21 not run" in trace["verdicts"][1]["observed"]


def test_a_known_deviation_of_the_named_implementation_fails_nothing(tmp_path: Path) -> None:
    registry = {
        "version": 1,
        "profiles": {},
        "deviations": [
            {
                "id": "mystack-accepts-frozen-bundle-policy",
                "implementations": ["mystack"],
                "trace": [],
                "spec": {"section": "set the configuration", "step": "3.4"},
                "implementation_does": "accepts it",
                "why": "not analysed",
                "match": {"op": "setConfiguration", "observation": "outcome"},
            }
        ],
    }
    registry_path = tmp_path / "registry.json"
    registry_path.write_text(json.dumps(registry), encoding="utf-8")
    records = _recorded(
        CONSTRUCT, {"op": "setConfiguration", "args": {"configuration": {"bundlePolicy": "max-bundle"}}}
    )
    records[1]["outcome"] = {"ok": None}
    trace = str(_write(tmp_path, "t.jsonl", records))
    assert _check(trace).exit_code == 1
    known = _check(trace, "--impl", "mystack", "--deviations", str(registry_path))
    assert known.exit_code == 0, known.output
    assert "known deviation mystack-accepts-frozen-bundle-policy" in known.stdout


def test_a_registry_that_cannot_be_read_is_an_error_not_an_empty_registry(tmp_path: Path) -> None:
    trace = str(_write(tmp_path, "t.jsonl", _recorded(CONSTRUCT)))
    missing = _check(trace, "--impl", "chromium", "--deviations", str(tmp_path / "nothing.json"))
    assert missing.exit_code == 2 and "no deviation registry at" in missing.stderr
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    bad = _check(trace, "--deviations", str(tmp_path / "bad.json"))
    assert bad.exit_code == 2 and "not a readable deviation registry" in bad.stderr


def test_check_escapes_control_characters_that_come_from_the_trace(tmp_path: Path) -> None:
    records = _recorded(CONSTRUCT, {"op": "close", "args": {}})
    records[1]["outcome"] = {"error": {"name": "\u001b[2J\u001b[Hall steps agree", "kind": "throw"}}
    result = _check(str(_write(tmp_path, "t.jsonl", records)))
    assert "\u001b" not in result.stdout and "\\x1b[2J" in result.stdout


def test_a_path_that_does_not_exist_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _check(str(tmp_path / "nope"))
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


def test_an_error_message_that_echoes_input_escapes_its_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"op": "construct", "args": {}, "\\u001b[2Jx": 1}\n', encoding="utf-8")
    result = _check(str(path))
    assert result.exit_code == 2
    assert "\u001b" not in result.stderr


def test_a_lone_surrogate_in_an_observed_error_name_is_printed_escaped(tmp_path: Path) -> None:
    records = _recorded(CONSTRUCT, {"op": "close", "args": {}})
    records[1]["outcome"] = {"error": {"name": "\ud800", "kind": "throw"}}
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = _check(str(path))
    assert result.exit_code == 1 and "\\ud800" in result.stdout
