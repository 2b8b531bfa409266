"""The committed rule vectors (vectors/manifest.json, source "rule") as the page's examples: one hand-written
case per spec rule, grouped by the algorithm or dictionary the rule belongs to, each offered as its calls only
(the outcomes are the model's to compute on the page)."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any, Final

from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.errors import OracleError
from peerspec.oracle.serve.spec_links import spec_url
from peerspec.oracle.trace import dumps, load

_STEP: Final = re.compile(r"\s+step\s+\S+$")


@cache
def _rule_cases() -> tuple[dict[str, Any], ...]:
    manifest = json.loads((VECTORS_DIR / "manifest.json").read_text(encoding="utf-8"))
    return tuple(case for case in manifest["cases"] if case["source"] == "rule")


def section_of(rule: str) -> str:
    """The section a rule belongs to: its citation without the step ("validate an ICE server URL step 7" ->
    "validate an ICE server URL")."""
    return _STEP.sub("", rule)


def example_groups() -> list[dict[str, Any]]:
    """The rule vectors grouped by section, the groups in the manifest's order of first appearance."""
    groups: dict[str, dict[str, Any]] = {}
    for case in _rule_cases():
        section = section_of(case["rule"])
        group = groups.setdefault(section, {"section": section, "url": spec_url(section), "examples": []})
        group["examples"].append({"id": case["id"], "rule": case["rule"], "steps": case["steps"]})
    return list(groups.values())


def example_calls(example_id: str) -> str:
    """A rule vector's calls as trace text; OracleError for a name that is not a rule vector."""
    case = next((c for c in _rule_cases() if c["id"] == example_id), None)
    if case is None:
        raise OracleError(f"no rule vector called {example_id!r}")
    return dumps([step.call for step in load(str(VECTORS_DIR / case["file"]))])
