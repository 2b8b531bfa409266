"""Coverage: random runs and exploration count the same (lifecycle state x operation x outcome) cells, the table calls
out the cells exploration proves reachable and the random run missed, and `peerspec run` says why it missed a
lifecycle transition and how many examples it ran."""

from __future__ import annotations

from collections import Counter

from typer.testing import CliRunner

from peerspec.model import SPEC_PROFILE
from peerspec.oracle.cli import app
from peerspec.oracle.explore_report import REFERENCE_PATH, load_reference
from peerspec.oracle.property_suite import run_suite
from peerspec.properties.coverage import choices_key, coverage_rows, explored_cells, lifecycle_moves
from peerspec.properties.explore import explore


def test_exploration_cells_count_every_edge_by_the_lifecycle_state_it_leaves() -> None:
    result = explore("small")
    cells = explored_cells(result)
    assert sum(cells.values()) == len(result.edges)
    assert cells[("unconstructed", "construct", "ok")] == 1
    assert ("closed", "setLocalDescription", "InvalidStateError") in cells
    assert ("restarting", "restartIce", "ok") in cells
    assert ("restartIce", "negotiating", "restarting") in lifecycle_moves(result)


def test_a_cell_exploration_reaches_and_the_random_run_does_not_is_called_out() -> None:
    random = Counter({("new", "close", "ok"): 3, ("new", "createOffer", "TypeError"): 1})
    explored = [("new", "close", "ok"), ("restarting", "close", "ok")]
    rows = {row.cell: row for row in coverage_rows(random, explored)}
    assert rows[("restarting", "close", "ok")].missed_by_random
    assert not rows[("new", "close", "ok")].missed_by_random
    outside = rows[("new", "createOffer", "TypeError")]
    assert outside.random == 1 and not outside.explored and not outside.missed_by_random


def test_a_random_run_counts_cells_for_every_step_it_makes() -> None:
    result = run_suite(examples=20, steps=15)
    cells = result.statistics.cells
    constructs = sum(count for (lifecycle, op, _outcome), count in cells.items() if op == "construct")
    assert sum(cells.values()) - constructs == result.statistics.steps - result.statistics.rules["construct"]
    assert all(lifecycle == "unconstructed" for (lifecycle, op, _o) in cells if op == "construct")
    assert result.examples_requested == 20 and result.examples_ran == 20


def test_profiles_with_the_same_choices_share_a_reference() -> None:
    assert choices_key(SPEC_PROFILE) == "spec" == choices_key(SPEC_PROFILE.but(name="another name"))
    assert choices_key(SPEC_PROFILE.but(sld_called_when="applied")) == "sld_called_when=applied"


def test_the_committed_reference_proves_the_eleventh_lifecycle_transition_unreachable_in_the_spec_profile() -> None:
    spec = load_reference(SPEC_PROFILE)
    applied = load_reference(SPEC_PROFILE.but(sld_called_when="applied"))
    assert REFERENCE_PATH.is_file() and spec is not None and applied is not None
    assert spec["complete"] and applied["complete"]
    rollback_to_new = ["setLocalDescription", "negotiating", "new"]
    # sld_called_when="invoked": setLocalDescription counts as called once it starts, so no sLD returns to "new".
    assert rollback_to_new not in spec["lifecycleMoves"]
    assert rollback_to_new in applied["lifecycleMoves"]


def test_peerspec_run_coverage_prints_the_table_and_explains_what_it_missed() -> None:
    outcome = CliRunner().invoke(app, ["run", "--examples", "10", "--steps", "10", "--coverage"])
    assert outcome.exit_code == 0, outcome.output
    assert "Coverage" in outcome.output and "reachable cells the random run missed" in outcome.output
    assert "asked for 10 examples, ran 10" in outcome.output
    assert "unreachable in this profile" in outcome.output  # sLD negotiating -> new, in the spec profile


def test_a_narrow_console_wraps_the_tables_cells_rather_than_cutting_them() -> None:
    outcome = CliRunner().invoke(app, ["run", "--examples", "10", "--steps", "10", "--coverage"], terminal_width=60)
    assert outcome.exit_code == 0, outcome.output
    assert "\u2026" not in outcome.output  # no cell ends in an ellipsis


def test_the_headline_counts_examples_apart_from_the_draws_hypothesis_discarded() -> None:
    outcome = CliRunner().invoke(app, ["run", "--examples", "10", "--steps", "10"])
    assert outcome.exit_code == 0, outcome.output
    headline = outcome.output.strip().splitlines()[0]
    assert "(10 examples" in headline and headline.split(" call sequences")[0].isdigit()
