"""The ``openai-structs`` command (also ``python -m openai_structs``): batch
files, streams, the audit, the demo, benchmarks, codegen.

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
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any, NoReturn

from ..errors import DecodeError
from ._common import (
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    CommandError,
    Terminated,
)

__all__ = ["main", "run"]


def _on_sigterm(signum: int, frame: Any) -> None:
    # a second SIGTERM must not cut the cleanup of the first one short
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


def build_parser() -> argparse.ArgumentParser:
    from ._audit import add_audit_command
    from ._batch import add_batch_commands
    from ._bench import add_bench_command
    from ._codegen import add_codegen_command
    from ._demo import add_demo_command
    from ._sse import add_sse_commands

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
    add_bench_command(commands)
    add_codegen_command(commands)
    add_demo_command(commands)
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
