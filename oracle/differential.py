"""The step-by-step differential machine: every rule of properties.stateful.PeerConnectionMachine runs on the
model and on a real implementation, and the two are compared after every step.

Per step (oracle/compare.py): the outcome (ok / error name / throw vs reject), getConfiguration's dictionary,
an offer's or answer's type and ICE-credential equality pattern, a data channel's label, and afterwards
signalingState and the negotiationneeded count.  Beyond compare.py, getConfiguration members the model does not
return are reported too ("configuration has X"): the spec's dictionary has exactly its members, and an
implementation that adds some is a (harmless, registered) deviation rather than silence.

The model's named invariants (properties/invariants.py) are checked on the browser's observations as well,
from StepRecords built of what the browser showed (signalingState, negotiationneeded, and the configuration
read after the step without recording it); fields only the model has are None, and the invariants that need
them skip.  `getConfiguration_returns_the_accepted_configuration` is left to the step comparison, which
checks the same promise member by member.

Every divergence is classified against the deviation registry (oracle/deviations.py); a new one fails the
example, which Hypothesis shrinks to a short trace, printed as JSON Lines with the command that replays it in
the browser alone.  The model runs with the browser's profile (the choices the spec leaves to the user agent).
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from hypothesis import HealthCheck, assume, settings
from hypothesis.stateful import RuleBasedStateMachine

from peerspec.model import UNDEFINED, SpecError
from peerspec.model.js_values import JSValue
from peerspec.oracle.compare import Divergence, compare
from peerspec.oracle.deviations import Classified, Classifier, Registry, jsonl, load_registry, trace_steps
from peerspec.oracle.errors import TraceError
from peerspec.oracle.implementations.offline import unsafe_urls
from peerspec.oracle.implementations.protocol import Implementation
from peerspec.oracle.implementations.protocol import Step as JSONStep
from peerspec.oracle.model_runner import ModelSession
from peerspec.oracle.trace import Step
from peerspec.oracle.values import CERTIFICATE_TAG, DecodeContext, decode, encode, remote_request
from peerspec.oracle.verdicts import classified_divergences, extra_members
from peerspec.properties.invariants import (
    INVARIANTS,
    Invariant,
    InvariantViolation,
    getConfiguration_returns_the_accepted_configuration,
)
from peerspec.properties.records import History, Outcome, Snapshot, StepRecord
from peerspec.properties.stateful import PeerConnectionMachine

#: The invariants checked on an implementation's observations (see the module docstring for the one left out).
BROWSER_INVARIANTS: tuple[Invariant, ...] = tuple(
    i for i in INVARIANTS if i is not getConfiguration_returns_the_accepted_configuration
)


class NewDivergence(AssertionError):
    """The implementation did something the spec does not allow and the registry does not know."""


@dataclass
class DifferentialStatistics:
    """What the differential runs of one implementation saw."""

    examples: int = 0
    steps: int = 0
    classified: list[tuple[Classified, list[Step]]] = field(default_factory=list)  # with the trace so far
    # New divergences the browser did not repeat when the same calls were replayed in a fresh session.
    flaky: list[tuple[list[Classified], list[Step]]] = field(default_factory=list)
    rules: dict[str, dict[str, int]] = field(default_factory=dict)  # op -> verdict -> count

    def count(self, op: str, verdict: str) -> None:
        by_verdict = self.rules.setdefault(op, {})
        by_verdict[verdict] = by_verdict.get(verdict, 0) + 1


class _Unknown:
    """A certificate the browser returned without identity: the same stand-in object every time."""

    def __repr__(self) -> str:
        return "<certificate of unknown identity>"


_UNKNOWN_CERTIFICATE = _Unknown()


class DifferentialMachine(PeerConnectionMachine):
    """PeerConnectionMachine whose every step also runs on `implementation` and is compared with the model."""

    implementation: ClassVar[Implementation]
    registry: ClassVar[Registry]
    statistics_of_run: ClassVar[DifferentialStatistics]
    failure_dir: ClassVar[Path | None] = None
    check_browser_invariants: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__()
        self.model_session = ModelSession(seed=7, profile=self.profile)
        self.implementation.open()
        self.model_steps: list[Step] = []
        self.observed_steps: list[Step] = []
        self.classifier: Classifier = self.registry.classifier(self.implementation.name)
        self.desynced_by: str | None = None  # a call the implementation lacks left it in another state
        self.browser_history = History()
        self.browser_snapshot = Snapshot(
            signaling_state="stable", configuration={}, negotiationneeded=0, sld_called=False
        )
        self.certificate_steps: list[dict[str, Any]] = []
        self.certificate_objects: dict[str, object] = {}  # name -> stand-in object, for identity checks
        self.statistics_of_run.examples += 1

    def teardown(self) -> None:
        self.implementation.close()

    # ---- hooks into the model machine ------------------------------------------------------------------

    def step(
        self,
        op: str,
        args: dict[str, object],
        call: Callable[[], object],
        trace_args: dict[str, object] | None = None,
    ) -> object:
        result = super().step(op, args, call, trace_args)
        self.differ(*self.trace[-1])
        return result

    def generateCertificate(self, keygenAlgorithm: JSValue) -> Any:
        certificate = super().generateCertificate(keygenAlgorithm)
        self.certificate_steps.append({"op": "generateCertificate", "args": dict(self.trace[-1][1])})
        self.differ(*self.trace[-1])
        return certificate

    def construct_with_any_argument(self, configuration: JSValue) -> None:
        # (the machine's construct rule calls this one too)
        names = dict(self.certificate_names)
        args = {} if configuration is UNDEFINED else {"configuration": configuration}
        super().construct_with_any_argument(configuration)
        self.certificate_names.update(names)  # a failed construct forgets them; later constructs still need them
        self.differ("construct", args)
        if self.pc is None:
            self.start_over()

    def start_over(self) -> None:
        """After a construct the model refused (and compared): a new trace, with the certificates made so far."""
        self.implementation.open()
        self.model_session = ModelSession(seed=7, profile=self.profile)
        self.model_steps.clear()
        self.observed_steps.clear()
        self.classifier = self.registry.classifier(self.implementation.name)
        self.desynced_by = None
        self.browser_history = History()
        self.browser_snapshot = Snapshot(
            signaling_state="stable", configuration={}, negotiationneeded=0, sld_called=False
        )
        for certificate_step in self.certificate_steps:
            self.differ(certificate_step["op"], certificate_step["args"], compare_only=False)

    # ---- the comparison ----------------------------------------------------------------------------------

    def trace_step(self, op: str, args: dict[str, object]) -> JSONStep:
        encoded = encode(args, self.certificate_names)
        assert isinstance(encoded, dict)
        return {"op": op, "args": encoded}

    def differ(self, op: str, args: dict[str, object], *, compare_only: bool = True) -> None:
        step = self.trace_step(op, args)
        unsafe = unsafe_urls(step)
        # The strategies put every valid URL's host under .invalid, but arbitrary text and mutated URLs can still
        # name another host ("A:0" names 0.0.0.0). Such a step never reaches a browser (the adapter would refuse
        # it too): the example is discarded.
        assume(not unsafe)
        call = trace_steps([step])[0]
        model = self.model_session.step(call)
        observed = trace_steps([self.implementation.step(step)])[0]
        self.model_steps.append(model)
        self.observed_steps.append(observed)
        stats = self.statistics_of_run
        stats.steps += 1
        number = len(self.model_steps)
        found = [d for d in compare(self.model_steps, self.observed_steps) if d.step == number]
        found += extra_members(number, model, observed)
        found += self.browser_invariants(number, model, observed)
        verdicts = [self.classifier.classify(d, model, observed, self.observed_steps[:-1]) for d in found]
        if self.desynced_by is not None:  # the implementation skipped a call the model made: later is knock-on
            verdicts = [
                Classified(v.divergence, "consequence", self.desynced_by) if v.verdict == "new" else v for v in verdicts
            ]
        if self.desynced_by is None and _skipped_a_change(model, observed):
            self.desynced_by = f"step {number}, not implemented"
        new = [v for v in verdicts if v.verdict == "new"]
        flaky = bool(new) and not self.repeats(number, new)
        if flaky:
            verdicts = [Classified(v.divergence, "flaky") if v.verdict == "new" else v for v in verdicts]
            stats.flaky.append(([v for v in verdicts if v.verdict == "flaky"], list(self.observed_steps)))
        for verdict in verdicts:
            stats.classified.append((verdict, list(self.observed_steps)))
            stats.count(op, verdict.verdict)
        if not verdicts:
            stats.count(op, "pass")
        if new and not flaky:
            raise NewDivergence(self.failure_text(new))

    def repeats(self, number: int, new: list[Classified]) -> bool:
        """Whether the browser shows these new divergences again when the same calls run in a fresh session
        (a browser's timing can differ from run to run; only a divergence it repeats is a finding that fails
        the run, the others are kept as flaky). Invariant violations are taken as they are."""
        run_traces = getattr(self.implementation, "run_traces", None)
        if run_traces is None:
            return True
        calls = [{"op": s.op, "args": s.args} for s in self.observed_steps]
        replayed = trace_steps(run_traces([calls])[0])
        if len(replayed) != len(self.model_steps):
            return True
        if all(_same_observation(a, b) for a, b in zip(self.observed_steps, replayed, strict=True)):
            return True  # the browser did exactly the same again: whatever diverged, diverges again
        if any(v.divergence.observation.startswith("invariant ") for v in new):
            return False  # an invariant broken by observations the browser did not repeat
        wanted = {(v.divergence.op, v.divergence.observation) for v in new}
        classifier = self.registry.classifier(self.implementation.name)
        return any(
            v.verdict == "new" and v.divergence.step == number and (v.divergence.op, v.divergence.observation) in wanted
            for v in classified_divergences(self.model_steps, replayed, classifier)
        )

    def browser_invariants(self, number: int, model: Step, observed: Step) -> list[Divergence]:
        if not self.check_browser_invariants or observed.after is None or observed.outcome is None:
            return []
        if "notImplemented" in observed.outcome or "runnerError" in observed.outcome:
            return []  # nothing ran: there is no call for an invariant to judge
        peek = getattr(self.implementation, "peek_configuration", None)
        configuration = _with_certificate_objects(peek() if peek is not None else {}, self.certificate_objects)
        outcome_json = observed.outcome
        error = outcome_json.get("error")
        outcome = (
            Outcome(error=str(error.get("name")), kind=str(error.get("kind")))
            if isinstance(error, dict)
            else Outcome(result=outcome_json.get("ok"))
        )
        nn = observed.after.get("negotiationneeded")
        before = self.browser_snapshot
        after = Snapshot(
            signaling_state=str(observed.after.get("signalingState")),
            configuration=configuration if isinstance(configuration, dict) else {},
            negotiationneeded=nn if isinstance(nn, int) else 0,
            sld_called=bool(before.sld_called) or self.counts_as_sld_called(model, before, outcome),
        )
        self.browser_snapshot = after
        if model.op in ("construct", "generateCertificate"):
            return []
        record = StepRecord(model.op, self.decoded_args(model), outcome, before, after)
        found: list[Divergence] = []
        for invariant in BROWSER_INVARIANTS:
            try:
                invariant(record, self.browser_history)
            except InvariantViolation as violation:
                found.append(
                    Divergence(number, model.op, f"invariant {violation.invariant}", "holds", str(violation), "")
                )
            except (SpecError, TypeError, ValueError, AttributeError):
                continue  # an invariant that cannot read this record says nothing about it
        self.browser_history.add(record)
        return found

    def counts_as_sld_called(self, step: Step, before: Snapshot, outcome: Outcome) -> bool:
        """Whether this step makes "setLocalDescription has been called" true (set the configuration step 3.6),
        read from what the browser showed, as the browser's profile reads the phrase: any call on an open
        connection ("invoked"), or one that succeeded with an offer or an answer ("applied")."""
        if step.op != "setLocalDescription" or before.signaling_state == "closed":
            return False
        if self.profile.sld_called_when == "invoked":
            return True
        description = step.args.get("description")
        rollback = isinstance(description, dict) and description.get("type") == "rollback"
        return outcome.ok and not rollback

    def decoded_args(self, step: Step) -> dict[str, object]:
        """The args as the model's invariants read them (JavaScript values, not trace JSON)."""
        context = DecodeContext({})
        decoded: dict[str, object] = {}
        for key, value in step.args.items():
            try:
                request = remote_request(value)
                decoded[key] = {"type": request.kind} if request is not None else decode(value, context)
            except TraceError:  # a certificate: the invariants checked here do not look at it
                decoded[key] = value
        return decoded

    def failure_text(self, new: list[Classified]) -> str:
        calls = [step.call for step in self.observed_steps]
        text = jsonl(calls)
        name = self.implementation.name
        lines = [f"{len(new)} new divergence(s) from the model in {name}:"]
        lines += ["  " + v.describe() for v in new]
        lines += ["the trace (JSON Lines):", text.rstrip("\n")]
        path = write_failure(self.failure_dir, name, text) if self.failure_dir is not None else None
        target = str(path) if path is not None else "trace.jsonl"
        lines.append("replay it in the browser alone:")
        if path is None:
            lines.append(f"  cat > trace.jsonl <<'EOF'\n{text}EOF")
        lines.append(f"  peerspec conformance --impl {name} --trace {shlex.quote(target)}")
        return "\n".join(lines)


def _skipped_a_change(model: Step, observed: Step) -> bool:
    """The implementation did not implement a call that the model ran to success and that may change state (every
    op but getConfiguration): from here on the two no longer run in the same state."""
    skipped = observed.outcome is not None and "notImplemented" in observed.outcome
    succeeded = model.outcome is not None and "ok" in model.outcome
    return skipped and succeeded and model.op != "getConfiguration"


def _same_observation(a: Step, b: Step) -> bool:
    """The same outcome (ok, or the same error name and kind) and the same observations afterwards; results are
    not compared (ICE credentials are random)."""

    def outcome(step: Step) -> object:
        error = step.outcome.get("error") if step.outcome else None
        if isinstance(error, dict):
            return (error.get("name"), error.get("kind"))
        return sorted(step.outcome) if step.outcome else None

    return outcome(a) == outcome(b) and a.after == b.after


def write_failure(directory: Path, implementation: str, text: str) -> Path:
    """Write a failing trace to directory/new-divergence.<implementation>.<digest>.jsonl: one file per distinct
    trace, so that the failures of several runs do not overwrite each other."""
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    path = directory / f"new-divergence.{implementation}.{digest}.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def _with_certificate_objects(configuration: object, by_name: dict[str, Any]) -> object:
    """A browser's configuration JSON with {"$certificate": NAME} as one object per name, so that the
    invariants' identity checks compare names (an unnamed certificate is one shared stand-in)."""
    if isinstance(configuration, list):
        return [_with_certificate_objects(item, by_name) for item in configuration]
    if isinstance(configuration, dict):
        if len(configuration) == 1 and CERTIFICATE_TAG in configuration:
            name = configuration[CERTIFICATE_TAG]
            return by_name.setdefault(str(name), _Unknown()) if name is not None else _UNKNOWN_CERTIFICATE
        return {k: _with_certificate_objects(v, by_name) for k, v in configuration.items()}
    return configuration


def differential_machine(
    implementation: Implementation,
    *,
    registry: Registry | None = None,
    failure_dir: Path | None = None,
    check_browser_invariants: bool = True,
) -> type[DifferentialMachine]:
    """A DifferentialMachine class bound to one implementation, with the model in that browser's profile."""
    chosen = registry if registry is not None else load_registry()

    class Bound(DifferentialMachine):
        pass

    Bound.implementation = implementation
    Bound.registry = chosen
    Bound.profile = chosen.profile(implementation.name)
    Bound.statistics_of_run = DifferentialStatistics()
    Bound.failure_dir = failure_dir
    Bound.check_browser_invariants = check_browser_invariants
    Bound.__name__ = Bound.__qualname__ = f"DifferentialMachine_{implementation.name}"
    return Bound


__all__ = ["DifferentialMachine", "NewDivergence", "RuleBasedStateMachine", "differential_machine", "write_failure"]


def fixed_run(examples: int, steps: int) -> settings:
    """Hypothesis settings for one fixed, repeatable set of differential sequences (what CI runs)."""
    return settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
