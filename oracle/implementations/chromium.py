"""Debian's Chromium, headless and offline, driven by Playwright's sync API.

Playwright launches ``/usr/bin/chromium`` (never a browser of its own download) with a fresh user data
directory, in its own process group.  The oracle kills that group (and anything else whose command line
mentions our private profile directory) on stop, on a hang, at exit and on SIGTERM; if this Python process
dies abruptly, Playwright's driver sees its pipe close and kills the browser itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import Any

from peerspec.oracle.implementations.browser import BrowserOracle, BrowserUnavailable, pgid_of, processes_mentioning

CHROMIUM = os.environ.get("PEERSPEC_CHROMIUM", "/usr/bin/chromium")

#: Features disabled: Playwright's own list (kept because several of them stop start-up network requests)
#: plus ours.  Chromium honours only the last --disable-features switch, so we pass the whole command line
#: ourselves (ignore_default_args=True) with exactly one of it.
DISABLED_FEATURES = [
    "WebRtcHideLocalIpsWithMdns",  # ICE host candidates as plain IPs: no mDNS registration traffic
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "DialMediaRouteProvider",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "Translate",
    "AutofillServerCommunication",
    "CertificateTransparencyComponentUpdater",
    "InterestFeedContentSuggestions",
]

#: Keep the browser off the network: no background services, no QUIC, no DNS (every name but the page's IP
#: literal resolves to NOTFOUND, so STUN/TURN hosts under .invalid are never looked up), a dead loopback
#: proxy for any HTTP that still tried, and ICE host candidates as plain IPs rather than mDNS names.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=" + ",".join(DISABLED_FEATURES),
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--no-default-browser-check",
    "--disable-field-trial-config",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-component-extensions-with-background-pages",
    "--disable-client-side-phishing-detection",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-back-forward-cache",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-dev-shm-usage",
    "--disable-search-engine-choice-screen",
    "--metrics-recording-only",
    "--no-service-autorun",
    "--password-store=basic",
    "--use-mock-keychain",
    "--mute-audio",
    "--js-flags=--expose-gc",  # the runner frees closed connections (Chromium caps a page at ~500)
    "--hide-scrollbars",
]


class ChromiumOracle(BrowserOracle):
    name = "chromium"

    def __init__(self, *, executable: str = CHROMIUM, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.executable = executable
        self._pw: Any = None
        self._context: Any = None
        self._page: Any = None
        self._profile: str | None = None
        self._groups: set[int] = set()

    def _launch(self, profile_dir: Path) -> None:
        if not os.access(self.executable, os.X_OK):
            raise BrowserUnavailable(
                f"{self.executable} not found (install Debian's chromium: apt-get install chromium)"
            )
        try:
            from playwright.sync_api import sync_playwright  # type: ignore[import-not-found, unused-ignore]
        except ImportError as e:
            raise BrowserUnavailable("playwright is not installed (pip install 'peerspec[browsers]')") from e
        self._profile = str(profile_dir)
        self._pw = sync_playwright().start()
        try:
            self._context = self._pw.chromium.launch_persistent_context(
                self._profile,
                executable_path=self.executable,
                headless=True,
                chromium_sandbox=False,
                # The complete command line is ours (see DISABLED_FEATURES); Playwright needs only its pipe.
                args=[
                    *CHROMIUM_ARGS,
                    f"--user-data-dir={self._profile}",
                    "--remote-debugging-pipe",
                    "about:blank",
                ],
                ignore_default_args=True,
                timeout=self.start_timeout * 1000,
                env={**os.environ, "CHROME_LOG_FILE": os.devnull, **self._tmpdir_env()},
            )
        except Exception as e:
            raise BrowserUnavailable(f"chromium did not start: {e}") from e
        self._remember_groups()
        self._context.set_default_timeout(0)
        pages = self._context.pages
        self._page = pages[0] if pages else self._context.new_page()
        self._page.goto(self.server.runner_url, wait_until="load", timeout=self.start_timeout * 1000)
        self._page.wait_for_function("typeof globalThis.peerspecRunBatch === 'function'")
        browser = self._context.browser
        self.version = browser.version if browser is not None else self._page.evaluate("navigator.userAgent")

    def _remember_groups(self) -> None:
        if self._profile is None:
            return
        for pid in processes_mentioning(self._profile):
            g = pgid_of(pid)
            if g is not None and g != os.getpgid(0):
                self._groups.add(g)

    def _evaluate(self, payload: str, entry: str = "peerspecRunBatch") -> str:
        result = self._page.evaluate(f"(json) => globalThis.{entry}(json)", payload)
        if not isinstance(result, str):
            raise RuntimeError(f"chromium: runner returned {type(result).__name__}")
        return result

    def _freeze_page_for_test(self) -> None:
        self._page.evaluate("() => { for (;;) {} }")

    def _shutdown(self) -> None:
        try:
            if self._context is not None:
                self._context.close()
        finally:
            self._context = None
            self._page = None
            pw, self._pw = self._pw, None
            if pw is not None:
                pw.stop()

    def _process_groups(self) -> tuple[list[int], list[int]]:
        self._remember_groups()
        pids = processes_mentioning(self._profile) if self._profile else []
        return sorted(self._groups), pids

    def _forget(self) -> None:
        self._groups.clear()
        # After a kill the Playwright connection is dead; drop it so that a restart starts afresh.
        self._context = None
        self._page = None
        pw, self._pw = self._pw, None
        if pw is not None:
            with contextlib.suppress(Exception):
                pw.stop()
        # A sync call interrupted by the kill leaves Playwright's event loop marked as running in this thread,
        # and the next sync_playwright() here would refuse to start ("Sync API inside the asyncio loop").
        asyncio._set_running_loop(None)
