"""The library stacks against the model: every committed vector and a fixed set of random differential sequences
in Pion, wrtc (libwebrtc), werift, node-datachannel and aiortc, each runner sealed in a loopback-only network
namespace. Known deviations (the registry's deviations-<library>.json) fail nothing; a new divergence fails.

Run when asked (PEERSPEC_LIBRARY_TESTS=1, as CI asks, after `bash .ci/setup --libraries`); asked, a library that
is not installed fails its tests with what to install; not asked, they are skipped, saying so.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis.stateful import run_state_machine_as_test

from peerspec.oracle import conformance as conf
from peerspec.oracle.deviations import VECTORS_DIR, load_registry
from peerspec.oracle.differential import differential_machine, fixed_run
from peerspec.oracle.implementations.catalog import CATALOG, LIBRARIES, implementation
from peerspec.oracle.implementations.protocol import ImplementationUnavailable, ManagedImplementation

GATE = "PEERSPEC_LIBRARY_TESTS"
EXAMPLES = 10
STEPS = 20
REGISTRY = load_registry()


def _asked(name: str) -> pytest.MarkDecorator:
    if os.environ.get(GATE) == "1":
        return pytest.mark.library(name)
    return pytest.mark.skip(reason=f"{name}: library tests run with {GATE}=1 (after bash .ci/setup --libraries)")


@pytest.fixture(scope="module", params=[pytest.param(n, marks=_asked(n), id=n) for n in LIBRARIES])
def library(request: pytest.FixtureRequest) -> Iterator[ManagedImplementation]:
    name = str(request.param)
    try:
        driven = implementation(name)
        driven.start()
    except ImplementationUnavailable as error:
        pytest.fail(f"{name} is not available: {error} (install: {CATALOG[name].install})")
    try:
        yield driven
    finally:
        driven.stop()


def test_every_vector_diverges_only_as_the_registry_knows(library: ManagedImplementation) -> None:
    run = conf.conformance(library, examples=0, vectors=VECTORS_DIR, registry=REGISTRY)
    assert run.vectors == len(list(VECTORS_DIR.rglob("*.jsonl")))  # vectors/wpt/ included
    assert not run.new, "\n".join(f"{f.source}: {f.verdict.describe()}" for f in run.new[:15])
    harness = [name for name, verdict in run.vector_verdicts.items() if verdict == "harness"]
    assert not harness, f"the runner failed on {harness}"


def test_random_sequences_differ_from_the_model_only_by_registered_deviations(library: ManagedImplementation) -> None:
    machine = differential_machine(library, registry=REGISTRY)
    run_state_machine_as_test(
        machine,
        settings=fixed_run(EXAMPLES, STEPS),
    )
    for verdicts, trace in machine.statistics_of_run.flaky:
        warnings.warn(
            f"{library.name} was not deterministic: {verdicts[0].describe()} ({len(trace)} steps)", stacklevel=1
        )


def test_every_registry_entry_reproduces_in_the_library_now(library: ManagedImplementation, tmp_path: Path) -> None:
    entries = {d.id: d for d in REGISTRY.for_implementation(library.name)}
    verdicts = conf.record(library, REGISTRY, traces_dir=tmp_path)
    assert set(verdicts) == set(entries)
    failing = [i for i, v in verdicts.items() if not conf.reproduces(v, entries[i])]
    assert not failing, f"entries that no longer reproduce in {library.name}: {failing}"
