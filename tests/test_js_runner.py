"""The dependency-free JS runner's own tests (tests/js/, node's test runner), run where Node.js is installed,
and its recording read back by the trace reader."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from peerspec.oracle.trace import parse

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

RECORD = """
const peerspec = require(process.argv[1]);
class Closed extends EventTarget {
  constructor() { super(); this.signalingState = 'closed'; }
  setConfiguration() { const e = new Error('closed'); e.name = 'InvalidStateError'; throw e; }
  async createOffer() { const e = new Error('closed'); e.name = 'InvalidStateError'; throw e; }
  close() {}
}
const steps = JSON.parse(process.argv[2]);
peerspec.runTrace(steps, {RTCPeerConnection: Closed}).then((out) => {
  for (const step of out) console.log(JSON.stringify(step));
});
"""


def test_the_js_runner_passes_its_node_tests() -> None:
    assert NODE is not None
    result = subprocess.run([NODE, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_what_the_js_runner_records_is_a_valid_observed_trace() -> None:
    assert NODE is not None
    steps = [
        {"op": "construct", "args": {}},
        {"op": "setConfiguration", "args": {"configuration": {"iceCandidatePoolSize": {"$js": "NaN"}}}},
        {"op": "createOffer", "args": {}},
    ]
    runner = str(ROOT / "oracle" / "runners" / "js" / "peerspec-runner.js")
    result = subprocess.run(
        [NODE, "-e", RECORD, runner, json.dumps(steps)], capture_output=True, text=True, check=True, timeout=60
    )
    observed = parse(result.stdout.encode(), "js runner output")
    assert [step.op for step in observed] == [step["op"] for step in steps]
    assert observed[1].outcome == {"error": {"name": "InvalidStateError", "kind": "throw", "message": "closed"}}
    assert observed[2].outcome is not None and observed[2].outcome["error"]["kind"] == "reject"  # type: ignore[index]
