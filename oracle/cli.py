"""The `peerspec` command. Every subcommand is registered here, on `app`, with `@app.command()`.

Errors never show a traceback: a problem with the input or the environment (OracleError, TraceError, a usage
error) is one line on stderr and exit 2; anything unexpected is "peerspec: internal error: ..." and exit 3.
`check` exits 1 when the trace diverges from the model. Ctrl-C ends any command within a second with exit 130 and
one line (oracle/interrupts.py). Machine output (replay's JSON Lines) is plain text;
rich only styles what people read.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

from peerspec.oracle import interrupts

if __name__ == "__main__" or os.path.basename(sys.argv[0]) == "peerspec":
    interrupts.install_early()  # the command line itself: Ctrl-C while the libraries below import ends it quietly

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from peerspec.oracle.errors import OracleError

EXIT_DIVERGED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class _OneLineErrors(TyperGroup):
    """Runs the command line with every failure reduced to one line on stderr and a fixed exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        with interrupts.handling():  # Ctrl-C: exit 130 within a second, no traceback (oracle/interrupts.py)
            code = self._run(args, prog_name, complete_var, windows_expand_args, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        windows_expand_args: bool,
        **extra: Any,
    ) -> int:
        if sys.stdout is None:  # started with descriptor 1 closed (`peerspec ... >&-`): nowhere to answer
            return _fail("standard output is closed", EXIT_BAD_INPUT)
        try:
            result = super().main(
                args, prog_name, complete_var, standalone_mode=False, windows_expand_args=windows_expand_args, **extra
            )
            if interrupts.interrupted():  # typer's own answer to a KeyboardInterrupt is a quiet Exit(130)
                return interrupts.finish()
            return result if isinstance(result, int) else 0
        except (_Interrupted, KeyboardInterrupt):
            return interrupts.finish()
        except OracleError as error:
            return _fail(error, EXIT_BAD_INPUT)
        except typer.TyperException as error:  # a usage error: missing argument, bad option value, ...
            return _fail(error.format_message(), EXIT_BAD_INPUT)
        except typer.Abort:  # click's answer to a KeyboardInterrupt outside the command, or to EOF at a prompt
            return interrupts.finish() if interrupts.interrupted() else _fail("aborted", EXIT_BAD_INPUT)
        except _ReaderGone:
            _silence_stdout()
            return 0  # the reader (e.g. `head`) has what it wanted
        except _EnvironmentFailed as error:  # the user's environment (a full disk, a closed stream, permissions)
            return _fail(error, EXIT_BAD_INPUT)
        except Exception as error:  # the promise: never a traceback
            if interrupts.interrupted():  # a clean-up that failed while Ctrl-C unwound the command
                return interrupts.finish()
            return _fail(f"internal error: {type(error).__name__}: {error}", EXIT_INTERNAL)

    def invoke(self, ctx: Any) -> Any:
        """Runs the command with failures of the environment turned into our own exceptions before click's main
        sees them (click answers a closed pipe with exit 1, and anything else would read as an internal error)."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted from None  # past click's main, which would make it an Abort
        except BrokenPipeError:
            raise _ReaderGone from None
        except OSError as error:
            where = f" {error.filename}" if error.filename else ""
            raise _EnvironmentFailed(f"cannot read or write{where}: {error.strerror or error}") from None


class _Interrupted(Exception):
    """Ctrl-C ended the command."""


class _ReaderGone(Exception):
    """Standard output's reader closed the pipe."""


class _EnvironmentFailed(Exception):
    """An operating-system failure: the environment's, reported in one line with exit 2."""


def _silence_stdout() -> None:
    """After a closed pipe, point standard output at /dev/null so that the interpreter's last flush is quiet."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _fail(message: object, code: int) -> int:
    line = _printable(" ".join(str(message).splitlines()))  # input echoed in an error must not drive the terminal
    with contextlib.suppress(AttributeError, OSError, ValueError):  # stderr closed or gone: the exit code says it
        sys.stderr.write(f"peerspec: {line}\n")
        sys.stderr.flush()
    return code


app = typer.Typer(
    cls=_OneLineErrors,
    name="peerspec",
    help="peerspec: the executable model of RTCPeerConnection configuration, as an oracle for implementations.",
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=False,
)

TraceArgument = Annotated[str, typer.Argument(help="A trace (JSON Lines, format v1), or - for standard input.")]
SeedOption = Annotated[int, typer.Option(help="Seeds the model's ICE credentials and certificates.")]


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """rich's own answer to a closed pipe is exit 1; ours is the quiet exit 0 of every other command."""
        raise _ReaderGone


def _console() -> Console:
    return _Console(file=sys.stdout, soft_wrap=True, highlight=False)


def _exit(code: int) -> NoReturn:
    raise typer.Exit(code)


# ---- subcommands ----------------------------------------------------------------------------------------


@app.command()
def replay(trace: TraceArgument, seed: SeedOption = 0) -> None:
    """Run TRACE on the model: each step echoed as canonical JSON Lines with the model's outcome and after, as it
    is read (a bad line ends the output there, with exit 2)."""
    from peerspec.oracle import model_runner
    from peerspec.oracle.trace import dump_step, header, read

    out = sys.stdout
    as_it_comes = trace == "-"  # a pipe's writer may be slow: each line out as soon as its step is replayed
    for number, replayed in enumerate(model_runner.replay_with_messages(read(trace), seed=seed)):
        first = header(replayed.step.version) if number == 0 else None
        if first is not None:  # a v2 trace keeps its header line
            out.write(json.dumps(first, separators=(",", ":")) + "\n")
        out.write(dump_step(replayed.step) + "\n")
        if as_it_comes:
            out.flush()
    out.flush()


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


DeviationsOption = Annotated[
    Path | None,
    typer.Option(
        "--deviations",
        help="A deviation registry (a JSON file as conformance/deviations.json, or a folder of deviations*.json files)"
        " instead of peerspec's own.",
    ),
]


@app.command()
def check(
    traces: Annotated[
        list[str],
        typer.Argument(help="Recorded traces (JSON Lines, format v1): files, folders of .jsonl files, or - for stdin."),
    ],
    impl: Annotated[
        str | None,
        typer.Option("--impl", help="Judge as this implementation: its known deviations and profile count."),
    ] = None,
    deviations: DeviationsOption = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="text for people, json for machines.")] = (
        OutputFormat.text
    ),
) -> None:
    """Compare traces recorded from an implementation with the model: exit 0 if nothing new diverges, 1 with each
    divergence (root causes first, consequences folded), 2 on unreadable input."""
    from peerspec.oracle.batch_check import json_report, judge_files, text_report, trace_files
    from peerspec.oracle.deviations import REGISTRY_PATH, Registry, load_registry

    files = trace_files(traces)
    registry_path = deviations if deviations is not None else REGISTRY_PATH
    wanted = impl is not None or deviations is not None
    registry = load_registry(registry_path) if wanted else Registry(())
    name = impl or ""
    if impl is not None and not registry.knows(impl):
        sys.stderr.write(
            f"peerspec: {_printable(impl)} has no known deviations or profile in {registry_path}:"
            " judged by the spec's own profile\n"
        )
    results = judge_files(files, name, registry)
    if output is OutputFormat.json:
        sys.stdout.write(json_report(results, name))
    else:
        console = _console()
        for line in text_report(results):
            console.print(Text(_printable(line)))
    if any(result.fails for result in results):
        _exit(EXIT_DIVERGED)


def _printable(text: str) -> str:
    """Text that came from input, with control characters escaped so it cannot drive the terminal (its own line
    breaks kept)."""
    if text.isprintable() or all(line.isprintable() for line in text.split("\n")):
        return text  # the common case, decided in C
    return "\n".join(
        "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in line)
        for line in text.split("\n")
    )


@app.command()
def explain(trace: TraceArgument, seed: SeedOption = 0) -> None:
    """Narrate TRACE as the model runs it, step by step, with the spec step that decided each one."""
    from peerspec.oracle import model_runner
    from peerspec.oracle.narrate import narrate
    from peerspec.oracle.trace import read

    out = sys.stdout  # plain lines: rich would add nothing to them, and costs a millisecond a line
    as_it_comes = trace == "-"
    for line in narrate(model_runner.replay_with_messages(read(trace), seed=seed)):
        out.write(_printable(line) + "\n")  # a certificate name or a runner's error echoed from the trace
        if as_it_comes:
            out.flush()
    out.flush()  # a write that fails fails here, inside the command, not silently at exit


class DiagramFormatChoice(StrEnum):
    mermaid = "mermaid"
    dot = "dot"


@app.command()
def diagram(
    diagram_format: Annotated[
        DiagramFormatChoice, typer.Option("--format", help="mermaid, or dot where Graphviz is installed.")
    ] = DiagramFormatChoice.mermaid,
) -> None:
    """Print the connection's lifecycle machine (new, negotiating, restarting, closed) as a diagram."""
    from peerspec.oracle.diagram import lifecycle_diagram

    text = lifecycle_diagram("dot" if diagram_format is DiagramFormatChoice.dot else "mermaid")
    sys.stdout.write(text)


class SldCalledWhen(StrEnum):
    invoked = "invoked"
    applied = "applied"


@app.command()
def run(
    examples: Annotated[int, typer.Option(min=1, help="Hypothesis examples (random call sequences).")] = 300,
    steps: Annotated[int, typer.Option(min=1, help="The most calls in one sequence.")] = 40,
    seed: Annotated[int | None, typer.Option(help="Seed the generator (default: one fixed, derandomized run).")] = None,
    sld_called_when: Annotated[
        SldCalledWhen, typer.Option(help='Profile: when "setLocalDescription has been called" becomes true.')
    ] = "invoked",  # type: ignore[assignment]
    coverage: Annotated[
        bool, typer.Option("--coverage", help="Print the (lifecycle x op x outcome) cells beside exploration's.")
    ] = False,
) -> None:
    """The property suite against the model: random call sequences, every named invariant after every step."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from peerspec.model import SPEC_PROFILE
    from peerspec.oracle.property_suite import run_suite
    from peerspec.oracle.suite_progress import Phases, observing
    from peerspec.oracle.suite_report import print_summary

    console = _console()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("examples", total=examples)

        def advance(description: str, valid: int, shrinking: bool) -> None:  # Hypothesis' phase, as it reports it
            progress.update(task, description=description, completed=min(valid, examples))
            if shrinking:
                progress.update(task, total=None)

        profile = SPEC_PROFILE.but(sld_called_when=str(sld_called_when))
        with observing(Phases(advance)):
            result = run_suite(examples=examples, steps=steps, seed=seed, profile=profile)
    from peerspec.oracle.explore_report import load_reference
    from peerspec.oracle.suite_report import print_coverage

    reference = load_reference(profile)
    print_summary(console, result, reference)
    if coverage:
        print_coverage(console, result, reference)
    if result.failure is not None:
        _exit(EXIT_DIVERGED)


class AlphabetChoice(StrEnum):
    default = "default"
    restarts = "restarts"
    signaling = "signaling"
    full = "full"
    small = "small"


@app.command()
def explore(
    alphabet: Annotated[
        AlphabetChoice, typer.Option(help="The operation alphabet (properties/explore_alphabet.py).")
    ] = AlphabetChoice.default,
    depth: Annotated[int | None, typer.Option(min=0, help="Stop after this many BFS levels (default: none).")] = None,
    profile: Annotated[
        str,
        typer.Option(
            help="spec, spec-applied (sld_called_when=applied), an implementation's profile from the deviation"
            " registry, a comma list, or all."
        ),
    ] = "spec",
    jobs: Annotated[int, typer.Option(min=1, help="Processes expanding each BFS level (a process pool).")] = 1,
    shard: Annotated[
        str, typer.Option(help="i/n: expand only every n-th state of BFS level 2 from the i-th (0-based).")
    ] = "0/1",
    graph: Annotated[Path | None, typer.Option(help="Write the whole state graph as JSON here.")] = None,
    mermaid: Annotated[Path | None, typer.Option(help="Write the lifecycle-clustered graph as mermaid here.")] = None,
    svg: Annotated[Path | None, typer.Option(help="Render the clustered graph as SVG here (needs Graphviz).")] = None,
    violations: Annotated[
        Path, typer.Option(help="Folder for a violation's shortest trace and vector (JSON Lines).")
    ] = Path("."),
    cells: Annotated[
        Path | None,
        typer.Option(
            help="Write each profile's coverage cells and lifecycle moves (what run --coverage compares with)."
        ),
    ] = None,
    seed: SeedOption = 0,
) -> None:
    """Breadth-first search over the model's canonical abstract states with a finite alphabet, every named invariant
    checked on every edge: reachable states, edges, depth, states/s and whether the closure is complete. Exit 1 with
    the shortest trace when an invariant fails."""
    from peerspec.model import SPEC_PROFILE
    from peerspec.oracle import explore_report as report
    from peerspec.oracle.deviations import REGISTRY_PATH, load_registry
    from peerspec.properties.explore import explore as run_exploration

    shard_index, shard_count = _shard(shard)
    names = [name.strip() for name in profile.split(",") if name.strip()]
    registry = load_registry(REGISTRY_PATH)
    # The spec profile, and its other reading of "setLocalDescription has been called" (`peerspec run
    # --sld-called-when applied` compares with this one's closure).
    readings = {"spec": SPEC_PROFILE, "spec-applied": SPEC_PROFILE.but(name="spec-applied", sld_called_when="applied")}
    if names == ["all"]:
        names = [*readings, *sorted(registry.profiles)]
    unknown = [name for name in names if name not in readings and name not in registry.profiles]
    if unknown or not names:
        known = ", ".join([*readings, *sorted(registry.profiles), "all"])
        raise OracleError(f"no profile called {_printable(','.join(unknown) or profile)!r} (one of: {known})")
    if violations.exists() and not violations.is_dir():
        raise OracleError(f"{violations} exists and is not a directory")
    console = _console()
    explorations = []
    for name in names:
        chosen = readings[name] if name in readings else registry.profile(name)
        exploration = run_exploration(
            alphabet.value, profile=chosen, max_depth=depth, jobs=jobs, seed=seed, shard=(shard_index, shard_count)
        )
        explorations.append(exploration)
        if exploration.violation is not None:
            violations.mkdir(parents=True, exist_ok=True)
            trace_path = violations / f"explore-violation-{name}.jsonl"
            vector_path = violations / f"explore-violation-{name}.vector.jsonl"
            report.write_atomically(trace_path, report.violation_trace(exploration))
            report.write_atomically(vector_path, report.violation_vector(exploration))
            console.print(Text(f"{name}: {exploration.violation.message}", style="bold red"))
            console.print(Text(report.violation_trace(exploration).rstrip("\n")))
            console.print(Text(f"shortest trace: {trace_path}; as a vector: {vector_path}"))
    for line in report.summary_lines(explorations):
        console.print(Text(line))
    first = explorations[0]
    if graph is not None:
        report.write_atomically(graph, report.graph_json(first, full=True))
    if mermaid is not None:
        report.write_atomically(mermaid, report.mermaid(first))
    if svg is not None and not report.write_svg(first, svg):
        console.print(Text("--svg skipped: Graphviz's dot is not installed (Debian package graphviz)"))
    if cells is not None:
        report.write_atomically(cells, report.reference_json(explorations))
    if any(e.violation is not None for e in explorations):
        _exit(EXIT_DIVERGED)


@app.command("explore-merge")
def explore_merge(
    graphs: Annotated[list[Path], typer.Argument(help="Every shard's --graph file, in any order.")],
) -> None:
    """The closure a sharded exploration reaches together: merge the graphs of `peerspec explore --shard i/n --graph
    FILE` (one a shard, same profile and alphabet) by abstract state. Exit 1 when a shard found a violation."""
    from peerspec.oracle.explore_merge import load_graph, merge

    merged = merge([(path, load_graph(path)) for path in graphs])
    _console().print(Text(merged.summary_line()))
    if merged.violations:
        _exit(EXIT_DIVERGED)


def _shard(text: str) -> tuple[int, int]:
    index, slash, count = text.partition("/")
    if not (slash and index.isdigit() and count.isdigit() and 0 <= int(index) < int(count)):
        raise OracleError(f"--shard {_printable(text)!r}: give i/n with 0 <= i < n, for example 0/2")
    return int(index), int(count)


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Directory for the vectors and manifest.json.")] = Path("vectors"),
    seed: Annotated[int, typer.Option(help="Seed for the generated sequences and the model.")] = 0,
    count: Annotated[int, typer.Option(min=0, max=10_000, help="How many generated sequences.")] = 100,
) -> None:
    """Write conformance vectors: one hand-written case per spec rule plus COUNT generated call sequences, each
    recorded with the model's outcomes, and a manifest. The same seed and versions give the same bytes."""
    from peerspec.oracle.vectors import write

    if out.exists() and not out.is_dir():
        raise OracleError(f"{out} exists and is not a directory")
    index = write(out, seed, count)
    cases = index["cases"]
    rules = sum(1 for case in cases if case["source"] == "rule")
    _console().print(f"{out}: {len(cases)} vectors ({rules} spec rules, {len(cases) - rules} generated), seed {seed}")


@app.command("generate-wpt")
def generate_wpt(
    out: Annotated[Path, typer.Option(help="Directory for the WPT vectors and their manifest.json.")] = Path(
        "vectors/wpt"
    ),
) -> None:
    """Write vectors/wpt/: one vector per web-platform-tests case a pure model decides (oracle/wpt_cases.py),
    recorded with the model's outcomes (trace format v2), and a manifest naming each one's WPT file, commit and test."""
    from peerspec.oracle.wpt_vectors import write as write_wpt

    if out.exists() and not out.is_dir():
        raise OracleError(f"{out} exists and is not a directory")
    index = write_wpt(out)
    counts = index["decidable"]
    _console().print(
        f"{out}: {counts['cases']} WPT vectors ({counts['writable as a v1 trace']} writable as v1 traces),"
        f" {counts['undecidable']} WPT tests listed as undecidable"
    )


def _name(trace: str) -> str:
    return "<stdin>" if trace == "-" else trace


# ---- the live viewer (oracle/serve/) -------------------------------------------------------------------------

EXIT_INTERRUPTED = 130


@app.command()
def serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port (default 0: one the system chooses).")] = 0,
    host: Annotated[
        str, typer.Option(help="The address to listen on. Anything but loopback makes the page reachable from others.")
    ] = "127.0.0.1",
) -> None:
    """A local web page: edit a trace, see the model's verdict on each call with the spec step that decided it, and
    run the same calls in your own browser beside it. Ctrl-C stops it."""
    import importlib.util

    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise OracleError(f"serve needs {' and '.join(missing)}: pip install 'peerspec[serve]'")
    from peerspec.oracle.serve.server import bind, is_loopback, serve_forever, url_of

    if not is_loopback(host):
        sys.stderr.write(
            f"peerspec: --host {_printable(host)} is not a loopback address: others on that network can open the page\n"
        )
        sys.stderr.flush()
    sock = bind(host, port)
    sys.stdout.write(f"peerspec serve: {url_of(sock)} (Ctrl-C stops it)\n")
    sys.stdout.flush()
    try:
        serve_forever(sock)
    except KeyboardInterrupt:
        _exit(EXIT_INTERRUPTED)
    finally:
        sock.close()


# ---- conformance against real browsers (oracle/conformance.py) --------------------------------------------


@app.command()
def conformance(
    impl: Annotated[
        str | None,
        typer.Option(
            "--impl", help="The implementation: chromium, firefox, wrtc, werift, node-datachannel, aiortc, pion."
        ),
    ] = None,
    all_implementations: Annotated[
        bool, typer.Option("--all", help="Every implementation, and the matrix of spec rule x implementation.")
    ] = False,
    examples: Annotated[int, typer.Option(min=0, help="Random differential sequences (Hypothesis examples).")] = 50,
    steps: Annotated[int, typer.Option(min=1, help="The most calls in one random sequence.")] = 25,
    seed: Annotated[int | None, typer.Option(help="Seed the random sequences (default: one fixed run).")] = None,
    vectors: Annotated[
        Path | None, typer.Option(help="A folder of .jsonl traces (default: the committed vectors).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Where the Markdown and HTML reports go.")] = Path("peerspec-reports"),
    deviations: DeviationsOption = None,
    step_timeout: Annotated[
        float, typer.Option(min=0.5, help="Seconds a library runner may take for one step before it is replaced.")
    ] = 10.0,
    trace: Annotated[
        str | None, typer.Option(help="Instead: replay this one trace in the implementation alone and classify it.")
    ] = None,
    shrink: Annotated[
        bool, typer.Option(help="With --trace: first shrink the trace while it shows the same new divergence.")
    ] = False,
    record: Annotated[
        bool, typer.Option(help="Instead: re-record the registry's traces (conformance/traces/) in the implementation.")
    ] = False,
) -> None:
    """Run vectors and random sequences in a real implementation, compared with the model step by step; exit 1 on
    new divergences (known ones: the deviation registry)."""
    from peerspec.oracle import conformance as conf
    from peerspec.oracle.deviations import REGISTRY_PATH, VECTORS_DIR, jsonl, load_registry
    from peerspec.oracle.implementations.catalog import CATALOG, implementation
    from peerspec.oracle.implementations.protocol import ImplementationUnavailable
    from peerspec.oracle.trace import load

    if (impl is None) == (not all_implementations):
        raise OracleError("name one implementation with --impl NAME, or --all")
    if impl is not None and impl not in CATALOG:
        raise OracleError(f"no implementation called {impl!r} (one of: {', '.join(CATALOG)})")
    if all_implementations and (trace is not None or record):
        raise OracleError("--trace and --record take one implementation (--impl NAME)")
    registry = load_registry(deviations if deviations is not None else REGISTRY_PATH)
    chosen_vectors = vectors if vectors is not None else VECTORS_DIR
    if not chosen_vectors.is_dir():
        raise OracleError(f"{chosen_vectors}: no such folder of vectors")
    console = _console()
    if all_implementations:
        _conformance_matrix(registry, chosen_vectors, out, examples, steps, seed, step_timeout)
        return
    assert impl is not None
    try:
        implementation_under_test = implementation(impl, step_timeout=step_timeout)
        implementation_under_test.start()
    except ImplementationUnavailable as error:
        raise OracleError(f"{impl} is not available: {error}") from None
    try:
        if trace is not None:
            calls = load(trace)
            if shrink:
                calls = conf.shrink_trace(implementation_under_test, calls, registry)
            observed, verdicts = conf.run_one_trace(implementation_under_test, calls, registry)
            sys.stdout.write(jsonl(observed))
            for verdict in verdicts:
                console.print(Text(_printable(verdict.describe())))
            if any(v.verdict == "new" for v in verdicts):
                _exit(EXIT_DIVERGED)
            return
        if record:
            for deviation_id, verdicts in conf.record(implementation_under_test, registry).items():
                entry = next(d for d in registry.deviations if d.id == deviation_id)
                state = "reproduces" if conf.reproduces(verdicts, entry) else "DOES NOT reproduce"
                console.print(Text(f"{deviation_id}: {state}"))
            return
        run = conf.conformance(
            implementation_under_test,
            examples=examples,
            vectors=chosen_vectors,
            registry=registry,
            steps=steps,
            seed=seed,
        )
        md, page = conf.write_reports([run], registry, out / impl)
        console.print(Text(conf.summary_line(run)))
        console.print(Text(f"reports: {md} {page}"))
        for finding in run.new[:20]:
            console.print(Text(_printable(finding.verdict.describe()), style="bold red"))
        for failure in run.failures:
            console.print(Text(_printable(failure)))
        if run.new:
            _exit(EXIT_DIVERGED)
    finally:
        implementation_under_test.stop()


def _conformance_matrix(
    registry: Any, vectors: Path, out: Path, examples: int, steps: int, seed: int | None, step_timeout: float
) -> None:
    from peerspec.oracle import conformance as conf
    from peerspec.oracle.implementations.catalog import CATALOG, implementation
    from peerspec.oracle.implementations.protocol import ImplementationUnavailable
    from peerspec.oracle.matrix import Column, write_matrix

    console = _console()
    columns: list[Column] = []
    for name, entry in CATALOG.items():
        try:
            driven = implementation(name, step_timeout=step_timeout)
            driven.start()
        except ImplementationUnavailable as error:
            columns.append(Column(name, entry.what, None, f"{error} ({entry.install})"))
            console.print(Text(f"{name}: not available here: {error}", style="bold red"))
            continue
        try:
            run = conf.conformance(
                driven, examples=examples, vectors=vectors, registry=registry, steps=steps, seed=seed
            )
        finally:
            driven.stop()
        conf.write_reports([run], registry, out / name)
        columns.append(Column(name, entry.what, run))
        console.print(Text(conf.summary_line(run)))
        for finding in run.new[:5]:
            console.print(Text(_printable(finding.verdict.describe()), style="bold red"))
        for failure in run.failures:
            if failure.startswith("new divergence"):
                console.print(Text(_printable(failure)))
    md, page = write_matrix(columns, registry, vectors, out)
    console.print(Text(f"matrix: {md} {page}"))
    if any(c.run is None or c.run.new for c in columns):
        _exit(EXIT_DIVERGED)


if __name__ == "__main__":
    app()
