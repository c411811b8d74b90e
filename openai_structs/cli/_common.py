"""What every subcommand of ``openai-structs`` shares: exit codes, failing
with one, files, and printing (tables and progress bars with rich when it is
installed, plain text otherwise)."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

__all__ = [
    "EXIT_DATA",
    "EXIT_FILE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "CommandError",
    "Terminated",
    "existing_file",
    "fail",
    "print_json",
    "progress_bar",
    "table",
]

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_FILE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived. Raised in the main thread by the handler :func:`main`
    installs, so that ``finally`` blocks and ``with`` exits clean up (a
    temporary file, worker processes) as they do for Ctrl-C; a
    ``BaseException``, so that no ``except Exception`` swallows it."""


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
    """Print a table on stdout: rich's on a terminal when rich is installed,
    else aligned text (whole cells, for pipes, logs and files)."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    if sys.stdout.isatty():
        try:
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            pass
        else:
            grid = Table(*cells[0], title=title, title_justify="left")
            for row in cells[1:]:
                grid.add_row(*row)
            Console().print(grid)
            return
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(title)
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
