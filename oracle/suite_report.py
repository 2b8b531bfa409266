"""What `peerspec run` prints: coverage of rules, outcomes and lifecycle transitions, and a failure's
reproduction. Kept apart from running the suite so that both stay small."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from peerspec.oracle.property_suite import SuiteResult
from peerspec.properties.invariants import INVARIANTS


def print_summary(console: Console, result: SuiteResult) -> None:
    stats = result.statistics
    console.print(
        Text(
            f"{stats.examples} examples, {stats.steps} steps, {stats.invariants_checked} invariant checks "
            f"({len(INVARIANTS)} named invariants)",
            style="bold",
        )
    )
    rules = Table("rule", "steps", title="Calls made", title_justify="left")
    for rule, count in stats.rules.most_common():
        rules.add_row(rule, str(count))
    outcomes = Table("outcome", "steps", title="Outcomes", title_justify="left")
    for outcome, count in stats.outcomes.most_common():
        outcomes.add_row(outcome, str(count))
    lifecycle = Table("call", "from", "to", "times", "why", title="Lifecycle transitions", title_justify="left")
    for trigger, source, dest, why in result.declared_lifecycle_transitions:
        times = stats.lifecycle_transitions.get((trigger, source, dest), 0)
        lifecycle.add_row(trigger, source, dest, str(times), why, style=None if times else "yellow")
    console.print(rules, outcomes, lifecycle)
    declared = len(result.declared_lifecycle_transitions)
    covered = declared - len(result.uncovered_lifecycle_transitions)
    console.print(f"lifecycle transitions covered: {covered} of {declared}")
    if result.failure is None:
        console.print(Text("every invariant held", style="bold green"))
        return
    console.print(Text(f"FAILED: {result.failure}", style="bold red"))
    console.print(Text("The shrunk sequence as a trace (peerspec replay / check it elsewhere):", style="bold"))
    console.print(Text(result.trace.rstrip("\n")))
    console.print(Text("And as Python, to paste and rerun:", style="bold"))
    console.print(Text("\n".join(result.python)))
