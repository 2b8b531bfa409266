"""Implementations under test, as the differential machine and `peerspec conformance` see them.

An `Implementation` runs trace steps (format v1, JSON form) and reports what it saw: one step at a time in a
session (one RTCPeerConnection per session), or whole traces in one round trip.  It never decides what the
spec says; oracle/compare.py and the deviation registry do that.

`BrowserImplementation` adapts a `BrowserOracle`.  Before anything reaches the browser it checks that every
URL-like string names a host under the reserved `.invalid` domain (RFC 2606), and refuses the step otherwise
(`UnsafeURL`): a generated value must never make a real browser look up or contact a real host.  A browser
that hangs or crashes is killed and restarted; the step that was running comes back with a `runnerError`
outcome, the session is dead until the next `open()`, and the failure is kept, with the trace that caused it,
in `failures`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from peerspec.oracle.browsers.base import BrowserHang, BrowserOracle, Step, Trace

ICE_SCHEMES = ("stun", "stuns", "turn", "turns")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", re.DOTALL)


class UnsafeURL(ValueError):
    """A step names a URL whose host is not under .invalid: it is never sent to a browser."""


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


@dataclass(frozen=True)
class Failure:
    """The browser hung or crashed while running the last step of `trace`; it was restarted."""

    implementation: str
    reason: str
    trace: Trace
    seconds: float


# ---- network safety -------------------------------------------------------------------------------------


def url_host(text: str) -> str | None:
    """The host a URL-like string names, roughly as a URL parser would find it; None if it names none.

    Deliberately generous: anything of the form `scheme:rest` is read as naming the host at the front of
    `rest` (after `//` and userinfo), so that no mutation of a URL can slip a real host past the check."""
    match = _SCHEME.match(text)
    if match is None:
        return None
    rest = match.group(2).lstrip()
    rest = rest.lstrip("/\\")
    rest = re.split(r"[/\\?#]", rest, maxsplit=1)[0]
    rest = rest.rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest[: rest.find("]") + 1] if "]" in rest else rest
    return rest.split(":", 1)[0]


def is_offline_host(host: str) -> bool:
    """True for the hosts that can never resolve: empty, `invalid`, or under `.invalid`."""
    name = host.strip().lower().rstrip(".")
    return name == "" or name == "invalid" or name.endswith(".invalid")


def _strings(value: object, under_urls: bool = False) -> Iterator[tuple[str, bool]]:
    if isinstance(value, str):
        yield value, under_urls
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, under_urls)
    elif isinstance(value, dict):
        for key, member in value.items():
            yield from _strings(member, under_urls or key == "urls")


def unsafe_urls(step: Step) -> list[str]:
    """The URLs in a step whose host is not under .invalid: every string under a `urls` member, and every
    string anywhere that starts with an ICE scheme."""
    found: list[str] = []
    for text, under_urls in _strings(step.get("args", {})):
        match = _SCHEME.match(text)
        url_like = under_urls or (match is not None and match.group(1).lower() in ICE_SCHEMES)
        host = url_host(text) if url_like else None
        if host is not None and not is_offline_host(host):
            found.append(text)
    return found


def ensure_offline(step: Step) -> None:
    unsafe = unsafe_urls(step)
    if unsafe:
        raise UnsafeURL(f"refusing to send {unsafe[0]!r} to a browser: its host is not under .invalid")


# ---- the browser adapter --------------------------------------------------------------------------------


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
            return _not_run(step, self._dead or "no session is open")
        began = time.monotonic()
        try:
            observed = self._command({"session": self._session, "step": step})
        except Exception as error:
            reason = f"{self.name} {'hung' if isinstance(error, BrowserHang) else 'failed'}: {type(error).__name__}: "
            reason += f"{error}; restarted"
            self.failures.append(Failure(self.name, reason, list(self._steps), time.monotonic() - began))
            self._restart()
            self._dead = reason
            return _not_run(step, reason)
        if "runnerError" in observed and "op" not in observed:
            return _not_run(step, str(observed["runnerError"]))
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


def _not_run(step: Step, reason: str) -> Step:
    return {**step, "outcome": {"runnerError": reason}, "after": None}
