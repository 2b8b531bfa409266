"""Plain words for a replayed trace: each call, what it did, and the spec step that decided it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping

from peerspec.oracle.model_runner import ReplayedStep
from peerspec.oracle.spec_sections import METHOD_SECTION, PROMISE_OPS, observation_rule
from peerspec.oracle.trace import ARGUMENT, Step
from peerspec.oracle.values import CERTIFICATE_TAG, JS_TAG, REMOTE_TAG, SDP_TAG

MAX_ARGUMENT_TEXT = 100
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def narrate(replayed: Iterable[ReplayedStep]) -> Iterator[str]:
    """One sentence per step, each given as its step comes (a streamed replay is never held whole)."""
    labels = CredentialLabels()
    before: Mapping[str, object] | None = None
    for number, item in enumerate(replayed, start=1):
        step = item.step
        if step.outcome is None:
            yield f"Step {number}: {call_text(step)} is not run (the constructor failed)."
            continue
        if "notImplemented" in step.outcome:
            yield f"Step {number}: {call_text(step)} is not run ({step.outcome['notImplemented']})."
            continue
        sentence = f"Step {number}: {call_text(step)} {_result_text(step, labels)}"
        error = step.outcome.get("error")
        if isinstance(error, dict):
            because = f"{error.get('spec')}: {item.message}" if item.message else str(error.get("spec"))
            sentence += f" — {because}."
        elif "ok" in step.outcome:
            sentence += f" — {deciding_rule(step.op)}."
        else:
            sentence += "."
        effects = _effects(before, step.after)
        if effects:
            sentence += " " + "; ".join(effects) + "."
        yield sentence
        before = step.after


class CredentialLabels:
    """Names ICE credential pairs C1, C2, ... in order of first appearance in one trace."""

    def __init__(self) -> None:
        self._labels: dict[str, str] = {}

    def label(self, pair: object) -> tuple[str, bool]:
        """The pair's label, and whether this is its first appearance."""
        key = json.dumps(pair, sort_keys=True)
        if key in self._labels:
            return self._labels[key], False
        self._labels[key] = f"C{len(self._labels) + 1}"
        return self._labels[key], True

    def labels(self, result: object) -> list[str]:
        pairs = result.get("iceCredentials") if isinstance(result, dict) else None
        return [self.label(pair)[0] for pair in pairs] if isinstance(pairs, list) else []


def describe_outcome(op: str, outcome: Mapping[str, object] | None) -> str:
    """The outcome in a few words: "throws InvalidStateError", "fulfills", "not run", ..."""
    if outcome is None:
        return "not run"
    if "ok" in outcome:
        return "fulfills" if op in PROMISE_OPS else "returns"
    error = outcome.get("error")
    if isinstance(error, dict):
        verb = "throws" if error.get("kind") == "throw" else "rejects with"
        return f"{verb} {error.get('name')}"
    if "runnerError" in outcome:
        return f"no outcome (runner error: {outcome['runnerError']})"
    if "notImplemented" in outcome:
        return f"not run ({outcome['notImplemented']})"
    return "no outcome (timed out)"


def call_text(step: Step) -> str:
    key = ARGUMENT.get(step.op)
    argument = js_text(step.args[key]) if key is not None and key in step.args else ""
    if len(argument) > MAX_ARGUMENT_TEXT:
        argument = argument[: MAX_ARGUMENT_TEXT - 1] + "…"
    if step.op == "construct":
        return f"new RTCPeerConnection({argument})"
    return f"{step.op}({argument})"


def js_text(value: object) -> str:
    """A trace value written the way a script would write it (tags as what they stand for)."""
    if isinstance(value, list):
        return "[" + ", ".join(js_text(item) for item in value) + "]"
    if not isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if len(value) == 1:
        ((key, tagged),) = value.items()
        if key == JS_TAG:
            return str(tagged)
        if key == CERTIFICATE_TAG:
            return f"<certificate {tagged}>"
        if key == SDP_TAG:
            return f"<sdp of the {str(tagged).removeprefix('last-')} last created>"
        if key == REMOTE_TAG:
            return f"<{tagged} from the remote peer>"
    members = (f"{_key_text(key)}: {js_text(member)}" for key, member in value.items())
    return "{" + ", ".join(members) + "}"


def _key_text(key: str) -> str:
    return key if _IDENTIFIER.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _result_text(step: Step, labels: CredentialLabels) -> str:
    outcome = step.outcome or {}
    verb = describe_outcome(step.op, outcome)
    if "ok" not in outcome:
        return verb
    result = outcome["ok"]
    if step.op == "getConfiguration":
        return f"{verb} {js_text(result)}"
    if step.op == "generateCertificate" and isinstance(result, dict):
        return f"{verb} with certificate {result.get(CERTIFICATE_TAG)!r}"
    if step.op == "createDataChannel" and isinstance(result, dict):
        return f"{verb} a channel labelled {js_text(result.get('label'))}"
    if step.op in ("createOffer", "createAnswer") and isinstance(result, dict):
        pairs = result.get("iceCredentials")
        named = [labels.label(pair) for pair in pairs] if isinstance(pairs, list) else []
        words = ", ".join(f"{label} ({'new' if first else 'unchanged'})" for label, first in named) or "none"
        return f"{verb} with an {result.get('type')} whose ICE credentials are {words}"
    return verb


def deciding_rule(op: str) -> str:
    """The rule that decided a step that succeeded: its observation's rule where it has one, else its algorithm."""
    observation = {
        "getConfiguration": "configuration",
        "createOffer": "iceCredentials",
        "createAnswer": "iceCredentials",
    }
    return observation_rule(observation[op], op) if op in observation else METHOD_SECTION[op]


def _effects(before: Mapping[str, object] | None, after: Mapping[str, object] | None) -> list[str]:
    if after is None:
        return []
    effects: list[str] = []
    for name in ("signalingState", "lifecycle"):
        old, new = (before or {}).get(name), after.get(name)
        if before is None:
            effects.append(f"{name} is {new}")
        elif old != new:
            effects.append(f"{name} {old} → {new}")
    old_count, count = (before or {}).get("negotiationneeded", 0), after.get("negotiationneeded", 0)
    if isinstance(old_count, int) and isinstance(count, int) and count > old_count:
        effects.append(f"negotiationneeded fires ({count} so far)")
    return effects
