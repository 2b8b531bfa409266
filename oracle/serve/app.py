"""The Starlette application behind `peerspec serve`: the page (static/), the JavaScript runner it runs in the
visitor's browser (oracle/runners/js/peerspec-runner.js, served as it is), and a JSON API.

    GET  /                      the page
    GET  /static/...            its scripts and styles
    GET  /runner/peerspec-runner.js
    GET  /api/meta              ops, each op's argument, the tags, the limits, the spec commit
    GET  /api/lifecycle         the lifecycle machine's states and transitions
    GET  /api/examples          the rule vectors, grouped by spec section
    GET  /api/examples/{id}     one rule vector's calls as trace text
    POST /api/evaluate          {"trace": TEXT} -> the model's run, step by step
    POST /api/compare           {"trace": TEXT, "observed": [...], "implementation": NAME|"auto"} -> divergences

Every answer of the API is JSON. A problem with the input is {"error": ONE LINE} with status 400 (413 for a body
over the limit); anything unexpected is {"error": "internal error: ..."} with status 500 — never a traceback and
never an HTML error page, and the server goes on serving.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Final

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peerspec.model import SPEC_COMMIT
from peerspec.oracle.errors import OracleError
from peerspec.oracle.implementations.server import JS_DIR
from peerspec.oracle.serve.comparison import browser_of, compare_browser
from peerspec.oracle.serve.evaluation import MAX_STEPS, MAX_TRACE_BYTES, evaluate
from peerspec.oracle.serve.examples import example_calls, example_groups
from peerspec.oracle.serve.lifecycle_view import lifecycle_graph
from peerspec.oracle.serve.spec_links import EDITORS_DRAFT
from peerspec.oracle.trace import ARGUMENT, ops
from peerspec.oracle.values import JS_CONSTANTS, REMOTE_KINDS, SDP_SOURCES

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
RUNNER: Final = JS_DIR / "peerspec-runner.js"
#: A request body may hold the trace twice over (the calls and the browser's record of them) plus JSON quoting.
MAX_BODY_BYTES: Final = 8 * MAX_TRACE_BYTES
#: Nothing the page needs comes from anywhere but this server.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
    " base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class BadRequest(OracleError):
    """A request the API cannot take: not JSON, a member missing or of the wrong type, too large."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


async def _body(request: Request) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BadRequest(_too_large(int(declared)), 413)
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY_BYTES:
            raise BadRequest(_too_large(len(data)), 413)
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("the request is not a JSON document") from None
    if not isinstance(document, dict):
        raise BadRequest("the request is a JSON object")
    return document


def _too_large(size: int) -> str:
    return f"the request is {size:,} bytes; the server takes at most {MAX_BODY_BYTES:,} (traces of {MAX_TRACE_BYTES:,})"


def _member(document: dict[str, Any], name: str, kind: type) -> Any:
    value = document.get(name)
    if not isinstance(value, kind):
        raise BadRequest(f"the request's {name!r} member must be a {kind.__name__}")
    return value


async def page(request: Request) -> Response:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


async def runner(request: Request) -> Response:
    return FileResponse(RUNNER, media_type="text/javascript; charset=utf-8")


async def meta(request: Request) -> Response:
    return JSONResponse(
        {
            "ops": list(ops()),
            "argument": dict(ARGUMENT),
            "jsConstants": list(JS_CONSTANTS),
            "sdpSources": list(SDP_SOURCES),
            "remoteKinds": list(REMOTE_KINDS),
            "maxTraceBytes": MAX_TRACE_BYTES,
            "maxSteps": MAX_STEPS,
            "specCommit": SPEC_COMMIT,
            "editorsDraft": EDITORS_DRAFT,
        }
    )


async def lifecycle(request: Request) -> Response:
    return JSONResponse(lifecycle_graph())


async def examples(request: Request) -> Response:
    return JSONResponse({"groups": example_groups()})


async def example(request: Request) -> Response:
    try:
        return JSONResponse({"trace": example_calls(request.path_params["example_id"])})
    except OracleError as error:
        return _error(str(error), 404)


async def evaluate_trace(request: Request) -> Response:
    document = await _body(request)
    text = _member(document, "trace", str)
    seed = document.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise BadRequest("the request's 'seed' member must be an integer from 0 to 2**32 - 1")
    return JSONResponse(await run_in_threadpool(evaluate, text, seed=seed))


async def compare_trace(request: Request) -> Response:
    document = await _body(request)
    text = _member(document, "trace", str)
    observed = _member(document, "observed", list)
    implementation = document.get("implementation", "auto")
    if not isinstance(implementation, str):
        raise BadRequest("the request's 'implementation' member must be a string")
    if implementation == "auto":
        implementation = browser_of(request.headers.get("user-agent", ""))
    return JSONResponse(await run_in_threadpool(compare_browser, text, observed, implementation))


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.splitlines())}, status_code=status)


async def _oracle_error(request: Request, error: Exception) -> Response:
    status = error.status if isinstance(error, BadRequest) else 400
    return _error(str(error), status)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return _error(f"{request.url.path}: {error.detail}", error.status_code)


class _OneLineInternalErrors:
    """Inside Starlette's own error handling: anything unexpected becomes a one-line JSON answer (Starlette's own
    would be a plain-text page, and the server would log a traceback)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            line = f"internal error: {type(error).__name__}: {error}"
            sys.stderr.write(f"peerspec serve: {' '.join(line.splitlines())}\n")
            if started:
                return  # the answer is under way: the client sees it cut short
            response = _error(line, 500)
            await response(scope, receive, send)


class _SecurityHeaders:
    """Every answer says where the page may load from (here only) and is never cached stale."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"cache-control", b"no-store"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app() -> Starlette:
    app = Starlette(
        routes=[
            Route("/", page),
            Route("/runner/peerspec-runner.js", runner),
            Route("/api/meta", meta),
            Route("/api/lifecycle", lifecycle),
            Route("/api/examples", examples),
            Route("/api/examples/{example_id}", example),
            Route("/api/evaluate", evaluate_trace, methods=["POST"]),
            Route("/api/compare", compare_trace, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        exception_handlers={OracleError: _oracle_error, HTTPException: _http_error},
        middleware=[Middleware(_SecurityHeaders), Middleware(_OneLineInternalErrors)],
    )
    return app
