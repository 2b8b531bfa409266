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
