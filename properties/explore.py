"""Exhaustive exploration: breadth-first search over the model's canonical abstract states (properties/
explore_state.py) with a finite operation alphabet (properties/explore_alphabet.py), every named invariant checked on
every edge, which is every reached state's arrival too. Like TLC for TLA+: the closure is the set of every abstract
state the alphabet can reach, and when the search ends with an empty frontier it is complete, a proof (for that
alphabet and profile) that the invariants hold everywhere. A violation stops the search with the shortest trace that
shows it, since BFS judges every shorter path first.

Each state is rebuilt once by replaying its shortest path from the initial state (the model is deterministic given
the seed), and each operation from it runs on a hand-made copy of it (fork="copy", the default: _copy), a
copy.deepcopy (fork="deepcopy") or a fresh replay (fork="replay"); benchmarks/explore_throughput.py measures all
three, and the hand-made copy is about twice as fast as either (the replay's cost grows with depth). With jobs > 1
each BFS level's frontier is expanded by a concurrent.futures process pool, in order, so the result is the same as
with one process.
"""

from __future__ import annotations

import copy
import hashlib
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Final, Literal, TypeVar

from peerspec.model.profile import SPEC_PROFILE, Profile
from peerspec.properties.explore_alphabet import ALPHABETS, Operation
from peerspec.properties.explore_state import NO_FACTS, AlphabetFacts, World
from peerspec.properties.invariants import INVARIANTS, Invariant, InvariantViolation
from peerspec.properties.records import Outcome

Fork = Literal["replay", "deepcopy", "copy"]
Path = tuple[int, ...]  # operation indices into the alphabet, from the initial state
NO_LIFECYCLE: Final = "unconstructed"  # the cluster of the states without a connection
SHARDED_LEVEL: Final = 2  # the first level after construct's (level 1 holds one state per construct call)


@dataclass(frozen=True)
class Setup:
    """What every worker needs to expand a state the same way."""

    alphabet: tuple[Operation, ...]
    profile: Profile = SPEC_PROFILE
    invariants: tuple[Invariant, ...] = INVARIANTS
    seed: int = 0
    fork: Fork = "copy"
    facts: AlphabetFacts = NO_FACTS  # what the alphabet never does; NO_FACTS turns the reductions it allows off


@dataclass(frozen=True)
class State:
    id: int
    depth: int
    lifecycle: str  # new, negotiating, restarting, closed, or NO_LIFECYCLE
    signaling_state: str | None
    path: Path


@dataclass(frozen=True)
class Edge:
    source: int
    operation: int  # index into the alphabet
    outcome: str  # "ok" or the error's name
    target: int


@dataclass(frozen=True)
class Violation:
    invariant: str
    message: str
    path: Path  # ends with the step that broke the invariant


@dataclass
class Exploration:
    setup: Setup
    alphabet_name: str
    states: list[State] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    complete: bool = False  # the frontier emptied within the depth bound
    depth: int = 0  # the deepest level reached
    seconds: float = 0.0  # wall-clock time
    cpu_seconds: float = 0.0  # CPU time of this process and of the pool's workers (the machine may be shared)
    violation: Violation | None = None
    invariant_checks: int = 0
    shard: tuple[int, int] = (0, 1)
    keys: list[bytes] = field(default_factory=list)  # each state's digest, by id: what shards are merged by

    @property
    def states_per_second(self) -> float:
        return len(self.states) / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class _Arrival:
    """One edge out of an expanded state, as a worker reports it."""

    operation: int
    outcome: str
    key: bytes  # the abstract state's digest
    lifecycle: str
    signaling_state: str | None
    checks: int
    violation: Violation | None


def explore(
    alphabet: str = "default",
    *,
    profile: Profile = SPEC_PROFILE,
    max_depth: int | None = None,
    jobs: int = 1,
    invariants: Sequence[Invariant] = INVARIANTS,
    seed: int = 0,
    fork: Fork = "copy",
    shard: tuple[int, int] = (0, 1),
    reduce: bool = True,
    on_level: Callable[[int, int], None] | None = None,
) -> Exploration:
    """Breadth-first search from the connection-less initial state. `shard=(i, n)` expands only every n-th state of
        SHARDED_LEVEL, from the i-th: n such runs together reach every state of the closure. `reduce=False` keeps what
    only an operation outside the alphabet could read (the reductions' tests compare both)."""
    if alphabet not in ALPHABETS:
        raise ValueError(f"no alphabet {alphabet!r} (one of: {', '.join(ALPHABETS)})")
    index, count = shard
    if not (count >= 1 and 0 <= index < count):
        raise ValueError(f"shard {index}/{count}: need 0 <= i < n")
    operations = ALPHABETS[alphabet]
    facts = AlphabetFacts.of(operations) if reduce else NO_FACTS
    setup = Setup(operations, profile, tuple(invariants), seed, fork, facts)
    result = Exploration(setup, alphabet, shard=shard)
    started, cpu_started = time.perf_counter(), _cpu_time()
    root_world = World(profile, seed, facts)
    root_key = _digest(root_world)
    ids: dict[bytes, int] = {root_key: 0}
    result.states.append(State(0, 0, NO_LIFECYCLE, None, ()))
    result.keys.append(root_key)
    frontier = [result.states[0]]
    with _Expander(setup, jobs) as expander:
        while frontier:
            if max_depth is not None and frontier[0].depth >= max_depth:
                break
            next_frontier: list[State] = []
            for state, arrivals in zip(frontier, expander.expand([s.path for s in frontier]), strict=True):
                for arrival in arrivals:
                    result.invariant_checks += arrival.checks
                    if arrival.violation is not None:
                        result.violation = arrival.violation
                        break
                    target = ids.get(arrival.key)
                    if target is None:
                        target = ids[arrival.key] = len(result.states)
                        child = State(
                            target,
                            state.depth + 1,
                            arrival.lifecycle,
                            arrival.signaling_state,
                            (*state.path, arrival.operation),
                        )
                        result.states.append(child)
                        result.keys.append(arrival.key)
                        next_frontier.append(child)
                    result.edges.append(Edge(state.id, arrival.operation, arrival.outcome, target))
                if result.violation is not None:
                    break
            if result.violation is not None:
                break
            if next_frontier:
                result.depth = frontier[0].depth + 1
            if frontier[0].depth == SHARDED_LEVEL - 1 and count > 1:
                next_frontier = _shard_of(next_frontier, index, count)
            frontier = next_frontier
            if on_level is not None:
                on_level(result.depth, len(result.states))
    result.complete = not frontier and result.violation is None
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = _cpu_time() - cpu_started  # the pool has shut down: its workers' time is counted
    return result


def _cpu_time() -> float:
    """User and system CPU seconds of this process and of its waited-for children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _shard_of(states: list[State], index: int, count: int) -> list[State]:
    return [state for position, state in enumerate(states) if position % count == index]


# ---- expanding states -------------------------------------------------------------------------------------


class _Expander:
    """Expands a level's states in this process or, with jobs > 1, in a process pool (results in order)."""

    def __init__(self, setup: Setup, jobs: int) -> None:
        self.setup = setup
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Expander:
        if self.jobs > 1:
            self.pool = ProcessPoolExecutor(self.jobs, initializer=_set_worker_setup, initargs=(self.setup,))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def expand(self, paths: list[Path]) -> Iterator[list[_Arrival]]:
        if self.pool is None or len(paths) < 2 * self.jobs:
            return (expand_state(self.setup, path) for path in paths)
        chunk = max(1, len(paths) // (self.jobs * 4))
        return self.pool.map(_expand_in_worker, paths, chunksize=chunk)


_WORKER_SETUP: Setup | None = None


def _set_worker_setup(setup: Setup) -> None:
    global _WORKER_SETUP
    _WORKER_SETUP = setup


def _expand_in_worker(path: Path) -> list[_Arrival]:
    assert _WORKER_SETUP is not None
    return expand_state(_WORKER_SETUP, path)


def replay(setup: Setup, path: Path) -> World:
    """The world at the end of `path`, rebuilt from the initial state."""
    world = World(setup.profile, setup.seed, setup.facts)
    for operation in path:
        world.apply(setup.alphabet[operation])
    return world


def expand_state(setup: Setup, path: Path) -> list[_Arrival]:
    """Every enabled operation from the state at `path`: its outcome, the abstract state it leads to, and the
    invariants judged on its step record."""
    parent = replay(setup, path)
    arrivals: list[_Arrival] = []
    enabled = [index for index, operation in enumerate(setup.alphabet) if parent.enabled(operation)]
    first = True
    for index in enabled:
        operation = setup.alphabet[index]
        if setup.fork != "replay":
            copied = _copy if setup.fork == "copy" else _deepcopy
            world = copied(parent) if index != enabled[-1] else parent
        else:
            world = parent if first else replay(setup, path)
        first = False
        history = world.history()
        ran = world.run(operation)
        if isinstance(ran, Outcome):  # construct threw: no connection, nothing for an invariant to judge
            arrivals.append(_Arrival(index, ran.error or "ok", _digest(world), NO_LIFECYCLE, None, 0, None))
            continue
        violation = None
        for invariant in setup.invariants:
            try:
                invariant(ran, history)
            except InvariantViolation as error:
                violation = Violation(error.invariant, str(error), (*path, index))
                break
        world.recorded(ran)
        after = ran.after
        arrivals.append(
            _Arrival(
                index,
                ran.outcome.error or "ok",
                _digest(world),
                after.lifecycle or NO_LIFECYCLE,
                after.signaling_state,
                len(setup.invariants),
                violation,
            )
        )
        if violation is not None:
            break
    return arrivals


def _digest(world: World) -> bytes:
    """The abstract state as a 128-bit BLAKE2 digest of its repr (deterministic: tuples of strings, ints, bools and
    None): what workers send back and the search keeps, a fraction of the state's size."""
    return hashlib.blake2b(repr(world.abstract_state()).encode(), digest_size=16).digest()


def _deepcopy(world: World) -> World:
    """A copy of the world sharing what never changes (the profile, the certificates) and the generators of fresh
    credentials: a copy then draws different fresh credentials than a replay would, which the abstract state
    (credentials up to renaming) cannot tell apart."""
    memo: dict[int, object] = {id(world.profile): world.profile, id(world.certificates): world.certificates}
    if world.pc is not None:
        memo[id(world.pc._credentials)] = world.pc._credentials
    memo[id(world.remote._source)] = world.remote._source
    return copy.deepcopy(world, memo)


# What a connection, its slots and the remote peer hold; _copy knows which of it is mutable.
_CONNECTION_ATTRIBUTES: Final = frozenset(
    {"profile", "_credentials", "_session_id", "_configuration", "_ice_agent", "_slots", "_lifecycle"}
)
_REMOTE_ATTRIBUTES: Final = frozenset({"_source", "_credentials", "_session_id", "_version", "_restart_answered"})


def _copy(world: World) -> World:
    """What _deepcopy makes, built by hand, ten times faster: everything the model mutates in place is copied (the
    world, the connection, its slots, its lifecycle, the data channel and transceiver lists and each transceiver,
    the remote peer), and everything else is immutable (frozen dataclasses, strings, frozensets) or shared as
    _deepcopy shares it (the profile, the certificates, the credential generators). A connection or remote peer with
    an attribute this does not know (the model grew one) is copied by _deepcopy instead;
    tests/test_explore.py checks both give the same closure."""
    pc = world.pc
    if (pc is not None and vars(pc).keys() != _CONNECTION_ATTRIBUTES) or vars(
        world.remote
    ).keys() != _REMOTE_ATTRIBUTES:
        return _deepcopy(world)
    copied = _shallow(world)
    copied.remote = _shallow(world.remote)
    if pc is not None:
        copied.pc = new = _shallow(pc)
        new._slots = slots = _shallow(pc._slots)
        slots.data_channels = list(slots.data_channels)
        slots.transceivers = [_shallow(transceiver) for transceiver in slots.transceivers]
        new._lifecycle = copy.copy(pc._lifecycle)  # it has __slots__
    return copied


_T = TypeVar("_T")


def _shallow(value: _T) -> _T:
    """copy.copy of an object with a __dict__, without copy's generic protocol."""
    made: _T = object.__new__(type(value))
    vars(made).update(vars(value))
    return made


def trace_of(setup: Setup, path: Path) -> list[tuple[str, dict[str, object]]]:
    """The path as trace steps (op, args in trace format, tags unresolved), the certificate prelude first."""
    from peerspec.properties.explore_alphabet import ALPHABET_PRELUDE

    steps = [(op.op, dict(op.args)) for op in ALPHABET_PRELUDE]
    return steps + [(setup.alphabet[i].op, dict(setup.alphabet[i].args)) for i in path]
