"""peerspec as a pip user gets it: the wheel, installed into a fresh environment, puts one name on sys.path
(`peerspec`), carries its registry, profiles, vectors, schema and runners, works from any folder, and leaves a
project with modules of its own called model, oracle and properties alone when its pytest loads the plugin."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("peerspec-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed; its dependencies are borrowed from this environment's
    site-packages by a .pth line (the .pth files in there, this checkout's editable install among them, are not
    read), so the test needs no network."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return python


def run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "HYPOTHESIS_PROFILE")}
    return subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_wheel_puts_one_name_on_sys_path_and_carries_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"peerspec"}
    for carried in (
        "peerspec/conformance/deviations.json",
        "peerspec/vectors/manifest.json",
        "peerspec/oracle/schema/trace-v1.schema.json",
        "peerspec/oracle/schema/trace-v2.schema.json",
        "peerspec/vectors/wpt/manifest.json",
        "peerspec/oracle/runners/js/peerspec-runner.js",
        "peerspec/oracle/SESSION-PROTOCOL.md",
        "peerspec/oracle/serve/static/index.html",
        "peerspec/oracle/serve/static/viewer.js",
    ):
        assert carried in names, carried
    assert sum(name.startswith("peerspec/vectors/") and name.endswith(".jsonl") for name in names) >= 150
    assert not any("__pycache__" in name for name in names)


def test_outside_the_checkout_the_registry_and_vectors_are_the_packaged_ones(
    fresh_python: Path, tmp_path: Path
) -> None:
    probe = (
        "import json; from peerspec.oracle.deviations import load_registry, VECTORS_DIR, REGISTRY_PATH;"
        "print(json.dumps([len(load_registry().deviations), str(REGISTRY_PATH), str(VECTORS_DIR)]))"
    )
    result = run(fresh_python, "-c", probe, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    count, registry, vectors = json.loads(result.stdout)
    assert count > 10
    assert "site-packages" in registry and "site-packages" in vectors


def test_the_installed_command_checks_the_packaged_vectors_from_any_folder(fresh_python: Path, tmp_path: Path) -> None:
    peerspec = str(fresh_python.with_name("peerspec"))
    where = "from peerspec.oracle.deviations import VECTORS_DIR, TRACES_DIR; print(VECTORS_DIR); print(TRACES_DIR)"
    vectors, traces = run(fresh_python, "-c", where, cwd=tmp_path).stdout.split()

    def peerspec_command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([peerspec, *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)

    agreed = peerspec_command("check", vectors)
    assert agreed.returncode == 0, agreed.stdout[-2000:] + agreed.stderr
    count = len(list(Path(vectors).rglob("*.jsonl")))  # vectors/wpt/ too: check reads folders whole
    assert agreed.stdout.splitlines()[-1].startswith(f"summary: {count} traces, ")
    recorded = sorted(Path(traces).glob("*.chromium.jsonl"))[0]  # a known Chromium deviation, as recorded
    assert peerspec_command("check", str(recorded)).returncode == 1  # judged by the spec alone: it diverges
    known = peerspec_command("check", str(recorded), "--impl", "chromium")
    assert known.returncode == 0, known.stdout + known.stderr
    assert "known deviation" in known.stdout
    missing = peerspec_command("conformance", "--impl", "chromium", "--deviations", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "no deviation registry at" in missing.stderr


def test_a_project_with_its_own_model_and_oracle_modules_runs_its_pytest_with_the_plugin(
    fresh_python: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    (project / "model.py").write_text("MINE = 'the project model'\n", encoding="utf-8")
    (project / "oracle.py").write_text("MINE = 'the project oracle'\n", encoding="utf-8")
    (project / "properties.py").write_text("MINE = 'the project properties'\n", encoding="utf-8")
    (project / "tests" / "test_mine.py").write_text(
        "import model, oracle, properties\n"
        "from peerspec.oracle.model_runner import replay\n\n"
        "def test_my_modules_are_mine():\n"
        "    assert (model.MINE, oracle.MINE, properties.MINE) == "
        "('the project model', 'the project oracle', 'the project properties')\n\n"
        "def test_conforms(peerspec_vector):\n"
        "    assert peerspec_vector.divergences(replay(peerspec_vector.calls)) == []\n",
        encoding="utf-8",
    )
    result = run(fresh_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    vectors = len(list((ROOT / "vectors").rglob("*.jsonl")))  # the plugin's default: vectors/ and vectors/wpt/
    assert f"{vectors + 1} passed" in result.stdout


def test_the_installed_command_serves_the_live_viewer_with_its_page_and_the_js_runner(
    fresh_python: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    process = subprocess.Popen(
        [str(fresh_python.with_name("peerspec")), "serve"],
        cwd=tmp_path,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[2]
        for path, expected in (
            ("", "peerspec live viewer"),
            ("static/viewer.js", "api/evaluate"),
            ("runner/peerspec-runner.js", "runTrace"),
        ):
            with urllib.request.urlopen(url + path, timeout=10) as answer:
                assert expected in answer.read().decode("utf-8"), path
        examples = json.loads(urllib.request.urlopen(url + "api/examples", timeout=10).read())
        assert examples["groups"]  # the packaged rule vectors
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode in (0, 130) and "Traceback" not in err, err
