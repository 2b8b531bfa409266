"""Run peerspec traces (format v1) in real, headless, offline browsers.

``ChromiumOracle`` (Debian ``chromium`` via Playwright) and ``FirefoxOracle`` (Debian ``firefox-esr`` via
Marionette) share the ``BrowserOracle`` interface: ``start()``, ``run_traces(traces)``, ``stop()``, and use
as a context manager.  Both run the same ``oracle/js/peerspec-runner.js`` in a page served from 127.0.0.1.
"""

from peerspec.oracle.browsers.base import BrowserOracle, BrowserUnavailable, Step, Trace

__all__ = ["BrowserOracle", "BrowserUnavailable", "Step", "Trace"]
