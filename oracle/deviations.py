"""The known-deviation registry (conformance/deviations*.json): what an implementation does differently from
the spec, each entry backed by a trace the harness recorded in that implementation
(conformance/traces/<id>.<implementation>.jsonl). deviations.json holds the browsers' entries; each library has
a file of its own (deviations-<implementation>.json); all are read as one registry.

A divergence (oracle/compare.py's `Divergence`, or a named invariant that failed on the implementation's
observations) is *known* when an entry for that implementation matches it, a *consequence* when an entry
matched earlier in the same trace and declares the observation as one it disturbs afterwards (a count that is
off by one stays off by one), and *new* otherwise.  A differential run fails on new divergences only.

An entry: `id`, `implementations` (the names it applies to), `trace` (a minimal trace), `spec` (`section`,
`step`, `says`), `implementation_does`, `why`, `match`, and optionally `afterwards`. Its `match`:

    {"op": "setConfiguration", "observation": "outcome", "expected": "...", "observed": "...",
     "message": "...", "args": "...", "kind": "pattern"}

`op` and `observation` are compared exactly (observation may be a regular expression with `observation_re`);
`expected`, `observed` and `message` (the implementation's own error message, or the runner's) are regular
expressions matched in full against the divergence's texts; `args` is a regular expression searched in the
step's canonical args JSON; `earlier` (`{"op": ..., "args": ...}`, either optional, or a list of them) requires an
earlier step of the same trace with that op whose canonical args JSON the regular expression is found in (for a
list, one such step for each).
`kind: "extra-members"` instead matches a configuration value that equals the
model's once the members listed in `members` (with those values) are removed from every object of the
observed value where the model's object lacks them; with `utf8_read_as_latin1` (member names) those members'
strings are compared as the model's UTF-8 bytes read as Latin-1.
`kind: "urls-as-given"` matches an iceServers value that equals the model's once every ICE server's `urls`
string is read as the list of that one string (the value's text is cut at 160 characters, so a pattern on
`observed` cannot see a long list's later servers).
`afterwards` lists the observations (regular expressions) the deviation disturbs for the rest of the trace;
one written `op: regex` disturbs that observation of that operation only ("setConfiguration: outcome").

An entry whose `status` is `"ambiguous"` is not a deviation: the spec can be read two ways there, and its
`readings` (a list of `{"reading", "says"}`, at least two) write both down. A divergence it matches is
*ambiguous under the spec*, not known; everything else about it (trace, matcher, `afterwards`) is as for a
deviation. An ambiguous entry with `profile_choice` (a model.Profile field the implementation's profile sets) is
about the profile itself: its matcher is not used; instead the trace is also replayed with that choice as the
spec profile has it, and every divergence that reading finds and the profile's does not is ambiguous under it.

Each implementation also has a `profile`: the choices the spec leaves to the user agent, taken as that
implementation takes them (model.Profile fields), so that what the spec allows is not called a deviation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from peerspec.model import SPEC_PROFILE, Profile
from peerspec.oracle.compare import NOT_IMPLEMENTED, RUNNER_ERROR, Divergence
from peerspec.oracle.errors import OracleError
from peerspec.oracle.trace import HEADER_KEY, Step, dumps

#: peerspec's data root: the checkout (through peerspec/'s links) or the installed package, which carries
#: conformance/ (the registry and its recorded traces) and vectors/ (the committed vectors) alike.
ROOT: Final = Path(__file__).resolve().parent.parent
#: The registry: every deviations*.json file in conformance/ (deviations.json for the browsers, one
#: deviations-<implementation>.json per library), read as one.
REGISTRY_PATH: Final = ROOT / "conformance"
TRACES_DIR: Final = ROOT / "conformance" / "traces"
VECTORS_DIR: Final = ROOT / "vectors"

# "flaky": new, but the implementation did not repeat it when the same calls were replayed (oracle/differential.py);
# "not-implemented": the implementation lacks the call (or cannot express its argument), so it was not compared;
# "harness": the runner, not the implementation, failed to run the step.
# "ambiguous": an entry whose status is "ambiguous" matched: the spec reads two ways there (both in its readings).
Verdict = Literal["known", "ambiguous", "consequence", "new", "flaky", "not-implemented", "harness"]
Status = Literal["deviation", "ambiguous"]


@dataclass(frozen=True)
class Deviation:
    id: str
    implementations: tuple[str, ...]
    trace: tuple[dict[str, Any], ...]
    spec: Mapping[str, str]
    implementation_does: str
    why: str
    match: Mapping[str, Any]
    afterwards: tuple[str, ...] = ()
    status: Status = "deviation"
    readings: tuple[Mapping[str, str], ...] = ()
    profile_choice: str | None = None  # an ambiguous entry about this Profile field of the implementation's profile

    @property
    def ambiguous(self) -> bool:
        return self.status == "ambiguous"

    def recorded_trace_path(self, browser: str) -> Path:
        return TRACES_DIR / f"{self.id}.{browser}.jsonl"

    def matches(self, divergence: Divergence, model: Step, observed: Step, earlier: Sequence[Step] = ()) -> bool:
        if self.profile_choice is not None:  # judged by replaying the other reading (oracle/verdicts.py)
            return False
        if "any" in self.match:  # one root cause that shows in several shapes: any of the listed matchers
            return any(_matches(m, divergence, model, observed, earlier) for m in self.match["any"])
        return _matches(self.match, divergence, model, observed, earlier)

    def disturbs(self, divergence: Divergence) -> bool:
        for pattern in self.afterwards:
            op, colon, observation = pattern.partition(": ")
            if not colon:
                op, observation = divergence.op, pattern
            if op == divergence.op and re.fullmatch(observation, divergence.observation):
                return True
        return False


def _earlier_patterns(match: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every `earlier` step pattern of one entry's matcher (and of its `any` alternatives)."""
    found: list[Mapping[str, Any]] = []
    for m in match.get("any", [match]):
        wanted = m.get("earlier", [])
        found += [wanted] if isinstance(wanted, Mapping) else list(wanted)
    return found


def _matches(
    m: Mapping[str, Any], divergence: Divergence, model: Step, observed: Step, earlier: Sequence[Step] = ()
) -> bool:
    """One matcher (an entry's `match`, or one of its `any` alternatives) against one divergence."""
    if "op" in m and m["op"] != divergence.op:
        return False
    if "observation" in m and m["observation"] != divergence.observation:
        return False
    if "observation_re" in m and not re.fullmatch(m["observation_re"], divergence.observation):
        return False
    if "spec" in m and not re.search(m["spec"], divergence.spec):
        return False
    if "args" in m and not re.search(m["args"], json.dumps(observed.args, sort_keys=True, ensure_ascii=False)):
        return False
    wanted_earlier = m.get("earlier", [])
    for wanted in [wanted_earlier] if isinstance(wanted_earlier, Mapping) else wanted_earlier:
        if not any(_is_step(wanted, step) for step in earlier):
            return False
    if m.get("kind") == "urls-as-given":
        return _urls_as_lists(_raw(divergence, observed)) == _raw(divergence, model)
    if m.get("kind") == "extra-members":
        latin1 = frozenset(m.get("utf8_read_as_latin1", ()))
        return _equal_without(_raw(divergence, model), _raw(divergence, observed), m["members"], latin1)
    if "expected" in m and not re.fullmatch(m["expected"], divergence.expected, re.DOTALL):
        return False
    if "message" in m and not re.fullmatch(m["message"], divergence.message, re.DOTALL):
        return False
    return not ("observed" in m and not re.fullmatch(m["observed"], divergence.observed, re.DOTALL))


def _is_step(wanted: Mapping[str, str], step: Step) -> bool:
    if "op" in wanted and step.op != wanted["op"]:
        return False
    return "args" not in wanted or bool(
        re.search(wanted["args"], json.dumps(step.args, sort_keys=True, ensure_ascii=False))
    )


@dataclass(frozen=True)
class Classified:
    divergence: Divergence
    verdict: Verdict
    deviation: str | None = None  # the entry's id (for known and consequence)

    def describe(self) -> str:
        tag = {
            "known": f"known deviation {self.deviation}",
            "ambiguous": f"ambiguous under the spec: {self.deviation}",
            "consequence": f"consequence of {self.deviation}",
            "flaky": "FLAKY: not repeated on replay",
            "not-implemented": "not implemented",
            "harness": "HARNESS ERROR, not the implementation's",
        }
        return f"[{tag.get(self.verdict, 'NEW')}] {self.divergence.describe()}"


@dataclass
class Registry:
    deviations: tuple[Deviation, ...]
    profiles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def knows(self, implementation: str) -> bool:
        """The registry has entries or a profile for `implementation`."""
        return implementation in self.profiles or bool(self.for_implementation(implementation))

    def for_implementation(self, implementation: str) -> list[Deviation]:
        return [d for d in self.deviations if implementation in d.implementations]

    def profile(self, browser: str) -> Profile:
        """The model's profile for `browser`: the spec's, with the choices the browser makes."""
        choices = dict(self.profiles.get(browser, {}).get("choices", {}))
        if "implemented_schemes" in choices:
            choices["implemented_schemes"] = frozenset(choices["implemented_schemes"])
        return SPEC_PROFILE.but(name=browser, **choices) if choices else SPEC_PROFILE.but(name=browser)

    def classifier(self, browser: str) -> Classifier:
        return Classifier(self.for_implementation(browser))

    def profile_readings(self, implementation: str) -> list[Deviation]:
        """The ambiguous entries about a choice of `implementation`'s profile (`profile_choice`)."""
        return [d for d in self.for_implementation(implementation) if d.profile_choice is not None]


class Classifier:
    """Classifies the divergences of one trace, in step order (it remembers what matched earlier)."""

    def __init__(self, deviations: Sequence[Deviation]) -> None:
        self.deviations = list(deviations)
        self.seen: list[Deviation] = []
        self._wanted_earlier = [wanted for d in self.deviations for wanted in _earlier_patterns(d.match)]
        self._first_matching: dict[int, tuple[int, Step]] = {}  # wanted pattern's index -> (step number, step)

    def note(self, number: int, step: Step) -> None:
        """Remembers, for each `earlier` pattern of the entries, the first step of the trace that matches it; a
        trace read as a stream holds only these, so its memory does not grow with its length."""
        for index, wanted in enumerate(self._wanted_earlier):
            if index not in self._first_matching and _is_step(wanted, step):
                self._first_matching[index] = (number, step)

    def earlier_than(self, number: int) -> list[Step]:
        """The remembered steps before step `number`: an `earlier` pattern is met by one of them exactly when it
        is met by some step before `number` (the first step matching it is among them)."""
        return [step for seen_at, step in sorted(self._first_matching.values(), key=lambda x: x[0]) if seen_at < number]

    def classify(self, divergence: Divergence, model: Step, observed: Step, earlier: Sequence[Step] = ()) -> Classified:
        """`earlier`: the trace's steps before this one (for matchers with `earlier`)."""
        for deviation in self.deviations:
            if deviation.matches(divergence, model, observed, earlier):
                if deviation not in self.seen:
                    self.seen.append(deviation)
                return Classified(divergence, "ambiguous" if deviation.ambiguous else "known", deviation.id)
        if divergence.observation == NOT_IMPLEMENTED:  # whatever came before: the call is not there to compare
            return Classified(divergence, "not-implemented")
        for deviation in self.seen:
            if deviation.disturbs(divergence):
                return Classified(divergence, "consequence", deviation.id)
        if divergence.observation == RUNNER_ERROR:
            return Classified(divergence, "harness")
        return Classified(divergence, "new")


@cache
def _load(path: Path) -> Registry:
    try:
        return _parse_registry(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OracleError(f"{path}: not a readable deviation registry ({error})") from None
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise OracleError(f"{path}: not a deviation registry (an entry lacks or mistypes {error})") from None


def _parse_registry(path: Path) -> Registry:
    data = json.loads(path.read_text(encoding="utf-8"))
    deviations = tuple(_parse_entry(entry) for entry in data["deviations"])
    return Registry(deviations, data.get("profiles", {}))


def _parse_entry(entry: Mapping[str, Any]) -> Deviation:
    status = entry.get("status", "deviation")
    if status not in ("deviation", "ambiguous"):
        raise ValueError(f"status of {entry['id']}: {status!r} is neither 'deviation' nor 'ambiguous'")
    readings = tuple(entry.get("readings", ()))
    if status == "ambiguous" and (len(readings) < 2 or not all({"reading", "says"} <= set(r) for r in readings)):
        raise ValueError(f"readings of {entry['id']}: an ambiguous entry writes down both readings")
    choice = entry.get("profile_choice")
    if choice is not None and (status != "ambiguous" or choice not in Profile.__dataclass_fields__):
        raise ValueError(f"profile_choice of {entry['id']}: {choice!r} (an ambiguous entry's Profile field)")
    return Deviation(
        id=entry["id"],
        implementations=tuple(entry["implementations"]),
        trace=tuple(entry["trace"]),
        spec=entry["spec"],
        implementation_does=entry["implementation_does"],
        why=entry["why"],
        match=entry["match"],
        afterwards=tuple(entry.get("afterwards", ())),
        status=status,
        readings=readings,
        profile_choice=choice,
    )


def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    """The deviation registry at `path`: one registry file, or a folder whose deviations*.json files are read as
    one. One that cannot be found is an error, never an empty registry: an empty one would report every known
    deviation as new."""
    files = sorted(path.glob("deviations*.json")) if path.is_dir() else [path] if path.is_file() else []
    if not files:
        raise OracleError(f"no deviation registry at {path}")
    parts = [_load(file) for file in files]
    if len(parts) == 1:
        return parts[0]
    deviations = tuple(d for part in parts for d in part.deviations)
    ids = [d.id for d in deviations]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise OracleError(f"{path}: deviation ids registered twice: {', '.join(twice)}")
    profiles: dict[str, Mapping[str, Any]] = {}
    for part in parts:
        for name, profile in part.profiles.items():
            if name in profiles:
                raise OracleError(f"{path}: two profiles for {name}")
            profiles[name] = profile
    return Registry(deviations, profiles)


def trace_steps(raw: Sequence[Mapping[str, Any]]) -> list[Step]:
    """JSON steps (as a runner returns them) as trace Steps; a leading header object (v2) gives their version."""
    version = int(raw[0][HEADER_KEY]) if raw and "op" not in raw[0] and HEADER_KEY in raw[0] else 1
    body = raw[1:] if version != 1 else raw
    return [
        Step(str(s["op"]), dict(s.get("args") or {}), s.get("outcome"), s.get("after"), line=i, version=version)
        for i, s in enumerate(body, start=1 if version == 1 else 2)
    ]


def jsonl(steps: Sequence[Step]) -> str:
    return dumps(steps)


def _raw(divergence: Divergence, step: Step) -> object:
    """The value a configuration divergence is about, from the step's getConfiguration result."""
    outcome = step.outcome or {}
    result = outcome.get("ok")
    member = divergence.observation.removeprefix("configuration.")
    return result.get(member) if isinstance(result, dict) else None


def _equal_without(
    model: object, observed: object, members: Mapping[str, object], latin1: frozenset[str] = frozenset()
) -> bool:
    if isinstance(model, list) and isinstance(observed, list):
        return len(model) == len(observed) and all(
            _equal_without(a, b, members, latin1) for a, b in zip(model, observed, strict=True)
        )
    if isinstance(model, dict) and isinstance(observed, dict):
        trimmed = {k: v for k, v in observed.items() if k in model or k not in members or members[k] != v}
        same = [
            _read_as_latin1(model[k], trimmed[k])
            if k in latin1
            else _equal_without(model[k], trimmed[k], members, latin1)
            for k in model
            if k in trimmed
        ]
        return trimmed.keys() == model.keys() and all(same)
    return type(model) is type(observed) and model == observed


def _urls_as_lists(servers: object) -> object:
    """An iceServers value with each server's `urls` string as the list of that one string."""
    if not isinstance(servers, list):
        return servers
    return [
        {**s, "urls": [s["urls"]]} if isinstance(s, dict) and isinstance(s.get("urls"), str) else s for s in servers
    ]


def _read_as_latin1(model: object, observed: object) -> bool:
    """`observed` is the model's string with its UTF-8 bytes read as Latin-1 (or the same string)."""
    if not isinstance(model, str) or not isinstance(observed, str):
        return model == observed
    return observed == model.encode("utf-8", "surrogatepass").decode("latin-1")
