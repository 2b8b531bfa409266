"""vectors/wpt/: one conformance vector per WPT test a pure model can decide (oracle/wpt_cases.py), each replayed
on the model as a trace format v2 trace, and a manifest naming each vector's WPT file, commit and test name, and
whether the spec and that WPT test disagree. `peerspec generate-wpt` writes it; the same versions give the same
bytes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from peerspec.model import SPEC_COMMIT, __version__
from peerspec.oracle.errors import OracleError
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import header, parse
from peerspec.oracle.vectors import MANIFEST, Vector, _listed_files, _write_whole
from peerspec.oracle.wpt_cases import (
    ABSENT,
    HELPER_FILE,
    NOT_READ,
    UNDECIDABLE,
    WPT_CASES,
    WPT_FILES,
    WPT_MIRRORS,
    WPT_REPOSITORY,
    WptCase,
)

TRACE_VERSION: Final = 2
GENERATOR: Final = "peerspec generate-wpt 1"
SEED: Final = 0


@dataclass(frozen=True)
class WptVector:
    case: WptCase
    vector: Vector

    @property
    def decided(self) -> str:
        """What the model decides the step WPT's expectation is about does ("ok" or an error name): the case's
        expects_step, or the last step that ran when the trace stopped before it."""
        chosen = self.vector.steps[self.case.expects_step]
        ran = [step for step in self.vector.steps if step.outcome is not None]
        outcome = chosen.outcome if chosen.outcome is not None else ran[-1].outcome if ran else {}
        assert outcome is not None
        error = outcome.get("error")
        return "ok" if "ok" in outcome else str(error.get("name")) if isinstance(error, dict) else next(iter(outcome))

    @property
    def read_values(self) -> dict[str, Any]:
        """The model's value at each path WPT reads (`wpt_reads`) in the last getConfiguration result; empty when
        that call did not return or WPT's test stops before it (the outcome already differs)."""
        results = [
            step.outcome["ok"]
            for step in self.vector.steps
            if step.op == "getConfiguration" and step.outcome is not None and "ok" in step.outcome
        ]
        if not results or self.decided != (self.case.wpt_expects or "ok"):
            return {}  # WPT's assertions stop before its reads
        return {path: _at(results[-1], path) for path, _wpt in self.case.wpt_reads}

    @property
    def differing_reads(self) -> dict[str, tuple[Any, Any]]:
        """Path -> (what WPT asserts, what the model returns), where they differ."""
        values = self.read_values
        return {
            path: (wanted, values[path])
            for path, wanted in self.case.wpt_reads
            if path in values and values[path] != wanted
        }

    @property
    def disagrees(self) -> bool:
        outcome_differs = self.case.wpt_expects is not None and self.decided != self.case.wpt_expects
        return outcome_differs or bool(self.differing_reads)


def _at(value: Any, path: str) -> Any:
    """The member at a dotted path ("iceServers.0.urls"; "length" of a list), or ABSENT."""
    for key in path.split("."):
        if isinstance(value, list) and key == "length":
            value = len(value)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            return ABSENT
    return value


def wpt_vectors(seed: int = SEED) -> list[WptVector]:
    """Every WPT case replayed on the model; refuses a case whose disagreement with WPT is not written down."""
    made = []
    for case in WPT_CASES:
        lines = [json.dumps(header(TRACE_VERSION)), *(json.dumps(step) for step in case.steps)]
        calls = parse(("\n".join(lines) + "\n").encode(), case.id)
        steps = tuple(replay(calls, seed=seed))
        made.append(WptVector(case, Vector(case.id, "wpt", case.test, steps)))
    for item in made:
        if item.disagrees and not item.case.note:
            raise OracleError(
                f"{item.case.id} ({item.case.test!r}): the model decides {item.decided}, WPT expects"
                f" {item.case.wpt_expects}, and no note says why"
            )
    return made


def manifest(vectors: Sequence[WptVector], seed: int = SEED) -> dict[str, Any]:
    before = sum(1 for v in vectors if v.case.writable_in_v1)
    return {
        "format": 1,
        "generator": GENERATOR,
        "peerspec": __version__,
        "trace": TRACE_VERSION,
        "spec": {"repository": "w3c/webrtc-pc", "commit": SPEC_COMMIT},
        "wpt": {
            "repository": WPT_REPOSITORY,
            "files": {**WPT_FILES, HELPER_FILE[0]: HELPER_FILE[1]},
            "note": "each file as stored at the commit given (the newest version the search index holds)",
            "mirrors": dict(WPT_MIRRORS),
            "not_read": {file: why for file, why in NOT_READ},
        },
        "seed": seed,
        "decidable": {
            "cases": len(vectors),
            "writable as a v1 trace": before,
            "undecidable": len(UNDECIDABLE),
        },
        "cases": [
            {
                "id": v.vector.id,
                "file": v.vector.file_name,
                "source": "wpt",
                "rule": v.case.test,
                "wpt_file": v.case.file,
                "wpt_commit": WPT_FILES[v.case.file],
                "wpt_test": v.case.test,
                **({"wpt_repository": WPT_MIRRORS[v.case.file]} if v.case.file in WPT_MIRRORS else {}),
                "observes": sorted(v.case.observes),
                "writable_in_v1": v.case.writable_in_v1,
                "model_decides": v.decided,
                "wpt_expects": v.case.wpt_expects,
                **({"wpt_reads": [list(read) for read in v.case.wpt_reads]} if v.case.wpt_reads else {}),
                **({"model_reads": v.read_values} if v.case.wpt_reads and v.read_values else {}),
                "disagrees_with_wpt": v.disagrees,
                "note": v.case.note,
                "steps": len(v.vector.steps),
                "sha256": hashlib.sha256(v.vector.text.encode()).hexdigest(),
            }
            for v in vectors
        ],
        "undecidable": [{"wpt_file": u.file, "wpt_test": u.test, "why": u.why} for u in UNDECIDABLE],
    }


README: Final = "README.md"


def readme(vectors: Sequence[WptVector], index: dict[str, Any]) -> str:
    """vectors/wpt/README.md, written from the same cases: the counts, the disagreements, the undecidable tests."""
    counts = index["decidable"]
    total = counts["cases"] + counts["undecidable"]
    before = counts["writable as a v1 trace"]
    lines = [
        "# WPT-derived vectors",
        "",
        "Written by `peerspec generate-wpt` from `oracle/wpt_cases.py` (the calls, written from reading each WPT",
        "test; no WPT code) and the model (every recorded outcome and observation). Do not edit by hand:",
        "`tests/test_wpt_vectors.py` checks that regenerating gives these bytes. Each vector is a trace format v2 file",
        "(`oracle/TRACE-FORMAT.md`); `manifest.json` names its WPT file, the commit it was read at, and the test",
        "(and `wpt_repository` for a file read in a mirror). Where a WPT test reads getConfiguration() back, the",
        'manifest has `wpt_reads` (each path and the value WPT asserts; `{"$absent": true}` for undefined) and',
        "`model_reads` (what the model returns there); a value that differs is a disagreement too.",
        "",
        "## How much of these files a pure model decides",
        "",
        f"Of the {total} WPT tests in the files below, {counts['cases']} are decided by the model and have a vector",
        f"here; {counts['undecidable']} are not (table below). Before trace format v2 (addTransceiver,",
        "stopTransceiver, the description attributes, ICE/connection states, canTrickleIceCandidates,",
        f"signalingstatechange counts, transceivers and offer m= sections as observations) {before} of them could",
        f"be written as a trace: {before}/{total} = {100 * before / total:.0f}% before, {counts['cases']}/{total} ="
        f" {100 * counts['cases'] / total:.0f}% after ({counts['cases'] - before} tests,"
        f" {100 * (counts['cases'] - before) / counts['cases']:.0f}% of the decidable ones, needed v2).",
        "",
        "| WPT file | commit | vectors | of which v1 could write | undecidable |",
        "|---|---|---|---|---|",
    ]
    for file, commit in WPT_FILES.items():
        mine = [v for v in vectors if v.case.file == file]
        old = sum(1 for v in mine if v.case.writable_in_v1)
        lost = sum(1 for u in UNDECIDABLE if u.file == file)
        where = f"`{commit[:12]}` in {WPT_MIRRORS[file]}" if file in WPT_MIRRORS else f"`{commit[:12]}`"
        lines.append(f"| `{file}` | {where} | {len(mine)} | {old} | {lost} |")
    lines += [
        "",
        "## Where the spec and this WPT version disagree",
        "",
        "The vector follows the spec (webrtc-pc at the manifest's commit); the manifest marks these",
        "`disagrees_with_wpt`.",
        "",
        "| vector | WPT test | WPT expects | the model (spec) decides | why |",
        "|---|---|---|---|---|",
    ]
    for v in vectors:
        if v.disagrees:
            differing = v.differing_reads
            wpt = "; ".join([str(v.case.wpt_expects), *(f"{p} = {_shown(w)}" for p, (w, _m) in differing.items())])
            model = "; ".join([v.decided, *(f"{p} = {_shown(m)}" for p, (_w, m) in differing.items())])
            row = [f"`{v.vector.id}`", _cell(v.case.test), _cell(wpt), _cell(model), _cell(v.case.note)]
            lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "## The WPT tests a pure model cannot decide",
        "",
        "| WPT file | test | why |",
        "|---|---|---|",
        *(f"| `{u.file}` | {_cell(u.test)} | {_cell(u.why)} |" for u in UNDECIDABLE),
        "",
        "## WPT files not read",
        "",
        "| WPT file | why |",
        "|---|---|",
        *(f"| `{file}` | {_cell(why)} |" for file, why in NOT_READ),
        "",
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _shown(value: Any) -> str:
    return "absent" if value == ABSENT else json.dumps(value, ensure_ascii=False)


def write(out: Path, seed: int = SEED) -> dict[str, Any]:
    """Write every WPT vector and the manifest into `out`: everything made first, each file whole, the manifest
    last; only vectors the previous manifest listed and this one does not are removed."""
    vectors = wpt_vectors(seed)
    index = manifest(vectors, seed)
    out.mkdir(parents=True, exist_ok=True)
    earlier = _listed_files(out)
    for item in vectors:
        _write_whole(out / item.vector.file_name, item.vector.text)
    _write_whole(out / README, readme(vectors, index))
    _write_whole(out / MANIFEST, json.dumps(index, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    for stale in earlier - {item.vector.file_name for item in vectors}:
        (out / stale).unlink(missing_ok=True)
    return index
