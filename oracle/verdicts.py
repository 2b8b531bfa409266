"""Verdicts on a recorded trace: every divergence from the model, classified against the deviation registry for
one implementation (known, ambiguous under the spec, consequence, new, not implemented, harness), with the first
divergence deciding.

Light on purpose: `peerspec check` and the pytest plugin use it without loading any implementation driver.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from peerspec.model import SPEC_PROFILE
from peerspec.oracle.compare import Divergence, compare
from peerspec.oracle.deviations import Classified, Classifier, Registry
from peerspec.oracle.model_runner import replay
from peerspec.oracle.spec_sections import observation_rule
from peerspec.oracle.trace import Step


def verdicts_of(observed: Sequence[Step], implementation: str, registry: Registry) -> list[Classified]:
    """Every divergence of a recorded trace from the model (in the implementation's profile), classified; then,
    for each ambiguous entry about a profile choice, the divergences the other reading of that choice (the spec
    profile's) finds and the profile's does not, as ambiguous under the spec."""
    calls = [s.call for s in observed]
    profile = registry.profile(implementation)
    expected = replay(calls, seed=7, profile=profile)
    verdicts = classified_divergences(expected, observed, registry.classifier(implementation))
    found = {(v.divergence.step, v.divergence.observation) for v in verdicts}
    for entry in registry.profile_readings(implementation):
        assert entry.profile_choice is not None
        other = profile.but(**{entry.profile_choice: getattr(SPEC_PROFILE, entry.profile_choice)})
        if other == profile:
            continue
        for divergence in divergences(replay(calls, seed=7, profile=other), observed):
            if (divergence.step, divergence.observation) not in found:
                found.add((divergence.step, divergence.observation))
                verdicts.append(Classified(divergence, "ambiguous", entry.id))
    verdicts.sort(key=lambda v: v.divergence.step)
    return verdicts


def divergences(expected: Sequence[Step], observed: Sequence[Step]) -> list[Divergence]:
    """Every divergence of an observed trace from the model's steps, getConfiguration's extra members included."""
    found = compare(expected, observed)
    for number, (model, actual) in enumerate(zip(expected, observed, strict=True), start=1):
        found += extra_members(number, model, actual)
    found.sort(key=lambda d: d.step)
    return found


def classified_divergences(
    expected: Sequence[Step], observed: Sequence[Step], classifier: Classifier
) -> list[Classified]:
    """Every divergence of an observed trace from the model's steps (with members the model does not have),
    classified in step order."""
    return [
        classifier.classify(d, expected[d.step - 1], observed[d.step - 1], observed[: d.step - 1])
        for d in divergences(expected, observed)
    ]


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
    that matches no entry is a knock-on ("consequence" of that first one), not a finding of its own (an ambiguous
    first divergence decides as a known one does).  Divergences
    of the first diverging step keep their verdicts; a later one that matches an entry stays known."""
    if not verdicts:
        return []
    ordered = sorted(verdicts, key=lambda v: v.divergence.step)
    first_step = ordered[0].divergence.step
    first = [v for v in ordered if v.divergence.step == first_step]
    cause = next((v.deviation for v in first if v.verdict in ("known", "ambiguous") and v.deviation), None)
    if cause is None and any(v.verdict == "not-implemented" for v in first):
        cause = f"step {first_step}, not implemented"
    if cause is None:
        cause = f"the new divergence at step {first_step}"
    return [
        Classified(v.divergence, "consequence", cause) if v.divergence.step > first_step and v.verdict == "new" else v
        for v in ordered
    ]
