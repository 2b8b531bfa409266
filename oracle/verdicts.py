"""Verdicts on a recorded trace: every divergence from the model, classified against the deviation registry for
one implementation (known, ambiguous under the spec, consequence, new, not implemented, harness), with the first
divergence deciding.

Light on purpose: `peerspec check` and the pytest plugin use it without loading any implementation driver.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from peerspec.model import SPEC_PROFILE, Profile
from peerspec.oracle.compare import Divergence, Found, compared
from peerspec.oracle.deviations import Classified, Classifier, Deviation, Registry
from peerspec.oracle.model_runner import ModelSession
from peerspec.oracle.spec_sections import observation_rule
from peerspec.oracle.trace import Step


def verdicts_of(observed: Iterable[Step], implementation: str, registry: Registry) -> list[Classified]:
    """Every divergence of a recorded trace from the model (in the implementation's profile), classified; then,
    for each ambiguous entry about a profile choice, the divergences the other reading of that choice (the spec
    profile's) finds and the profile's does not, as ambiguous under the spec.

    The trace is taken as a stream (each step replayed on the model as it comes; only divergences are held),
    except where an ambiguous profile choice applies: its other reading replays the trace again, so that trace
    is held in memory."""
    profile = registry.profile(implementation)
    readings = _other_readings(profile, registry.profile_readings(implementation))
    if not readings:
        return _classified(_replayed(observed, profile), registry.classifier(implementation))
    held = list(observed)
    verdicts = _classified(_replayed(held, profile), registry.classifier(implementation))
    found = {(v.divergence.step, v.divergence.observation) for v in verdicts}
    for entry, other in readings:
        for divergence in _divergences(_replayed(held, other)):
            if (divergence.step, divergence.observation) not in found:
                found.add((divergence.step, divergence.observation))
                verdicts.append(Classified(divergence, "ambiguous", entry.id))
    verdicts.sort(key=lambda v: v.divergence.step)
    return verdicts


def _other_readings(profile: Profile, entries: Sequence[Deviation]) -> list[tuple[Deviation, Profile]]:
    """Each ambiguous profile-choice entry with the implementation's profile under the choice's other reading
    (the spec profile's), where that differs from the profile itself."""
    readings = []
    for entry in entries:
        assert entry.profile_choice is not None
        other = profile.but(**{entry.profile_choice: getattr(SPEC_PROFILE, entry.profile_choice)})
        if other != profile:
            readings.append((entry, other))
    return readings


def _replayed(observed: Iterable[Step], profile: Profile) -> Iterator[tuple[Step, Step]]:
    """(the model's step, the observed step) pairs, the model replaying each observed call as it comes."""
    session = ModelSession(seed=7, profile=profile)
    return ((session.step(actual), actual) for actual in observed)


def classified_divergences(
    expected: Sequence[Step], observed: Sequence[Step], classifier: Classifier
) -> list[Classified]:
    """Every divergence of an observed trace from the model's steps (with members the model does not have),
    classified in step order."""
    return _classified(zip(expected, observed, strict=True), classifier)


def _classified(pairs: Iterable[tuple[Step, Step]], classifier: Classifier) -> list[Classified]:
    def noting_earlier_steps() -> Iterator[tuple[Step, Step]]:
        for number, (model, actual) in enumerate(pairs, start=1):
            classifier.note(number, actual)
            yield model, actual

    return [
        classifier.classify(f.divergence, f.model, f.observed, classifier.earlier_than(f.divergence.step))
        for f in _found(noting_earlier_steps())
    ]


def _divergences(pairs: Iterable[tuple[Step, Step]]) -> list[Divergence]:
    return [f.divergence for f in _found(pairs)]


def _found(pairs: Iterable[tuple[Step, Step]]) -> list[Found]:
    """Every divergence of the observed steps from the model's, getConfiguration's extra members included, in
    step order."""
    extras: list[Found] = []

    def noting_extra_members() -> Iterator[tuple[Step, Step]]:
        for number, (model, actual) in enumerate(pairs, start=1):
            extras.extend(Found(d, model, actual) for d in extra_members(number, model, actual))
            yield model, actual

    found = list(compared(noting_extra_members()))
    found += extras
    found.sort(key=lambda f: f.divergence.step)
    return found


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
