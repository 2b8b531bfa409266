"""`peerspec conformance`: vectors and random differential sequences against one browser, classified against the
deviation registry, reported as Markdown and as a self-contained HTML page.

Also the registry's upkeep: `record` runs every entry's minimal trace in the browser and writes what it did to
conformance/traces/<id>.<browser>.jsonl; `recorded_verdicts` re-checks a recorded trace against the model (no
browser needed); `minimize` shrinks a trace (one batch of candidates per round trip) while a divergence stays.
"""

from __future__ import annotations

import html
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

import hypothesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from peerspec.oracle.deviations import (
    ROOT,
    Classified,
    Deviation,
    Registry,
    jsonl,
    load_registry,
    trace_steps,
)
from peerspec.oracle.differential import (
    DifferentialStatistics,
    NewDivergence,
    differential_machine,
    write_failure,
)
from peerspec.oracle.implementations.offline import unsafe_urls
from peerspec.oracle.implementations.protocol import ManagedImplementation, Trace
from peerspec.oracle.spec_sections import METHOD_SECTION
from peerspec.oracle.trace import Step, parse, wire
from peerspec.oracle.verdicts import first_divergence_decides, verdicts_of

#: Where a shrunk new divergence is written (outside the repository: the reports hold only what is committed).
FAILURES_DIR = Path(tempfile.gettempdir()) / "peerspec-failures"


def recorded_verdicts(deviation: Deviation, browser: str, registry: Registry) -> list[Classified]:
    """The classified divergences of the entry's recorded trace (conformance/traces/<id>.<browser>.jsonl)."""
    path = deviation.recorded_trace_path(browser)
    return verdicts_of(parse(path.read_bytes(), str(path)), browser, registry)


def reproduces(verdicts: Sequence[Classified], deviation: Deviation) -> bool:
    """The trace shows the entry's deviation (or, for an ambiguous entry, its ambiguity), and nothing the registry
    does not know."""
    shown = "ambiguous" if deviation.ambiguous else "known"
    return any(v.deviation == deviation.id and v.verdict == shown for v in verdicts) and all(
        v.verdict != "new" for v in verdicts
    )


def record(
    implementation: ManagedImplementation, registry: Registry, *, traces_dir: Path | None = None
) -> dict[str, list[Classified]]:
    """Run every entry for this browser (one round trip), write its recorded trace, return its verdicts.

    The traces go to conformance/traces/ (what the registry is backed by) unless `traces_dir` says elsewhere.
    """
    entries = registry.for_implementation(implementation.name)
    observed = implementation.run_traces([list(d.trace) for d in entries])
    out: dict[str, list[Classified]] = {}
    for deviation, raw in zip(entries, observed, strict=True):
        steps = trace_steps(raw)
        path = deviation.recorded_trace_path(implementation.name)
        if traces_dir is not None:
            path = traces_dir / path.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(jsonl(steps), encoding="utf-8")
        out[deviation.id] = verdicts_of(steps, implementation.name, registry)
    return out


class RunsTraces(Protocol):
    """What shrinking needs of an implementation: whole traces run, each in a session of its own."""

    def run_traces(self, traces: Sequence[Trace]) -> list[Trace]: ...


def minimize(
    implementation: RunsTraces, trace: Trace, keep: Callable[[list[Step]], bool], *, rounds: int = 50
) -> Trace:
    """Remove steps while `keep(observed steps)` holds: each round tries, in one batch, every removal of a run
    of consecutive steps (halves first, down to single steps) and takes the smallest trace that keeps it."""
    current = list(trace)
    for _ in range(rounds):
        candidates = _removals(current)
        if not candidates:
            break
        results = implementation.run_traces(candidates)
        kept = [c for c, r in zip(candidates, results, strict=True) if keep(trace_steps(r))]
        if not kept:
            break
        current = min(kept, key=len)
    return current


def _removals(trace: Trace) -> list[Trace]:
    """Every trace made by removing one run of `size` consecutive steps after the constructor, for sizes from
    half the trace down to 1 (largest removals first)."""
    out: list[Trace] = []
    size = (len(trace) - 1) // 2
    while size >= 1:
        out += [trace[:start] + trace[start + size :] for start in range(1, len(trace) - size + 1)]
        size //= 2
    if len(trace) == 2:
        out.append(trace[:1])
    return out


# ---- a conformance run --------------------------------------------------------------------------------------


@dataclass
class Finding:
    source: str  # "vector <file>" or "random"
    verdict: Classified
    trace: list[Step]


@dataclass
class ConformanceRun:
    implementation: str
    version: str | None
    vectors: int = 0
    vector_steps: int = 0
    random_examples: int = 0
    random_steps: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    cells: dict[str, dict[str, int]] = field(default_factory=dict)  # spec rule -> verdict -> count
    failures: list[str] = field(default_factory=list)  # hangs / crashes, with their traces
    vector_verdicts: dict[str, str] = field(default_factory=dict)  # vector file name -> its verdict in a word

    def count(self, rule: str, verdict: str, n: int = 1) -> None:
        by = self.cells.setdefault(rule, {})
        by[verdict] = by.get(verdict, 0) + n

    @property
    def new(self) -> list[Finding]:
        return [f for f in self.findings if f.verdict.verdict == "new"]


def vector_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.jsonl") if p.is_file())


def run_vectors(
    implementation: ManagedImplementation, files: Sequence[Path], run: ConformanceRun, registry: Registry
) -> None:
    traces: list[list[Step]] = []
    names: list[str] = []
    for path in files:
        steps = parse(path.read_bytes(), str(path))
        if any(unsafe_urls({"op": s.op, "args": s.args}) for s in steps):
            run.failures.append(f"{path}: skipped, a URL names a host outside .invalid")
            continue
        traces.append([s.call for s in steps])
        names.append(str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))
    raw = implementation.run_traces([wire(t) for t in traces])  # a v2 vector goes with its header
    for name, observed_raw in zip(names, raw, strict=True):
        observed = trace_steps(observed_raw)
        run.vectors += 1
        run.vector_steps += len(observed)
        verdicts = first_divergence_decides(verdicts_of(observed, implementation.name, registry))
        _tally(run, observed, verdicts, f"vector {name}")
        run.vector_verdicts[Path(name).name] = vector_verdict(verdicts)


def vector_verdict(verdicts: Sequence[Classified]) -> str:
    """A whole vector's verdict in a word: pass, new, harness, not-implemented (its first divergence is a call
    the implementation lacks), ambiguous (its first divergence is ambiguous under the spec) or known (every
    divergence is a known deviation or its consequence)."""
    kinds = {v.verdict for v in verdicts}
    for word in ("harness", "new", "flaky"):
        if word in kinds:
            return word
    if not verdicts:
        return "pass"
    first = min(verdicts, key=lambda v: v.divergence.step)
    return first.verdict if first.verdict in ("not-implemented", "ambiguous") else "known"


def _tally(run: ConformanceRun, observed: Sequence[Step], verdicts: Sequence[Classified], source: str) -> None:
    by_step: dict[int, list[Classified]] = {}
    for v in verdicts:
        by_step.setdefault(v.divergence.step, []).append(v)
        run.findings.append(Finding(source, v, list(observed[: v.divergence.step])))
    for number, step in enumerate(observed, start=1):
        rule = METHOD_SECTION.get(step.op, step.op)
        found = by_step.get(number, [])
        if not found:
            run.count(rule, "pass")
        for v in found:
            run.count(rule, v.verdict)


def run_random(
    implementation: ManagedImplementation,
    run: ConformanceRun,
    registry: Registry,
    *,
    examples: int,
    steps: int = 25,
    seed: int | None = None,
    failure_dir: Path = FAILURES_DIR,
) -> None:
    """`examples` random differential sequences of up to `steps` calls: with no seed one fixed, derandomized
    run (the same sequences every time), with a seed the sequences that seed draws."""
    machine = differential_machine(implementation, registry=registry, failure_dir=failure_dir)
    if seed is not None:
        machine = hypothesis.seed(seed)(machine)
    chosen = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        derandomize=seed is None,
        suppress_health_check=list(HealthCheck),
        database=None,
        print_blob=False,
        # No Hypothesis shrinking: every shrink attempt is a browser session; `minimize` below shrinks in
        # batches (one round trip per round) instead.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    stats: DifferentialStatistics = machine.statistics_of_run
    try:
        run_state_machine_as_test(machine, settings=chosen)
    except NewDivergence as error:
        run.failures.append(_minimized_failure(implementation, registry, stats, failure_dir) or str(error))
    except Flaky:
        # A sequence diverged once and not when Hypothesis replayed it: the browser is not deterministic there.
        run.failures.append(_flaky_failure(stats, implementation.name, failure_dir))
    run.random_examples += stats.examples
    run.random_steps += stats.steps
    for classified, trace in stats.classified:
        run.findings.append(Finding("random", classified, trace))
    for op, by_verdict in stats.rules.items():
        for verdict, n in by_verdict.items():
            run.count(METHOD_SECTION.get(op, op), verdict, n)
    for failure in implementation.failures:
        run.failures.append(f"{failure.reason}\n{jsonl(trace_steps(failure.trace))}")
    for verdicts, trace in stats.flaky:
        path = write_failure(failure_dir, implementation.name, jsonl([s.call for s in trace]))
        lines = [f"not repeated when replayed (flaky, not counted as new; the trace: {path}):"]
        run.failures.append("\n".join(lines + ["  " + v.describe() for v in verdicts]))


def shows_new_divergence_like(new: Classified, browser: str, registry: Registry) -> Callable[[list[Step]], bool]:
    """Whether an observed trace still shows a new divergence of the same kind (op and observation) as `new`,
    classified as the differential machine classifies: a divergence after a known one is new unless the entry
    lists it among its consequences ("afterwards")."""
    wanted = (new.divergence.op, new.divergence.observation)

    def keep(observed: list[Step]) -> bool:
        verdicts = verdicts_of(observed, browser, registry)
        return any(v.verdict == "new" and (v.divergence.op, v.divergence.observation) == wanted for v in verdicts)

    return keep


def shrink_trace(implementation: ManagedImplementation, steps: Sequence[Step], registry: Registry) -> list[Step]:
    """The trace minimized in the browser while it shows the same kind of new divergence as its first one
    (unchanged when it shows none)."""
    calls = [{"op": s.op, "args": s.args} for s in steps]
    _observed, verdicts = run_one_trace(implementation, steps, registry)
    first = next((v for v in verdicts if v.verdict == "new"), None)
    if first is None:
        return list(steps)
    smaller = minimize(implementation, calls, shows_new_divergence_like(first, implementation.name, registry))
    return trace_steps(smaller)


def _flaky_failure(stats: DifferentialStatistics, browser: str, failure_dir: Path) -> str:
    """A divergence the browser showed once and not on the replay of the same calls, with its trace."""
    found = next(((c, trace) for c, trace in stats.classified if c.verdict == "new"), None)
    if found is None:
        return f"{browser} was not deterministic: a sequence failed once and passed when it was replayed"
    path = write_failure(failure_dir, browser, jsonl([s.call for s in found[1]]))
    return "\n".join(
        [
            f"{browser} was not deterministic: this divergence appeared once and not when the calls were replayed:",
            "  " + found[0].describe(),
            f"the trace: {path} (peerspec conformance --impl {browser} --trace {path})",
        ]
    )


def _minimized_failure(
    implementation: ManagedImplementation, registry: Registry, stats: DifferentialStatistics, failure_dir: Path
) -> str | None:
    """The trace of the random run's new divergence, minimized in the browser, written to failure_dir."""
    found = next(((c, trace) for c, trace in stats.classified if c.verdict == "new"), None)
    if found is None:
        return None
    name = implementation.name
    still_new = shows_new_divergence_like(found[0], name, registry)
    smaller = minimize(implementation, [{"op": s.op, "args": s.args} for s in found[1]], still_new)
    observed, verdicts = run_one_trace(implementation, trace_steps(smaller), registry)
    path = write_failure(failure_dir, name, jsonl([s.call for s in observed]))
    lines = [f"new divergence from the model in {name} (minimized to {len(smaller)} steps, {path}):"]
    lines += ["  " + v.describe() for v in verdicts if v.verdict == "new"]
    lines.append(f"replay it in the browser alone: peerspec conformance --impl {name} --trace {path}")
    return "\n".join(lines)


def conformance(
    implementation: ManagedImplementation,
    *,
    examples: int,
    vectors: Path | None,
    registry: Registry | None = None,
    steps: int = 25,
    seed: int | None = None,
) -> ConformanceRun:
    chosen = registry if registry is not None else load_registry()
    run = ConformanceRun(implementation.name, None)
    began = time.monotonic()
    implementation.start()
    run.version = implementation.version
    if vectors is not None and vectors.exists():
        run_vectors(implementation, vector_files(vectors), run, chosen)
    if examples:
        run_random(implementation, run, chosen, examples=examples, steps=steps, seed=seed)
    run.seconds = time.monotonic() - began
    return run


# ---- reports ------------------------------------------------------------------------------------------------

VERDICTS = ("pass", "not-implemented", "ambiguous", "known", "consequence", "flaky", "harness", "new")


def _examples(run: ConformanceRun) -> dict[str, Finding]:
    """One finding per deviation id (and per new divergence), the shortest trace."""
    out: dict[str, Finding] = {}
    for f in run.findings:
        key = f.verdict.deviation if f.verdict.verdict in ("known", "ambiguous") else None
        if f.verdict.verdict == "new":
            key = "new: " + f.verdict.divergence.describe()[:120]
        if key is None:
            continue
        if key not in out or len(f.trace) < len(out[key].trace):
            out[key] = f
    return out


def write_reports(runs: Sequence[ConformanceRun], registry: Registry, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    traces_dir = out / "traces"
    traces_dir.mkdir(exist_ok=True)
    for stale in traces_dir.glob("*.jsonl"):  # the traces of an earlier report: this one links its own
        stale.unlink()
    links: dict[tuple[str, str], str] = {}
    for run in runs:
        for key, finding in _examples(run).items():
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in key)[:80]
            name = f"{safe}.{run.implementation}.jsonl"
            (traces_dir / name).write_text(jsonl(finding.trace), encoding="utf-8")
            links[(key, run.implementation)] = f"traces/{name}"
    md = _markdown(runs, registry, links)
    page = _html(runs, registry, links, out)
    md_path, html_path = out / "conformance.md", out / "conformance.html"
    # A lone surrogate from a hostile value is written as its \u escape: the files stay UTF-8.
    md_path.write_text(md.encode("utf-8", "backslashreplace").decode("utf-8"), encoding="utf-8")
    html_path.write_text(page.encode("utf-8", "backslashreplace").decode("utf-8"), encoding="utf-8")
    return md_path, html_path


def _rules(runs: Sequence[ConformanceRun]) -> list[str]:
    seen = {rule for run in runs for rule in run.cells}
    return [r for r in METHOD_SECTION.values() if r in seen] + sorted(seen - set(METHOD_SECTION.values()))


def _cell(counts: dict[str, int]) -> str:
    parts = [f"{counts[v]} {v}" for v in VERDICTS if counts.get(v)]
    return ", ".join(parts) if parts else "-"


def summary_line(run: ConformanceRun) -> str:
    known = sorted({f.verdict.deviation or "" for f in run.findings if f.verdict.verdict == "known"})
    ambiguous = sorted({f.verdict.deviation or "" for f in run.findings if f.verdict.verdict == "ambiguous"})
    return (
        f"{run.implementation} {run.version}: {run.vectors} vectors ({run.vector_steps} steps), "
        f"{run.random_examples} random sequences ({run.random_steps} steps) in {run.seconds:.1f} s; "
        f"{len(known)} known deviations seen ({', '.join(known) or 'none'}); "
        f"{len(ambiguous)} ambiguous under the spec ({', '.join(ambiguous) or 'none'}); "
        f"{len(run.new)} new divergences; {len(run.failures)} failures"
    )


def status_text(d: Deviation) -> str:
    """An entry's status for the reports: a deviation, or ambiguous under the spec with both readings."""
    if not d.ambiguous:
        return "deviation"
    return "ambiguous under the spec: " + " / ".join(f"{r['reading']}: {r['says']}" for r in d.readings)


def _markdown(runs: Sequence[ConformanceRun], registry: Registry, links: dict[tuple[str, str], str]) -> str:
    lines = ["# peerspec conformance report", ""]
    lines += [f"- {summary_line(run)}" for run in runs]
    legend = (
        "pass, ambiguous under the spec (an entry with two readings matched), known deviation, consequence of a known"
        " deviation, flaky (new but not repeated on replay), new"
    )
    lines += ["", f"Cells count compared steps: {legend}.", ""]
    names = [run.implementation for run in runs]
    lines.append("| spec rule | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for rule in _rules(runs):
        lines.append(f"| {rule} | " + " | ".join(_cell(run.cells.get(rule, {})) for run in runs) + " |")
    lines += ["", "## Deviations", "", "| id | status | spec | browser does | why | " + " | ".join(names) + " |"]
    lines.append("|---|---|---|---|---|" + "---|" * len(names))
    for d in registry.deviations:
        spec = f"{d.spec.get('section', '')} {d.spec.get('step', '')}".strip()
        cells = []
        for run in runs:
            if run.implementation not in d.implementations:
                cells.append("n/a")
            elif (d.id, run.implementation) in links:
                cells.append(f"[seen]({links[(d.id, run.implementation)]})")
            else:
                cells.append("not seen in this run")
        lines.append(
            f"| {d.id} | {status_text(d)} | {spec} | {d.implementation_does} | {d.why} | " + " | ".join(cells) + " |"
        )
    new = [(k, run.implementation) for run in runs for k in _examples(run) if k.startswith("new: ")]
    lines += ["", "## New divergences", ""]
    lines += [f"- {impl}: [{k[5:]}]({links[(k, impl)]})" for k, impl in new] or ["none"]
    failures = [(run.implementation, f) for run in runs for f in run.failures]
    lines += ["", "## Failures (hangs, crashes, refused steps)", ""]
    lines += [f"- {impl}: `{f.splitlines()[0]}`" for impl, f in failures] or ["none"]
    return "\n".join(lines) + "\n"


COLORS: Final = {
    "pass": "#d9f2d9",
    "not-implemented": "#e6e6e6",
    "ambiguous": "#dff0f7",
    "known": "#fff2cc",
    "consequence": "#fff8e1",
    "flaky": "#e1e5f8",
    "harness": "#f0d0f0",
    "new": "#f8cbad",
}


def _html(runs: Sequence[ConformanceRun], registry: Registry, links: dict[tuple[str, str], str], out: Path) -> str:
    e = html.escape
    colors = COLORS
    names = [run.implementation for run in runs]
    rows = []
    for rule in _rules(runs):
        cells = []
        for run in runs:
            counts = run.cells.get(rule, {})
            worst = next((v for v in reversed(VERDICTS) if counts.get(v)), "pass")
            cells.append(f'<td style="background:{colors[worst]}">{e(_cell(counts))}</td>')
        rows.append(f"<tr><th>{e(rule)}</th>{''.join(cells)}</tr>")
    dev_rows = []
    for d in registry.deviations:
        cells = []
        for run in runs:
            link = links.get((d.id, run.implementation))
            if run.implementation not in d.implementations:
                cells.append("<td>n/a</td>")
            elif link:
                trace = (out / link).read_text(encoding="utf-8") if (out / link).exists() else ""
                word, color = ("ambiguous under the spec", "ambiguous") if d.ambiguous else ("known deviation", "known")
                cells.append(
                    f'<td style="background:{colors[color]}"><a href="{e(link)}">{word}</a>'
                    f"<details><summary>trace</summary><pre>{e(trace)}</pre></details></td>"
                )
            else:
                cells.append("<td>not seen in this run</td>")
        spec = f"{d.spec.get('section', '')} {d.spec.get('step', '')}".strip()
        dev_rows.append(
            f"<tr><th>{e(d.id)}</th><td>{e(status_text(d))}</td><td>{e(spec)}: {e(d.spec.get('says', ''))}</td>"
            f"<td>{e(d.implementation_does)}</td>"
            f"<td>{e(d.why)}</td>{''.join(cells)}</tr>"
        )
    new_items = [
        f'<li>{e(run.implementation)}: <a href="{e(links[(k, run.implementation)])}">{e(k[5:])}</a></li>'
        for run in runs
        for k in _examples(run)
        if k.startswith("new: ")
    ] or ["<li>none</li>"]
    head = "".join(f"<th>{e(n)}</th>" for n in names)
    summaries = "".join(f"<li>{e(summary_line(run))}</li>" for run in runs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>peerspec conformance</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;
padding:4px 8px;text-align:left;vertical-align:top}}pre{{font-size:11px;max-width:60em;overflow:auto}}</style>
</head><body><h1>peerspec conformance report</h1><ul>{summaries}</ul>
<h2>Spec rule &times; implementation</h2>
<p>Compared steps per cell: pass, ambiguous under the spec, known deviation, consequence of a known deviation,
new.</p>
<table><tr><th>spec rule</th>{head}</tr>{"".join(rows)}</table>
<h2>Known deviations</h2>
<table><tr><th>id</th><th>status</th><th>spec</th><th>browser does</th><th>why</th>{head}</tr>
{"".join(dev_rows)}</table>
<h2>New divergences</h2><ul>{"".join(new_items)}</ul>
</body></html>
"""


def run_one_trace(
    implementation: ManagedImplementation, steps: Sequence[Step], registry: Registry
) -> tuple[list[Step], list[Classified]]:
    """Replay one trace in the browser alone: the observed steps and their classified divergences."""
    raw = implementation.run_traces([wire(steps)])[0]
    observed = trace_steps(raw)
    return observed, verdicts_of(observed, implementation.name, registry)


def as_json(run: ConformanceRun) -> dict[str, Any]:
    return {
        "implementation": run.implementation,
        "version": run.version,
        "cells": run.cells,
        "new": [f.verdict.describe() for f in run.new],
        "failures": run.failures,
    }


__all__ = ["ConformanceRun", "conformance", "json", "record", "recorded_verdicts", "write_reports"]
