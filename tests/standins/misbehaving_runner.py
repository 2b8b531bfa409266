"""A stand-in runner for the session protocol, for tests only: it answers every step with the model's own
recording (so it agrees with the model), except that it misbehaves on purpose when a data channel's label asks
it to: "crash" aborts the process (SIGABRT), "hang" never answers, "garbage" writes a line that is not JSON,
"array" writes a JSON array instead of an object. PEERSPEC_STANDIN_MISSING names ops (comma-separated) it
claims not to implement.

    python -m tests.standins.misbehaving_runner
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from peerspec.oracle.model_runner import ModelSession
from peerspec.oracle.trace import Step, dump_step, ops


def answer(request: dict[str, Any], sessions: dict[str, ModelSession]) -> dict[str, Any] | str:
    if "hello" in request:
        missing = set(filter(None, os.environ.get("PEERSPEC_STANDIN_MISSING", "").split(",")))
        return {
            "protocol": 1,
            "implementation": "standin",
            "version": "0",
            "implements": [o for o in ops() if o not in missing],
        }
    if "open" in request:
        name = f"s{len(sessions) + 1}"
        sessions[name] = ModelSession()
        return {"session": name}
    session = sessions.get(str(request.get("session")))
    if session is None:
        return {"runnerError": f"no session {request.get('session')!r}"}
    if "close" in request:
        return {"closed": True}
    if "peek" in request:
        return {"configuration": None}
    raw = request["step"]
    label = raw.get("args", {}).get("label") if raw.get("op") == "createDataChannel" else None
    if label == "crash":
        sys.stderr.write("standin: aborting as asked\n")
        sys.stderr.flush()
        os.abort()
    if label == "hang":
        time.sleep(3600)
    if label == "garbage":
        return "this is not JSON"
    if label == "array":
        return "[1, 2]"
    observed = session.step(Step(str(raw["op"]), dict(raw.get("args") or {}), None, None))
    return dict(json.loads(dump_step(observed)))


def main() -> None:
    sessions: dict[str, ModelSession] = {}
    for line in sys.stdin:
        try:
            request = json.loads(line)
            reply = answer(request, sessions) if isinstance(request, dict) else {"runnerError": "not an object"}
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            reply = {"runnerError": f"bad request: {error}"}
        sys.stdout.write((reply if isinstance(reply, str) else json.dumps(reply)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
