"""The conformance matrix: every spec rule case (one committed rule vector each) by every implementation, each cell
pass / known deviation / new / not implemented (or harness error, or not available here), with each
implementation's scores and the profile (the spec's open choices) it was judged under.  Markdown for GitHub and
a self-contained HTML page; `peerspec conformance --all` writes both.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from peerspec.oracle.conformance import COLORS, ConformanceRun
from peerspec.oracle.deviations import Registry

WORDS: Final = {
    "pass": "pass",
    "known": "known deviation",
    "ambiguous": "ambiguous under the spec",
    "new": "new",
    "not-implemented": "not implemented",
    "harness": "harness error",
    "flaky": "flaky",
}


@dataclass(frozen=True)
class Column:
    """One implementation's column: its run, or why it could not be run here."""

    name: str
    what: str
    run: ConformanceRun | None
    unavailable: str = ""


@dataclass(frozen=True)
class Scores:
    rule_cases: int
    rule_cases_passed: int
    rule_cases_known: int
    steps: int
    steps_passed: int
    steps_not_implemented: int

    def text(self) -> str:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"

        return (
            f"rule cases passed {share(self.rule_cases_passed, self.rule_cases)}, with known deviations"
            f" {self.rule_cases_known}; steps passed {share(self.steps_passed, self.steps)},"
            f" not implemented {self.steps_not_implemented}"
        )


def scores(run: ConformanceRun, rule_cases: Sequence[str]) -> Scores:
    verdicts = [run.vector_verdicts.get(case, "") for case in rule_cases]
    steps = run.vector_steps + run.random_steps  # a step with no divergence counts one "pass" in its cell
    passed = sum(counts.get("pass", 0) for counts in run.cells.values())
    missing = sum(counts.get("not-implemented", 0) for counts in run.cells.values())  # one per skipped step
    return Scores(len(rule_cases), verdicts.count("pass"), verdicts.count("known"), steps, passed, missing)


def rule_cases(vectors: Path) -> list[tuple[str, str]]:
    """(file name, spec rule) of every rule vector, in the manifest's order."""
    manifest = json.loads((vectors / "manifest.json").read_text(encoding="utf-8"))
    return [(case["file"], case["rule"]) for case in manifest["cases"] if case["source"] == "rule"]


def profile_text(registry: Registry, name: str) -> str:
    choices: Mapping[str, Any] = registry.profiles.get(name, {}).get("choices", {})
    if not choices:
        return "the spec's own profile"
    return "; ".join(f"{key}={json.dumps(value)}" for key, value in sorted(choices.items()))


def _cell(column: Column, case: str) -> str:
    if column.run is None:
        return "not available"
    return column.run.vector_verdicts.get(case, "not run")


def write_matrix(columns: Sequence[Column], registry: Registry, vectors: Path, out: Path) -> tuple[Path, Path]:
    cases = rule_cases(vectors)
    out.mkdir(parents=True, exist_ok=True)
    md_path, html_path = out / "matrix.md", out / "matrix.html"
    _write_whole(md_path, _markdown(columns, registry, cases))
    _write_whole(html_path, _html(columns, registry, cases))
    return md_path, html_path


def _write_whole(path: Path, text: str) -> None:
    """Write through a temporary file and rename it: a report is there whole or not at all."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _header(column: Column, registry: Registry, cases: Sequence[tuple[str, str]]) -> str:
    if column.run is None:
        return f"**{column.name}** ({column.what}): not available here: {column.unavailable}"
    run = column.run
    score = scores(run, [case for case, _ in cases]).text()
    return f"**{column.name}** {run.version or ''}: {score}. Profile: {profile_text(registry, column.name)}."


def _markdown(columns: Sequence[Column], registry: Registry, cases: Sequence[tuple[str, str]]) -> str:
    lines = ["# peerspec conformance matrix", ""]
    lines.append(
        "Each row is one spec rule case (a committed rule vector, `vectors/`); each cell is that vector's verdict in"
        " that implementation: pass, known deviation (a registry entry explains every divergence), ambiguous under the"
        " spec (its first divergence is one where the spec reads two ways: the registry writes down both), new, not"
        " implemented (its first divergence is a call the implementation lacks), or harness error."
    )
    lines += ["", *[f"- {_header(c, registry, cases)}" for c in columns], ""]
    lines.append("| spec rule | rule case | " + " | ".join(c.name for c in columns) + " |")
    lines.append("|---|---|" + "---|" * len(columns))
    for case, rule in cases:
        cells = [WORDS.get(_cell(c, case), _cell(c, case)) for c in columns]
        lines.append(f"| {rule} | {case.removesuffix('.jsonl')} | " + " | ".join(cells) + " |")
    lines += ["", "## Generated sequences (steps per verdict)", ""]
    lines.append("| | " + " | ".join(c.name for c in columns) + " |")
    lines.append("|---|" + "---|" * len(columns))
    generated = [_generated(c) for c in columns]
    lines.append("| generated vectors | " + " | ".join(generated) + " |")
    return "\n".join(lines) + "\n"


def _generated(column: Column) -> str:
    if column.run is None:
        return "not available"
    words = [column.run.vector_verdicts[name] for name in column.run.vector_verdicts if name.startswith("generated-")]
    counts = {word: words.count(word) for word in WORDS if words.count(word)}
    return ", ".join(f"{n} {WORDS[w]}" for w, n in counts.items()) or "none run"


def _html(columns: Sequence[Column], registry: Registry, cases: Sequence[tuple[str, str]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(c.name)}</th>" for c in columns)
    rows = []
    for case, rule in cases:
        cells = []
        for column in columns:
            word = _cell(column, case)
            color = COLORS.get(word, "#ffffff")
            cells.append(f'<td style="background:{color}">{e(WORDS.get(word, word))}</td>')
        rows.append(f"<tr><th>{e(rule)}</th><td>{e(case.removesuffix('.jsonl'))}</td>{''.join(cells)}</tr>")
    headers = "".join(f"<li>{e(_header(c, registry, cases).replace('**', ''))}</li>" for c in columns)
    generated = "".join(f"<td>{e(_generated(c))}</td>" for c in columns)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>peerspec conformance matrix</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;
padding:3px 6px;text-align:left;vertical-align:top;font-size:13px}}</style>
</head><body><h1>peerspec conformance matrix</h1>
<p>Each row is one spec rule case (a committed rule vector); each cell is that vector's verdict in that
implementation.</p><ul>{headers}</ul>
<table><tr><th>spec rule</th><th>rule case</th>{head}</tr>{"".join(rows)}
<tr><th colspan="2">generated vectors</th>{generated}</tr></table>
</body></html>
"""
