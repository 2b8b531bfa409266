"""Implementations under test, as the differential machine and `peerspec conformance` see them.

An `Implementation` runs trace steps (format v1, JSON form) and reports what it saw: one step at a time in a
session (one RTCPeerConnection per session), or whole traces in one round trip.  It never decides what the
spec says; oracle/compare.py and the deviation registry do that.  Browsers (oracle/implementations/browser.py)
and every library runner speak the same session protocol (oracle/SESSION-PROTOCOL.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Step = dict[str, Any]
Trace = list[Step]


class Implementation(Protocol):
    """Runs trace steps and reports the observed steps (op and args unchanged, with outcome and after)."""

    name: str

    def open(self) -> None:
        """Start a new session: a fresh trace (certificates, one connection, a remote peer)."""

    def step(self, step: Step) -> Step:
        """Run one step of the current session; the observed step."""
        ...

    def close(self) -> None:
        """End the current session, closing every connection it made."""

    def run_traces(self, traces: Sequence[Trace]) -> list[Trace]:
        """Run whole traces, each in a session of its own, in as few round trips as possible."""
        ...


class ManagedImplementation(Implementation, Protocol):
    """An Implementation peerspec starts and stops itself (a browser, a runner child process), keeping the
    failures (hangs, crashes, garbage) it recovered from."""

    failures: list[Failure]

    @property
    def version(self) -> str | None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


class ImplementationUnavailable(RuntimeError):
    """The implementation cannot be started here (not installed, or its isolation cannot be set up)."""


@dataclass(frozen=True)
class Failure:
    """The implementation hung, crashed or wrote garbage while running the last step of `trace`; it was
    replaced."""

    implementation: str
    reason: str
    trace: Trace
    seconds: float


def not_run(step: Step, reason: str) -> Step:
    return {**step, "outcome": {"runnerError": reason}, "after": None}
