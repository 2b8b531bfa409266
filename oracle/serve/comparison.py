"""The visitor's browser beside the model: the outcomes the page's runner recorded (oracle/runners/js/
peerspec-runner.js in the visitor's own RTCPeerConnection) judged as `peerspec check --impl NAME` judges a recorded
trace: oracle/batch_check.judge, so the deviation registry names the departures that are known.

The calls are the page's trace text, read again here; the browser sends only what it observed (each step's
outcome and after), so a value JavaScript cannot hold exactly (a 2**60 integer, -0) is judged as the trace wrote
it. The recorded trace is validated by the trace reader like any file given to `peerspec check`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Final

from peerspec.oracle.batch_check import judge, verdict_record
from peerspec.oracle.deviations import REGISTRY_PATH, Classified, Registry, load_registry
from peerspec.oracle.errors import TraceError
from peerspec.oracle.narrate import describe_outcome
from peerspec.oracle.serve.evaluation import TRACE_NAME, read_trace
from peerspec.oracle.serve.spec_links import spec_url
from peerspec.oracle.trace import dumps, parse

#: The browsers the registry has entries for, recognised from a User-Agent header (Chromium names itself "Chrome",
#: or "HeadlessChrome"; Edge and Opera are Chromium too, and Firefox never says "Chrome").
_USER_AGENT_BROWSERS: Final = (("firefox", re.compile(r"\bFirefox/")), ("chromium", re.compile(r"Chrom(e|ium)/")))


def browser_of(user_agent: str) -> str:
    """The registry's name for the browser a User-Agent header describes, or "" (judged by the spec alone)."""
    for name, pattern in _USER_AGENT_BROWSERS:
        if pattern.search(user_agent):
            return name
    return ""


def registry() -> Registry:
    return load_registry(REGISTRY_PATH)


def compare_browser(text: str, observed: Sequence[object], implementation: str) -> dict[str, Any]:
    """The divergences of the browser's run of trace `text` from the model, classified for `implementation`."""
    calls = read_trace(text)
    if len(observed) != len(calls):
        raise TraceError(f"the browser recorded {len(observed)} steps for a trace of {len(calls)}")
    recorded = [
        replace(call, **_observation(number, item))
        for number, (call, item) in enumerate(zip(calls, observed, strict=True), start=1)
    ]
    steps = parse(dumps(recorded).encode("utf-8", "surrogatepass"), "the browser's run")
    known = registry()
    name = implementation if known.knows(implementation) else ""
    verdicts = judge(TRACE_NAME, steps, name, known)
    entries = {d.id: d for d in known.deviations}
    return {
        "implementation": name,
        "observed": [
            {"number": n, "outcome": describe_outcome(s.op, s.outcome), "after": s.after}
            for n, s in enumerate(steps, start=1)
        ],
        "recorded": dumps(steps),
        "divergences": [_divergence_view(v, entries) for v in verdicts.verdicts],
    }


def _observation(number: int, item: object) -> dict[str, Any]:
    """A step's outcome and after as the browser recorded them (nothing when it did not run the step)."""
    if not isinstance(item, dict):
        raise TraceError(f"the browser's step {number} is not an object")
    outcome, after = item.get("outcome"), item.get("after")
    if outcome is None:
        return {"outcome": None, "after": None}
    return {"outcome": outcome, "after": after}


def _divergence_view(verdict: Classified, entries: dict[str, Any]) -> dict[str, Any]:
    entry = entries.get(verdict.deviation or "")
    spec = verdict.divergence.spec
    return {
        **verdict_record(verdict),
        "spec": {"text": spec, "url": spec_url(spec)},
        "entry": None
        if entry is None
        else {
            "id": entry.id,
            "does": entry.implementation_does,
            "why": entry.why,
            "section": entry.spec.get("section"),
        },
        "describe": verdict.describe(),
    }
