"""Compare a trace recorded from an implementation with the model's replay of the same calls.

Compared, step by step: whether the step ran; ok versus error; an error's name and kind (not its spec or
message, which are the implementation's own words); getConfiguration's dictionary (the members the model's has;
an implementation may add members of its own); the type and the ICE credentials of an offer or answer, by
equality pattern (C1, C2, ... in order of first appearance in each trace, since ufrags are random); a data
channel's label; and after each step, signalingState and the negotiationneeded events *that step* fired (the
difference of the running counts, so one extra event early is one divergence, not one on every later step).

Three outcomes are reported for what they are, not as disagreements about the spec: a step the implementation
does not have (`notImplemented`: observation "not implemented"), a step its runner could not run (`runnerError`:
observation "runner error", the harness's failure, not the implementation's), and the run of steps an
implementation did not run because its `construct` threw where the model's did not (one divergence for all).
Where the model's own runner could not run a step either (a construct naming a certificate whose generation
was rejected, and the notImplemented steps after it: TRACE-FORMAT.md, "no connection, no later step"), the same
record from the implementation agrees.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from peerspec.model.observable_state import DESCRIPTION_ATTRIBUTES
from peerspec.oracle.model_runner import NO_CONNECTION, replay
from peerspec.oracle.narrate import CredentialLabels, describe_outcome
from peerspec.oracle.spec_sections import METHOD_SECTION, observation_rule
from peerspec.oracle.trace import Step

MAX_VALUE_TEXT = 160
ICE_STATES: Final = ("iceGatheringState", "iceConnectionState", "connectionState")


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
    message: str = ""  # the implementation's own error message, where it gave one

    def describe(self) -> str:
        said = f" ({self.message!r})" if self.message else ""
        return (
            f"step {self.step} {self.op}: {self.observation} — expected {self.expected}, observed {self.observed}"
            f"{said} (decided by {self.spec})"
        )


#: Observations that say a step was not compared, and why.
NOT_IMPLEMENTED: Final = "not implemented"
RUNNER_ERROR: Final = "runner error"
NOT_RUN: Final = "not run"


def check(observed: Sequence[Step], *, seed: int = 0) -> list[Divergence]:
    """The divergences of a recorded trace from the model's replay of its calls."""
    return compare(replay(observed, seed=seed), observed)


def compare(expected: Iterable[Step], observed: Iterable[Step]) -> list[Divergence]:
    return [found.divergence for found in compared(_same_length(expected, observed))]


@dataclass(frozen=True)
class Found:
    """A divergence with the two steps it was found in."""

    divergence: Divergence
    model: Step
    observed: Step


def compared(pairs: Iterable[tuple[Step, Step]]) -> Iterator[Found]:
    """compare as a stream over (model step, observed step) pairs: each divergence is given once it is certain,
    and nothing is held but the credential labels and the run of not-run steps being counted."""
    expected_labels, observed_labels = CredentialLabels(), CredentialLabels()
    before: tuple[Step | None, Step | None] = (None, None)
    not_run: _NotRun | None = None
    for number, (model, actual) in enumerate(pairs, start=1):
        previous = before[1]
        if not_run is not None and actual.outcome is None:
            not_run.extend(number, model)
        else:
            if not_run is not None:
                yield from not_run.end()
                not_run = None
            if actual.outcome is None and _construct_threw(previous):
                not_run = _NotRun(number, model, actual)
            else:
                found = _StepComparison(number, model, actual, expected_labels, observed_labels, before)
                yield from (Found(divergence, model, actual) for divergence in found.run())
        before = (model, actual)
    if not_run is not None:
        yield from not_run.end()


def _same_length(expected: Iterable[Step], observed: Iterable[Step]) -> Iterator[tuple[Step, Step]]:
    try:
        yield from zip(expected, observed, strict=True)
    except ValueError as error:
        if "zip()" not in str(error):
            raise
        raise ValueError("the traces compared must have the same steps") from None


def _construct_threw(step: Step | None) -> bool:
    return step is not None and step.op == "construct" and bool((step.outcome or {}).get("error"))


class _NotRun:
    """Steps an implementation did not run because its construct threw: one divergence for the whole run of
    them (up to the last step, or the first step recorded with an outcome), if the model ran any."""

    def __init__(self, number: int, model: Step, actual: Step) -> None:
        self.first, self.last, self.model, self.actual = number, number, model, actual
        self.model_ran = model.outcome is not None

    def extend(self, number: int, model: Step) -> None:
        self.last = number
        self.model_ran = self.model_ran or model.outcome is not None

    def end(self) -> Iterator[Found]:
        if not self.model_ran:
            return
        number = self.first
        span = f"steps {number} to {self.last}" if self.last > number else f"step {number}"
        divergence = Divergence(
            number,
            self.actual.op,
            NOT_RUN,
            _Words(f"{span} run (the model's construct succeeded)"),
            _Words(f"{span} not run: construct threw at step {number - 1}"),
            METHOD_SECTION["construct"],
        )
        yield Found(divergence, self.model, self.actual)


class _StepComparison:
    def __init__(
        self,
        number: int,
        model: Step,
        actual: Step,
        model_labels: CredentialLabels,
        actual_labels: CredentialLabels,
        before: tuple[Step | None, Step | None],
    ) -> None:
        self.number, self.model, self.actual = number, model, actual
        self.model_labels, self.actual_labels = model_labels, actual_labels
        self.model_before, self.actual_before = before
        self.found: list[Divergence] = []

    def diverge(self, observation: str, expected: object, observed: object, spec: str, message: str = "") -> None:
        self.found.append(
            Divergence(self.number, self.model.op, observation, _text(expected), _text(observed), spec, message)
        )

    def run(self) -> list[Divergence]:
        op, model, actual = self.model.op, self.model.outcome, self.actual.outcome
        if _not_runnable(model) and _not_runnable(actual) and next(iter(model or {})) == next(iter(actual or {})):
            return self.found  # the model's runner could not run it either: the trace's doing (TRACE-FORMAT.md)
        if actual is not None and "notImplemented" in actual:
            said = str(actual["notImplemented"])
            self.diverge(
                NOT_IMPLEMENTED, _Words(describe_outcome(op, model)), _Words("not implemented"), _rule(op), said
            )
            return self.found
        if model is not None and "notImplemented" in model and not _no_connection(model):
            # the model cannot represent the argument (a step after a construct not run is judged as any other)
            said = str(model["notImplemented"])
            self.diverge(NOT_IMPLEMENTED, _Words("not modelled"), _Words(describe_outcome(op, actual)), _rule(op), said)
            return self.found
        if actual is not None and "runnerError" in actual:
            said = str(actual["runnerError"])
            self.diverge(RUNNER_ERROR, _Words(describe_outcome(op, model)), _Words("no outcome"), _rule(op), said)
            return self.found
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
        if not (op == "construct" and "error" in actual and self.actual.after is None):  # no connection to observe
            self.after(self.model.after, self.actual.after)
        return self.found

    def outcome(self, model: Mapping[str, object], actual: Mapping[str, object]) -> None:
        op = self.model.op
        model_error, actual_error = model.get("error"), actual.get("error")
        same_kind = next(iter(model)) == next(iter(actual))
        said = str(actual_error.get("message") or "") if isinstance(actual_error, dict) else ""
        if isinstance(model_error, dict) and isinstance(actual_error, dict):
            spec = str(model_error.get("spec"))
            if model_error.get("name") != actual_error.get("name"):
                self.diverge("error name", model_error.get("name"), actual_error.get("name"), spec, said)
            if model_error.get("kind") != actual_error.get("kind"):
                self.diverge(
                    "error kind", _Words(describe_outcome(op, model)), _Words(describe_outcome(op, actual)), spec, said
                )
        elif not same_kind:
            spec = str(model_error.get("spec")) if isinstance(model_error, dict) else _rule(op)
            expected, observed = _Words(describe_outcome(op, model)), _Words(describe_outcome(op, actual))
            self.diverge("outcome", expected, observed, spec, said)

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
            if isinstance(model, dict) and isinstance(actual, dict):
                self.optional(model, actual, "media", observation_rule("media", op))
        elif op == "addTransceiver":
            model_seen = _transceiver_seen(model)
            if model_seen != _transceiver_seen(actual):
                self.diverge("transceiver", model_seen, _transceiver_seen(actual), observation_rule("transceiver", op))
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
        observed = actual.get("signalingState") if actual is not None else None
        if not _same_json(model["signalingState"], observed):
            self.diverge(
                "after.signalingState", model["signalingState"], observed, observation_rule("signalingState", op)
            )
        model_fired = _fired(model, self.model_before)
        actual_fired = _fired(actual, self.actual_before)
        if model_fired != actual_fired:
            spec = observation_rule("negotiationneeded", op)
            self.diverge("after.negotiationneeded", _events(model_fired), _events(actual_fired), spec)
        if actual is not None:
            self.after_v2(model, actual)

    def after_v2(self, model: Mapping[str, object], actual: Mapping[str, object]) -> None:
        """Trace format v2's observations: each compared when the model decides it and the runner observed it."""
        op = self.model.op
        for name in DESCRIPTION_ATTRIBUTES:
            self.optional(model, actual, name, observation_rule("descriptions", op), prefix="after.")
        if "signalingstatechange" in model and "signalingstatechange" in actual:
            model_fired = _fired(model, self.model_before, "signalingstatechange")
            actual_fired = _fired(actual, self.actual_before, "signalingstatechange")
            if model_fired != actual_fired:
                spec = observation_rule("signalingstatechange", op)
                self.diverge("after.signalingstatechange", _events(model_fired), _events(actual_fired), spec)
        for name in ICE_STATES:
            self.optional(model, actual, name, observation_rule("iceStates", op), prefix="after.")
        self.optional(
            model, actual, "canTrickleIceCandidates", observation_rule("canTrickleIceCandidates", op), "after."
        )
        if "transceivers" in model and "transceivers" in actual:
            expected, observed = _transceivers_seen(model["transceivers"]), _transceivers_seen(actual["transceivers"])
            if expected != observed:
                self.diverge("after.transceivers", expected, observed, observation_rule("transceivers", op))

    def optional(
        self, model: Mapping[str, object], actual: Mapping[str, object], name: str, spec: str, prefix: str = ""
    ) -> None:
        """An observation only some runners make, or the model decides only sometimes: compared when both have it."""
        if name in model and name in actual and not _same_json(model[name], actual[name]):
            self.diverge(f"{prefix}{name}", model[name], actual[name], spec)


def _transceiver_seen(value: object) -> object:
    """A transceiver as compared: its kind, its direction, and whether it has a mid (mids are the implementation's
    to choose)."""
    if not isinstance(value, dict):
        return value
    return {"kind": value.get("kind"), "direction": value.get("direction"), "mid": _mid_seen(value.get("mid"))}


def _mid_seen(mid: object) -> object:
    return "a mid" if isinstance(mid, str) else mid


def _transceivers_seen(value: object) -> object:
    return [_transceiver_seen(t) for t in value] if isinstance(value, list) else value


def _no_connection(outcome: Mapping[str, object]) -> bool:
    """The model's notImplemented for a step after a construct the runner could not make (TRACE-FORMAT.md, "no
    connection, no later step"), not for an argument it cannot represent."""
    return str(outcome.get("notImplemented", "")).startswith(NO_CONNECTION)


def _not_runnable(outcome: Mapping[str, object] | None) -> bool:
    """A runnerError, or a notImplemented: the step could not be run, whatever the implementation would do."""
    return outcome is not None and ("runnerError" in outcome or "notImplemented" in outcome)


def _fired(after: Mapping[str, object] | None, before: Step | None, counter: str = "negotiationneeded") -> int | str:
    """How many events the step fired: this step's running count less the last one recorded (or the count itself
    where none was); the recorded value itself when it is not a count."""
    count = after.get(counter) if after is not None else None
    if isinstance(count, bool) or not isinstance(count, int):
        return json.dumps(count)
    earlier = before.after.get(counter) if before is not None and before.after is not None else 0
    return count - earlier if isinstance(earlier, int) and not isinstance(earlier, bool) else count


def _events(fired: int | str) -> _Words:
    if isinstance(fired, str):
        return _Words(f"a count of {fired}")
    return _Words(f"{fired} event{'' if fired == 1 else 's'} fired by this step")


def _rule(op: str) -> str:
    return METHOD_SECTION.get(op, op)


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
