"""The compiled validator (jsonschema-rs) is only a fast path: whatever it accepts, the reference validator
(jsonschema, whose messages `peerspec` prints) accepts too, on every committed vector's lines and on hostile
variations of them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.trace import _compiled, _validator

RECORDS: list[dict[str, Any]] = [
    json.loads(line) for path in sorted(VECTORS_DIR.glob("*.jsonl")) for line in path.read_text().splitlines()
]
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=4), st.just({"$js": "NaN"}),
    st.just({"$remote": "offer"}), st.just({"$certificate": 1}), st.just([]), st.just({"$js": "nope"}),
)  # fmt: skip


def agree(record: dict[str, Any]) -> None:
    op = record.get("op")
    if not isinstance(op, str):
        return
    for may_hold_tags in (True, False):
        try:
            reference = _validator(op, may_hold_tags)
        except KeyError:
            return
        if _compiled(op, may_hold_tags).is_valid(record):
            assert not list(reference.iter_errors(record)), record


def test_every_vector_line_is_valid_on_both_paths() -> None:
    for record in RECORDS:
        assert _compiled(record["op"], True).is_valid(record)
        agree(record)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RECORDS), st.lists(st.tuples(st.sampled_from(["args", "outcome", "after", "x"]), JUNK)))
def test_what_the_fast_path_accepts_the_reference_accepts(record: dict[str, Any], changes: list[Any]) -> None:
    changed = json.loads(json.dumps(record))
    for key, value in changes:
        if key == "args" and isinstance(changed.get("args"), dict) and changed["args"]:
            changed["args"][next(iter(changed["args"]))] = value
        else:
            changed[key] = value
    agree(changed)
