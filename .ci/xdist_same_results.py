"""Check that pytest-xdist spreads the suite without changing its results: run the tests once in one process and once
with `-n N`, and compare every test's outcome (passed, failed, skipped and why). Not part of CI (it runs the suite
twice); the README's "Using every core, and several hosts" quotes its last result.

    .venv/bin/python .ci/xdist_same_results.py [-n 2] [pytest arguments, e.g. tests/test_explore.py]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path


def outcomes(junit: Path) -> dict[str, str]:
    """Each test's outcome from pytest's JUnit XML: `passed`, `failed`, `error` or `skipped: reason`."""
    found = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        test = f"{case.get('classname')}::{case.get('name')}"
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = child.tag
            elif child.tag == "skipped":
                outcome = f"skipped: {child.get('message', '')}"
        found[test] = outcome
    return found


def run(arguments: list[str], junit: Path) -> dict[str, str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", f"--junitxml={junit}", *arguments]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    return outcomes(junit)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", default="2", help="xdist workers (a number or auto)")
    options, pytest_arguments = parser.parse_known_args()
    with tempfile.TemporaryDirectory() as folder:
        serial = run(["-p", "no:xdist", *pytest_arguments], Path(folder) / "serial.xml")
        spread = run(["-n", options.n, *pytest_arguments], Path(folder) / "spread.xml")
    differ = sorted(test for test in serial.keys() | spread.keys() if serial.get(test) != spread.get(test))
    for test in differ:
        print(f"{test}: {serial.get(test, 'not run')} in one process, {spread.get(test, 'not run')} with -n")
    tally = Counter(outcome.split(":")[0] for outcome in serial.values())
    print(
        f"{len(serial)} tests: "
        + ", ".join(f"{count} {name}" for name, count in sorted(tally.items()))
        + f"; {len(differ)} with another outcome under -n {options.n}"
    )
    failed = sorted(test for test, outcome in serial.items() if outcome in ("failure", "error"))
    for test in failed:
        print(f"{test}: {serial[test]} in one process")
    return 1 if differ or failed else 0


if __name__ == "__main__":
    sys.exit(main())
