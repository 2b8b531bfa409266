"""Ctrl-C trials (issue 10 item 11): start a `peerspec` command, send SIGINT at a random moment, and measure how
long it takes to end, with what exit code, and what it wrote on stderr. tests/test_interrupts.py runs a few dozen;
`python -m tests.interrupt_trials --trials 300` runs more and prints a table."""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTED = 0.3  # seconds: the interpreter's own start (before peerspec's code runs) is not ours to handle


@dataclass(frozen=True)
class Trial:
    command: str
    delay: float
    code: int | None  # None: still running a second after SIGINT (then killed)
    seconds: float
    stderr: str
    leftovers: str = ""  # what the command left behind that it should not have

    @property
    def ok(self) -> bool:
        clean = "Traceback" not in self.stderr and "Exception ignored" not in self.stderr
        finished = self.code in (0, 1, 130)  # 0 or 1: it had finished before the signal came
        return finished and self.seconds <= 1.0 and clean and not self.leftovers


def big_trace(path: Path, steps: int, *, recorded: bool = False) -> Path:
    lines = [{"op": "construct", "args": {}}, {"op": "createDataChannel", "args": {"label": "x"}}]
    cycle = [{"op": "createOffer", "args": {}}, {"op": "setLocalDescription", "args": {}},
             {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
             {"op": "getConfiguration", "args": {}}]  # fmt: skip
    with path.open("w", encoding="utf-8") as out:
        for index in range(steps):
            step = lines[index] if index < len(lines) else cycle[index % len(cycle)]
            out.write(json.dumps(step) + "\n")
    if recorded:
        done = subprocess.run(_peerspec("replay", str(path)), capture_output=True, check=True)
        path.write_bytes(done.stdout)
    return path


def _peerspec(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("peerspec")), *args]


def commands(work: Path) -> dict[str, list[str]]:
    calls = big_trace(work / "calls.jsonl", 30_000)
    recorded = work / "recorded.jsonl"
    if not recorded.exists():
        recorded.write_bytes(subprocess.run(_peerspec("replay", str(calls)), capture_output=True, check=True).stdout)
    return {
        "run": _peerspec("run", "--examples", "100000", "--steps", "30"),
        "replay": _peerspec("replay", str(calls)),
        "check": _peerspec("check", str(recorded)),
        "explain": _peerspec("explain", str(calls)),
        "generate": _peerspec("generate", "--out", str(work / "vectors"), "--count", "3000"),
        "conformance": _peerspec("conformance", "--impl", "pion", "--examples", "1000", "--out", str(work / "reports")),
    }


def trial(name: str, argv: list[str], delay: float, work: Path) -> Trial:
    marker = f"{os.getpid()}-{time.monotonic_ns()}"  # in the environment of everything this trial starts
    env = {**os.environ, "PEERSPEC_INTERRUPT_TRIAL": marker}
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    time.sleep(delay)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        code: int | None = process.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        code = None
        process.kill()
        process.wait()
    seconds = time.monotonic() - sent
    assert process.stderr is not None
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    leftovers = ""
    if name == "generate":
        leftovers = _half_written(work / "vectors")
    time.sleep(0.2)
    extra = _processes_started_by(marker)
    if extra:
        leftovers = f"processes left running: {sorted(extra)}"
    return Trial(name, delay, code, seconds, stderr, leftovers)


def _half_written(folder: Path) -> str:
    if not folder.exists():
        return ""
    partial = [p.name for p in folder.iterdir() if p.name.endswith(".partial")]
    if partial:
        return f"partial files: {partial[:3]}"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return "vectors without a manifest" if any(folder.iterdir()) else ""
    cases = json.loads(manifest.read_text(encoding="utf-8"))["cases"]
    missing = [c["file"] for c in cases if not (folder / c["file"]).exists()]
    return f"manifest lists missing files: {missing[:3]}" if missing else ""


def _processes_started_by(marker: str) -> set[int]:
    """Processes still running with the trial's marker in their environment: the command's children, whatever
    became of their parent."""
    needle = f"PEERSPEC_INTERRUPT_TRIAL={marker}".encode()
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            environment = Path(f"/proc/{entry}/environ").read_bytes()
        except OSError:
            continue
        if needle in environment.split(b"\0"):
            found.add(int(entry))
    return found


def conformance_available() -> bool:
    try:
        from peerspec.oracle.implementations.catalog import pion_runner

        pion_runner()
        return subprocess.run(["unshare", "--user", "--map-root-user", "--net", "true"], check=False).returncode == 0
    except Exception:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.interrupt_trials")
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--most-delay", type=float, default=3.0)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        chosen = commands(work)
        if not conformance_available():
            del chosen["conformance"]
        failures = 0
        by_command: dict[str, list[Trial]] = {}
        for index in range(options.trials):
            name = list(chosen)[index % len(chosen)]
            result = trial(name, chosen[name], rng.uniform(STARTED, options.most_delay), work)
            by_command.setdefault(name, []).append(result)
            if not result.ok:
                failures += 1
                print(f"FAILED {result}", flush=True)
        for name, trials in by_command.items():
            codes = sorted({str(t.code) for t in trials})
            slowest = max(t.seconds for t in trials)
            good = sum(t.ok for t in trials)
            print(f"{name:12} {good}/{len(trials)} ok, exit codes {', '.join(codes)}, slowest {slowest:.2f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
