"""`PythonRunner`: the session protocol (oracle/SESSION-PROTOCOL.md) for any Python WebRTC stack.

A stack's adapter subclasses `PythonRunner` and supplies small hooks: `do_<op>` methods that make each call
(plain or async), `convert` (a decoded trace value as the stack's argument, or `NotExpressible` when its API
cannot say it), and optionally `error_name`, `description_of`, `configuration_json`, `make_remote_peer`...
Everything generic is here, as oracle/runners/js/peerspec-runner.js does it for JavaScript:

- per-session state: the connection, the certificates by name, the last offer and answer sdp, the remote peer
  (made on demand with an explicit `{"iceServers": []}` and a data channel) and the negotiationneeded count;
- tag decoding (oracle/values.py): `$js`, `$certificate`, `$sdp`, and `$remote` descriptions made by the
  remote peer (rolled back or mirrored so that its next offer continues the session);
- recording: `{"ok": RESULT}` with the trace format's RESULT per op (ICE credentials read from the sdp),
  `{"error": {"name", "kind", "message"}}` (kind `throw` for the spec's synchronous methods, `reject` for the
  promise-returning ones), `{"timeout": true}`, `{"runnerError": ...}`, `{"notImplemented": ...}`;
  and `after` (signalingState, the running negotiationneeded count);
- one asyncio event loop per runner: awaitable results are awaited within a per-step time bound.

`serve(runner, stdin, stdout)` speaks the protocol over a pipe, one JSON answer line per request line:

    python -m peerspec.oracle.implementations.python_runner MODULE:CLASS [--step-timeout SECONDS]

`InProcessImplementation(runner)` is the `Implementation` protocol (protocol.py) on a runner in this process,
for test suites that want no child process (it has no network namespace around it: see its docstring).
The mapping of trace values onto a Python API is documented in oracle/runners/python/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import math
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar, Final, cast

from peerspec.model import ABSENT, UNDEFINED, RTCCertificate
from peerspec.oracle.errors import TraceError
from peerspec.oracle.implementations.offline import ensure_offline
from peerspec.oracle.implementations.protocol import Step, Trace, not_run
from peerspec.oracle.trace import ARGUMENT, split_header
from peerspec.oracle.values import (
    CERTIFICATE_TAG,
    DecodeContext,
    RemoteRequest,
    certificate_references,
    decode,
    remote_request,
)

PROTOCOL_VERSION: Final = 1
DEFAULT_STEP_TIMEOUT: Final = 5.0  # seconds; peerspec's own bound around a runner's answer is 10 s

OPS: Final = (
    "construct",
    "setConfiguration",
    "getConfiguration",
    "createOffer",
    "createAnswer",
    "setLocalDescription",
    "setRemoteDescription",
    "restartIce",
    "close",
    "createDataChannel",
    "generateCertificate",
)
LATER_OPS: Final = frozenset({"addTransceiver", "stopTransceiver"})
"""Trace format v2's ops, which this base class does not run: answered notImplemented, never a runnerError."""
SYNC_OPS: Final = frozenset(
    {"construct", "setConfiguration", "getConfiguration", "restartIce", "close", "createDataChannel"}
)
"""The spec's synchronous methods: an error there is kind "throw"; the other ops return promises ("reject")."""


REMOTE_LABEL: Final = "peerspec-remote"


class NotExpressible(Exception):
    """The stack's API cannot express this call or value: the step is recorded {"notImplemented": message}."""


class RunnerFailure(Exception):
    """The runner itself failed (a helper peer that would not answer...): the step's {"runnerError": message}."""


@dataclass(frozen=True)
class Description:
    """A session description as the runner needs it: its type and sdp text."""

    type: str
    sdp: str


def ice_credentials(sdp: object) -> list[list[str | None]]:
    """The distinct [ufrag, pwd] pairs of an sdp's a=ice-ufrag / a=ice-pwd lines, per m= section (the session-level
    lines apply to the sections without their own), in order of appearance — as peerspec-runner.js reads them."""
    if not isinstance(sdp, str):
        return []
    sections: list[list[str | None]] = [[None, None]]
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("m="):
            sections.append([None, None])
        if line.startswith("a=ice-ufrag:"):
            sections[-1][0] = line[len("a=ice-ufrag:") :].strip()
        elif line.startswith("a=ice-pwd:"):
            sections[-1][1] = line[len("a=ice-pwd:") :].strip()
    session, media = sections[0], sections[1:]
    pairs = [session] if not media else [[m[0] or session[0], m[1] or session[1]] for m in media]
    found: list[list[str | None]] = []
    for pair in pairs:
        if pair != [None, None] and pair not in found:
            found.append(pair)
    return found


def _same_description(a: Description | None, b: Description | None) -> bool:
    """Whether two descriptions are the same offer: the same origin line and the same ICE ufrags (not the whole sdp:
    a peer's local description gains candidates as it gathers, and a stack may re-serialise a remote one)."""

    def key(d: Description) -> tuple[str, tuple[str, ...]] | None:
        lines = d.sdp.replace("\r\n", "\n").split("\n")
        origin = next((line for line in lines if line.startswith("o=")), None)
        ufrags = tuple(line for line in lines if line.startswith("a=ice-ufrag:"))
        return None if origin is None else (origin, ufrags)

    return a is not None and b is not None and key(a) is not None and key(a) == key(b)


def contains_js_value(value: object) -> str | None:
    """The first JavaScript-only value (undefined, NaN, +-Infinity) inside `value`, named; None if there is none."""
    pending = [value]
    while pending:
        item = pending.pop()
        if item is UNDEFINED:
            return "undefined"
        if isinstance(item, float) and not math.isfinite(item):
            return "NaN" if math.isnan(item) else ("Infinity" if item > 0 else "-Infinity")
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
    return None


def has_lone_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


@dataclass
class _Session:
    pc: Any = None
    constructed: bool = False
    stopped: str | None = None  # None: running; "": construct threw (later steps not run); else notImplemented text
    remote: Any = None
    helpers: list[Any] = field(default_factory=list)  # every helper connection made, to close at the end
    certificates: dict[str, Any] = field(default_factory=dict)
    certificate_names: dict[int, str] = field(default_factory=dict)
    missing_certificates: dict[str, str] = field(default_factory=dict)  # name -> why it was not made
    negotiationneeded: int = 0
    context: DecodeContext = field(default_factory=lambda: DecodeContext({}))


class PythonRunner:
    """The session protocol's commands for one Python WebRTC stack; subclasses supply the hooks.

    Protocol commands: `hello()`, `open() -> session id`, `step(session, step) -> observed step`,
    `peek(session)`, `close(session)`; `handle(request)` dispatches one request object; `shutdown()` ends all.

    Hooks (override what the stack has; an op whose `do_<op>` is not overridden is not implemented):

    - `do_construct(*configuration)` -> the connection; `do_generateCertificate(*keygenAlgorithm)` -> a certificate;
      `do_<op>(pc, *argument)` for the other ops. The argument is passed only when the step has it, already
      through `convert`. Any of them may return an awaitable, which is awaited within the step's time bound;
    - `convert(op, value)`: a decoded trace value (JSON-shaped, with `UNDEFINED`, non-finite floats and the stack's
      certificates in it) as the stack's argument; raise `self.cannot(...)` for what the API cannot express;
      return `ABSENT` to call without the argument;
    - `error_name(error)`: the spec's name for a stack exception (default: TypeError stays TypeError, else the
      class name, through `error_names`);
    - `description_of(value)`, `local_description(pc)`, `remote_description(pc)`, `signaling_state(pc)`,
      `label_of(channel)`, `configuration_json(value)`, `listen_negotiationneeded(pc, callback)`,
      `make_remote_peer()`, `remote_offer(peer, ice_restart)`, `dispose(pc)`: defaults fit a stack that names
      things as the spec does.
    """

    name: ClassVar[str] = "python"
    error_names: ClassVar[Mapping[type[BaseException], str]] = {}
    has_rollback: ClassVar[bool] = True
    """False: the remote peer is replaced by a fresh one where it would roll back."""
    remote_ice_restart_by_new_peer: ClassVar[bool] = False
    """True: a {"$remote": "offer", "iceRestart": true} comes from a fresh remote peer (new ICE agent, so new
    credentials) instead of createOffer({iceRestart: true}), for a stack without that option."""

    def __init__(self, *, step_timeout: float = DEFAULT_STEP_TIMEOUT) -> None:
        self.step_timeout = step_timeout
        self.loop = asyncio.new_event_loop()
        self._sessions: dict[int, _Session] = {}
        self._next_session = 1
        self._deadline = 0.0

    # ---- the protocol's commands ----------------------------------------------------------------------

    @property
    def version(self) -> str:
        """The stack's version (override)."""
        return "unknown"

    @property
    def implements(self) -> tuple[str, ...]:
        """The ops this stack has: those whose do_<op> hook the subclass overrides."""
        return tuple(op for op in OPS if getattr(type(self), f"do_{op}") is not getattr(PythonRunner, f"do_{op}"))

    def hello(self) -> dict[str, object]:
        return {
            "protocol": PROTOCOL_VERSION,
            "implementation": self.name,
            "version": self.version,
            "implements": list(self.implements),
        }

    def open(self) -> int:
        session_id = self._next_session
        self._next_session += 1
        self._sessions[session_id] = _Session()
        return session_id

    def step(self, session: object, step: object) -> dict[str, Any]:
        """Run one step in `session`: the step as recorded (op and args unchanged, plus outcome and after)."""
        state = self._session(session)
        if hasattr(step, "call") and hasattr(step, "to_json"):  # a peerspec.oracle.trace.Step
            step = step.call.to_json()
        return self.loop.run_until_complete(self._run_step(state, step))

    def peek(self, session: object) -> dict[str, object]:
        """{"configuration": what getConfiguration() returns now}, null without a connection or the op."""
        state = self._session(session)
        if state.pc is None or "getConfiguration" not in self.implements:
            return {"configuration": None}

        async def peek() -> object:
            self._deadline = time.monotonic() + self.step_timeout
            return self._encode(self.configuration_json(await self._bounded(self.do_getConfiguration(state.pc))), state)

        try:
            return {"configuration": self.loop.run_until_complete(peek())}
        except Exception as error:
            return {"configuration": {"$js": "error", "name": self.error_name(error)}}

    def close(self, session: object) -> dict[str, object]:
        state = self._sessions.pop(self._session_id(session))
        self.loop.run_until_complete(self._dispose_all(state))
        return {"closed": True}

    def shutdown(self) -> None:
        """Close every session and the event loop."""
        for session in list(self._sessions):
            self.close(session)
        pending = [task for task in asyncio.all_tasks(self.loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.close()

    def handle(self, request: object) -> dict[str, Any]:
        """One protocol request as its answer; a request that cannot be processed is {"runnerError": ...}."""
        try:
            if not isinstance(request, dict):
                return {"runnerError": "a request is a JSON object"}
            if "hello" in request:
                return self.hello()
            if request.get("open") is True:
                return {"session": self.open()}
            if "session" not in request:
                return {"runnerError": f"unknown request (members: {', '.join(sorted(map(str, request)))})"}
            if request.get("peek") is True:
                return self.peek(request["session"])
            if request.get("close") is True:
                return self.close(request["session"])
            if "step" in request:
                return self.step(request["session"], request["step"])
            return {"runnerError": "a session request has step, peek: true or close: true"}
        except RunnerFailure as error:
            return {"runnerError": str(error)}
        except Exception as error:
            return {"runnerError": f"runner crashed: {type(error).__name__}: {error}"}

    # ---- hooks: the calls ------------------------------------------------------------------------------

    def do_generateCertificate(self, *keygen_algorithm: Any) -> Any:
        raise NotImplementedError

    def do_construct(self, *configuration: Any) -> Any:
        raise NotImplementedError

    def do_setConfiguration(self, pc: Any, *configuration: Any) -> Any:
        raise NotImplementedError

    def do_getConfiguration(self, pc: Any) -> Any:
        raise NotImplementedError

    def do_createOffer(self, pc: Any, *options: Any) -> Any:
        raise NotImplementedError

    def do_createAnswer(self, pc: Any, *options: Any) -> Any:
        raise NotImplementedError

    def do_setLocalDescription(self, pc: Any, *description: Any) -> Any:
        raise NotImplementedError

    def do_setRemoteDescription(self, pc: Any, *description: Any) -> Any:
        raise NotImplementedError

    def do_restartIce(self, pc: Any) -> Any:
        raise NotImplementedError

    def do_close(self, pc: Any) -> Any:
        raise NotImplementedError

    def do_createDataChannel(self, pc: Any, *label: Any) -> Any:
        raise NotImplementedError

    # ---- hooks: values ---------------------------------------------------------------------------------

    def convert(self, op: str, value: object) -> object:
        """`value` (decoded) as the stack's argument for `op`. Default: as it is, unless it holds a JavaScript-only
        value (undefined, NaN, +-Infinity), which a Python API cannot express."""
        found = contains_js_value(value)
        if found is not None:
            raise self.cannot(f"{found} (a JavaScript value) in {op}'s {ARGUMENT.get(op, 'argument')}")
        return value

    def cannot(self, what: str) -> NotExpressible:
        """The exception to raise for a value the API cannot express: "<stack>'s API cannot express <what>"."""
        return NotExpressible(f"{self.name}'s API cannot express {what}")

    def error_name(self, error: BaseException) -> str:
        """The spec's name for an exception the stack raised: `error_names` (by isinstance, first match), a
        TypeError stays "TypeError", anything else keeps its class name."""
        for cls, name in self.error_names.items():
            if isinstance(error, cls):
                return name
        if isinstance(error, TypeError):
            return "TypeError"
        return type(error).__name__

    def description_of(self, value: Any) -> Description:
        """A description the stack returned (createOffer's result, a connection's local description)."""
        sdp_type, sdp = getattr(value, "type", None), getattr(value, "sdp", None)
        if isinstance(value, Mapping):
            sdp_type, sdp = value.get("type"), value.get("sdp")
        return Description(str(getattr(sdp_type, "value", sdp_type)), sdp if isinstance(sdp, str) else "")

    def local_description(self, pc: Any) -> Description | None:
        value = getattr(pc, "localDescription", None)
        return None if value is None else self.description_of(value)

    def remote_description(self, pc: Any) -> Description | None:
        value = getattr(pc, "remoteDescription", None)
        return None if value is None else self.description_of(value)

    def signaling_state(self, pc: Any) -> str | None:
        state = getattr(pc, "signalingState", None)
        return None if state is None else str(getattr(state, "value", state))

    def label_of(self, channel: Any) -> object:
        return getattr(channel, "label", None)

    def configuration_json(self, value: Any) -> object:
        """getConfiguration's result as a JSON-shaped value (dicts, lists, enums' values; certificates as they are,
        the runner names them)."""
        return value

    def listen_negotiationneeded(self, pc: Any, callback: Callable[[], None]) -> None:
        """Call `callback` on every negotiationneeded event (default: pyee's `on`, or `addEventListener`)."""
        if callable(getattr(pc, "on", None)):
            pc.on("negotiationneeded", lambda *_: callback())
        elif callable(getattr(pc, "addEventListener", None)):
            pc.addEventListener("negotiationneeded", lambda *_: callback())

    async def make_remote_peer(self) -> Any:
        """A helper connection: explicit {"iceServers": []}, with a data channel (so that it can offer)."""
        peer = await self._bounded(self.do_construct(self.convert("construct", {"iceServers": []})))
        await self._bounded(self.do_createDataChannel(peer, self.convert("createDataChannel", REMOTE_LABEL)))
        return peer

    async def remote_offer(self, peer: Any, ice_restart: bool) -> Any:
        """The remote peer's offer (createOffer({iceRestart: true}) when asked)."""
        if ice_restart:
            return await self._bounded(self.do_createOffer(peer, self.convert("createOffer", {"iceRestart": True})))
        return await self._bounded(self.do_createOffer(peer))

    async def dispose(self, pc: Any) -> None:
        """Close a connection at the end of a session (errors ignored)."""
        if "close" in self.implements and self.signaling_state(pc) != "closed":
            await self._bounded(self.do_close(pc))

    # ---- running a step --------------------------------------------------------------------------------

    def _session_id(self, session: object) -> int:
        if isinstance(session, bool) or not isinstance(session, int | str):
            raise RunnerFailure(f"no session {json.dumps(session, default=repr)}")
        try:
            key = int(session)
        except ValueError:
            raise RunnerFailure(f"no session {json.dumps(session)}") from None
        if key not in self._sessions:
            raise RunnerFailure(f"no session {json.dumps(session)}")
        return key

    def _session(self, session: object) -> _Session:
        return self._sessions[self._session_id(session)]

    async def _bounded(self, value: Any) -> Any:
        """`value`, awaited (within what is left of the step's time bound) when it is awaitable."""
        if not inspect.isawaitable(value):
            return value
        left = max(self._deadline - time.monotonic(), 0.001)
        return await asyncio.wait_for(value, left)

    async def _helper(self, what: str, value: Any) -> Any:
        """A remote-peer call: any failure is the runner's (RunnerFailure), not the connection's."""
        try:
            return await self._bounded(value)
        except TimeoutError:
            raise RunnerFailure(f"{what}: timed out") from None
        except (RunnerFailure, NotExpressible):
            raise
        except Exception as error:
            raise RunnerFailure(f"{what}: {self.error_name(error)}: {error}") from None

    async def _run_step(self, s: _Session, step: object) -> dict[str, Any]:
        if not isinstance(step, dict):
            return {"step": step, "outcome": {"runnerError": "a step is a JSON object"}, "after": None}
        observed: dict[str, Any] = dict(step)
        if s.stopped == "":
            return observed  # construct threw: no later step runs
        if s.stopped is not None:
            return {**observed, "outcome": {"notImplemented": s.stopped}, "after": None}
        self._deadline = time.monotonic() + self.step_timeout
        outcome = await self._outcome(s, step)
        for _ in range(3):  # let queued callbacks (events) run, as a macrotask would
            await asyncio.sleep(0)
        observed["outcome"] = outcome
        observed["after"] = self._after(s)
        return observed

    def _after(self, s: _Session) -> dict[str, object] | None:
        if s.pc is None:
            return None
        try:
            state = self.signaling_state(s.pc)
        except Exception:
            state = None
        return {"signalingState": state, "negotiationneeded": s.negotiationneeded}

    async def _outcome(self, s: _Session, step: dict[str, Any]) -> dict[str, object]:
        op, args = step.get("op"), step.get("args", {})
        if isinstance(op, str) and op in LATER_OPS and isinstance(args, dict):
            return self._not_implemented(s, op, args, f"{self.name} has no {op} (trace format v2)")
        if not isinstance(op, str) or op not in OPS:
            return {"runnerError": f"unknown op {json.dumps(op, default=repr)}"}
        if not isinstance(args, dict):
            return {"runnerError": "args must be an object"}
        if op == "construct" and s.constructed:
            return {"runnerError": "a second construct"}
        if op == "generateCertificate":
            if s.constructed:
                return {"runnerError": "generateCertificate after construct"}
            if not isinstance(args.get("name"), str):
                return {"runnerError": "generateCertificate needs args.name"}
        elif op != "construct" and s.pc is None:
            return {"runnerError": f"{op} before construct"}
        if op not in self.implements:
            return self._not_implemented(s, op, args, f"{self.name} has no {op}")
        for name in certificate_references(args):
            if isinstance(name, str) and name in s.missing_certificates:
                return self._not_implemented(
                    s, op, args, f"certificate {name!r} was not made: {s.missing_certificates[name]}"
                )
        try:
            arguments = await self._arguments(s, op, args)
        except NotExpressible as error:
            return self._not_implemented(s, op, args, str(error))
        except (TraceError, RunnerFailure) as error:
            return self._runner_error(s, op, str(error))
        except Exception as error:
            return self._runner_error(s, op, f"converting the arguments failed: {type(error).__name__}: {error}")
        hook = getattr(self, f"do_{op}")
        call_args = arguments if op in ("construct", "generateCertificate") else (s.pc, *arguments)
        kind = "throw" if op in SYNC_OPS else "reject"
        try:
            result = await self._bounded(hook(*call_args))
        except TimeoutError:
            return {"timeout": True}
        except NotExpressible as error:
            return self._not_implemented(s, op, args, str(error))
        except Exception as error:
            if op == "construct":
                s.stopped = ""
            if op == "generateCertificate":
                s.missing_certificates.pop(args["name"], None)
            return {"error": {"name": self.error_name(error), "kind": kind, "message": str(error)}}
        try:
            return {"ok": self._record(s, op, args, result)}
        except Exception as error:
            return {"runnerError": f"recording the result failed: {type(error).__name__}: {error}"}

    def _not_implemented(self, s: _Session, op: str, args: dict[str, Any], reason: str) -> dict[str, object]:
        if op == "construct":
            s.stopped = f"not run: construct was not implemented ({reason})"
        if op == "generateCertificate":
            s.missing_certificates[str(args["name"])] = reason
        return {"notImplemented": reason}

    def _runner_error(self, s: _Session, op: str, reason: str) -> dict[str, object]:
        if op == "construct":  # no connection, no later step (TRACE-FORMAT.md)
            s.stopped = f"no connection: construct was not run ({reason})"
        return {"runnerError": reason}

    async def _arguments(self, s: _Session, op: str, args: dict[str, Any]) -> tuple[object, ...]:
        """The call's arguments: none when the step has no argument member, else the decoded, converted value."""
        member = ARGUMENT.get(op)
        if member is None or member not in args:
            return ()
        raw = args[member]
        request = remote_request(raw) if op == "setRemoteDescription" else None
        if request is not None:
            made = await self._remote_description(s, request)
            value: object = {"type": made.type, "sdp": made.sdp}
        else:
            s.context.certificates = cast(Mapping[str, RTCCertificate], s.certificates)
            value = decode(raw, s.context)
        converted = self.convert(op, value)
        return () if converted is ABSENT else (converted,)

    def _record(self, s: _Session, op: str, args: dict[str, Any], result: Any) -> object:
        """The RESULT of {"ok": RESULT} for `op` returning `result`."""
        if op == "construct":
            s.pc, s.constructed = result, True

            def count() -> None:
                s.negotiationneeded += 1

            self.listen_negotiationneeded(result, count)
            return None
        if op == "generateCertificate":
            name = str(args["name"])
            s.certificates[name] = result
            s.certificate_names[id(result)] = name
            return {CERTIFICATE_TAG: name}
        if op == "getConfiguration":
            return self._encode(self.configuration_json(result), s)
        if op in ("createOffer", "createAnswer"):
            made = self.description_of(result)
            if op == "createOffer":
                s.context.last_offer_sdp = made.sdp
            else:
                s.context.last_answer_sdp = made.sdp
            return {"type": made.type, "iceCredentials": ice_credentials(made.sdp)}
        if op == "createDataChannel":
            return {"label": self._encode(self.label_of(result), s)}
        return None

    def _encode(self, value: object, s: _Session, depth: int = 0) -> object:
        """A stack value as trace JSON: non-finite floats and undefined tagged, certificates by name, enums by
        value, tuples as arrays, dataclass-like objects by their public attributes."""
        if depth > 50:
            return {"$js": "too-deep"}
        if value is UNDEFINED:
            return {"$js": "undefined"}
        if isinstance(value, float) and not math.isfinite(value):
            return {"$js": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if id(value) in s.certificate_names:
            return {CERTIFICATE_TAG: s.certificate_names[id(value)]}
        if isinstance(value, list | tuple):
            return [self._encode(item, s, depth + 1) for item in value]
        if isinstance(value, Mapping):
            return {str(key): self._encode(member, s, depth + 1) for key, member in value.items()}
        enum_value = getattr(value, "value", None)
        if isinstance(enum_value, str | int):
            return enum_value
        members = getattr(value, "__dict__", None)
        if isinstance(members, dict):
            return {key: self._encode(member, s, depth + 1) for key, member in members.items() if key[:1] != "_"}
        return {"$js": "object", "type": type(value).__name__}

    # ---- the remote peer -------------------------------------------------------------------------------

    async def _new_peer(self, s: _Session) -> Any:
        try:
            peer = await self._helper("making a helper peer", self.make_remote_peer())
        except NotExpressible as error:
            raise RunnerFailure(f"making a helper peer: {error}") from None
        s.helpers.append(peer)
        return peer

    async def _remote_peer(self, s: _Session) -> Any:
        if s.remote is None:
            s.remote = await self._new_peer(s)
        return s.remote

    async def _throwaway_offer(self, s: _Session, ice_restart: bool) -> Description:
        third = await self._new_peer(s)  # a fresh peer: its credentials are new anyway
        restart = ice_restart and not self.remote_ice_restart_by_new_peer
        return self.description_of(await self._helper("third createOffer", self.remote_offer(third, restart)))

    async def _throwaway_answer(self, s: _Session, offer: Description) -> Description:
        answerer = await self._new_peer(s)
        description = self.convert("setRemoteDescription", {"type": "offer", "sdp": offer.sdp})
        await self._helper("third setRemoteDescription(offer)", self.do_setRemoteDescription(answerer, description))
        return self.description_of(await self._helper("third createAnswer", self.do_createAnswer(answerer)))

    async def _apply(self, peer: Any, op: str, made: Description, what: str) -> None:
        description = self.convert(op, {"type": made.type, "sdp": made.sdp})
        await self._helper(what, getattr(self, f"do_{op}")(peer, description))

    async def _remote_to_stable(self, s: _Session) -> None:
        """Brings the remote peer back to stable, mirroring what the local connection completed with it (the JS
        runner's remoteToStable): a remote offer the local connection answered gets that answer; one it still holds
        as its pending remote description is kept; anything else is rolled back (or, for a stack without rollback,
        the remote peer is replaced by a fresh one)."""
        remote = await self._remote_peer(s)
        state = self.signaling_state(remote)
        local_state = self.signaling_state(s.pc)
        ours = self.local_description(remote)
        if state == "have-local-offer":
            theirs = self.remote_description(s.pc)
            if local_state == "stable" and _same_description(theirs, ours):
                answer = self.local_description(s.pc)
                if answer is not None and answer.type == "answer":
                    await self._apply(remote, "setRemoteDescription", answer, "remote applies the local answer")
                    return
            if local_state == "have-remote-offer" and _same_description(theirs, ours):
                return
        if state in ("have-local-offer", "have-local-pranswer", "have-remote-offer", "have-remote-pranswer"):
            if not self.has_rollback:
                s.remote = await self._new_peer(s)
                return
            op = "setLocalDescription" if state.startswith("have-local") else "setRemoteDescription"
            await self._apply(remote, op, Description("rollback", ""), f"remote rollback ({state})")

    async def _remote_description(self, s: _Session, request: RemoteRequest) -> Description:
        """The description "made by the remote peer" for setRemoteDescription({"$remote": ...})."""
        if self.signaling_state(s.pc) == "closed":
            # A closed connection rejects any description: give it a well-formed one from throwaway peers.
            offer = await self._throwaway_offer(s, request.ice_restart)
            if request.kind == "offer":
                return offer
            return Description(request.kind, (await self._throwaway_answer(s, offer)).sdp)
        await self._remote_to_stable(s)
        if request.kind == "offer":
            restart = request.ice_restart
            if restart and self.remote_ice_restart_by_new_peer:
                s.remote, restart = await self._new_peer(s), False  # a fresh ICE agent: new credentials
            made = await self._helper("remote createOffer", self.remote_offer(s.remote, restart))
            offer = self.description_of(made)
            await self._apply(s.remote, "setLocalDescription", offer, "remote setLocalDescription(offer)")
            return Description("offer", offer.sdp)
        pending = self.local_description(s.pc) if self.signaling_state(s.pc) == "have-local-offer" else None
        local_offer = pending if pending is not None and pending.type == "offer" else None
        if request.kind == "answer" and local_offer is not None:
            await self._apply(s.remote, "setRemoteDescription", local_offer, "remote setRemoteDescription(offer)")
            answer = self.description_of(await self._helper("remote createAnswer", self.do_createAnswer(s.remote)))
            await self._apply(s.remote, "setLocalDescription", answer, "remote setLocalDescription(answer)")
            return Description("answer", answer.sdp)
        source = local_offer or await self._throwaway_offer(s, False)
        return Description(request.kind, (await self._throwaway_answer(s, source)).sdp)

    async def _dispose_all(self, s: _Session) -> None:
        for pc in [s.pc, *s.helpers]:
            if pc is None:
                continue
            self._deadline = time.monotonic() + self.step_timeout
            try:
                await self.dispose(pc)
            except Exception as error:
                print(f"{self.name}: closing a connection failed: {type(error).__name__}: {error}", file=sys.stderr)


class InProcessImplementation:
    """The `Implementation` protocol (protocol.py) on a PythonRunner in this process: no child process.

    Every step is checked by ensure_offline (oracle/implementations/offline.py) before it reaches the stack, but
    nothing else isolates the stack from the network here: a stack that contacts servers of its own (aiortc's
    default STUN server, when a configuration has no iceServers) should be run through the stdio server inside
    a network namespace instead.
    """

    def __init__(self, runner: PythonRunner) -> None:
        self.runner = runner
        self.name = runner.name
        self._session: int | None = None

    @property
    def version(self) -> str:
        return self.runner.version

    def open(self) -> None:
        self.close()
        self._session = self.runner.open()

    def step(self, step: Step) -> Step:
        ensure_offline(step)
        if self._session is None:
            return not_run(step, "no session is open")
        return self.runner.step(self._session, step)

    def peek_configuration(self) -> object:
        return None if self._session is None else self.runner.peek(self._session)["configuration"]

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            self.runner.close(session)

    def run_traces(self, traces: Sequence[Trace]) -> list[Trace]:
        out: list[Trace] = []
        for trace in traces:
            for step in trace:
                ensure_offline(step)
            head, body = split_header(trace)  # a v2 trace's header comes back as it went (v1 observations only)
            self.open()
            out.append([*head, *(self.step(step) for step in body)])
            self.close()
        return out


def _reject_constant(literal: str) -> float:
    raise ValueError(f"{literal} is not JSON")


def serve(runner: PythonRunner, stdin: Iterable[str], stdout: IO[str]) -> None:
    """Speak the session protocol: one JSON answer line on `stdout` per request line of `stdin`, until EOF.
    A line that is not one JSON object is answered {"runnerError": ...}, and serving goes on."""
    try:
        for line in stdin:
            if line.strip() == "":
                continue
            try:
                request = json.loads(line, parse_constant=_reject_constant)
            except (ValueError, RecursionError) as error:
                answer: dict[str, Any] = {"runnerError": f"bad JSON: {error}"}
            else:
                answer = runner.handle(request)
            try:
                text = json.dumps(answer, allow_nan=False)
            except (ValueError, TypeError) as error:
                text = json.dumps({"runnerError": f"the answer is not JSON: {error}"})
            stdout.write(text + "\n")
            stdout.flush()
    finally:
        runner.shutdown()


def load_runner(spec: str, **kwargs: Any) -> PythonRunner:
    """The runner MODULE:CLASS names, instantiated."""
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise ValueError(f"expected MODULE:CLASS, got {spec!r}")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, PythonRunner)):
        raise TypeError(f"{spec} is not a PythonRunner subclass")
    return cls(**kwargs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m peerspec.oracle.implementations.python_runner",
        description="Serve a PythonRunner over stdio (peerspec session protocol, version 1).",
    )
    parser.add_argument("runner", metavar="MODULE:CLASS", help="the PythonRunner subclass to serve")
    parser.add_argument("--step-timeout", type=float, default=DEFAULT_STEP_TIMEOUT, help="seconds per step")
    options = parser.parse_args(argv)
    runner = load_runner(options.runner, step_timeout=options.step_timeout)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    serve(runner, sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    # Run as -m, this file is __main__: take main (and PythonRunner) from the module runners import.
    from peerspec.oracle.implementations.python_runner import main as _main

    sys.exit(_main())
