"""Every implementation `peerspec conformance --impl NAME` can drive, by name: two browsers and five library
stacks, each behind the one Implementation protocol.

Browsers run the JavaScript runner in a page (browser.py); every library runs its runner as a child process
speaking the session protocol (child_process.py), sealed in a network namespace that has only loopback. What
each needs installed is said in `install`, in the words of a pip user, and repeated when it is missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from peerspec.oracle.implementations.child_process import ChildProcessImplementation, RunnerCommand
from peerspec.oracle.implementations.protocol import ImplementationUnavailable, ManagedImplementation

RUNNERS: Final = Path(__file__).resolve().parent.parent / "runners"
JS_SESSION: Final = RUNNERS / "js" / "peerspec-session.js"
NODE_PROJECT: Final = RUNNERS / "node"
GO_RUNNER: Final = RUNNERS / "go"
#: Debian's Pion sources (golang-github-pion-webrtc.v3-dev and what it depends on), built without modules.
GO_PATH: Final = "/usr/share/gocode"


@dataclass(frozen=True)
class Entry:
    name: str
    what: str  # the stack, in a few words
    install: str  # what to install, for a pip user
    make: Callable[[float], ManagedImplementation]


def _browser(name: str) -> Callable[[float], ManagedImplementation]:
    def make(step_timeout: float) -> ManagedImplementation:
        from peerspec.oracle.implementations.browser_implementation import BrowserImplementation

        if name == "chromium":
            from peerspec.oracle.implementations.chromium import ChromiumOracle

            return BrowserImplementation(ChromiumOracle())
        from peerspec.oracle.implementations.firefox import FirefoxOracle

        return BrowserImplementation(FirefoxOracle())

    return make


def node_modules() -> Path:
    """Where the Node libraries are installed: $PEERSPEC_NODE_MODULES, else the library project's folder."""
    return Path(os.environ.get("PEERSPEC_NODE_MODULES") or NODE_PROJECT)


def _node(
    provider: str, package: str, promise_bound: float | None = None, settle_ms: int = 0
) -> Callable[[float], ManagedImplementation]:
    """`promise_bound`: the most seconds the runner waits for one of the library's promises (default: a third of
    the step bound, since a $remote step chains up to three waits); `settle_ms`: how long queued events get after
    each step (default one macrotask)."""

    def make(step_timeout: float) -> ManagedImplementation:
        node = shutil.which("node")
        if node is None:
            raise ImplementationUnavailable("Node.js is not installed (apt-get install nodejs npm)")
        modules = node_modules()
        if not (modules / "node_modules" / package).is_dir() and not (modules / package).is_dir():
            raise ImplementationUnavailable(
                f"{package} is not installed in {modules} (npm ci --prefix {NODE_PROJECT}, or point"
                " PEERSPEC_NODE_MODULES at a folder where it is installed)"
            )
        bound = min(promise_bound, step_timeout / 3) if promise_bound is not None else step_timeout / 3
        inner_ms = str(int(max(bound, 0.2) * 1000))
        argv: tuple[str, ...] = (node, str(JS_SESSION), "--provider", provider, "--modules", str(modules))
        argv += ("--step-timeout", inner_ms)
        argv += ("--settle", str(settle_ms)) if settle_ms else ()
        return ChildProcessImplementation(provider, RunnerCommand(argv), step_timeout=step_timeout)

    return make


def _aiortc(step_timeout: float) -> ManagedImplementation:
    import importlib.util

    if importlib.util.find_spec("aiortc") is None:
        raise ImplementationUnavailable("aiortc is not installed (pip install 'peerspec[aiortc]')") from None
    argv = (
        sys.executable,
        "-m",
        "peerspec.oracle.implementations.python_runner",
        "peerspec.oracle.implementations.aiortc_runner:AiortcRunner",
    )
    return ChildProcessImplementation("aiortc", RunnerCommand(argv), step_timeout=step_timeout)


def pion_runner() -> Path:
    """The Pion runner's binary, built from oracle/runners/go/ against Debian's Pion sources once per source
    digest (in the user's cache folder)."""
    go = shutil.which("go")
    if go is None or not Path(GO_PATH, "src", "github.com", "pion", "webrtc").is_dir():
        raise ImplementationUnavailable(
            "Go and Pion are not installed (apt-get install golang-go golang-github-pion-webrtc.v3-dev)"
        )
    sources = sorted(GO_RUNNER.glob("*.go"))
    if not sources:
        raise ImplementationUnavailable(f"no Go runner sources in {GO_RUNNER}")
    digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in sources)).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "peerspec"
    binary = cache / f"peerspec-pion-{digest}"
    if binary.is_file():
        return binary
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        built = Path(work) / "runner"
        env = {**os.environ, "GO111MODULE": "off", "GOPATH": GO_PATH, "GOCACHE": str(cache / "go-build")}
        result = subprocess.run(
            [go, "build", "-o", str(built), *map(str, sources)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if result.returncode != 0:
            raise ImplementationUnavailable(f"the Pion runner does not build: {result.stderr.strip()[-600:]}")
        built.replace(binary)  # whole or not at all: a half-written binary never sits at the cached name
    return binary


def _pion(step_timeout: float) -> ManagedImplementation:
    return ChildProcessImplementation("pion", RunnerCommand((str(pion_runner()),)), step_timeout=step_timeout)


NODE_INSTALL: Final = f"npm ci --prefix {NODE_PROJECT}"
PION_INSTALL: Final = "apt-get install golang-go golang-github-pion-webrtc.v3-dev"
#: libwebrtc (wrtc) fires negotiationneeded from its signaling thread: 10 ms after a step lets it arrive even on a
#: loaded machine, where one macrotask sometimes did not.
#: node-datachannel's createOffer and createAnswer settle only when libdatachannel makes a description, which it
#: does at once or never (SESSION-PROTOCOL.md's runners record such a step as a timeout): half a second is plenty.
CATALOG: Final[dict[str, Entry]] = {
    entry.name: entry
    for entry in (
        Entry(
            "chromium",
            "Chromium (Debian)",
            "pip install 'peerspec[browsers]'; apt-get install chromium",
            _browser("chromium"),
        ),
        Entry(
            "firefox",
            "Firefox ESR (Debian)",
            "pip install 'peerspec[browsers]'; apt-get install firefox-esr",
            _browser("firefox"),
        ),
        Entry("wrtc", "libwebrtc through @roamhq/wrtc 0.10", NODE_INSTALL, _node("wrtc", "@roamhq/wrtc", settle_ms=10)),
        Entry("werift", "werift 0.24 (TypeScript)", NODE_INSTALL, _node("werift", "werift")),
        Entry(
            "node-datachannel",
            "libdatachannel through node-datachannel 0.33",
            NODE_INSTALL,
            _node("node-datachannel", "node-datachannel", promise_bound=0.5),
        ),
        Entry("aiortc", "aiortc (Python)", "pip install 'peerspec[aiortc]'", _aiortc),
        Entry("pion", "Pion WebRTC v3 (Go, Debian)", PION_INSTALL, _pion),
    )
}
BROWSERS: Final = ("chromium", "firefox")
LIBRARIES: Final = tuple(name for name in CATALOG if name not in BROWSERS)


def implementation(name: str, *, step_timeout: float = 10.0) -> ManagedImplementation:
    """The implementation called `name`, ready to start; ImplementationUnavailable (with what to install) if it
    cannot be had here."""
    entry = CATALOG.get(name)
    if entry is None:
        raise ImplementationUnavailable(f"no implementation called {name!r} (one of: {', '.join(CATALOG)})")
    return entry.make(step_timeout)
