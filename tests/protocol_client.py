"""A test-side client of the session protocol (oracle/SESSION-PROTOCOL.md): a runner child process spoken to one
raw line at a time, so that tests can send what peerspec's own driver never would (bad lines, unknown sessions).
Shared by the Node, Pion and aiortc runner tests."""

from __future__ import annotations

import collections
import json
import os
import select
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from peerspec.oracle.implementations.child_process import sealed_argv

ROOT = Path(__file__).resolve().parent.parent


class ProtocolClient:
    """A runner child process: one request line in, one answer line out. `sealed` runs it in a network namespace
    that has only loopback, as peerspec runs every library runner."""

    def __init__(
        self,
        argv: list[str],
        *,
        sealed: bool = True,
        env: dict[str, str] | None = None,
        cwd: Path = ROOT,
        answer_seconds: float = 60.0,
    ) -> None:
        self.answer_seconds = answer_seconds
        self.process = subprocess.Popen(
            sealed_argv(argv) if sealed else argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )
        self.pending = b""
        self.stderr: collections.deque[str] = collections.deque(maxlen=40)
        threading.Thread(target=self._drain_stderr, daemon=True).start()  # a chatty runner never blocks on it

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line.decode(errors="replace").rstrip())

    def send_line(self, line: str | bytes) -> dict[str, Any]:
        """Send one raw line; the one JSON object that answers it."""
        raw = line.encode() if isinstance(line, str) else line
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(raw + b"\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + self.answer_seconds
        while b"\n" not in self.pending:
            ready, _, _ = select.select([self.process.stdout], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                pytest.fail(f"no answer to {raw[:200]!r} within {self.answer_seconds:.0f} s{self.stderr_tail()}")
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                pytest.fail(f"the runner exited ({self.process.wait()}) on {raw[:200]!r}{self.stderr_tail()}")
            self.pending += chunk
        answer_line, self.pending = self.pending.split(b"\n", 1)
        answer = json.loads(answer_line)
        assert isinstance(answer, dict), answer_line
        return answer

    def ask(self, request: object) -> dict[str, Any]:
        """A request as JSON (a str or bytes request is sent as the raw line it is)."""
        return self.send_line(request if isinstance(request, str | bytes) else json.dumps(request))

    def open(self) -> object:
        session = self.ask({"open": True})["session"]
        assert isinstance(session, int | str)
        return session

    def steps(self, session: object, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.ask({"session": session, "step": step}) for step in steps]

    def run(self, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One whole trace in a session of its own."""
        session = self.open()
        observed = self.steps(session, steps)
        assert self.ask({"session": session, "close": True}) == {"closed": True}
        return observed

    def stderr_tail(self) -> str:
        return "; stderr: " + " | ".join(self.stderr) if self.stderr else ""

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
