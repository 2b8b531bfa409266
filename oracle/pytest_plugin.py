"""A pytest plugin for implementations' own test suites: a `peerspec_vector` fixture that yields every
conformance vector, one test per vector, and a `peerspec_verdicts` fixture that judges a recorded run as peerspec's
own CI does (known deviations, their consequences and calls you do not implement fail nothing).

    def test_my_implementation_conforms(peerspec_vector, peerspec_verdicts):
        observed = my_runner.run(peerspec_vector.calls)      # steps with the outcomes you saw
        assert peerspec_verdicts(observed) == []              # or peerspec_vector.divergences(observed) == []

Point it at a vector directory with `--peerspec-vectors DIR` (default: the vectors peerspec ships); judge as one
implementation with `--peerspec-impl NAME` (its profile and known deviations in peerspec's registry) and with
`--peerspec-deviations FILE` (a registry of your own). Installed with peerspec (entry point `pytest11`), it does
nothing for tests that do not ask for the fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from peerspec.oracle.errors import OracleError

if TYPE_CHECKING:  # the rest is imported when used: the plugin loads in every pytest run of a project with peerspec
    from peerspec.oracle.deviations import Registry
    from peerspec.oracle.trace import Step

OPTION = "--peerspec-vectors"
Judge = Callable[[Sequence["Step"]], list[str]]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("peerspec", "peerspec conformance vectors")
    group.addoption(
        OPTION,
        dest="peerspec_vectors",
        metavar="DIR",
        default=None,
        help="directory of peerspec conformance vectors (with manifest.json); default: the vectors peerspec ships",
    )
    group.addoption(
        "--peerspec-impl",
        dest="peerspec_impl",
        metavar="NAME",
        default=None,
        help="judge as this implementation: its profile and known deviations count (peerspec_verdicts)",
    )
    group.addoption(
        "--peerspec-deviations",
        dest="peerspec_deviations",
        metavar="FILE",
        default=None,
        help="a deviation registry of your own (the format of peerspec's conformance/deviations.json)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "peerspec_vector" not in metafunc.fixturenames:
        return
    from peerspec.oracle.deviations import VECTORS_DIR
    from peerspec.oracle.vectors import load_vectors

    option = metafunc.config.getoption("peerspec_vectors")
    # By default, the vectors peerspec ships: the spec-rule and generated ones, and the WPT-derived ones (wpt/).
    directories = [Path(option)] if option else [VECTORS_DIR, *[d for d in [VECTORS_DIR / "wpt"] if d.is_dir()]]
    try:
        vectors = [vector for directory in directories for vector in load_vectors(directory)]
    except (OracleError, OSError) as error:
        raise pytest.UsageError(f"peerspec: {error} (set {OPTION} DIR)") from error
    metafunc.parametrize("peerspec_vector", vectors, ids=[vector.id for vector in vectors])


REGISTRY_KEY: pytest.StashKey[Registry] = pytest.StashKey()


def pytest_configure(config: pytest.Config) -> None:
    """Read the registry once, at start-up: one that cannot be read stops the run as a usage error."""
    name = config.getoption("peerspec_impl", None)
    own = config.getoption("peerspec_deviations", None)
    if not (name or own):
        return
    from peerspec.oracle.deviations import REGISTRY_PATH, load_registry

    try:
        config.stash[REGISTRY_KEY] = load_registry(Path(own) if own else REGISTRY_PATH)
    except OracleError as error:
        raise pytest.UsageError(f"peerspec: {error}") from error


@pytest.fixture
def peerspec_verdicts(request: pytest.FixtureRequest) -> Judge:
    """A function from a recorded run of a vector's calls to the verdicts that fail it (new divergences and
    harness errors), each described with its spec step; empty when the run conforms as far as it is judged."""
    from peerspec.oracle.batch_check import FAILING
    from peerspec.oracle.deviations import Registry
    from peerspec.oracle.verdicts import first_divergence_decides, verdicts_of

    name = request.config.getoption("peerspec_impl") or ""
    registry = request.config.stash.get(REGISTRY_KEY, Registry(()))

    def judge(observed: Sequence[Step]) -> list[str]:
        verdicts = first_divergence_decides(verdicts_of(list(observed), name, registry))
        return [v.describe() for v in verdicts if v.verdict in FAILING]

    return judge
