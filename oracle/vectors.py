"""Conformance vectors: recorded traces an implementation replays and compares, one case per file, with a
manifest. Hand-written cases show one spec rule each (oracle/rule_cases.py); generated cases are call
sequences the stateful machine draws from a seed. The same seed and versions give the same bytes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

import hypothesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from peerspec.model import SPEC_COMMIT, __version__
from peerspec.oracle import interrupts
from peerspec.oracle.compare import Divergence, compare
from peerspec.oracle.errors import OracleError
from peerspec.oracle.model_runner import replay
from peerspec.oracle.property_suite import constants_from_hypothesis_alone, trace_of
from peerspec.oracle.rule_cases import RULE_CASES, RuleCase
from peerspec.oracle.trace import Step, dumps, header, parse
from peerspec.properties.stateful import PeerConnectionMachine

VECTOR_FORMAT: Final = 1
GENERATOR: Final = "peerspec generate 1"
MANIFEST: Final = "manifest.json"


@dataclass(frozen=True)
class Vector:
    id: str
    source: str  # "rule" or "generated"
    rule: str  # the spec step a rule case shows; "" for a generated case
    steps: tuple[Step, ...]  # with the model's outcomes

    @property
    def file_name(self) -> str:
        return f"{self.id}.jsonl"

    @property
    def text(self) -> str:
        return dumps(self.steps)

    @property
    def calls(self) -> list[Step]:
        """The steps without their recorded outcomes: what an implementation is given to run."""
        return [step.call for step in self.steps]

    def divergences(self, observed: Sequence[Step]) -> list[Divergence]:
        """Where an implementation's recorded run of `calls` differs from the model's (empty: conforms)."""
        return compare(list(self.steps), observed)


def rule_vectors(seed: int) -> list[Vector]:
    """Every hand-written case, replayed on the model, each checked to end the way the spec says."""
    return [_rule_vector(case, seed) for case in RULE_CASES]


def _rule_vector(case: RuleCase, seed: int) -> Vector:
    first = header(case.trace)  # a version 2 case begins with its header line
    lines = [json.dumps(line) for line in ((first,) if first is not None else ()) + case.steps]
    steps = replay(parse(("\n".join(lines) + "\n").encode(), case.id), seed=seed)
    outcome = steps[-1].outcome or {}
    error = outcome.get("error")
    decided = "ok" if "ok" in outcome else (error.get("name") if isinstance(error, dict) else None)
    if decided != case.expect:
        raise OracleError(f"rule case {case.id}: the model says {decided}, the case says {case.expect}")
    if isinstance(error, dict) and not str(error.get("spec", "")).startswith(case.rule):
        raise OracleError(f"rule case {case.id}: decided by {error.get('spec')!r}, not {case.rule!r}")
    return Vector(case.id, "rule", case.rule, tuple(steps))


def generated_vectors(seed: int, count: int, steps: int = 20) -> list[Vector]:
    """`count` distinct call sequences drawn by the stateful machine from `seed`, replayed on the model."""
    if count == 0:
        return []
    traces: list[str] = []

    class Collecting(PeerConnectionMachine):
        def teardown(self) -> None:
            # Keep sequences that do something: at least three different calls after construct.
            if self.pc is not None and len({op for op, _args in self.trace} - {"construct", "close"}) >= 3:
                traces.append(trace_of(self))

    hypothesis.seed(seed)(Collecting)
    run_settings = settings(
        max_examples=count * 3,
        stateful_step_count=steps,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    with constants_from_hypothesis_alone():
        run_state_machine_as_test(Collecting, settings=run_settings)
    unique = list(dict.fromkeys(traces))[:count]
    if len(unique) < count:
        raise OracleError(f"the machine drew only {len(unique)} distinct sequences; ask for fewer")
    return [
        Vector(f"generated-{seed}-{index:04d}", "generated", "", tuple(replay(parse(text.encode()), seed=seed)))
        for index, text in enumerate(unique)
    ]


def manifest(vectors: Sequence[Vector], seed: int, count: int) -> dict[str, Any]:
    return {
        "format": VECTOR_FORMAT,
        "generator": GENERATOR,
        "peerspec": __version__,
        "hypothesis": version("hypothesis"),
        "spec": {"repository": "w3c/webrtc-pc", "commit": SPEC_COMMIT},
        "seed": seed,
        "generated": count,
        "cases": [
            {
                "id": vector.id,
                "file": vector.file_name,
                "source": vector.source,
                "rule": vector.rule,
                "steps": len(vector.steps),
                "sha256": hashlib.sha256(vector.text.encode()).hexdigest(),
            }
            for vector in vectors
        ],
    }


def build(seed: int, count: int) -> tuple[list[Vector], dict[str, Any]]:
    vectors = [*rule_vectors(seed), *generated_vectors(seed, count)]
    return vectors, manifest(vectors, seed, count)


def write(out: Path, seed: int, count: int) -> dict[str, Any]:
    """Write every vector and the manifest into `out` (created if needed). Everything is generated before the
    first file is written; each file is written whole (a temporary file renamed into place), the manifest last;
    and the only files removed are vectors the previous manifest listed that this one does not: a folder's other
    files, a user's own traces included, are never touched."""
    vectors, index = build(seed, count)
    with interrupts.deferred():  # Ctrl-C while the files are written takes effect once the folder is whole
        out.mkdir(parents=True, exist_ok=True)
        earlier = _listed_files(out)
        for vector in vectors:
            _write_whole(out / vector.file_name, vector.text)
        _write_whole(out / MANIFEST, json.dumps(index, indent=2, sort_keys=True) + "\n")
        for stale in earlier - {vector.file_name for vector in vectors}:
            (out / stale).unlink(missing_ok=True)
    return index


def _listed_files(directory: Path) -> set[str]:
    """The vector files an existing manifest in `directory` lists (none when there is no readable manifest)."""
    try:
        cases = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))["cases"]
        return {Path(str(case["file"])).name for case in cases}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _write_whole(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def load_vectors(directory: Path) -> list[Vector]:
    """The vectors a manifest lists, read back (for the pytest plugin and `peerspec conformance`), each checked
    against the manifest's sha256: a changed, missing or unlisted-but-named file is one clear error."""
    path = directory / MANIFEST
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
        cases = index["cases"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OracleError(f"{path}: not a peerspec vector manifest ({error})") from error
    if not isinstance(cases, list):
        raise OracleError(f"{path}: not a peerspec vector manifest (cases is not a list)")
    vectors = []
    for number, case in enumerate(cases, start=1):
        try:
            file, case_id, source, rule, digest = (str(case[key]) for key in ("file", "id", "source", "rule", "sha256"))
        except (KeyError, TypeError) as error:
            raise OracleError(f"{path}: case {number} lacks {error}") from None
        try:
            text = (directory / file).read_bytes()
        except OSError as error:
            raise OracleError(f"{path}: case {case_id}: cannot read {file} ({error.strerror or error})") from None
        if hashlib.sha256(text).hexdigest() != digest:
            raise OracleError(f"{directory / file}: its sha256 is not the one the manifest records (changed?)")
        vectors.append(Vector(case_id, source, rule, tuple(parse(text, file))))
    return vectors
