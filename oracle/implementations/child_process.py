"""An implementation whose runner is a child process speaking the session protocol (oracle/SESSION-PROTOCOL.md):
JSON lines over its standard input and output, one answer per request.

`ChildProcessImplementation` starts the runner (sealed in a network namespace that has only loopback, unless
told otherwise), asks `hello` which ops it implements, and drives sessions.  A step whose op the runner does not
implement is answered `notImplemented` without being sent.  A runner that exits, hangs past the per-step bound,
or answers with anything but one JSON object for the step it was given, is killed and replaced: the step comes
back as a `runnerError` naming what happened (with the last lines of the runner's standard error), the rest of
the session as not run, and the failure is kept in `failures` with the trace that caused it.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from peerspec.oracle.implementations.offline import ensure_offline
from peerspec.oracle.implementations.protocol import Failure, ImplementationUnavailable, Step, Trace, not_run
from peerspec.oracle.trace import split_header
from peerspec.oracle.values import certificate_references

PROTOCOL: Final = 1
DEFAULT_STEP_TIMEOUT: Final = 10.0
#: How long a runner may take to answer `hello` (a Go build or a Node import can be slow on a loaded machine).
START_TIMEOUT: Final = 60.0
STDERR_LINES: Final = 12


@dataclass(frozen=True)
class RunnerCommand:
    """How to start a runner: its command line, folder and extra environment; `sealed` runs it inside a network
    namespace that has only loopback (every non-browser implementation is run so)."""

    argv: tuple[str, ...]
    cwd: Path | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    sealed: bool = True


def sealed_argv(argv: Sequence[str]) -> list[str]:
    """`argv` run in a new network namespace with only loopback, brought up (`unshare -n`; as a user who is not
    root, in a user namespace of its own as well). Raises ImplementationUnavailable where that cannot be done."""
    unshare = shutil.which("unshare")
    if unshare is None:
        raise ImplementationUnavailable("unshare (util-linux) is not installed: the runner cannot be sealed off")
    ip = shutil.which("ip")
    bring_up = f"{ip} link set lo up && " if ip else ""
    user = [] if os.geteuid() == 0 else ["--map-root-user"]
    return [unshare, *user, "--net", "--", "sh", "-c", bring_up + 'exec "$@"', "peerspec-sealed", *argv]


class RunnerFailed(RuntimeError):
    """The runner crashed, hung or wrote garbage; it has been killed."""


class _Runner:
    """One live child process and its answer queue."""

    def __init__(self, command: RunnerCommand) -> None:
        argv = sealed_argv(command.argv) if command.sealed else list(command.argv)
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=command.cwd,
                env={**os.environ, **command.env},
                start_new_session=True,
            )
        except OSError as error:
            raise ImplementationUnavailable(f"cannot start {argv[0]}: {error}") from None
        self.answers: queue.Queue[bytes | None] = queue.Queue()
        self.stderr: deque[str] = deque(maxlen=STDERR_LINES)
        threading.Thread(target=self._read_answers, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_answers(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.answers.put(line)
        self.answers.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line.decode("utf-8", "replace").rstrip())

    def request(self, message: Mapping[str, Any], timeout: float) -> dict[str, Any]:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(message, allow_nan=False, separators=(",", ":")).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            raise RunnerFailed(self._exited("exited before it read the request")) from None
        try:
            line = self.answers.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise RunnerFailed(f"hung: no answer within {timeout:g} s; killed") from None
        if line is None:
            raise RunnerFailed(self._exited("exited"))
        try:
            answer = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            self.kill()
            raise RunnerFailed(f"wrote garbage, not one JSON object: {line[:120]!r}; killed") from None
        if not isinstance(answer, dict):
            self.kill()
            raise RunnerFailed(f"wrote garbage, a JSON {type(answer).__name__} and not an object; killed")
        return answer

    def _exited(self, what: str) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=2)
        code = self.process.returncode
        status = (
            "still running"
            if code is None
            else (f"signal {signal.Signals(-code).name}" if code < 0 else f"status {code}")
        )
        time.sleep(0.05)  # let the stderr reader catch the last lines
        tail = " | ".join(self.stderr)
        return f"{what} ({status})" + (f"; stderr: {tail}" if tail else "")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


class ChildProcessImplementation:
    """A runner child process as an Implementation (and a ManagedImplementation: start, stop, failures)."""

    def __init__(self, name: str, command: RunnerCommand, *, step_timeout: float = DEFAULT_STEP_TIMEOUT) -> None:
        self.name = name
        self.command = command
        self.step_timeout = step_timeout
        self.failures: list[Failure] = []
        self.implements: frozenset[str] = frozenset()
        self._version: str | None = None
        self._runner: _Runner | None = None
        self._session: object = None
        self._dead: str | None = None
        self._steps: Trace = []
        self._unmade: set[str] = set()  # certificates named by generateCertificate steps not implemented here
        self._no_connection = False  # this trace's construct was not implemented

    @property
    def version(self) -> str | None:
        return self._version

    def start(self) -> None:
        if self._runner is not None:
            return
        runner = _Runner(self.command)
        try:
            hello = runner.request({"hello": PROTOCOL}, START_TIMEOUT)
        except RunnerFailed as error:
            runner.kill()
            raise ImplementationUnavailable(f"{self.name}: the runner did not answer hello: {error}") from None
        if hello.get("protocol") != PROTOCOL or not isinstance(hello.get("implements"), list):
            runner.kill()
            raise ImplementationUnavailable(f"{self.name}: the runner's hello is not protocol {PROTOCOL}: {hello}")
        self.implements = frozenset(str(op) for op in hello["implements"])
        self._version = f"{hello.get('implementation', self.name)} {hello.get('version', '')}".strip()
        self._runner = runner

    def stop(self) -> None:
        self._session = None
        if self._runner is not None:
            self._runner.kill()
            self._runner = None

    def open(self) -> None:
        self.close()
        self.start()
        self._steps, self._dead = [], None
        self._unmade = set()
        self._no_connection = False
        try:
            self._session = self._request({"open": True})["session"]
        except (RunnerFailed, KeyError) as error:
            self._fail(f"open failed: {error}")

    def step(self, step: Step) -> Step:
        ensure_offline(step)
        self._steps.append(step)
        if self._dead is not None or self._session is None:
            return not_run(step, self._dead or "no session is open")
        if self._no_connection:
            reason = "not run: this trace's construct was not implemented, so there is no connection"
            return {**step, "outcome": {"notImplemented": reason}}
        if step.get("op") not in self.implements:
            if step.get("op") == "generateCertificate":
                self._unmade.add(str((step.get("args") or {}).get("name")))
            return {**step, "outcome": {"notImplemented": f"{self.name} does not implement {step.get('op')}"}}
        unmade = sorted(self._unmade.intersection(map(str, certificate_references(step.get("args") or {}))))
        if unmade:  # the runner never saw the certificate: not the implementation's failure, nor the runner's
            reason = f"certificate {unmade[0]!r} was never made ({self.name} does not implement generateCertificate)"
            self._no_connection = step.get("op") == "construct"
            return {**step, "outcome": {"notImplemented": reason}}
        began = time.monotonic()
        try:
            observed = self._request({"session": self._session, "step": step})
        except RunnerFailed as error:
            return not_run(step, self._fail(str(error), time.monotonic() - began))
        if "runnerError" in observed and "op" not in observed:
            return not_run(step, str(observed["runnerError"]))
        if observed.get("op") != step.get("op"):
            return not_run(step, self._fail(f"answered a step with something else: {json.dumps(observed)[:160]}"))
        return observed

    def peek_configuration(self) -> object:
        if self._session is None or self._dead is not None:
            return None
        try:
            return self._request({"session": self._session, "peek": True}).get("configuration")
        except RunnerFailed as error:
            self._fail(f"peek failed: {error}")
            return None

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and self._dead is None:
            try:
                self._request({"session": session, "close": True})
            except RunnerFailed as error:
                self._fail(f"close failed: {error}")

    def run_traces(self, traces: Sequence[Trace]) -> list[Trace]:
        for trace in traces:
            for step in trace:
                ensure_offline(step)
        return [self._run_trace(trace) for trace in traces]

    def _run_trace(self, whole: Trace) -> Trace:
        head, trace = split_header(whole)  # a v2 trace's header comes back as it went (v1 observations only)
        self.open()
        observed: Trace = list(head)
        construct_threw = False
        for step in trace:
            if construct_threw:  # the trace format: once construct throws, no later step is run
                observed.append(dict(step))
                continue
            result = self.step(step)
            observed.append(result)
            construct_threw = step.get("op") == "construct" and "error" in (result.get("outcome") or {})
        self.close()
        return observed

    def _request(self, message: Mapping[str, Any]) -> dict[str, Any]:
        if self._runner is None:
            raise RunnerFailed("the runner is not running")
        return self._runner.request(message, self.step_timeout)

    def _fail(self, reason: str, seconds: float = 0.0) -> str:
        """Keep the failure, replace the runner, and mark the session dead; the reason as the step reports it."""
        text = f"{self.name} runner {reason}; replaced"
        self.failures.append(Failure(self.name, text, list(self._steps), seconds))
        self.stop()
        self._dead = text
        return text
