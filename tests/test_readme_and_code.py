"""The README's example runs as written, and the code stays ruff clean and mypy --strict clean."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_README_example_runs_and_prints_what_its_comments_say() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## Using the model\n\n```python\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(example[1], "README.md", "exec"), {})
    promised = re.findall(r"print\(.*\)\s+#\s*(.+)|^\s+#\s*(\w+Error \w+ .+)$", example[1], re.MULTILINE)
    printed = output.getvalue().splitlines()
    for comment in [a or b for a, b in promised]:
        assert comment.strip() in printed


def readme_commands() -> list[str]:
    """The README's first two commands (its opening code block), without their comments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.match(r"# peerspec\n\n```sh\n(.*?)```", readme, re.DOTALL)
    assert block is not None, "the README starts with a code block of its two commands"
    return [line.split("#")[0].strip() for line in block[1].splitlines() if line.strip()]


def test_the_README_starts_with_the_main_job_and_the_test_command() -> None:
    main_job, tests = readme_commands()
    assert main_job.startswith("bash .ci/setup") and main_job.endswith("peerspec run")
    assert tests.startswith("bash .ci/setup") and tests.endswith("python -m pytest")


def test_CI_runs_the_README_test_command_with_the_browsers() -> None:
    _main_job, tests = readme_commands()
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in run.splitlines(), ".ci/run must run the README's test command as written"
    assert "--browsers" in tests and "PEERSPEC_BROWSER_TESTS=1" in tests
    assert "--libraries" in tests and "PEERSPEC_LIBRARY_TESTS=1" in tests


def run_tool(*command: str) -> None:
    if shutil.which(command[0]) is None and not Path(sys.executable).with_name(command[0]).exists():
        pytest.skip(f"{command[0]} is not installed (bash .ci/setup installs it)")
    executable = str(Path(sys.executable).with_name(command[0]))
    if not Path(executable).exists():
        executable = command[0]
    result = subprocess.run([executable, *command[1:]], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_ruff_clean() -> None:
    run_tool("ruff", "check", ".")


def test_the_code_is_mypy_strict_clean() -> None:
    run_tool("mypy")


def test_every_import_of_peerspecs_own_code_goes_through_the_peerspec_name() -> None:
    """In a checkout model/, properties/ and oracle/ are importable by their bare names too; code that used them
    so would work here and break a pip install (and load a second copy of every class)."""
    import ast

    bare = {"model", "properties", "oracle"}
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if path.parts[len(ROOT.parts)] in {".venv", "peerspec", "build", "dist"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in bare]
    assert offenders == []
