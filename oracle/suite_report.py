"""What `peerspec run` prints: coverage of rules, outcomes and lifecycle transitions, and a failure's
reproduction. Kept apart from running the suite so that both stay small."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from peerspec.oracle.property_suite import SuiteResult
from peerspec.properties.coverage import coverage_rows
from peerspec.properties.invariants import INVARIANTS


def _table(*headers: str, title: str) -> Table:
    """A table whose cells wrap rather than end in an ellipsis: on a narrow or piped console (80 columns) an op
    or an outcome cut to `setConfigura…` would no longer say which cell it is."""
    return Table(*(Column(header, overflow="fold") for header in headers), title=title, title_justify="left")


def print_summary(console: Console, result: SuiteResult, reference: dict[str, Any] | None = None) -> None:
    """`reference`: the committed exploration closure for the run's profile (oracle/exploration-cells.json)."""
    stats = result.statistics
    # Hypothesis also runs the machine for draws it then discards (and while shrinking): each is a call sequence
    # whose steps were checked, but only the valid ones are the examples --examples counts.
    others = stats.examples - result.examples_ran
    sequences = f"{stats.examples} call sequences ({result.examples_ran} examples"
    sequences += f", {others} draws Hypothesis discarded or shrank)" if others > 0 else ")"
    console.print(
        Text(
            f"{sequences}, {stats.steps} steps, {stats.invariants_checked} invariant checks "
            f"({len(INVARIANTS)} named invariants)",
            style="bold",
        )
    )
    rules = _table("rule", "steps", title="Calls made")
    for rule, count in stats.rules.most_common():
        rules.add_row(rule, str(count))
    outcomes = _table("outcome", "steps", title="Outcomes")
    for outcome, count in stats.outcomes.most_common():
        outcomes.add_row(outcome, str(count))
    lifecycle = _table("call", "from", "to", "times", "why", title="Lifecycle transitions")
    for trigger, source, dest, why in result.declared_lifecycle_transitions:
        times = stats.lifecycle_transitions.get((trigger, source, dest), 0)
        lifecycle.add_row(trigger, source, dest, str(times), why, style=None if times else "yellow")
    console.print(rules, outcomes, lifecycle)
    declared = len(result.declared_lifecycle_transitions)
    covered = declared - len(result.uncovered_lifecycle_transitions)
    console.print(f"lifecycle transitions covered: {covered} of {declared}")
    for trigger, source, dest, why in result.uncovered_lifecycle_transitions:
        console.print(
            Text(f"missed {trigger}: {source} -> {dest} ({why}): {_why_missed((trigger, source, dest), reference)}")
        )
    console.print(Text(result.example_count_explained()))
    if result.failure is None:
        console.print(Text("every invariant held", style="bold green"))
        return
    console.print(Text(f"FAILED: {result.failure}", style="bold red"))
    console.print(Text("The shrunk sequence as a trace (peerspec replay / check it elsewhere):", style="bold"))
    console.print(Text(result.trace.rstrip("\n")))
    console.print(Text("And as Python, to paste and rerun:", style="bold"))
    console.print(Text("\n".join(result.python)))


def _why_missed(move: tuple[str, str, str], reference: dict[str, Any] | None) -> str:
    if reference is None:
        return "no exploration of this profile to tell whether it is reachable (peerspec explore --cells)"
    moves = {tuple(m) for m in reference["lifecycleMoves"]}
    closure = f"the complete closure of the {reference['alphabet']} alphabet ({reference['states']} abstract states)"
    if move in moves:
        return f"reachable ({closure} takes it); this run's sequences did not, try more --examples or another --seed"
    if reference["complete"]:
        return f"unreachable in this profile: {closure} never takes it"
    return "exploration did not reach it either (its closure was not complete)"


def print_coverage(console: Console, result: SuiteResult, reference: dict[str, Any] | None) -> None:
    """The (lifecycle state x operation x outcome) cells: the random run's counts beside exploration's closure,
    with the cells exploration proves reachable and the run missed called out."""
    explored = [tuple(cell) for cell in reference["cells"]] if reference is not None else []
    rows = coverage_rows(result.statistics.cells, explored)
    table = _table("lifecycle", "op", "outcome", "random steps", "exploration", title="Coverage")
    for row in rows:
        where = "reachable" if row.explored else ("outside the alphabet" if reference is not None else "-")
        style = "bold yellow" if row.missed_by_random else None
        table.add_row(
            *row.cell, str(row.random) if row.random else "MISSED" if row.explored else "0", where, style=style
        )
    console.print(table)
    hit = sum(1 for row in rows if row.random)
    missed = [row for row in rows if row.missed_by_random]
    if reference is None:
        console.print(
            Text(f"{hit} cells hit; no exploration of this profile to compare with (peerspec explore --cells)")
        )
        return
    console.print(
        Text(
            f"{hit} cells hit by the random run; exploration ({reference['alphabet']} alphabet)"
            f" reaches {len(explored)};"
            f" {len(missed)} reachable cells the random run missed"
            + (": " + "; ".join(" / ".join(row.cell) for row in missed) if missed else "")
        )
    )
