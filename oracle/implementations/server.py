"""A tiny static HTTP server on 127.0.0.1 (ephemeral port) for the browser oracles.

It serves the files of ``oracle/runners/js/`` (the trace runner) and ``/runner.html``, a page that loads the runner
and reports progress back here (``POST /progress``) so that a hang watchdog can tell a slow batch from a
frozen browser.  The server never listens on anything but the loopback address.
"""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

JS_DIR = Path(__file__).resolve().parent.parent / "runners" / "js"

RUNNER_HTML = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>peerspec runner</title>
<link rel="icon" href="data:,">
<script src="/peerspec-runner.js"></script>
<script>
'use strict';
(function () {
  var last = 0;
  function progress(force) {
    var now = Date.now();
    if (!force && now - last < 250) return;
    last = now;
    try { fetch('/progress', { method: 'POST', body: '' }).catch(function () {}); } catch (_) {}
  }
  // The oracle's entry point: JSON text in, JSON text out.
  globalThis.peerspecRunBatch = function (json) {
    progress(true);
    return globalThis.peerspec.runTracesJSON(json, function () { progress(false); });
  };
  // Incremental stepping: one session command (open / step / close) as JSON text in, JSON text out.
  globalThis.peerspecSession = function (json) {
    progress(false);
    return globalThis.peerspec.sessionJSON(json, function () { progress(false); });
  };
  document.title = 'peerspec runner ready';
})();
</script>
</head><body>peerspec runner</body></html>
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    server_version = "peerspec-oracle"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.extensions_map = {".js": "text/javascript", ".html": "text/html", "": "application/octet-stream"}
        super().__init__(*args, directory=str(JS_DIR), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] in ("/", "/runner.html"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(RUNNER_HTML)))
            self.end_headers()
            self.wfile.write(RUNNER_HTML)
            return
        super().do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 65536))
        if self.path.split("?", 1)[0] == "/progress":
            server = self.server
            if isinstance(server, _Server):
                server.touch()
            self.send_response(204)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.last_progress = time.monotonic()

    def touch(self) -> None:
        self.last_progress = time.monotonic()


class RunnerServer:
    """Serves the runner page on ``http://127.0.0.1:<ephemeral port>/runner.html`` from a thread."""

    def __init__(self) -> None:
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, name="peerspec-runner-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return int(self._server.server_address[1])

    @property
    def runner_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/runner.html"

    @property
    def last_progress(self) -> float:
        """time.monotonic() of the last progress report from a page (or of the server start)."""
        if self._server is None:
            return time.monotonic()
        return self._server.last_progress

    def touch(self) -> None:
        if self._server is not None:
            self._server.touch()

    def __enter__(self) -> RunnerServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
