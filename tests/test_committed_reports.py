"""The committed conformance reports are whole: `peerspec conformance --all --out reports` wrote the matrix with all
seven implementations judged (none "not available"), and each implementation's own report beside it."""

from __future__ import annotations

from pathlib import Path

from peerspec.oracle.implementations.catalog import CATALOG

REPORTS = Path(__file__).resolve().parent.parent / "reports"


def test_the_matrix_has_a_judged_column_for_every_implementation() -> None:
    matrix = (REPORTS / "matrix.md").read_text(encoding="utf-8")
    header = next(line for line in matrix.splitlines() if line.startswith("| spec rule | rule case |"))
    assert [cell.strip() for cell in header.strip("|").split("|")][2:] == list(CATALOG)
    assert "not available" not in matrix
    for name in CATALOG:
        assert f"- **{name}** " in matrix and "Profile:" in matrix
        assert (REPORTS / name / "conformance.md").is_file() and (REPORTS / name / "conformance.html").is_file()


def test_the_html_matrix_is_self_contained() -> None:
    page = (REPORTS / "matrix.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<link" not in page and "src=" not in page  # nothing fetched from anywhere
