"""TRACE-FORMAT.md's "no connection, no later step": after a construct the runner could not make (it names a
certificate whose generation was rejected), the model's runner and the JS runner record the same steps, and
`check` accepts that recording (issue 10 item 5)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peerspec.oracle.cli import app
from peerspec.oracle.compare import compare
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import dumps, parse

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")

TRACE = [
    {"op": "generateCertificate", "args": {"name": "c1", "keygenAlgorithm": {"name": "bogus"}}},
    {"op": "construct", "args": {"configuration": {"certificates": [{"$certificate": "c1"}]}}},
    {"op": "createOffer", "args": {}},
    {"op": "close", "args": {}},
]

# An implementation that rejects the algorithm as the spec does (generateCertificate step 6: NotSupportedError).
RECORD = """
const peerspec = require(process.argv[1]);
class Rejecting extends EventTarget {
  constructor() { super(); this.signalingState = 'stable'; }
  static async generateCertificate() { throw new DOMException('unsupported', 'NotSupportedError'); }
  async createOffer() { return {type: 'offer', sdp: 'v=0\\r\\n'}; }
  close() { this.signalingState = 'closed'; }
}
peerspec.runTrace(JSON.parse(process.argv[2]), {RTCPeerConnection: Rejecting}).then((out) => {
  for (const step of out) console.log(JSON.stringify(step));
});
"""


def _calls() -> bytes:
    return "".join(json.dumps(step) + "\n" for step in TRACE).encode()


def test_after_a_construct_the_model_cannot_make_every_later_step_is_not_implemented() -> None:
    expected = replay(parse(_calls()))
    assert expected[0].outcome is not None and "error" in expected[0].outcome
    assert expected[1].outcome is not None and "runnerError" in expected[1].outcome
    for later in expected[2:]:
        assert later.outcome is not None
        assert str(later.outcome["notImplemented"]).startswith("no connection: construct was not run (")
        assert later.after is None


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_the_js_runner_records_what_the_model_records_and_check_accepts_it(tmp_path: Path) -> None:
    assert NODE is not None
    runner = str(ROOT / "oracle" / "runners" / "js" / "peerspec-runner.js")
    result = subprocess.run(
        [NODE, "-e", RECORD, runner, json.dumps(TRACE)], capture_output=True, text=True, check=True, timeout=60
    )
    observed = parse(result.stdout.encode(), "js runner output")
    expected = replay([step.call for step in observed])
    assert [list(s.outcome or {}) for s in observed] == [list(s.outcome or {}) for s in expected]
    assert compare(expected, observed) == []
    recorded = tmp_path / "recorded.jsonl"
    recorded.write_text(dumps(observed), encoding="utf-8")
    checked = CliRunner().invoke(app, ["check", str(recorded)])
    assert checked.exit_code == 0, checked.output
    assert "all 4 steps agree" in checked.output


def test_a_recording_that_runs_steps_after_such_a_construct_diverges() -> None:
    expected = replay(parse(_calls()))
    ran = [*expected[:2], expected[2].__class__("createOffer", {}, {"ok": None}, None, line=3), expected[3]]
    found = compare(expected, ran)
    assert [(d.step, d.observation) for d in found] == [(3, "outcome")]
