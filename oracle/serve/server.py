"""Running the viewer: a socket bound on the loopback address (another interface only when asked for by name),
uvicorn serving the application on it, in the foreground for `peerspec serve` or in a thread for the tests."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from typing import Final

import uvicorn

from peerspec.oracle.errors import OracleError
from peerspec.oracle.serve.app import create_app

LOOPBACK: Final = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str = LOOPBACK, port: int = 0) -> socket.socket:
    """A listening socket on host:port (port 0: one the system chooses); OracleError when it cannot be had."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise OracleError(f"cannot serve on {host}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise OracleError(f"cannot serve on {host} port {port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _server(sock: socket.socket) -> uvicorn.Server:
    config = uvicorn.Config(create_app(), log_level="warning", access_log=False, lifespan="off")
    return uvicorn.Server(config)


def serve_forever(sock: socket.socket) -> None:
    """Serve on `sock` until interrupted (uvicorn shuts down cleanly on SIGINT and SIGTERM)."""
    _server(sock).run(sockets=[sock])


class ViewerThread:
    """The viewer served from a thread on an ephemeral loopback port (for tests and benchmarks)."""

    def __init__(self) -> None:
        self.sock = bind(LOOPBACK, 0)
        self.url = url_of(self.sock)
        self._server = _server(self.sock)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self.sock]}, name="peerspec-serve", daemon=True
        )

    def start(self, timeout: float = 10.0) -> ViewerThread:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the viewer did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.sock.close()
