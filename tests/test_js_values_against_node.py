"""ECMAScript ToString and ToNumber on JSON values, as the model computes them, against Node's own: String(v)
and Number(v) on the same JSON.parse'd values, objects with their own toString / valueOf members and integers
beyond a double among them. Run where Node.js is installed (CI installs it); skipped with the reason elsewhere."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerspec.model.js_values import NoPrimitiveValue, number_to_string, to_number, to_string

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(
    NODE is None and not os.environ.get("CI"), reason="Node.js is not installed (apt-get install nodejs)"
)

SCRIPT = r"""
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
const out = lines.map((line) => {
  const v = JSON.parse(line);
  const r = {};
  try { r.s = String(v); } catch (e) { r.s_error = e.name; }
  try { r.n = String(Number(v)); } catch (e) { r.n_error = e.name; }
  return JSON.stringify(r);
});
process.stdout.write(out.join('\n') + '\n');
"""

KEYS = st.sampled_from(["toString", "valueOf", "a", "__proto__", "length"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from(list(" 0123456789.eE+-xXobInfity\t,")), max_size=8)
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=2), max_leaves=8
)


def model(value: object) -> dict[str, str]:
    result: dict[str, str] = {}
    try:
        result["s"] = to_string(value)
    except NoPrimitiveValue:
        result["s_error"] = "TypeError"
    try:
        result["n"] = number_to_string(to_number(value))
    except NoPrimitiveValue:
        result["n_error"] = "TypeError"
    return result


def node(values: list[object]) -> list[dict[str, str]]:
    assert NODE is not None, "Node.js is not installed"
    text = "".join(json.dumps(v) + "\n" for v in values)
    done = subprocess.run([NODE, "-e", SCRIPT], input=text, capture_output=True, text=True, check=True, timeout=60)
    return [json.loads(line) for line in done.stdout.splitlines()]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(VALUES, min_size=1, max_size=40))
def test_to_string_and_to_number_agree_with_node(values: list[object]) -> None:
    assert [model(v) for v in values] == node(values)


def test_the_reviews_examples_agree_with_node() -> None:
    values: list[object] = [
        {"toString": 1},
        {"toString": 0, "valueOf": 1},
        {"valueOf": 1},
        [{"toString": 1}],
        10**400,
        -(10**400),
        [[[[]]]],
        {"__proto__": {"toString": 1}},
    ]
    assert [model(v) for v in values] == node(values)
    assert math.isinf(to_number(10**400))
