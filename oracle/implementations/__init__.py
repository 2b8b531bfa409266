"""The implementations peerspec drives, each behind the one `Implementation` protocol (protocol.py).

Browsers (browser.py: Debian's chromium through Playwright, firefox-esr through Marionette, both running
oracle/runners/js/peerspec-runner.js in a page on 127.0.0.1) and library stacks alike; every URL a step
carries is checked by offline.py before it reaches any of them.
"""
