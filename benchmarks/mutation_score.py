"""Mutation score of the model (not a test, not a CI gate): how many of mutmut's mutants of model/ the model's
kill-suite notices, module by module, and which survive.

    nice -n 10 python benchmarks/mutation_score.py [--modules set_configuration webidl ...] [--report-only]

mutmut (pinned in .ci/constraints.txt, the `mutation` extra; its settings are [tool.mutmut] in pyproject.toml)
copies the package under mutants/, rewrites every function of model/ into its mutants, and runs the kill-suite
(the model's unit tests, the rule vectors replayed through the model, the stateful property suite and the
properties, in the Hypothesis profile of benchmarks/mutation_profile.py) against each one, with only the tests
that reach the mutated function. Its results persist in mutants/, so a second run re-tests only what changed.

Each survivor is either killed by a test, or explained:
- an equivalent mutant listed in benchmarks/mutation-equivalents.md (its name, its diff, and why no caller can
  tell it from the model), or
- a message mutant: the only change is the human-readable message of a spec error (the second argument of
  InvalidStateError(...), TypeError_(...), Converter.fail(...), the first of NoPrimitiveValue(...) and
  LifecycleError(...)), which the spec does not define; the error's name,
  its kind (thrown or rejected) and its spec citation are all unchanged. Counted apart, listed in the report.

A timeout (mutmut stopped the mutant at its CPU-time limit) counts as killed, as mutmut counts it: the kill-suite
noticed that the mutant never finishes. Each is listed apart, and each listed there has been checked to loop
forever (benchmarks/mutation-equivalents.md says how), not merely to run slowly.

The score is killed / (mutants run - equivalents - message mutants); the raw score, killed / mutants run, is
printed beside it. --write names a Markdown report (default benchmarks/mutation-report.md).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants" / "peerspec" / "model"
EQUIVALENTS = ROOT / "benchmarks" / "mutation-equivalents.md"
# The modules that carry the spec's rules first; peer_connection.py last (the largest, and the busiest).
DEFAULT_MODULES = (
    "set_configuration",
    "ice_server_url",
    "configuration",
    "webidl",
    "signaling",
    "lifecycle",
    "certificates",
    "js_values",
    "sdp",
    "profile",
    "remote_peer",
    "errors",
    "observable_state",
    "transceivers",
    "peer_connection",
)
# mutmut's exit codes (mutmut.stats.status_by_exit_code), the ones a run produces.
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 36: "timeout", 37: "killed"}
STATUS |= dict.fromkeys((-24, 24, 152, 255), "timeout")  # SIGXCPU: the CPU-time limit mutmut sets on each mutant
# Calls with a free-text message, not part of the spec, and the position of that message: the second positional
# argument (or `message=`) of the spec errors and of Converter.fail, the only one of the model's own exceptions.
MESSAGE_ARGUMENT = {
    **dict.fromkeys(
        (
            "InvalidStateError",
            "InvalidModificationError",
            "InvalidAccessError",
            "SyntaxError_",
            "NotSupportedError",
            "OperationError",
            "TypeError_",
            "fail",
        ),
        1,
    ),
    "NoPrimitiveValue": 0,
    "LifecycleError": 0,
}
_EQUIVALENT_ROW = re.compile(r"^\|\s*`(peerspec\.model\.[^`]+)`\s*\|")


@dataclass(frozen=True)
class Mutant:
    name: str
    module: str
    status: str
    diff: str
    message_only: bool


def run_mutmut(modules: list[str], max_children: int) -> None:
    (ROOT / "mutants" / "benchmarks").mkdir(parents=True, exist_ok=True)  # where also_copy puts the profile
    environment = {**os.environ, "HYPOTHESIS_PROFILE": "mutation"}
    for module in modules:
        print(f"mutmut run peerspec.model.{module}.* ...", flush=True)
        command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
        completed = subprocess.run(
            [*command, f"peerspec.model.{module}.*"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            sys.exit(f"mutmut run failed for {module} (exit {completed.returncode}): {completed.stderr[-2000:]}")


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _first_difference(a: object, b: object, path: list[tuple[object, object, str | int]]) -> bool:
    """Whether `a` and `b` differ; on return `path` leads from the roots to the first difference."""
    if type(a) is not type(b):
        return True
    if isinstance(a, ast.AST):
        assert isinstance(b, ast.AST)
        for field in a._fields:
            path.append((a, b, field))
            if _first_difference(getattr(a, field, None), getattr(b, field, None), path):
                return True
            path.pop()
        return False
    if isinstance(a, list):
        assert isinstance(b, list)
        if len(a) != len(b):
            return True
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            path.append((a, b, index))
            if _first_difference(x, y, path):
                return True
            path.pop()
        return False
    return bool(a != b)


def _is_message_change(original: ast.AST, mutant: ast.AST) -> bool:
    """Whether the single difference between two function bodies lies in a message argument of a spec error."""
    path: list[tuple[object, object, str | int]] = []
    if not _first_difference(original, mutant, path):
        return False
    for depth, (a, b, field) in enumerate(path):
        if not (isinstance(a, ast.Call) and isinstance(b, ast.Call) and _call_name(a) in MESSAGE_ARGUMENT):
            continue
        index = MESSAGE_ARGUMENT[_call_name(a)]
        below = path[depth + 1][2] if depth + 1 < len(path) else None
        if field == "args" and len(a.args) != len(b.args):  # an argument removed: the message, the rest intact
            kept = [ast.dump(arg) for position, arg in enumerate(a.args) if position != index]
            return len(a.args) == index + 1 and kept == [ast.dump(arg) for arg in b.args]
        if field == "args":
            return below == index
        if field == "keywords" and below is not None:
            return a.keywords[int(below)].arg == "message"
    return False


def _source(lines: list[str], node: ast.FunctionDef) -> list[str]:
    assert node.end_lineno is not None
    text = lines[node.lineno - 1 : node.end_lineno]
    return [line.replace(node.name, "") for line in text]


def collect(modules: list[str]) -> list[Mutant]:
    mutants: list[Mutant] = []
    for module in modules:
        path = MUTANTS / f"{module}.py"
        meta = path.with_name(f"{module}.py.meta")
        if not meta.exists():
            continue
        exit_codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
        text = path.read_text()
        lines = text.splitlines()
        functions = _functions(ast.parse(text))
        for name, code in sorted(exit_codes.items(), key=lambda item: _natural(item[0])):
            status = "not run" if code is None else STATUS.get(code, f"suspicious (exit {code})")
            function_name = name.rpartition(".")[2]
            base = function_name.rpartition("__mutmut_")[0]
            original, mutated = functions.get(f"{base}__mutmut_orig"), functions.get(function_name)
            diff, message_only = "", False
            if original is not None and mutated is not None:
                diff = "\n".join(
                    line
                    for line in difflib.unified_diff(
                        _source(lines, original), _source(lines, mutated), lineterm="", n=0
                    )
                    if line[:1] in "+-" and not line.startswith(("+++", "---"))
                )
                message_only = _is_message_change(
                    ast.Module(body=original.body, type_ignores=[]), ast.Module(body=mutated.body, type_ignores=[])
                )
            mutants.append(Mutant(name, module, status, diff, message_only))
    return mutants


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number) if number.isdigit() else 0


def unmutated_functions(module: str) -> list[str]:
    """The functions of model/<module>.py that mutmut leaves alone: it never mutates a decorated function (other
    than a staticmethod or classmethod), nor code outside functions (the modules' tables and constants)."""
    tree = ast.parse((ROOT / "model" / f"{module}.py").read_text())
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.decorator_list
        and not (
            len(node.decorator_list) == 1
            and isinstance(node.decorator_list[0], ast.Name)
            and node.decorator_list[0].id in ("staticmethod", "classmethod")
        )
    ]


def equivalents() -> set[str]:
    if not EQUIVALENTS.exists():
        return set()
    return {m.group(1) for line in EQUIVALENTS.read_text().splitlines() if (m := _EQUIVALENT_ROW.match(line))}


def classify(mutant: Mutant, explained: set[str]) -> str:
    if mutant.status != "survived":
        return mutant.status
    if mutant.name in explained:
        return "equivalent"
    return "message" if mutant.message_only else "survived"


def report(mutants: list[Mutant], explained: set[str]) -> str:
    rows = ["| module | mutants run | killed | survived | equivalent | message | not run | score | raw |"]
    rows.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals: Counter[str] = Counter()
    by_module: dict[str, Counter[str]] = {}
    for mutant in mutants:
        by_module.setdefault(mutant.module, Counter())[classify(mutant, explained)] += 1
    for module, counts in [*by_module.items(), ("all", totals)]:
        if module != "all":
            totals.update(counts)
        run = sum(counts.values()) - counts["not run"]
        judged = run - counts["equivalent"] - counts["message"]
        killed = counts["killed"] + counts["timeout"]  # a mutant that never finishes is noticed (mutmut's count)
        score = f"{killed / judged:.1%}" if judged else "-"
        raw = f"{killed / run:.1%}" if run else "-"
        survived = counts["survived"] + counts["no tests"]
        name = f"**{module}**" if module == "all" else f"`{module}.py`"
        rows.append(
            f"| {name} | {run} | {killed} | {survived} | {counts['equivalent']} | {counts['message']} |"
            f" {counts['not run']} | {score} | {raw} |"
        )
    lines = ["# Mutation score of model/ (generated by benchmarks/mutation_score.py)", "", *rows, ""]
    lines += ["## Not mutated by mutmut (decorated functions; module-level tables are never mutated either)", ""]
    for module in by_module:
        names = unmutated_functions(module)
        if names:
            lines.append(f"- `{module}.py`: {', '.join(f'`{name}`' for name in names)}")
    lines.append("")
    sections = (
        ("Surviving mutants", ("survived", "no tests")),
        ("Timeouts (counted as killed: each loops forever)", ("timeout",)),
        ("Message mutants (counted apart)", ("message",)),
    )
    for title, kinds in sections:
        chosen = [m for m in mutants if classify(m, explained) in kinds]
        lines += [f"## {title}: {len(chosen)}", ""]
        for mutant in chosen:
            lines += [
                f"- `{mutant.name}` ({mutant.status})",
                "",
                "  ```diff",
                *(f"  {d}" for d in mutant.diff.splitlines()),
                "  ```",
            ]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="+", default=list(DEFAULT_MODULES), choices=DEFAULT_MODULES)
    parser.add_argument("--max-children", type=int, default=2, help="mutmut's parallel workers")
    parser.add_argument("--report-only", action="store_true", help="read mutants/ without running mutmut")
    parser.add_argument("--write", type=Path, default=ROOT / "benchmarks" / "mutation-report.md")
    arguments = parser.parse_args()
    if not arguments.report_only:
        run_mutmut(arguments.modules, arguments.max_children)
    mutants = collect(arguments.modules)
    if not mutants:
        sys.exit("no mutants under mutants/: run without --report-only first")
    text = report(mutants, equivalents())
    arguments.write.write_text(text + "\n")
    print(text.split("\n## ")[0])
    print(f"survivors and their diffs: {arguments.write}")


if __name__ == "__main__":
    main()
