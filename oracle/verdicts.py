"""Verdicts on a recorded trace: every divergence from the model, classified against the deviation registry for
one implementation (known, consequence, new, not implemented, harness), with the first divergence deciding.

Light on purpose: `peerspec check` and the pytest plugin use it without loading any implementation driver.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from peerspec.oracle.compare import Divergence, compare
from peerspec.oracle.deviations import Classified, Classifier, Registry
from peerspec.oracle.model_runner import replay
from peerspec.oracle.spec_sections import observation_rule
from peerspec.oracle.trace import Step


def verdicts_of(observed: Sequence[Step], implementation: str, registry: Registry) -> list[Classified]:
    """Every divergence of a recorded trace from the model (in the implementation's profile), classified."""
    expected = replay([s.call for s in observed], seed=7, profile=registry.profile(implementation))
    return classified_divergences(expected, observed, registry.classifier(implementation))


def classified_divergences(
    expected: Sequence[Step], observed: Sequence[Step], classifier: Classifier
) -> list[Classified]:
    """Every divergence of an observed trace from the model's steps (with members the model does not have),
    classified in step order."""
    found = compare(expected, observed)
    for number, (model, actual) in enumerate(zip(expected, observed, strict=True), start=1):
        found += extra_members(number, model, actual)
    found.sort(key=lambda d: d.step)
    return [classifier.classify(d, expected[d.step - 1], observed[d.step - 1]) for d in found]


def extra_members(number: int, model: Step, observed: Step) -> list[Divergence]:
    """getConfiguration members the browser returns and the spec's dictionary (the model's) does not have."""
    if model.op != "getConfiguration" or not model.outcome or not observed.outcome:
        return []
    expected, actual = model.outcome.get("ok"), observed.outcome.get("ok")
    if not isinstance(expected, dict) or not isinstance(actual, dict):
        return []
    spec = observation_rule("configuration", "getConfiguration")
    return [
        Divergence(number, model.op, f"configuration has {member}", "absent", json.dumps(actual[member]), spec)
        for member in sorted(actual)
        if member not in expected
    ]


def first_divergence_decides(verdicts: Sequence[Classified]) -> list[Classified]:
    """A vector's verdicts with its first divergence deciding: once a step has diverged (a known deviation or a
    new divergence), the state the rest of the vector runs in is no longer the model's, so a later divergence
    that matches no entry is a knock-on ("consequence" of that first one), not a finding of its own.  Divergences
    of the first diverging step keep their verdicts; a later one that matches an entry stays known."""
    if not verdicts:
        return []
    ordered = sorted(verdicts, key=lambda v: v.divergence.step)
    first_step = ordered[0].divergence.step
    first = [v for v in ordered if v.divergence.step == first_step]
    cause = next((v.deviation for v in first if v.verdict == "known" and v.deviation), None)
    if cause is None and any(v.verdict == "not-implemented" for v in first):
        cause = f"step {first_step}, not implemented"
    if cause is None:
        cause = f"the new divergence at step {first_step}"
    return [
        Classified(v.divergence, "consequence", cause) if v.divergence.step > first_step and v.verdict == "new" else v
        for v in ordered
    ]
