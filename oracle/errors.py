"""The errors the oracle raises for problems in its input or environment (never for a model outcome)."""

from __future__ import annotations


class OracleError(Exception):
    """A problem the user can fix; the `peerspec` command prints it as one line and exits 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message.replace("\r", "\\r").replace("\n", "\\n"))


class TraceError(OracleError):
    """An unusable trace: unreadable, or not format v1. The message names the line ("trace.jsonl, line 3: ...")."""
