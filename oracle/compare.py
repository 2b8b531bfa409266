"""Compare a trace recorded from an implementation with the model's replay of the same calls.

Compared, step by step: whether the step ran; ok versus error; an error's name and kind (not its spec or
message, which are the implementation's own words); getConfiguration's dictionary (the members the model's has;
an implementation may add members of its own); the type and the ICE credentials of an offer or answer, by
equality pattern (C1, C2, ... in order of first appearance in each trace, since ufrags are random); a data
channel's label; and after each step, signalingState and the negotiationneeded count.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peerspec.oracle.model_runner import replay
from peerspec.oracle.narrate import CredentialLabels, describe_outcome
from peerspec.oracle.spec_sections import METHOD_SECTION, observation_rule
from peerspec.oracle.trace import Step

MAX_VALUE_TEXT = 160


@dataclass(frozen=True)
class Divergence:
    """One disagreement: at `step` (1-based, = the line), `observation` was `observed` where the model has
    `expected`; `spec` is the spec step that decides it."""

    step: int
    op: str
    observation: str
    expected: str
    observed: str
    spec: str

    def describe(self) -> str:
        return (
            f"step {self.step} {self.op}: {self.observation} — expected {self.expected}, observed {self.observed}"
            f" (decided by {self.spec})"
        )


def check(observed: Sequence[Step], *, seed: int = 0) -> list[Divergence]:
    """The divergences of a recorded trace from the model's replay of its calls."""
    return compare(replay(observed, seed=seed), observed)


def compare(expected: Sequence[Step], observed: Sequence[Step]) -> list[Divergence]:
    if len(expected) != len(observed):
        raise ValueError("the traces compared must have the same steps")
    expected_labels, observed_labels = CredentialLabels(), CredentialLabels()
    divergences: list[Divergence] = []
    for number, (model, actual) in enumerate(zip(expected, observed, strict=True), start=1):
        found = _StepComparison(number, model, actual, expected_labels, observed_labels)
        divergences.extend(found.run())
    return divergences


class _StepComparison:
    def __init__(
        self, number: int, model: Step, actual: Step, model_labels: CredentialLabels, actual_labels: CredentialLabels
    ) -> None:
        self.number, self.model, self.actual = number, model, actual
        self.model_labels, self.actual_labels = model_labels, actual_labels
        self.found: list[Divergence] = []

    def diverge(self, observation: str, expected: object, observed: object, spec: str) -> None:
        self.found.append(Divergence(self.number, self.model.op, observation, _text(expected), _text(observed), spec))

    def run(self) -> list[Divergence]:
        op, model, actual = self.model.op, self.model.outcome, self.actual.outcome
        if model is None or actual is None:
            if (model is None) != (actual is None):
                self.diverge(
                    "outcome",
                    _Words(describe_outcome(op, model)),
                    _Words(describe_outcome(op, actual)),
                    METHOD_SECTION["construct"],
                )
            return self.found
        self.outcome(model, actual)
        if "ok" in model and "ok" in actual:
            self.result(model["ok"], actual["ok"])
        self.after(self.model.after, self.actual.after)
        return self.found

    def outcome(self, model: Mapping[str, object], actual: Mapping[str, object]) -> None:
        op = self.model.op
        model_error, actual_error = model.get("error"), actual.get("error")
        same_kind = next(iter(model)) == next(iter(actual))
        if isinstance(model_error, dict) and isinstance(actual_error, dict):
            spec = str(model_error.get("spec"))
            if model_error.get("name") != actual_error.get("name"):
                self.diverge("error name", model_error.get("name"), actual_error.get("name"), spec)
            if model_error.get("kind") != actual_error.get("kind"):
                self.diverge(
                    "error kind", _Words(describe_outcome(op, model)), _Words(describe_outcome(op, actual)), spec
                )
        elif not same_kind:
            spec = str(model_error.get("spec")) if isinstance(model_error, dict) else METHOD_SECTION[op]
            self.diverge("outcome", _Words(describe_outcome(op, model)), _Words(describe_outcome(op, actual)), spec)

    def result(self, model: object, actual: object) -> None:
        op = self.model.op
        if op == "getConfiguration":
            self.configuration(model, actual)
        elif op in ("createOffer", "createAnswer"):
            model_type = model.get("type") if isinstance(model, dict) else None
            actual_type = actual.get("type") if isinstance(actual, dict) else None
            if model_type != actual_type:
                self.diverge("type", model_type, actual_type, observation_rule("type", op))
            model_labels, actual_labels = self.model_labels.labels(model), self.actual_labels.labels(actual)
            if model_labels != actual_labels:
                self.diverge(
                    "ICE credentials (equality pattern)",
                    _Words(_pattern(model_labels)),
                    _Words(_pattern(actual_labels)),
                    observation_rule("iceCredentials", op),
                )
        elif op == "createDataChannel":
            model_label = model.get("label") if isinstance(model, dict) else None
            actual_label = actual.get("label") if isinstance(actual, dict) else None
            if model_label != actual_label:
                self.diverge("label", model_label, actual_label, observation_rule("label", op))

    def configuration(self, model: object, actual: object) -> None:
        spec = observation_rule("configuration", "getConfiguration")
        if not isinstance(model, dict) or not isinstance(actual, dict):
            self.diverge("configuration", model, actual, spec)
            return
        for member, value in model.items():
            if member not in actual:
                self.diverge(f"configuration.{member}", value, _Words("absent"), spec)
            elif not _same_json(value, actual[member]):
                self.diverge(f"configuration.{member}", value, actual[member], spec)

    def after(self, model: Mapping[str, object] | None, actual: Mapping[str, object] | None) -> None:
        if model is None:
            return
        op = self.model.op
        for observation in ("signalingState", "negotiationneeded"):
            observed = actual.get(observation) if actual is not None else None
            if not _same_json(model[observation], observed):
                self.diverge(f"after.{observation}", model[observation], observed, observation_rule(observation, op))


class _Words(str):
    """Text shown as it is, not as a JSON value."""


def _text(value: object) -> str:
    if isinstance(value, _Words):
        return str(value)
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE_TEXT else text[: MAX_VALUE_TEXT - 1] + "…"


def _same_json(a: object, b: object) -> bool:
    """JSON equality, in which true is not 1 (Python's == would say it is)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_json(a[key], b[key]) for key in a)
    return (type(a) is type(b) and a == b) or (isinstance(a, int | float) and isinstance(b, int | float) and a == b)


def _pattern(labels: Sequence[str]) -> str:
    return "[" + ", ".join(labels) + "]"
