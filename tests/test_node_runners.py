"""The stdio session runner (oracle/runners/js/peerspec-session.js) driving the Node WebRTC libraries of
oracle/runners/node/ (@roamhq/wrtc, werift, node-datachannel), and the runner as an npm package.

Needs Node.js and the libraries (.ci/install-node-libraries). Without them these tests are skipped, saying so;
with PEERSPEC_LIBRARY_TESTS=1 a missing Node.js or library fails them instead. Every library process runs in a
network namespace with only loopback (`unshare -n`, or `unshare -rn` when not root), as peerspec runs them:
werift contacts a public STUN server by itself otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerspec.oracle.implementations.child_process import sealed_argv
from peerspec.oracle.trace import parse
from tests.protocol_client import ProtocolClient

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "oracle" / "runners" / "js"
SESSION = JS / "peerspec-session.js"
LIBRARIES = ROOT / "oracle" / "runners" / "node" / "node_modules"
GATE = "PEERSPEC_LIBRARY_TESTS"
NODE = shutil.which("node")
NPM = shutil.which("npm")
UNSHARE = shutil.which("unshare")
ANSWER_SECONDS = 30.0

PACKAGES = {"wrtc": "@roamhq/wrtc", "werift": "werift", "node-datachannel": "node-datachannel"}
OUTCOMES = {"ok", "error", "runnerError", "timeout", "notImplemented"}
# A committed vector every library runs to its end (node-datachannel aborts on some others).
VECTOR = ROOT / "vectors" / "close-twice-is-a-no-op.jsonl"
JSON_VALUE = Any  # a decoded JSON value


def _missing(needs_libraries: bool) -> str | None:
    """Why these tests cannot run here, or None."""
    if NODE is None:
        return "Node.js is not installed"
    if UNSHARE is None or shutil.which("ip") is None:
        return "unshare or ip (util-linux, iproute2) is missing: library processes run in a network namespace"
    if needs_libraries:
        for package in PACKAGES.values():
            if not (LIBRARIES / package / "package.json").is_file():
                return f"{package} is not installed in oracle/runners/node (run .ci/install-node-libraries)"
    return None


def require(needs_libraries: bool = True) -> None:
    """Skips the test when Node.js (or a library) is missing, unless asked to test them: then it fails."""
    reason = _missing(needs_libraries)
    if reason is None:
        return
    if os.environ.get(GATE) == "1":
        pytest.fail(f"asked to test the Node libraries ({GATE}=1), but {reason}", pytrace=False)
    pytest.skip(f"{reason}; the Node library tests run with {GATE}=1 after .ci/install-node-libraries")


class Runner(ProtocolClient):
    """A peerspec-session child process, sealed in a loopback-only network namespace."""

    def __init__(self, arguments: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
        assert NODE is not None
        super().__init__([NODE, *arguments], env=env, cwd=cwd, answer_seconds=ANSWER_SECONDS)


@pytest.fixture(params=list(PACKAGES), ids=list(PACKAGES))
def provider(request: pytest.FixtureRequest) -> Iterator[tuple[str, Runner]]:
    require()
    name: str = request.param
    runner = Runner([str(SESSION), "--provider", name])
    try:
        yield name, runner
    finally:
        runner.stop()


def run_vector(runner: Runner, path: Path) -> list[dict[str, JSON_VALUE]]:
    """Every step of the vector, as the runner observed it, in one session."""
    calls = [{"op": step["op"], "args": step["args"]} for step in map(json.loads, path.read_text().splitlines())]
    session = runner.ask({"open": True})["session"]
    observed = [runner.ask({"session": session, "step": call}) for call in calls]
    assert runner.ask({"session": session, "close": True}) == {"closed": True}
    for call, step in zip(calls, observed, strict=True):
        assert {"op": step["op"], "args": step["args"]} == call
    return observed


def assert_recorded_shape(observed: list[dict[str, JSON_VALUE]]) -> None:
    for step in observed:
        assert set(step) == {"op", "args", "outcome", "after"}, step
        outcome = step["outcome"]
        assert isinstance(outcome, dict) and len(outcome) == 1 and set(outcome) <= OUTCOMES, step
        if "error" in outcome:
            error = outcome["error"]
            assert isinstance(error["name"], str) and error["kind"] in ("throw", "reject"), step
            assert isinstance(error["message"], str), step
        after = step["after"]
        if step["op"] != "generateCertificate":
            assert isinstance(after, dict), step
            assert isinstance(after["signalingState"], str) and isinstance(after["negotiationneeded"], int), step
    # What peerspec's trace reader accepts (notImplemented is the session protocol's, not the trace format's).
    recorded = [step for step in observed if "notImplemented" not in step["outcome"]]
    text = "".join(json.dumps(step) + "\n" for step in recorded)
    assert len(parse(text.encode(), "observed")) == len(recorded)


def test_hello_names_the_library_its_version_and_the_ops_it_has(provider: tuple[str, Runner]) -> None:
    name, runner = provider
    hello = runner.ask({"hello": 1})
    package = json.loads((LIBRARIES / PACKAGES[name] / "package.json").read_text())
    assert hello["protocol"] == 1
    assert hello["implementation"] == PACKAGES[name]
    assert hello["version"] == package["version"]
    assert {"construct", "createOffer", "setConfiguration", "close"} <= set(hello["implements"])


def test_a_vector_runs_and_every_step_is_recorded(provider: tuple[str, Runner]) -> None:
    _, runner = provider
    observed = run_vector(runner, VECTOR)
    assert_recorded_shape(observed)
    assert observed[0]["outcome"] == {"ok": None}
    assert observed[0]["after"] == {"signalingState": "stable", "negotiationneeded": 0}


def test_a_data_channel_offer_records_its_credentials(provider: tuple[str, Runner]) -> None:
    _, runner = provider
    session = runner.ask({"open": True})["session"]
    steps = [
        {"op": "construct", "args": {"configuration": {"iceServers": []}}},
        {"op": "createDataChannel", "args": {"label": "chat"}},
        {"op": "createOffer", "args": {}},
        {"op": "getConfiguration", "args": {}},
    ]
    observed = [runner.ask({"session": session, "step": step}) for step in steps]
    assert_recorded_shape(observed)
    assert observed[1]["outcome"] == {"ok": {"label": "chat"}}
    offer = observed[2]["outcome"]["ok"]
    assert offer["type"] == "offer" and len(offer["iceCredentials"]) == 1
    assert isinstance(observed[3]["outcome"]["ok"], dict)
    assert runner.ask({"session": session, "peek": True})["configuration"] == observed[3]["outcome"]["ok"]
    assert runner.ask({"session": session, "close": True}) == {"closed": True}


def test_a_bad_line_is_a_runner_error_and_the_runner_keeps_serving(provider: tuple[str, Runner]) -> None:
    _, runner = provider
    assert "runnerError" in runner.send_line("this is not JSON")
    assert "runnerError" in runner.send_line("[1, 2]")
    assert "runnerError" in runner.ask({"session": "no such session", "step": {"op": "close", "args": {}}})
    assert runner.ask({"hello": 1})["protocol"] == 1
    assert "session" in runner.ask({"open": True})


def test_a_certificate_the_library_cannot_make_is_not_implemented(provider: tuple[str, Runner]) -> None:
    # None of the three has a working static generateCertificate (node-datachannel's is a stub that throws
    # "Not implemented"): never an error that could agree with the spec by coincidence.
    _, runner = provider
    assert "generateCertificate" not in runner.ask({"hello": 1})["implements"]
    session = runner.ask({"open": True})["session"]
    ecdsa = {"name": "ECDSA", "namedCurve": "P-256"}
    step = {"op": "generateCertificate", "args": {"keygenAlgorithm": ecdsa, "name": "c"}}
    observed = runner.ask({"session": session, "step": step})
    assert set(observed["outcome"]) == {"notImplemented"}, observed
    construct = {"op": "construct", "args": {"configuration": {"certificates": [{"$certificate": "c"}]}}}
    assert set(runner.ask({"session": session, "step": construct})["outcome"]) == {"notImplemented"}
    assert set(runner.ask({"session": session, "step": {"op": "close", "args": {}}})["outcome"]) == {"notImplemented"}


STAND_IN = """
'use strict';
// A connection without restartIce, getConfiguration or a static generateCertificate, rejecting with a string.
class Partial extends EventTarget {
  constructor() { super(); this.signalingState = 'stable'; }
  createOffer() { return Promise.reject('no offers here'); }
  close() { this.signalingState = 'closed'; }
}
module.exports = { nested: { Partial } };
"""


def test_any_package_serves_and_a_missing_method_is_not_implemented(tmp_path: Path) -> None:
    require(needs_libraries=False)
    package = tmp_path / "node_modules" / "stand-in"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"name": "stand-in", "version": "9.8.7", "main": "index.js"}))
    (package / "index.js").write_text(STAND_IN)
    runner = Runner([str(SESSION), "--module", "stand-in", "--export", "nested.Partial", "--modules", str(tmp_path)])
    try:
        hello = runner.ask({"hello": 1})
        assert (hello["implementation"], hello["version"]) == ("stand-in", "9.8.7")
        assert hello["implements"] == ["construct", "createOffer", "close"]
        session = runner.ask({"open": True})["session"]
        outcomes = [
            runner.ask({"session": session, "step": {"op": op, "args": {}}})["outcome"]
            for op in ("construct", "restartIce", "getConfiguration", "createOffer")
        ]
        assert outcomes[0] == {"ok": None}
        assert set(outcomes[1]) == {"notImplemented"} and set(outcomes[2]) == {"notImplemented"}
        assert outcomes[3] == {"error": {"name": "not an Error", "kind": "reject", "message": "no offers here"}}
        assert runner.ask({"session": session, "peek": True}) == {"configuration": None}
    finally:
        runner.stop()


RECORD_WITH_PACKAGE = r"""
const peerspec = require('peerspec-runner');
const { RTCPeerConnection } = require('werift');
const text = require('fs').readFileSync(process.argv[1], 'utf8');
const steps = text.split(/\r?\n/).filter((line) => line !== '').map((line) => JSON.parse(line))
  .map((step) => ({ op: step.op, args: step.args }));
peerspec.runTrace(steps, { RTCPeerConnection }).then((observed) => {
  for (const step of observed) console.log(JSON.stringify(step));
  process.exit(0);
});
"""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """The standard output of `command`, which must succeed."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, f"{command[:4]} exited {result.returncode}: {result.stderr[-2000:]}"
    return result.stdout


def test_the_runner_is_an_npm_package_that_installs_offline_and_runs_a_vector(tmp_path: Path) -> None:
    require()
    if NPM is None:
        pytest.skip("npm is not installed")
    manifest = json.loads((JS / "package.json").read_text())
    packed = run([NPM, "pack", "--json", "--pack-destination", str(tmp_path)], cwd=JS)
    tarball = tmp_path / json.loads(packed)[0]["filename"]
    assert tarball.name == f"peerspec-runner-{manifest['version']}.tgz"
    project = tmp_path / "project"
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "uses-peerspec-runner", "private": True}))
    run([NPM, "install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", str(tarball)], cwd=project)
    installed = project / "node_modules" / "peerspec-runner"
    assert sorted(path.name for path in installed.iterdir()) == sorted(["package.json", *manifest["files"]])
    assert NODE is not None
    env = {**os.environ, "NODE_PATH": str(LIBRARIES)}
    recorded = run(sealed_argv([NODE, "-e", RECORD_WITH_PACKAGE, str(VECTOR)]), cwd=project, env=env)
    observed = [json.loads(line) for line in recorded.splitlines()]
    assert [step["op"] for step in observed] == ["construct", "close", "close"]
    assert_recorded_shape(observed)
    # The package's bin serves the session protocol, with the libraries named by --modules.
    session_bin = project / "node_modules" / ".bin" / "peerspec-session"
    runner = Runner([str(session_bin), "--provider", "werift", "--modules", str(LIBRARIES)], cwd=project)
    try:
        assert runner.ask({"hello": 1})["implementation"] == "werift"
    finally:
        runner.stop()
