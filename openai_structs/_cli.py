"""The ``openai-structs`` command: batch files, streams, benchmarks, codegen.

Every subcommand prints results on stdout (``--json`` where offered gives one
JSON document) and problems on stderr, and exits with one of:

=====  ====================================================================
0      success
1      bad input data: a corrupt line (its number is in the message), an
       event that does not decode, a batch file that fails validation
2      bad usage: an unknown option or endpoint (argparse's own code)
3      a file that does not exist or cannot be read
130    interrupted (Ctrl-C); nothing half-written is left behind
143    terminated (SIGTERM, as a container runtime or a job scheduler sends
       it); cleaned up as for Ctrl-C, worker processes (``--jobs``) included
128+N  a worker process of ``--jobs`` was killed by signal N
=====  ====================================================================

Progress bars and tables come from rich (the ``cli`` extra); without it the
command prints plain text.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ._errors import DecodeError

__all__ = ["main"]

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_FILE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived. Raised in the main thread by the handler :func:`main`
    installs, so that ``finally`` blocks and ``with`` exits clean up (a
    temporary file, worker processes) as they do for Ctrl-C; a
    ``BaseException``, so that no ``except Exception`` swallows it."""


def _on_sigterm(signum: int, frame: Any) -> None:
    # a second SIGTERM must not cut the cleanup of the first one short
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


class CommandError(Exception):
    """A failure to report in one line and exit with ``code``."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int) -> NoReturn:
    raise CommandError(message, code)


def existing_file(name: str) -> Path:
    """The path ``name``, or a ``CommandError`` with exit code 3."""
    path = Path(name)
    if not path.is_file():
        fail(f"no such file: {name}", EXIT_FILE)
    return path


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2))


def progress_bar(
    total: int, label: str
) -> tuple[Callable[[int, int | None], None], Callable[[], None]]:
    """``(update, close)`` for a progress bar over ``total`` bytes on stderr.

    The bar shows only with rich installed, on a terminal, for inputs of 8 MiB
    or more; otherwise both functions do nothing."""
    if total < 8 << 20 or not sys.stderr.isatty():
        return (lambda done, total: None), (lambda: None)
    try:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )
    except ImportError:
        return (lambda done, total: None), (lambda: None)
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        transient=True,
    )
    task = bar.add_task(label, total=total)
    bar.start()

    def update(done: int, total: int | None) -> None:
        bar.update(task, completed=done)

    return update, bar.stop


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a table on stdout: rich's when installed, aligned text otherwise."""
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        cells = [list(map(str, header)), *[[str(c) for c in row] for row in rows]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        print(title)
        for row in cells:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        return
    grid = Table(title=title, title_justify="left")
    for name in header:
        grid.add_column(name)
    for row in rows:
        grid.add_row(*map(str, row))
    Console().print(grid)


# ---------------------------------------------------------------- subcommands


def cmd_codegen(args: argparse.Namespace) -> int:
    """Regenerate the types from a spec (the generator's own command line)."""
    from .codegen.__main__ import main as codegen_main

    if not Path(args.spec).is_file():
        fail(f"no such file: {args.spec}", EXIT_FILE)
    argv = ["--spec", str(args.spec)]
    if args.history:
        argv += ["--history", str(args.history)]
    if args.azure:
        argv += ["--azure", str(args.azure)]
    if args.out:
        argv += ["--out", str(args.out)]
    if args.check:
        argv.append("--check")
    if args.report:
        argv.append("--report")
    return codegen_main(argv)


def cmd_bench(args: argparse.Namespace) -> int:
    """Run ``benchmarks/report.py`` from the source tree this package lives in."""
    import runpy

    report = Path(__file__).resolve().parent.parent / "benchmarks" / "report.py"
    if not report.is_file():
        fail(
            "the benchmarks live in the source tree (benchmarks/report.py), "
            "which this installation does not have",
            EXIT_FILE,
        )
    argv = [str(report), "--no-write"]
    if args.quick:
        argv.append("--quick")
    if args.only:
        argv += ["--only", args.only]
    saved = sys.argv
    sys.argv = argv
    try:
        runpy.run_path(str(report), run_name="__main__")
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        sys.argv = saved
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from ._cli_audit import add_audit_command
    from ._cli_batch import add_batch_commands
    from ._cli_sse import add_sse_commands

    parser = argparse.ArgumentParser(
        prog="openai-structs",
        description="Read OpenAI batch files and streams as typed objects.",
        epilog="exit codes: 0 ok, 1 bad input data, 2 bad usage, 3 missing file, "
        "130 interrupted, 143 terminated",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_batch_commands(commands)
    add_sse_commands(commands)
    add_audit_command(commands)

    bench = commands.add_parser("bench", help="print the benchmark table")
    bench.add_argument("--quick", action="store_true", help="fewer rounds (under a minute)")
    bench.add_argument("--only", default="", help="only the cases whose name holds this text")
    bench.set_defaults(run=cmd_bench)

    codegen = commands.add_parser("codegen", help="regenerate the types from a spec")
    codegen.add_argument("--spec", required=True, type=Path, help="openapi.json")
    codegen.add_argument("--history", type=Path, help="folder of older spec snapshots")
    codegen.add_argument("--azure", type=Path, help="folder of Azure OpenAI's spec")
    codegen.add_argument("--out", type=Path, help="output folder (default: the package's types)")
    codegen.add_argument("--check", action="store_true", help="compare instead of writing")
    codegen.add_argument("--report", action="store_true", help="print what was generated")
    codegen.set_defaults(run=cmd_codegen)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # signal handlers can only be set from the main thread
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
    try:
        return args.run(args)
    except Terminated:
        print("openai-structs: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except CommandError as exc:
        print(f"openai-structs: {exc}", file=sys.stderr)
        return exc.code
    except DecodeError as exc:
        print(f"openai-structs: bad input: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("openai-structs: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def run() -> NoReturn:
    """Entry point of the console script."""
    sys.exit(main())


if __name__ == "__main__":
    run()
