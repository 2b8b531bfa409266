"""Debian's Firefox ESR, headless and offline, driven over Marionette (``marionette-driver``).

Why Marionette: Playwright's Firefox support needs Playwright's own patched Firefox build (the Juggler
protocol), which Debian's ``firefox-esr`` does not have and which we must not download; Marionette is built
into every Firefox, and ``marionette-driver`` is a small pure-Python client from PyPI.  (WebDriver BiDi
would need geckodriver or a hand-written WebSocket client; Marionette needs neither.)

We spawn ``firefox-esr --headless --marionette`` ourselves, in a new session (own process group), with
``PR_SET_PDEATHSIG=SIGKILL`` so that it dies with this Python process even on SIGKILL, and a fresh profile
whose prefs switch off updates, telemetry, captive-portal and connectivity checks, remote settings, safe
browsing, push, GMP (OpenH264) downloads, DNS (every look-up fails, so STUN/TURN hosts are never resolved)
and mDNS host-candidate obfuscation.  Marionette listens on an ephemeral 127.0.0.1 port, which Firefox
writes to ``MarionetteActivePort`` in the profile.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from peerspec.oracle.implementations.browser import BrowserOracle, BrowserUnavailable, set_parent_death_signal

FIREFOX = os.environ.get("PEERSPEC_FIREFOX", "/usr/bin/firefox-esr")

#: Batches are bounded by the watchdog, not by Marionette's script timeout (seconds).
SCRIPT_TIMEOUT = 24 * 3600.0

PREFS: dict[str, bool | int | str] = {
    # Marionette on an ephemeral loopback port.
    "marionette.port": 0,
    "remote.prefs.recommended": True,
    # WebRTC: real host addresses (no mDNS names, no mDNS traffic), no default ICE servers.
    "media.peerconnection.ice.obfuscate_host_addresses": False,
    "media.peerconnection.default_iceservers": "[]",
    "media.peerconnection.ice.no_host": False,
    "media.navigator.permission.disabled": True,
    "media.gmp-manager.url": "",
    "media.gmp-manager.updateEnabled": False,
    "media.gmp-gmpopenh264.enabled": False,
    "media.gmp-gmpopenh264.autoupdate": False,
    "media.gmp-widevinecdm.enabled": False,
    "media.eme.enabled": False,
    # No DNS at all (the runner page is an IP literal), no speculative connections.
    "network.dns.disabled": True,
    "network.dns.disablePrefetch": True,
    "network.dns.disableIPv6": True,
    "network.trr.mode": 5,
    "network.prefetch-next": False,
    "network.predictor.enabled": False,
    "network.http.speculative-parallel-limit": 0,
    "network.http.http3.enable": False,
    # Anything that still tries HTTP(S) meets a dead loopback proxy; loopback itself is never proxied.
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.no_proxies_on": "127.0.0.1, localhost",
    "network.proxy.allow_hijacking_localhost": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "captivedetect.canonicalURL": "",
    # Updates, remote settings, telemetry, studies, safe browsing, push, geolocation.
    "app.update.auto": False,
    "app.update.enabled": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "app.normandy.api_url": "",
    "app.shield.optoutstudies.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/v1",
    "services.settings.poll_interval": 86400 * 365,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.blocklist.enabled": False,
    "extensions.systemAddon.update.enabled": False,
    "browser.search.update": False,
    "browser.region.network.url": "",
    "browser.region.update.enabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "toolkit.telemetry.archive.enabled": False,
    "toolkit.telemetry.server": "",
    "toolkit.coverage.opt-out": True,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "browser.ping-centre.telemetry": False,
    "browser.newtabpage.enabled": False,
    "browser.newtabpage.activity-stream.feeds.telemetry": False,
    "browser.newtabpage.activity-stream.telemetry": False,
    "browser.newtabpage.activity-stream.feeds.system.topstories": False,
    "browser.newtabpage.activity-stream.feeds.section.topstories": False,
    "browser.topsites.contile.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.downloads.remote.enabled": False,
    "browser.safebrowsing.blockedURIs.enabled": False,
    "browser.safebrowsing.provider.mozilla.updateURL": "",
    "browser.safebrowsing.provider.google4.updateURL": "",
    "browser.safebrowsing.provider.google.updateURL": "",
    "dom.push.enabled": False,
    "dom.push.connection.enabled": False,
    "geo.enabled": False,
    "geo.provider.network.url": "",
    "security.OCSP.enabled": 0,
    "security.remote_settings.crlite_filters.enabled": False,
    "security.remote_settings.intermediates.enabled": False,
    "doh-rollout.disable-heuristics": True,
    # A quiet first run.
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "browser.startup.homepage": "about:blank",
    "browser.startup.homepage_override.mstone": "ignore",
    "startup.homepage_welcome_url": "about:blank",
    "startup.homepage_welcome_url.additional": "",
    "browser.aboutwelcome.enabled": False,
    "trailhead.firstrun.didSeeAboutWelcome": True,
    "datareporting.policy.firstRunURL": "",
    "browser.tabs.warnOnClose": False,
    "browser.sessionstore.resume_from_crash": False,
    "toolkit.startup.max_resumed_crashes": -1,
    "dom.disable_open_during_load": False,
}


def user_js(prefs: dict[str, bool | int | str]) -> str:
    return "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())


class FirefoxOracle(BrowserOracle):
    name = "firefox"

    def __init__(self, *, executable: str = FIREFOX, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.executable = executable
        self._proc: subprocess.Popen[bytes] | None = None
        self._client: Any = None
        self._log: Any = None

    def _launch(self, profile_dir: Path) -> None:
        exe = shutil.which(self.executable)
        if exe is None:
            raise BrowserUnavailable(
                f"{self.executable} not found (install Debian's firefox-esr: apt-get install firefox-esr)"
            )
        try:
            from marionette_driver.marionette import Marionette
        except ImportError as e:
            raise BrowserUnavailable("marionette-driver is not installed (pip install 'peerspec[browsers]')") from e
        profile_dir.mkdir(parents=True)
        (profile_dir / "user.js").write_text(user_js(PREFS))
        env = {**os.environ, "MOZ_HEADLESS": "1", "MOZ_CRASHREPORTER_DISABLE": "1", **self._tmpdir_env()}
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        self._log = open(profile_dir.parent / "firefox.log", "wb")  # noqa: SIM115 - closed in _forget
        self._proc = subprocess.Popen(
            [exe, "--headless", "--marionette", "--no-remote", "--profile", str(profile_dir), "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=set_parent_death_signal,  # prctl only
        )
        port = self._wait_for_port(profile_dir / "MarionetteActivePort")
        client = Marionette(host="127.0.0.1", port=port, socket_timeout=None, startup_timeout=30)
        client.start_session()
        self._client = client
        client.timeout.script = SCRIPT_TIMEOUT
        client.timeout.page_load = self.start_timeout
        client.navigate(self.server.runner_url)
        deadline = time.monotonic() + self.start_timeout
        while not client.execute_script("return typeof window.wrappedJSObject.peerspecRunBatch === 'function';"):
            if time.monotonic() > deadline:
                raise BrowserUnavailable("firefox: runner page did not load")
            time.sleep(0.05)
        self.version = str(client.session_capabilities.get("browserVersion"))

    def _wait_for_port(self, port_file: Path) -> int:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise BrowserUnavailable(f"firefox exited with status {self._proc.returncode} at start-up")
            with contextlib.suppress(OSError, ValueError):
                text = port_file.read_text().strip()
                if text:
                    return int(text)
            time.sleep(0.05)
        raise BrowserUnavailable("firefox: Marionette did not come up")

    def _evaluate(self, payload: str, entry: str = "peerspecRunBatch") -> str:
        # One trace at a time (peerspecLanes = 1): Firefox delivers negotiationneeded from another thread, and
        # with several traces running at once the event can arrive after the macrotask a step waits for.
        # The script runs in Marionette's sandbox; the runner lives in the page, reached through
        # wrappedJSObject.  Only strings cross the boundary: JSON text in, JSON text out.
        result = self._client.execute_async_script(
            """
            const [json, entry, resolve] = arguments;
            window.wrappedJSObject.peerspecLanes = 1;
            window.wrappedJSObject[entry](json).then(
              (text) => resolve(String(text)),
              (e) => resolve(JSON.stringify({runnerError: String(e)})));
            """,
            script_args=[payload, entry],
            new_sandbox=False,
        )
        if not isinstance(result, str):
            raise RuntimeError(f"firefox: runner returned {type(result).__name__}")
        return result

    def _freeze_page_for_test(self) -> None:
        self._client.execute_script("window.wrappedJSObject.eval('for (;;) {}');", new_sandbox=False)

    def _shutdown(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                client.delete_session(send_request=True)
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)

    def _process_groups(self) -> tuple[list[int], list[int]]:
        proc = self._proc
        if proc is None:
            return [], []
        # start_new_session=True: the browser's pid is its process group id.
        return [proc.pid], [proc.pid]

    def _forget(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            with contextlib.suppress(Exception):
                proc.wait(timeout=5)
        self._client = None
        log, self._log = self._log, None
        if log is not None:
            log.close()
