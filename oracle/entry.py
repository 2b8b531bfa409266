"""The `peerspec` console script. Ctrl-C is handled from its first line: importing the command line (typer, rich,
Hypothesis, the model) takes a fifth of a second on an idle machine and several times that on a busy one, and an
interrupt in that time would otherwise end in Python's KeyboardInterrupt traceback. Once a command runs,
oracle/interrupts.py handles Ctrl-C for it and puts this handler back when it returns."""

from __future__ import annotations

import os
import signal
from types import FrameType

from peerspec.oracle.interrupts import EXIT_INTERRUPTED, MESSAGE


def _interrupted_outside_a_command(_signum: int, _frame: FrameType | None) -> None:
    """Nothing has started yet (or everything has finished): no child to stop, no file half written."""
    os.write(2, MESSAGE.encode())
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted_outside_a_command)
    from peerspec.oracle.cli import app

    app()
