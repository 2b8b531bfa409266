"""The compiled validator (jsonschema-rs) is only a fast path: whatever it accepts, the reference validator
(jsonschema, whose messages `peerspec` prints) accepts too, on every committed vector's lines (each against its
trace format version's schema) and on hostile variations of them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.trace import HEADER_KEY, _compiled, _validator


def _versioned_lines() -> list[tuple[int, dict[str, Any]]]:
    """(trace format version, step) for every step line of the committed vectors (a v2 header line is no step)."""
    out: list[tuple[int, dict[str, Any]]] = []
    for path in sorted(VECTORS_DIR.glob("*.jsonl")):
        records = [json.loads(line) for line in path.read_text().splitlines()]
        version = int(records[0][HEADER_KEY]) if records and "op" not in records[0] else 1
        out += [(version, record) for record in records[0 if version == 1 else 1 :]]
    return out


VERSIONED: list[tuple[int, dict[str, Any]]] = _versioned_lines()
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=4), st.just({"$js": "NaN"}),
    st.just({"$remote": "offer"}), st.just({"$certificate": 1}), st.just([]), st.just({"$js": "nope"}),
)  # fmt: skip


def agree(record: dict[str, Any], version: int = 1) -> None:
    op = record.get("op")
    if not isinstance(op, str):
        return
    for may_hold_tags in (True, False):
        try:
            reference = _validator(op, may_hold_tags, version)
        except KeyError:
            return
        if _compiled(op, may_hold_tags, version).is_valid(record):
            assert not list(reference.iter_errors(record)), record


def test_every_vector_line_is_valid_on_both_paths() -> None:
    for version, record in VERSIONED:
        assert _compiled(record["op"], True, version).is_valid(record)
        agree(record, version)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VERSIONED), st.lists(st.tuples(st.sampled_from(["args", "outcome", "after", "x"]), JUNK)))
def test_what_the_fast_path_accepts_the_reference_accepts(
    versioned: tuple[int, dict[str, Any]], changes: list[Any]
) -> None:
    version, record = versioned
    changed = json.loads(json.dumps(record))
    for key, value in changes:
        if key == "args" and isinstance(changed.get("args"), dict) and changed["args"]:
            changed["args"][next(iter(changed["args"]))] = value
        else:
            changed[key] = value
    agree(changed, version)
