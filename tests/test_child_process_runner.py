"""Any implementation is driven as a runner child process over the session protocol (oracle/SESSION-PROTOCOL.md):
a call the runner does not implement is reported as not implemented; a runner that crashes, hangs or writes
garbage is killed and replaced, the step that caused it reported with the reason, and the run goes on; and a
sealed runner lives in a network namespace that has only loopback."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerspec.oracle.implementations.child_process import ChildProcessImplementation, RunnerCommand, sealed_argv
from peerspec.oracle.implementations.protocol import ImplementationUnavailable, Step, Trace
from peerspec.oracle.trace import parse

ROOT = Path(__file__).resolve().parent.parent
STANDIN = (sys.executable, "-m", "tests.standins.misbehaving_runner")
CONSTRUCT: Step = {"op": "construct", "args": {"configuration": {"iceServers": []}}}


def standin(*, missing: str = "", sealed: bool = False, step_timeout: float = 10.0) -> ChildProcessImplementation:
    command = RunnerCommand(STANDIN, cwd=ROOT, env={"PEERSPEC_STANDIN_MISSING": missing}, sealed=sealed)
    return ChildProcessImplementation("standin", command, step_timeout=step_timeout)


@pytest.fixture
def runner() -> Iterator[ChildProcessImplementation]:
    implementation = standin()
    implementation.start()
    yield implementation
    implementation.stop()


def channel(label: str) -> Step:
    return {"op": "createDataChannel", "args": {"label": label}}


def test_hello_names_the_implementation_and_its_calls(runner: ChildProcessImplementation) -> None:
    assert runner.version == "standin 0"
    assert {"construct", "setConfiguration", "restartIce"} <= runner.implements


def test_a_trace_run_over_the_pipe_records_every_step(runner: ChildProcessImplementation) -> None:
    (observed,) = runner.run_traces([[CONSTRUCT, channel("chat"), {"op": "createOffer", "args": {}}]])
    assert [s["outcome"] for s in observed[:2]] == [{"ok": None}, {"ok": {"label": "chat"}}]
    assert observed[2]["outcome"]["ok"]["type"] == "offer"
    assert observed[1]["after"]["negotiationneeded"] == 1


def test_a_call_the_runner_does_not_implement_is_not_implemented_not_sent() -> None:
    implementation = standin(missing="restartIce")
    try:
        (observed,) = implementation.run_traces([[CONSTRUCT, {"op": "restartIce", "args": {}}, channel("x")]])
    finally:
        implementation.stop()
    assert observed[1]["outcome"] == {"notImplemented": "standin does not implement restartIce"}
    assert observed[2]["outcome"] == {"ok": {"label": "x"}}


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("crash", r"exited \(signal SIGABRT\); stderr: standin: aborting as asked"),
        ("garbage", "wrote garbage, not one JSON object"),
        ("array", "wrote garbage, a JSON list and not an object"),
        ("hang", r"hung: no answer within 1 s; killed"),
    ],
)
def test_a_misbehaving_runner_is_replaced_and_the_run_goes_on(label: str, reason: str) -> None:
    implementation = standin(step_timeout=1.0)
    try:
        bad, good = implementation.run_traces(
            [[CONSTRUCT, channel(label), channel("after")], [CONSTRUCT, channel("y")]]
        )
    finally:
        implementation.stop()
    assert bad[0]["outcome"] == {"ok": None}
    assert re.search(reason, bad[1]["outcome"]["runnerError"]), bad[1]
    assert bad[2]["outcome"]["runnerError"] == bad[1]["outcome"]["runnerError"]  # the session died with it
    assert good[1]["outcome"] == {"ok": {"label": "y"}}  # a new runner took over
    (failure,) = implementation.failures
    assert failure.trace[-1] == channel(label)


def test_a_runner_that_is_not_there_is_unavailable_with_the_reason() -> None:
    missing = ChildProcessImplementation("nothing", RunnerCommand(("/nonexistent/runner",), sealed=False))
    with pytest.raises(ImplementationUnavailable, match="cannot start /nonexistent/runner"):
        missing.start()


def test_a_runner_that_does_not_speak_the_protocol_is_unavailable() -> None:
    deaf = ChildProcessImplementation("cat", RunnerCommand(("sh", "-c", "echo '{\"protocol\": 7}'; cat"), sealed=False))
    with pytest.raises(ImplementationUnavailable, match="not protocol 1"):
        deaf.start()


def test_the_committed_vectors_agree_when_the_runner_is_the_model() -> None:
    from peerspec.oracle.batch_check import judge
    from peerspec.oracle.deviations import VECTORS_DIR, Registry, trace_steps

    # The first 40 version 1 vectors: the Python runner base class answers trace format v2's ops notImplemented.
    files = [f for f in sorted(VECTORS_DIR.glob("*.jsonl")) if parse(f.read_bytes(), str(f))[0].version == 1][:40]
    traces: list[Trace] = [[{"op": s.op, "args": s.args} for s in parse(f.read_bytes(), str(f))] for f in files]
    implementation = standin()
    try:
        observed = implementation.run_traces(traces)
    finally:
        implementation.stop()
    for name, trace in zip(files, observed, strict=True):
        assert judge(str(name), trace_steps(trace), "", Registry(())).verdicts == (), name


# ---- the sealed network namespace -------------------------------------------------------------------------

PROBE = r"""
import errno, json, socket
names = [name for _, name in socket.if_nameindex()]
result = {"interfaces": names}
if names == ["lo"]:  # only then is it safe to try: nothing can leave a namespace with no other interface
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.sendto(b"peerspec probe", ("192.0.2.1", 9))
        result["udp"] = "sent"
    except OSError as error:
        result["udp"] = errno.errorcode.get(error.errno, str(error.errno))
    try:
        socket.getaddrinfo("example.org", 443)
        result["dns"] = "resolved"
    except socket.gaierror as error:
        result["dns"] = "failed: " + str(error)
    t = socket.socket()
    t.bind(("127.0.0.1", 0))
    t.listen()
    result["loopback"] = "up"
print(json.dumps(result))
"""


def sealing_available() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(sealed_argv(["true"]), capture_output=True, text=True, check=False)
    return None if probe.returncode == 0 else f"unshare -n does not work here: {probe.stderr.strip()}"


def test_a_sealed_runner_has_only_loopback_so_dns_and_udp_to_any_other_address_fail() -> None:
    why = sealing_available()
    if why is not None:
        if os.environ.get("CI") or os.environ.get("PEERSPEC_LIBRARY_TESTS"):
            pytest.fail(why)
        pytest.skip(why)
    began = time.monotonic()
    result = subprocess.run(
        sealed_argv([sys.executable, "-c", PROBE]), capture_output=True, text=True, check=True, timeout=60
    )
    seen = json.loads(result.stdout)
    assert seen["interfaces"] == ["lo"]
    assert seen["udp"] == "ENETUNREACH"
    assert seen["dns"].startswith("failed")
    assert seen["loopback"] == "up"
    assert time.monotonic() - began < 30


def test_a_sealed_standin_runs_a_trace() -> None:
    if sealing_available() is not None:
        pytest.skip(str(sealing_available()))
    implementation = standin(sealed=True)
    try:
        (observed,) = implementation.run_traces([[CONSTRUCT, channel("sealed")]])
    finally:
        implementation.stop()
    assert observed[1]["outcome"] == {"ok": {"label": "sealed"}}


def test_a_certificate_the_runner_could_not_make_makes_the_steps_naming_it_not_implemented() -> None:
    implementation = standin(missing="generateCertificate")
    certificate: Step = {"op": "generateCertificate", "args": {"name": "c1", "keygenAlgorithm": "ECDSA"}}
    construct: Step = {"op": "construct", "args": {"configuration": {"certificates": [{"$certificate": "c1"}]}}}
    try:
        (observed,) = implementation.run_traces([[certificate, construct, channel("x")]])
    finally:
        implementation.stop()
    assert observed[1]["outcome"] == {
        "notImplemented": "certificate 'c1' was never made (standin does not implement generateCertificate)"
    }
    assert "there is no connection" in observed[2]["outcome"]["notImplemented"]
