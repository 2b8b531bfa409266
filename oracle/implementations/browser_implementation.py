"""`BrowserImplementation` adapts a `BrowserOracle` (oracle/implementations/browser.py) to the `Implementation`
protocol.  Before anything reaches the browser it checks that every URL-like string names a host under `.invalid`
(oracle/implementations/offline.py).  A browser that hangs or crashes is killed and restarted; the step that was
running comes back with a `runnerError` outcome, the session is dead until the next `open()`, and the failure is
kept, with the trace that caused it, in `failures`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from peerspec.oracle.implementations.browser import BrowserHang, BrowserOracle
from peerspec.oracle.implementations.offline import ensure_offline
from peerspec.oracle.implementations.protocol import Failure, Step, Trace, not_run


class BrowserImplementation:
    """A BrowserOracle as an Implementation: sessions for stepping, run_traces for batches."""

    def __init__(self, oracle: BrowserOracle) -> None:
        self.oracle = oracle
        self.name = oracle.name
        self.failures: list[Failure] = []
        self._session: int | None = None
        self._dead: str | None = None  # why the current session cannot go on
        self._steps: Trace = []

    @property
    def version(self) -> str | None:
        return self.oracle.version

    def start(self) -> None:
        self.oracle.start()

    def stop(self) -> None:
        self._session = None
        self.oracle.stop()

    def open(self) -> None:
        self.close()
        self._steps = []
        self._dead = None
        self._session = int(self._command({"open": True})["session"])

    def step(self, step: Step) -> Step:
        ensure_offline(step)
        self._steps.append(step)
        if self._session is None or self._dead is not None:
            return not_run(step, self._dead or "no session is open")
        began = time.monotonic()
        try:
            observed = self._command({"session": self._session, "step": step})
        except Exception as error:
            reason = f"{self.name} {'hung' if isinstance(error, BrowserHang) else 'failed'}: {type(error).__name__}: "
            reason += f"{error}; restarted"
            self.failures.append(Failure(self.name, reason, list(self._steps), time.monotonic() - began))
            self._restart()
            self._dead = reason
            return not_run(step, reason)
        if "runnerError" in observed and "op" not in observed:
            return not_run(step, str(observed["runnerError"]))
        return observed

    def peek_configuration(self) -> object:
        """What getConfiguration() returns now, not recorded as a step (None when it cannot be had)."""
        if self._session is None or self._dead is not None:
            return None
        try:
            return self._command({"session": self._session, "peek": True}).get("configuration")
        except Exception as error:
            self.failures.append(Failure(self.name, f"peek failed: {error}", list(self._steps), 0.0))
            self._restart()
            self._dead = f"{self.name} failed: {error}; restarted"
            return None

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and self._dead is None:
            try:
                self._command({"session": session, "close": True})
            except Exception:
                self._restart()

    def run_traces(self, traces: Sequence[Trace]) -> list[Trace]:
        for trace in traces:
            for step in trace:
                ensure_offline(step)
        return self.oracle.run_traces(traces)

    def _command(self, command: dict[str, Any]) -> dict[str, Any]:
        return self.oracle.session_command(command)

    def _restart(self) -> None:
        self._session = None
        self.oracle.restart()
