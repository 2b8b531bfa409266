"""The common machinery of the browser oracles: batching, hang watchdog, restart, process clean-up.

A subclass supplies ``_launch()`` (start the browser, load the runner page), ``_evaluate(payload)`` (run one
batch in the page: JSON text in, JSON text out), ``_shutdown()`` (polite close) and ``_process_groups()``
(the process groups to kill).  Everything else — the watchdog that kills a frozen browser, the restart, the
per-trace retry after a hang, and the guarantee that no browser outlives this Python process (``stop()``,
``atexit``, SIGTERM, Ctrl-C, and ``PR_SET_PDEATHSIG`` where we spawn the browser ourselves) and that its profile
folder (the browser's TMPDIR inside it) goes with it — lives here.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import shutil
import signal
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Self

from peerspec.oracle import interrupts
from peerspec.oracle.implementations.protocol import ImplementationUnavailable, Trace
from peerspec.oracle.implementations.server import RunnerServer

#: How long stop() waits for a killed browser's processes to let go of its profile folder before removing it.
PROFILE_REMOVAL_SECONDS = 5.0

#: Longest time a single step may legitimately take in the runner: the 5 s step bound plus up to four
#: 5 s-bounded preparation calls of a ``{"$remote": ...}`` description.  The watchdog allows more.
DEFAULT_HANG_TIMEOUT = 30.0


class BrowserUnavailable(ImplementationUnavailable):
    """The browser (or its driver) is not installed or could not be started."""


class BrowserHang(RuntimeError):
    """The page made no progress within the hang timeout; the browser was killed."""


_LIVE: weakref.WeakSet[BrowserOracle] = weakref.WeakSet()
_HOOKS_INSTALLED = False
_PREVIOUS_SIGTERM: Any = None


def _kill_all_live() -> None:
    for oracle in list(_LIVE):
        with contextlib.suppress(Exception):
            oracle._kill()
        with contextlib.suppress(Exception):
            oracle._cleanup_tmp()  # the profile goes with the browser, at exit too


def _kill_and_remove_now() -> None:
    for oracle in list(_LIVE):
        with contextlib.suppress(Exception):
            oracle._kill()
        tmp = oracle._tmp
        if tmp is not None:
            shutil.rmtree(tmp.name, ignore_errors=True)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _kill_all_live()
    previous = _PREVIOUS_SIGTERM
    if callable(previous):
        previous(signum, frame)
    else:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)


def _install_exit_hooks() -> None:
    """atexit always; a SIGTERM handler only if SIGTERM still has its default disposition."""
    global _HOOKS_INSTALLED, _PREVIOUS_SIGTERM
    if _HOOKS_INSTALLED:
        return
    _HOOKS_INSTALLED = True
    atexit.register(_kill_all_live)
    interrupts.on_hard_exit(_kill_and_remove_now)  # Ctrl-C's hard exit skips atexit, and cannot wait
    if threading.current_thread() is threading.main_thread():
        current = signal.getsignal(signal.SIGTERM)
        if current in (signal.SIG_DFL, None):
            _PREVIOUS_SIGTERM = current
            signal.signal(signal.SIGTERM, _on_sigterm)


def set_parent_death_signal() -> None:
    """preexec_fn for subprocess.Popen: SIGKILL the child when the (spawning thread of the) parent dies."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def kill_process_groups(pgids: Sequence[int], pids: Sequence[int] = ()) -> None:
    """SIGKILL the given process groups and processes, never our own process group."""
    own = os.getpgid(0)
    for pgid in set(pgids):
        if pgid > 1 and pgid != own:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
    for pid in set(pids):
        if pid > 1 and pid != os.getpid():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def processes_mentioning(marker: str) -> list[int]:
    """Pids of processes whose command line contains ``marker`` (e.g. a unique profile directory)."""
    found: list[int] = []
    needle = marker.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if needle in f.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


OWNER_FILE = "owner.pid"
STALE_UNOWNED_SECONDS = 3600.0  # a folder from before owner files: stale once an hour old and unused


def remove_stale_folders(name: str) -> list[str]:
    """Remove the folders of earlier runs of browser `name` that nothing uses any more: their owner (a Python
    process killed with SIGKILL cannot clean up after itself) is gone and no process mentions them."""
    removed: list[str] = []
    for folder in Path(tempfile.gettempdir()).glob(f"peerspec-{name}-*"):
        try:
            owner = int((folder / OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            owner = None
        if owner is not None and _alive(owner):
            continue
        try:
            if owner is None and time.time() - folder.stat().st_mtime < STALE_UNOWNED_SECONDS:
                continue
        except OSError:
            continue
        if processes_mentioning(str(folder)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(str(folder))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pgid_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except (ProcessLookupError, PermissionError):
        return None


def failed_trace(trace: Trace, reason: str) -> Trace:
    """The observed form of a trace that could not be run: every step gets a runnerError outcome."""
    out: Trace = []
    for step in trace:
        observed = dict(step)
        observed["outcome"] = {"runnerError": reason}
        observed["after"] = None
        out.append(observed)
    return out


class BrowserOracle:
    """Runs peerspec traces in one headless browser.  Subclasses: ChromiumOracle, FirefoxOracle."""

    name = "browser"

    def __init__(self, *, hang_timeout: float = DEFAULT_HANG_TIMEOUT, start_timeout: float = 60.0) -> None:
        self.hang_timeout = hang_timeout
        self.start_timeout = start_timeout
        self.server = RunnerServer()
        self.restarts = 0
        self.startup_seconds: float | None = None
        self.version: str | None = None
        self._started = False
        self._killed_by_watchdog = False
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    # --- to be supplied by subclasses -------------------------------------------------------------
    def _launch(self, profile_dir: Path) -> None:
        raise NotImplementedError

    def _evaluate(self, payload: str, entry: str = "peerspecRunBatch") -> str:
        """Call the page function `entry` (peerspecRunBatch or peerspecSession) with JSON text; its JSON text."""
        raise NotImplementedError

    def _freeze_page_for_test(self) -> None:
        """Run an endless loop in the page (tests of the hang watchdog only)."""
        raise NotImplementedError

    def _shutdown(self) -> None:
        """Polite close of driver and browser (may fail; _kill follows anyway)."""

    def _forget(self) -> None:
        """Drop driver state after a kill (called on the caller's thread, never by the watchdog)."""

    def _process_groups(self) -> tuple[list[int], list[int]]:
        """(process groups, extra pids) of the browser, for killing."""
        return [], []

    # --- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            return
        _install_exit_hooks()
        _LIVE.add(self)
        began = time.monotonic()
        self.server.start()
        remove_stale_folders(self.name)
        self._tmp = tempfile.TemporaryDirectory(prefix=f"peerspec-{self.name}-")
        (Path(self._tmp.name) / OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        try:
            self._launch(Path(self._tmp.name) / "profile")
        except BaseException:
            self._kill()
            self._forget()
            self._cleanup_tmp()
            raise
        self._started = True
        self.startup_seconds = time.monotonic() - began

    def stop(self) -> None:
        if self._started:
            with contextlib.suppress(Exception):
                self._run_with_deadline(self._shutdown, 15.0)
        self._kill()
        self._forget()
        self._started = False
        self._cleanup_tmp()
        self.server.stop()
        _LIVE.discard(self)

    def restart(self) -> None:
        self.restarts += 1
        self._kill()
        self._forget()
        self._started = False
        self._cleanup_tmp()
        self.start()

    @property
    def browser_tmp(self) -> Path | None:
        """The TMPDIR a subclass gives its browser: inside our own folder, so that what the browser puts in a
        temporary folder (Chromium's org.chromium.Chromium.* singleton folders, ...) goes when ours does."""
        if self._tmp is None:
            return None
        folder = Path(self._tmp.name) / "tmp"
        folder.mkdir(exist_ok=True)
        return folder

    def _tmpdir_env(self) -> dict[str, str]:
        folder = self.browser_tmp
        return {"TMPDIR": str(folder)} if folder is not None else {}

    def _cleanup_tmp(self) -> None:
        """Remove our folder (the profile, the browser's TMPDIR, its log) once no process uses it: a killed browser
        may still be writing into it for a moment, and a removal racing it leaves the folder behind."""
        tmp, self._tmp = self._tmp, None
        if tmp is None:
            return
        deadline = time.monotonic() + PROFILE_REMOVAL_SECONDS
        while time.monotonic() < deadline:
            stray = processes_mentioning(tmp.name)
            if stray:
                kill_process_groups([g for g in (pgid_of(p) for p in stray) if g is not None], stray)
                time.sleep(0.05)
                continue
            shutil.rmtree(tmp.name, ignore_errors=True)
            if not os.path.exists(tmp.name):
                break
            time.sleep(0.05)
        with contextlib.suppress(Exception):
            tmp.cleanup()  # a last try; also detaches the TemporaryDirectory's own finalizer

    def _kill(self) -> None:
        """SIGKILL the browser's processes.  Thread-safe: touches no driver state."""
        pgids, pids = self._process_groups()
        kill_process_groups(pgids, pids)
        if self._tmp is not None:
            # Anything still mentioning our private profile directory is ours.
            stray = processes_mentioning(self._tmp.name)
            groups = [g for g in (pgid_of(p) for p in stray) if g is not None]
            kill_process_groups(groups, stray)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- running ------------------------------------------------------------------------------------
    def _run_with_deadline(self, fn: Callable[[], None], seconds: float) -> None:
        done = threading.Event()
        error: list[BaseException] = []

        def target() -> None:
            try:
                fn()
            except BaseException as e:
                error.append(e)
            finally:
                done.set()

        threading.Thread(target=target, daemon=True).start()
        if not done.wait(seconds):
            raise TimeoutError(f"{self.name}: shutdown took longer than {seconds} s")
        if error:
            raise error[0]

    def _evaluate_watched(self, payload: str, entry: str = "peerspecRunBatch") -> str:
        """_evaluate with a watchdog: no progress report from the page for hang_timeout s -> kill."""
        result: list[str] = []
        self._watched(lambda: result.append(self._evaluate(payload, entry)))
        return result[0]

    def _watched(self, fn: Callable[[], None]) -> None:
        self._killed_by_watchdog = False
        self.server.touch()
        done = threading.Event()

        def watchdog() -> None:
            # Event.wait, not sleep: the watchdog ends as soon as the call does (one step is ~1 ms).
            while not done.wait(0.1):
                if time.monotonic() - self.server.last_progress > self.hang_timeout:
                    self._killed_by_watchdog = True
                    self._kill()
                    return

        thread = threading.Thread(target=watchdog, name=f"peerspec-{self.name}-watchdog", daemon=True)
        thread.start()
        try:
            fn()
        except Exception as e:
            if self._killed_by_watchdog:
                raise BrowserHang(f"{self.name}: no progress for {self.hang_timeout} s; browser killed") from e
            raise
        finally:
            done.set()
            thread.join()
        if self._killed_by_watchdog:
            raise BrowserHang(f"{self.name}: no progress for {self.hang_timeout} s; browser killed")

    def session_command(self, command: dict[str, Any]) -> dict[str, Any]:
        """One incremental-stepping command (open / step / close) in ONE round trip, watched for hangs.

        Raises BrowserHang (the browser was killed) or the driver's error if the browser died; the caller
        decides whether to restart (a session does not survive a restart)."""
        if not self._started:
            self.start()
        text = self._evaluate_watched(json.dumps(command, allow_nan=False, separators=(",", ":")), "peerspecSession")
        result = json.loads(text)
        if not isinstance(result, dict):
            raise RuntimeError(f"{self.name}: session returned {text[:300]!r}")
        return result

    def freeze_for_test(self) -> None:
        """Freeze the page (an endless loop) under the watchdog: raises BrowserHang once it has killed the browser."""
        if not self._started:
            self.start()
        self._watched(self._freeze_page_for_test)

    def run_traces(self, traces: Sequence[Trace]) -> list[Trace]:
        """Run many traces in ONE round trip; returns the observed traces in the same order.

        If the browser hangs (no progress for ``hang_timeout`` s) or crashes, it is killed and restarted and
        the traces of the batch are retried one by one; a trace that fails again comes back with a
        ``{"runnerError": ...}`` outcome on every step.
        """
        if not self._started:
            self.start()
        traces = [list(t) for t in traces]
        if not traces:
            return []
        # A trace that is not JSON (e.g. a float NaN instead of {"$js": "NaN"}) is the caller's error.
        payload = json.dumps(traces, allow_nan=False, separators=(",", ":"))
        try:
            text = self._evaluate_watched(payload)
            result = json.loads(text)
            if not isinstance(result, list) or len(result) != len(traces):
                raise RuntimeError(f"{self.name}: runner returned {text[:300]!r}")
            return [list(t) for t in result]
        except Exception as e:
            reason = f"{type(e).__name__}: {e}"
            self.restart()
            if len(traces) == 1:
                return [failed_trace(traces[0], f"{self.name} failed on this trace and was restarted: {reason}")]
            return [self.run_traces([t])[0] for t in traces]
