"""The page's form (oracle/serve/static/trace_form.js, run by Node.js): every step of the committed vectors is a
form row, and the row written back is the same step to the trace reader, tags and all (a double JavaScript writes
in its shortest digits reads back as the same double); a line the form cannot show stays as written."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.serve.app import STATIC_DIR, create_app
from peerspec.oracle.trace import dumps, header, load, parse

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

ROUND_TRIP = """
import { rowsOfText, lineOfRow, textOfRows } from %s;
const [meta, text] = JSON.parse(await new Promise((done) => {
  let input = ''; process.stdin.on('data', (c) => { input += c; }).on('end', () => done(input));
}));
const rows = rowsOfText(text, meta);
const rewritten = rows.map((row) => ({ mode: row.mode, line: lineOfRow({ ...row, mode: row.mode }, meta),
  regenerated: row.mode === 'line' ? row.line : lineOfRow({ ...row, line: '' }, meta) }));
process.stdout.write(JSON.stringify({ rows: rewritten, text: textOfRows(rows) }));
"""


def _form(text: str) -> dict[str, Any]:
    assert NODE is not None
    meta = TestClient(create_app()).get("/api/meta").json()
    module = json.dumps((STATIC_DIR / "trace_form.js").as_uri())
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", ROUND_TRIP % module],
        input=json.dumps([meta, text]),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_every_vector_step_is_a_form_row_that_writes_back_the_same_step() -> None:
    vectors = [[step.call for step in load(str(path))] for path in sorted(VECTORS_DIR.glob("*.jsonl"))]
    text = "".join(dumps(calls) for calls in vectors)
    form = _form(text)
    assert form["text"] == text  # rows the form did not touch keep their lines as written
    offered = set(TestClient(create_app()).get("/api/meta").json()["ops"])  # the form's ops: trace format v1's
    rows = iter(form["rows"])
    for calls in vectors:
        # A v2 vector's header line, and a step of an op the form does not offer (v2's addTransceiver), are rows
        # kept as the lines they are; every other step is a form row.
        head = [next(rows)] if header(calls[0].version) is not None else []
        assert [row["mode"] for row in head] == ["line"] * len(head)
        written = [next(rows) for _ in calls]
        assert all((row["mode"] != "line") == (s.op in offered) for row, s in zip(written, calls, strict=True)), calls
        lines = "".join(row["regenerated"] + "\n" for row in [*head, *written])
        again = parse(lines.encode("utf-8"))  # as runners read it
        assert [(s.op, s.args) for s in again] == [(s.op, s.args) for s in calls]


def test_a_line_the_form_cannot_show_is_kept_as_written() -> None:
    lines = ['{"op": "construct", "args": {}, "extra": 1}', "not json", '{"op": "close", "args": {"x": 1}}']
    form = _form("".join(line + "\n" for line in lines))
    assert [row["mode"] for row in form["rows"]] == ["line", "line", "line"]
    assert [row["regenerated"] for row in form["rows"]] == lines


def test_the_form_module_is_the_one_the_page_loads() -> None:
    assert "from './trace_form.js'" in (STATIC_DIR / "viewer.js").read_text(encoding="utf-8")
    assert Path(STATIC_DIR / "trace_form.js").is_file()
