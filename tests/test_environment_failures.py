"""The user's environment failing is one line on stderr and exit 2, for every subcommand (issue 10 item 10):
standard output full (/dev/full) or closed, standard input closed, an output folder that cannot be made. A
reader that closes the pipe early (`peerspec replay big.jsonl | head -1`) ends the command quietly, exit 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interrupt_trials import conformance_available

ROOT = Path(__file__).resolve().parent.parent
PEERSPEC = str(Path(sys.executable).with_name("peerspec"))
CONSTRUCT = '{"op": "construct", "args": {}}\n'
PION = conformance_available()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("environment")
    calls = work / "calls.jsonl"
    calls.write_text(CONSTRUCT + '{"op": "getConfiguration", "args": {}}\n' * 3000, encoding="utf-8")
    recorded = work / "recorded.jsonl"
    recorded.write_bytes(subprocess.run([PEERSPEC, "replay", str(calls)], capture_output=True, check=True).stdout)
    one_vector = work / "one-vector"
    one_vector.mkdir()
    (one_vector / "v.jsonl").write_text(CONSTRUCT, encoding="utf-8")
    return {"work": work, "calls": calls, "recorded": recorded, "vectors": one_vector}


def _commands(files: dict[str, Path]) -> dict[str, list[str]]:
    work = files["work"]
    commands = {
        "replay": ["replay", str(files["calls"])],
        "check": ["check", str(files["recorded"])],
        "explain": ["explain", str(files["calls"])],
        "diagram": ["diagram"],
        "generate": ["generate", "--out", str(work / "generated"), "--count", "0"],
        "run": ["run", "--examples", "2", "--steps", "3"],
    }
    if PION:
        commands["conformance"] = [
            "conformance", "--impl", "pion", "--examples", "0", "--vectors", str(files["vectors"]),
            "--out", str(work / "reports"),
        ]  # fmt: skip
    return commands


SUBCOMMANDS = ["replay", "check", "explain", "diagram", "generate", "run", "conformance"]


def _needs(name: str) -> None:
    if name == "conformance" and not PION:
        pytest.skip("conformance needs an implementation: the Pion runner is not available here")


def _assert_one_line(done: subprocess.CompletedProcess[bytes], *words: str) -> None:
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("peerspec: "), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    for word in words:
        assert word in stderr, stderr


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_a_full_standard_output_is_one_line_and_exit_2(name: str, files: dict[str, Path]) -> None:
    _needs(name)
    with open("/dev/full", "wb") as full:
        done = subprocess.run([PEERSPEC, *_commands(files)[name]], stdout=full, stderr=subprocess.PIPE, timeout=300)
    _assert_one_line(done, "No space left on device")


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_a_closed_standard_output_is_one_line_and_exit_2(name: str, files: dict[str, Path]) -> None:
    _needs(name)
    done = subprocess.run(
        [PEERSPEC, *_commands(files)[name]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=300,
    )
    _assert_one_line(done, "standard output is closed")


@pytest.mark.parametrize("name", ["replay", "check", "explain"])
def test_a_closed_standard_input_is_one_line_and_exit_2(name: str) -> None:
    done = subprocess.run(
        [PEERSPEC, name, "-"], stdin=subprocess.DEVNULL, capture_output=True, preexec_fn=lambda: os.close(0), timeout=60
    )
    _assert_one_line(done, "standard input is closed")


@pytest.mark.parametrize("out", ["/proc/peerspec-cannot-be-made", "/dev/full/folder"])
@pytest.mark.parametrize("name", ["generate", "conformance"])
def test_an_output_folder_that_cannot_be_made_is_one_line_and_exit_2(
    name: str, out: str, files: dict[str, Path]
) -> None:
    _needs(name)
    argv = _commands(files)[name]
    argv = [*argv[: argv.index("--out")], "--out", out, *argv[argv.index("--out") + 2 :]]
    done = subprocess.run([PEERSPEC, *argv], capture_output=True, timeout=300)
    _assert_one_line(done, out)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(name: str, files: dict[str, Path]) -> None:
    _needs(name)
    read, write = os.pipe()
    process = subprocess.Popen([PEERSPEC, *_commands(files)[name]], stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    with os.fdopen(read, "rb") as reader:
        reader.read(1)  # the first byte (or the end, for a command that wrote nothing), then the reader is gone
    assert process.stderr is not None
    assert process.wait(timeout=300) == 0
    assert process.stderr.read() == b""


def test_explain_to_a_closed_standard_output_does_not_report_success(files: dict[str, Path]) -> None:
    done = subprocess.run(
        [PEERSPEC, "explain", str(files["calls"])], capture_output=True, preexec_fn=lambda: os.close(1), timeout=60
    )
    assert done.returncode == 2
    assert json.dumps(done.stderr.decode()).count("\\n") == 1
