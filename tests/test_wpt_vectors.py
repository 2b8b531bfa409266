"""vectors/wpt/ is exactly what `peerspec generate-wpt` makes from oracle/wpt_cases.py, each vector agrees with the
model, names its WPT file, commit and test, and every place the spec and WPT disagree is written down."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from peerspec.oracle.cli import app
from peerspec.oracle.compare import check
from peerspec.oracle.trace import load
from peerspec.oracle.vectors import MANIFEST, load_vectors
from peerspec.oracle.wpt_cases import NOT_READ, UNDECIDABLE, WPT_CASES, WPT_FILES, WPT_MIRRORS
from peerspec.oracle.wpt_vectors import manifest, wpt_vectors, write

WPT_DIR = Path(__file__).resolve().parent.parent / "vectors" / "wpt"


def test_regenerating_the_wpt_vectors_gives_the_committed_bytes(tmp_path: Path) -> None:
    write(tmp_path)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in WPT_DIR.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (WPT_DIR / name).read_bytes(), name


def test_every_wpt_vector_passes_check() -> None:
    for path in sorted(WPT_DIR.glob("*.jsonl")):
        assert check(load(str(path))) == [], path.name


def test_peerspec_check_accepts_a_wpt_vector_as_recorded() -> None:
    first = sorted(WPT_DIR.glob("*.jsonl"))[0]
    result = CliRunner().invoke(app, ["check", str(first)])
    assert result.exit_code == 0, result.output


def test_every_wpt_vector_is_a_version_2_trace_listed_in_its_manifest() -> None:
    vectors = load_vectors(WPT_DIR)
    assert len(vectors) == len(WPT_CASES)
    assert all(step.version == 2 for vector in vectors for step in vector.steps)
    assert all((WPT_DIR / v.file_name).read_text().startswith('{"peerspecTrace":2}\n') for v in vectors)


def test_each_vector_names_its_wpt_file_commit_and_test() -> None:
    index = json.loads((WPT_DIR / MANIFEST).read_text())
    assert index["wpt"]["repository"] == "web-platform-tests/wpt"
    for case in index["cases"]:
        assert case["wpt_file"] in WPT_FILES and case["wpt_commit"] == WPT_FILES[case["wpt_file"]]
        assert case["wpt_test"]
    assert len({case["id"] for case in index["cases"]}) == len(index["cases"])
    assert len({(case["wpt_file"], case["wpt_test"]) for case in index["cases"]}) == len(index["cases"])


def test_where_the_model_and_wpt_disagree_a_note_says_why() -> None:
    made = wpt_vectors()
    assert any(v.disagrees for v in made)  # this WPT version has some (NOTES.md lists them)
    assert all(v.case.note for v in made if v.disagrees)


def test_the_decidable_count_before_and_after_is_computed_from_the_cases() -> None:
    counts = manifest(wpt_vectors())["decidable"]
    assert counts["cases"] == len(WPT_CASES)
    assert counts["writable as a v1 trace"] == sum(1 for case in WPT_CASES if case.writable_in_v1)
    assert counts["writable as a v1 trace"] < counts["cases"]
    assert counts["undecidable"] == len(UNDECIDABLE)
    decided = {(case.file, case.test) for case in WPT_CASES}
    assert not decided & {(u.file, u.test) for u in UNDECIDABLE}


def test_a_file_read_in_a_mirror_names_that_repository_and_the_others_do_not() -> None:
    index = json.loads((WPT_DIR / MANIFEST).read_text())
    assert index["wpt"]["mirrors"] == WPT_MIRRORS
    for case in index["cases"]:
        assert case.get("wpt_repository") == WPT_MIRRORS.get(case["wpt_file"])
    assert any("wpt_repository" in case for case in index["cases"])


def test_what_wpt_reads_back_is_compared_with_what_the_model_returns() -> None:
    made = {v.case.id: v for v in wpt_vectors()}
    # Both read an ICE server back: WPT's credentialType assertion is a disagreement, urls and credential are not.
    removed = made["wpt-RTCConfiguration-iceServers-16"].differing_reads
    assert set(removed) == {"iceServers.0.credentialType"} and made["wpt-RTCConfiguration-iceServers-16"].disagrees
    agreed = made["wpt-RTCConfiguration-iceServers-26"]
    assert agreed.case.wpt_reads and not agreed.differing_reads and not agreed.disagrees
    # A failed setConfiguration is what WPT's expectation is about, not the getConfiguration after it.
    assert made["wpt-RTCConfiguration-validation-01"].decided == "SyntaxError"
    assert made["wpt-RTCConfiguration-iceServers-15"].decided == "SyntaxError"


def test_the_files_not_read_are_named_with_why() -> None:
    index = json.loads((WPT_DIR / MANIFEST).read_text())
    assert index["wpt"]["not_read"] == dict(NOT_READ)
    assert all(why for _file, why in NOT_READ)
    assert not {file for file, _why in NOT_READ} & set(WPT_FILES)
