"""One long-lived Node process answering one JSON line with one JSON line: the fuzz targets' way to ask
JavaScript itself, thousands of values a second."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
RUNNER = ROOT / "oracle" / "runners" / "js" / "peerspec-runner.js"

# String(v) and Number(v) on a JSON.parse'd value, as tests/test_js_values_against_node.py asks them.
CONVERSIONS = r"""
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const values = JSON.parse(line);
  const out = values.map((text) => {
    const v = JSON.parse(text);
    const r = {};
    try { r.s = String(v); } catch (e) { r.s_error = e.name; }
    try { r.n = String(Number(v)); } catch (e) { r.n_error = e.name; }
    return r;
  });
  process.stdout.write(JSON.stringify(out) + '\n');
});
"""

# What the JS runner hands the constructor for a construct step's configuration, described member by member.
DECODING = r"""
const peerspec = require(process.argv[1]);
class Recording {
  constructor(configuration) {
    Recording.seen = arguments.length ? [configuration] : [];
    this.signalingState = 'stable';
  }
  addEventListener() {}
  close() {}
}
function describe(v) {
  if (v === undefined) return { u: 1 };
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return { v: v };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { n: 'NaN' };
    if (v === Infinity || v === -Infinity) return { n: String(v) };
    if (Object.is(v, -0)) return { n: '-0' };
    return { n: v };
  }
  if (Array.isArray(v)) return { a: v.map(describe), p: Object.getPrototypeOf(v) === Array.prototype };
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return { o: keys.sort().map((k) => [k, describe(v[k])]), p: Object.getPrototypeOf(v) === Object.prototype,
             own: Object.getOwnPropertyNames(v).length === keys.length };
  }
  return { other: typeof v };
}
const rl = require('readline').createInterface({ input: process.stdin });
const queue = [];
let busy = false;
async function drain() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const steps = JSON.parse(queue.shift());
    const out = [];
    for (const step of steps) {
      Recording.seen = null;
      const observed = await peerspec.runTrace([step], { RTCPeerConnection: Recording });
      out.push({ outcome: observed[0].outcome, seen: Recording.seen === null ? null : Recording.seen.map(describe) });
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
  busy = false;
}
rl.on('line', (line) => { queue.push(line); drain(); });
"""


class NodeWorker:
    """A Node process running `script`; ask() sends one JSON value and returns the JSON answer."""

    def __init__(self, script: str, *args: str) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Node.js is not installed")
        self.process = subprocess.Popen(
            [node, "-e", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )

    def ask(self, value: object) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(value) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"node ended (exit {self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
