"""The model's run of a trace, as the page shows it: per step the call, the outcome, the spec step that decided it
(with its Editor's Draft link), getConfiguration()'s dictionary, the ICE credentials an offer or answer carries
(C1, C2, ... new or unchanged), the signaling and lifecycle state after it and the negotiationneeded events it
fired. Everything here is read off oracle/model_runner.py's replay and worded by oracle/narrate.py.

Input is the trace text (JSON Lines, format v1) as the page holds it; an unreadable trace is a TraceError with
the reader's one-line reason, and a trace over MAX_TRACE_BYTES or MAX_STEPS is refused before it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from peerspec.oracle.errors import TraceError
from peerspec.oracle.implementations.offline import unsafe_urls
from peerspec.oracle.model_runner import ReplayedStep, replay_with_messages
from peerspec.oracle.narrate import CredentialLabels, call_text, deciding_rule, describe_outcome, js_text, narrate
from peerspec.oracle.serve.spec_links import spec_url
from peerspec.oracle.trace import Step, dump_step, dumps, parse

#: The largest trace the page evaluates: a teaching page shows a few dozen calls, and a bound keeps one visitor's
#: paste from occupying the server. Both limits are stated in the refusal.
MAX_TRACE_BYTES: Final = 64 * 1024
MAX_STEPS: Final = 200
TRACE_NAME: Final = "trace"


class TraceTooLarge(TraceError):
    """A trace over the page's limits."""


def read_trace(text: str) -> list[Step]:
    """The trace's steps, strictly read (oracle/trace.py); refused when over the page's limits."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_TRACE_BYTES:
        raise TraceTooLarge(
            f"the trace is {len(data):,} bytes; the page evaluates traces of at most {MAX_TRACE_BYTES:,} bytes"
            " (run `peerspec explain` on larger ones)"
        )
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines > MAX_STEPS:
        raise TraceTooLarge(
            f"the trace has {lines} lines; the page evaluates traces of at most {MAX_STEPS} steps"
            " (run `peerspec explain` on longer ones)"
        )
    return parse(data, TRACE_NAME)


def evaluate(text: str, *, seed: int = 0) -> dict[str, Any]:
    """The page's view of the model's run of the trace `text`."""
    steps = read_trace(text)
    replayed = list(replay_with_messages(steps, seed=seed))  # a page's trace is bounded (MAX_STEPS): held whole
    sentences = list(narrate(replayed))
    labels = CredentialLabels()
    before: Mapping[str, object] | None = None
    shown: list[dict[str, Any]] = []
    for number, (item, sentence) in enumerate(zip(replayed, sentences, strict=True), start=1):
        shown.append(_step_view(number, item, sentence, labels, before))
        if item.step.after is not None:
            before = item.step.after
    unsafe = sorted({url for step in steps for url in unsafe_urls(step.to_json())})
    return {
        "steps": shown,
        "recorded": dumps([item.step for item in replayed]),
        "calls": dumps([step.call for step in steps]),
        "unsafeUrls": unsafe,
        "seed": seed,
    }


def _step_view(
    number: int,
    item: ReplayedStep,
    sentence: str,
    labels: CredentialLabels,
    before: Mapping[str, object] | None,
) -> dict[str, Any]:
    step = item.step
    view: dict[str, Any] = {
        "number": number,
        "op": step.op,
        "call": call_text(step),
        "sentence": sentence,
        "ran": step.outcome is not None,
        "outcome": describe_outcome(step.op, step.outcome),
        "error": None,
        "decidedBy": None,
        "configuration": None,
        "credentials": [],
        "after": step.after,
        "negotiationneededFired": _fired(before, step.after),
        "record": dump_step(step),
    }
    if step.outcome is None:
        return view
    error = step.outcome.get("error")
    if isinstance(error, dict):
        view["error"] = {"name": error.get("name"), "kind": error.get("kind"), "message": item.message}
        view["decidedBy"] = _citation(str(error.get("spec")))
    elif "ok" in step.outcome:
        view["decidedBy"] = _citation(deciding_rule(step.op))
        result = step.outcome["ok"]
        if step.op == "getConfiguration":
            view["configuration"] = {"json": result, "text": js_text(result)}
        if step.op in ("createOffer", "createAnswer") and isinstance(result, dict):
            pairs = result.get("iceCredentials")
            for pair in pairs if isinstance(pairs, list) else []:
                label, first = labels.label(pair)
                view["credentials"].append({"label": label, "new": first})
    else:
        view["decidedBy"] = _citation(str(step.outcome.get("runnerError", "")))
    return view


def _citation(text: str) -> dict[str, Any]:
    return {"text": text, "url": spec_url(text)}


def _fired(before: Mapping[str, object] | None, after: Mapping[str, object] | None) -> int:
    """The negotiationneeded events this step fired: the running count less the one before it."""
    if after is None:
        return 0
    count, earlier = after.get("negotiationneeded", 0), (before or {}).get("negotiationneeded", 0)
    if isinstance(count, int) and isinstance(earlier, int):
        return count - earlier
    return 0
