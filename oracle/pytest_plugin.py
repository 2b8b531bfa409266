"""A pytest plugin for implementations' own test suites: a `peerspec_vector` fixture that yields every
conformance vector, one test per vector.

    def test_my_implementation_conforms(peerspec_vector):
        observed = my_runner.run(peerspec_vector.calls)      # steps with the outcomes you saw
        assert peerspec_vector.divergences(observed) == []

Point it at a vector directory with `--peerspec-vectors DIR` (default: the vectors peerspec ships).
Installed with peerspec (entry point `pytest11`), it does nothing for tests that do not ask for the fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from peerspec.oracle.deviations import VECTORS_DIR
from peerspec.oracle.errors import OracleError
from peerspec.oracle.vectors import load_vectors

OPTION = "--peerspec-vectors"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("peerspec", "peerspec conformance vectors")
    group.addoption(
        OPTION,
        dest="peerspec_vectors",
        metavar="DIR",
        default=None,
        help="directory of peerspec conformance vectors (with manifest.json); default: the vectors peerspec ships",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "peerspec_vector" not in metafunc.fixturenames:
        return
    option = metafunc.config.getoption("peerspec_vectors")
    directory = Path(option) if option else VECTORS_DIR
    try:
        vectors = load_vectors(directory)
    except (OracleError, OSError) as error:
        raise pytest.UsageError(f"peerspec: {error} (set {OPTION} DIR)") from error
    metafunc.parametrize("peerspec_vector", vectors, ids=[vector.id for vector in vectors])
