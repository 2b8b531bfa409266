"""NOTES.md is teaching material that must not go stale: its diagram is the live machine's, and every row
of its step-to-code table names code that exists and cites that step."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from peerspec.oracle.notes import NOTES, with_current_diagram

ROW = re.compile(r"^\| (?P<step>[^|]+?) \| [^|]+ \| `(?P<module>model/[\w/]+)\.py` `(?P<function>[\w.]+)` \|$")


def table_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in NOTES.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match["step"], match["module"].replace("/", "."), match["function"]))
    return rows


def test_the_lifecycle_diagram_in_NOTES_is_drawn_from_the_live_machine() -> None:
    text = NOTES.read_text(encoding="utf-8")
    assert with_current_diagram(text) == text, "NOTES.md's diagram is stale: run python -m peerspec.oracle.notes"


def test_the_step_table_has_a_row_for_every_module_that_raises_spec_errors() -> None:
    modules = {module for _step, module, _function in table_rows()}
    assert {"model.webidl", "model.set_configuration", "model.ice_server_url", "model.peer_connection"} <= modules


@pytest.mark.parametrize(("step", "module", "function"), table_rows())
def test_each_step_in_the_table_is_cited_by_the_code_it_names(step: str, module: str, function: str) -> None:
    target: object = importlib.import_module(f"peerspec.{module}")
    for part in function.split("."):
        target = getattr(target, part)
    source = inspect.getsource(target)  # type: ignore[arg-type]
    numbers = re.findall(r"\d+(?:\.\d+)*", step)
    if step.startswith("WebIDL"):
        assert "WebIDL" in source or "[EnforceRange]" in source or "ToString" in source
        return
    for number in numbers:
        cited = re.search(rf"[Ss]teps? [\d.\-, ]*{re.escape(number)}\b", source)
        assert cited, f"{function} does not cite step {number}"
