"""Ctrl-C for the `peerspec` command: every command stops within a second, with exit 130 and no traceback.

The SIGINT handler raises KeyboardInterrupt, so that `finally` blocks and context managers clean up as usual,
and starts a watchdog thread that makes sure the process ends even where that exception cannot end it: raised
inside a gc callback (Hypothesis keeps one), a `__del__` or a weakref callback, Python only reports it ("Exception
ignored ...") and carries on. Such a swallowed interrupt is caught by sys.unraisablehook, kept quiet, and
delivered again from the watchdog; and if the command still runs at the deadline, the watchdog kills every
child process (browsers and library runners live in process groups of their own), says so on stderr, and ends
the process with os._exit(130). A section that must not be cut in half (writing a folder of vectors) runs in
`deferred()`: an interrupt arriving there takes effect when the section ends.
"""

from __future__ import annotations

import _thread
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, Final

EXIT_INTERRUPTED: Final = 130  # 128 + SIGINT, as a shell reports a command Ctrl-C ended
DEADLINE: Final = 0.7  # seconds from the first Ctrl-C to the hard exit (under the one second promised)
DEFERRED_LIMIT: Final = 5.0  # the longest a deferred section may hold the hard exit back
MESSAGE: Final = "peerspec: interrupted\n"

_lock = threading.Lock()
_state: dict[str, Any] = {"interrupted": False, "swallowed": False, "deferring": 0, "pending": False, "said": False}
_done = threading.Event()
_hard_exit_cleanups: list[Callable[[], None]] = []


def interrupted() -> bool:
    return bool(_state["interrupted"])


def on_hard_exit(cleanup: Callable[[], None]) -> None:
    """Run `cleanup` (quickly: kill, do not ask) before the watchdog's hard exit."""
    if cleanup not in _hard_exit_cleanups:
        _hard_exit_cleanups.append(cleanup)


@contextlib.contextmanager
def handling() -> Iterator[None]:
    """Ctrl-C handled as this module says, for the duration of one command (the previous handler restored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous_handler = signal.signal(signal.SIGINT, _on_sigint)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_interrupts(previous_hook)
    _done.clear()
    _state.update(interrupted=False, swallowed=False, deferring=0, pending=False, said=False)
    try:
        yield
    finally:
        if not _state["interrupted"]:
            _done.set()  # interrupted, the watchdog stays on: it holds the deadline through the interpreter's exit
        signal.signal(signal.SIGINT, previous_handler)
        sys.unraisablehook = previous_hook


def finish() -> int:
    """The command was interrupted and has unwound: kill what is left, say so once, and give the exit code."""
    kill_children()
    _say()
    return EXIT_INTERRUPTED


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A section an interrupt must not cut: Ctrl-C within it takes effect (KeyboardInterrupt) when it ends."""
    with _lock:
        _state["deferring"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["deferring"] -= 1
            pending = _state["pending"] and _state["deferring"] == 0
            if pending:
                _state["pending"] = False
    if pending:
        raise KeyboardInterrupt


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    first = not _state["interrupted"]
    _state["interrupted"] = True
    if first:
        threading.Thread(target=_watchdog, name="peerspec-interrupt", daemon=True).start()
    if _state["deferring"]:
        _state["pending"] = True
        return
    raise KeyboardInterrupt


def _quiet_interrupts(previous: Callable[[Any], object]) -> Callable[[Any], object]:
    def hook(unraisable: Any) -> object:
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and _state["interrupted"]:
            _state["swallowed"] = True  # the watchdog delivers it again, somewhere it can stop the command
            return None
        return previous(unraisable)

    return hook


def _watchdog() -> None:
    deadline = time.monotonic() + DEADLINE
    held_until = deadline + DEFERRED_LIMIT
    while not _done.wait(0.02):
        now = time.monotonic()
        if _state["swallowed"] and not _state["deferring"]:
            _state["swallowed"] = False
            _thread.interrupt_main(signal.SIGINT)
        if now >= deadline and not (_state["deferring"] and now < held_until):
            _hard_exit()


def _hard_exit() -> None:
    for cleanup in _hard_exit_cleanups:
        with contextlib.suppress(Exception):
            cleanup()
    kill_children()
    _say()
    os._exit(EXIT_INTERRUPTED)


def _say() -> None:
    with _lock:
        if _state["said"]:
            return
        _state["said"] = True
    with contextlib.suppress(Exception):
        os.write(sys.stderr.fileno(), MESSAGE.encode())


def kill_children() -> None:
    """SIGKILL every descendant of this process, and the process groups they lead (never our own group)."""
    own_group = os.getpgid(0)
    for pid in _descendants(os.getpid()):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            group = os.getpgid(pid)
            if group == pid and group != own_group:
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found: list[int] = []
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def install_early() -> None:
    """Before the command's own handling starts (while its libraries import), Ctrl-C just ends the process: there
    is nothing to clean up yet."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _while_starting)


def _while_starting(signum: int, frame: FrameType | None) -> None:
    _say()
    os._exit(EXIT_INTERRUPTED)
