"""`peerspec check` over many recorded traces in one process: each trace judged against the model, its
divergences classified for one implementation (the registry's known deviations and that implementation's
profile), root causes first with their consequences folded under them, and a summary at the end.

A trace's verdicts (oracle/verdicts.py): the first diverging step decides; a later divergence no registry entry
explains is a consequence of it, not a finding of its own. `new` and `harness` verdicts fail a check; known
deviations, divergences ambiguous under the spec (an entry with both readings), their consequences and steps the
implementation does not implement do not.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peerspec.oracle.deviations import Classified, Registry
from peerspec.oracle.errors import OracleError, TraceError
from peerspec.oracle.trace import Step, read
from peerspec.oracle.verdicts import first_divergence_decides, verdicts_of

#: Verdicts that make `check` exit 1.
FAILING = frozenset({"new", "harness"})


@dataclass(frozen=True)
class TraceVerdicts:
    name: str
    steps: int
    verdicts: tuple[Classified, ...]

    @property
    def fails(self) -> bool:
        return any(v.verdict in FAILING for v in self.verdicts)

    def counts(self) -> Counter[str]:
        return Counter(v.verdict for v in self.verdicts)


def trace_files(paths: Sequence[str]) -> list[str]:
    """The traces to check: each file as given, each folder's *.jsonl files (recursively, in name order), `-` for
    standard input. A folder without traces, or a path that does not exist, is an error."""
    found: list[str] = []
    for path in paths:
        if path == "-":
            found.append(path)
            continue
        where = Path(path)
        if where.is_dir():
            inside = sorted(str(p) for p in where.rglob("*.jsonl") if p.is_file())
            if not inside:
                raise OracleError(f"{path}: a folder with no .jsonl traces")
            found += inside
        elif where.exists():
            found.append(path)
        else:
            raise OracleError(f"{path}: no such file or folder")
    return found


def judge(name: str, steps: Iterable[Step], implementation: str, registry: Registry) -> TraceVerdicts:
    """One trace's verdicts, the trace taken as a stream (a trace.read iterator is never held whole)."""
    counted = _Counted(steps)
    verdicts = first_divergence_decides(verdicts_of(counted, implementation, registry))
    if not counted.recorded:
        raise TraceError(f"{name}: no step has an outcome (check takes a trace recorded from an implementation)")
    return TraceVerdicts(name, counted.steps, tuple(verdicts))


class _Counted:
    """Steps passed through, counted, noting whether any has an outcome."""

    def __init__(self, steps: Iterable[Step]) -> None:
        self._steps = steps
        self.steps = 0
        self.recorded = False

    def __iter__(self) -> Iterator[Step]:
        for step in self._steps:
            self.steps += 1
            self.recorded = self.recorded or step.outcome is not None
            yield step


def judge_files(files: Iterable[str], implementation: str, registry: Registry) -> list[TraceVerdicts]:
    return [judge(_display(f), read(f), implementation, registry) for f in files]


def text_report(results: Sequence[TraceVerdicts]) -> list[str]:
    """One line per agreeing trace; for a diverging one, each root cause with its consequences folded under it."""
    lines: list[str] = []
    for result in results:
        if not result.verdicts:
            lines.append(f"{result.name}: all {result.steps} steps agree with the model")
            continue
        lines.append(f"{result.name}: {_counts_text(result.counts())}")
        lines += ["  " + line for line in _folded(result.verdicts)]
    if len(results) > 1:
        lines.append(summary_line(results))
    return lines


def _folded(verdicts: Sequence[Classified]) -> list[str]:
    consequences: dict[str, list[Classified]] = {}
    roots: list[Classified] = []
    for v in verdicts:
        if v.verdict == "consequence" and v.deviation is not None:
            consequences.setdefault(v.deviation, []).append(v)
        else:
            roots.append(v)
    lines: list[str] = []
    folded_under: set[str] = set()
    for root in roots:
        lines.append(root.describe())
        for key in _causes_named_by(root):
            if key in consequences and key not in folded_under:
                folded_under.add(key)
                lines.append("  " + _consequence_line(consequences[key]))
    for key, later in consequences.items():
        if key not in folded_under:
            lines.append(f"consequences of {key}: " + _consequence_line(later))
    return lines


def _causes_named_by(root: Classified) -> list[str]:
    d = root.divergence
    return [k for k in (root.deviation, f"the new divergence at step {d.step}", f"step {d.step}, not implemented") if k]


def _consequence_line(later: Sequence[Classified]) -> str:
    shown = ", ".join(f"step {v.divergence.step} {v.divergence.observation}" for v in later[:6])
    more = f", and {len(later) - 6} more" if len(later) > 6 else ""
    return f"+ {len(later)} consequence{'s' if len(later) != 1 else ''} folded: {shown}{more}"


def _counts_text(counts: Counter[str]) -> str:
    order = [
        ("new", "new divergence", "new divergences"),
        ("harness", "harness error", "harness errors"),
        ("not-implemented", "step not implemented", "steps not implemented"),
        ("known", "known deviation", "known deviations"),
        ("ambiguous", "ambiguous under the spec", "ambiguous under the spec"),
        ("flaky", "flaky divergence", "flaky divergences"),
        ("consequence", "consequence", "consequences"),
    ]
    parts = [f"{counts[key]} {one if counts[key] == 1 else many}" for key, one, many in order if counts[key]]
    return ", ".join(parts)


def summary_line(results: Sequence[TraceVerdicts]) -> str:
    total: Counter[str] = Counter()
    for result in results:
        total += result.counts()
    agree = sum(1 for r in results if not r.verdicts)
    failing = sum(1 for r in results if r.fails)
    steps = sum(r.steps for r in results)
    tail = f": {_counts_text(total)}" if total else ""
    return (
        f"summary: {len(results)} traces, {steps} steps; {agree} agree, {len(results) - agree} diverge,"
        f" {failing} with a new divergence or harness error{tail}"
    )


def verdict_record(v: Classified) -> dict[str, Any]:
    """One classified divergence as the JSON reports write it (`check --json`, the serve page's comparison)."""
    d = v.divergence
    return {
        "step": d.step,
        "op": d.op,
        "observation": d.observation,
        "expected": d.expected,
        "observed": d.observed,
        "message": d.message,
        "spec": d.spec,
        "verdict": v.verdict,
        "deviation": v.deviation,
    }


def json_report(results: Sequence[TraceVerdicts], implementation: str) -> str:
    total: Counter[str] = Counter()
    for result in results:
        total += result.counts()
    document = {
        "implementation": implementation,
        "traces": [
            {"trace": r.name, "steps": r.steps, "fails": r.fails, "verdicts": [verdict_record(v) for v in r.verdicts]}
            for r in results
        ],
        "summary": {
            "traces": len(results),
            "steps": sum(r.steps for r in results),
            "agree": sum(1 for r in results if not r.verdicts),
            "failing": sum(1 for r in results if r.fails),
            "verdicts": dict(sorted(total.items())),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _display(path: str) -> str:
    return "<stdin>" if path == "-" else path
