"""`peerspec serve` as a user runs it: it listens on loopback, prints its URL, serves the page, stops cleanly on
Ctrl-C (no traceback), says in one line what is missing when its extra is not installed, and refuses a port it
cannot have with exit 2."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from peerspec.oracle.serve.server import ViewerThread, bind, is_loopback, url_of

PEERSPEC = str(Path(sys.executable).with_name("peerspec"))
URL = re.compile(r"peerspec serve: (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops it\)")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def test_serve_prints_its_loopback_url_serves_the_page_and_stops_cleanly_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [PEERSPEC, "serve"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = URL.fullmatch(first.strip())
        assert match, first
        with urllib.request.urlopen(match.group(1), timeout=10) as page:
            assert b"peerspec live viewer" in page.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode in (0, 130), (process.returncode, err)
    assert "Traceback" not in err and "Traceback" not in out


def test_serve_on_a_port_it_cannot_have_is_one_line_and_exit_2() -> None:
    taken = bind("127.0.0.1", 0)
    try:
        port = taken.getsockname()[1]  # listening: a second bind fails, SO_REUSEADDR or not
        result = subprocess.run(
            [PEERSPEC, "serve", "--port", str(port)], capture_output=True, text=True, timeout=60, env=_env()
        )
    finally:
        taken.close()
    assert result.returncode == 2
    assert result.stderr.startswith(f"peerspec: cannot serve on 127.0.0.1 port {port}: ")
    assert len(result.stderr.splitlines()) == 1


def test_another_interface_is_used_only_when_named_and_then_said() -> None:
    taken = bind("127.0.0.1", 0)  # the port is taken on loopback, so the wildcard bind fails: nothing listens outside
    try:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [PEERSPEC, "serve", "--host", "0.0.0.0", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env=_env(),
        )
    finally:
        taken.close()
    said = result.stderr.splitlines()
    assert said[0] == "peerspec: --host 0.0.0.0 is not a loopback address: others on that network can open the page"
    assert said[1].startswith(f"peerspec: cannot serve on 0.0.0.0 port {port}: ") and result.returncode == 2


def test_without_the_serve_extra_serve_names_the_install_command_in_one_line() -> None:
    hide = (
        "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None;"
        "from peerspec.oracle.cli import app; app(['serve'])"
    )
    result = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "peerspec: serve needs starlette and uvicorn: pip install 'peerspec[serve]'\n"


def test_only_loopback_addresses_count_as_loopback() -> None:
    assert all(is_loopback(host) for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "::", "192.0.2.1", "example.invalid"))


def test_the_viewer_thread_serves_on_an_ephemeral_loopback_port_and_stops() -> None:
    viewer = ViewerThread().start()
    try:
        assert viewer.url.startswith("http://127.0.0.1:") and viewer.url == url_of(viewer.sock)
        with urllib.request.urlopen(viewer.url + "api/meta", timeout=10) as answer:
            assert b'"ops"' in answer.read()
    finally:
        viewer.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(viewer.url + "api/meta", timeout=2)
