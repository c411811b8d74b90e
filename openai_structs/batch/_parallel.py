# pyright: strict
"""The export with ``jobs`` worker processes: :func:`export_parallel`.

Each file is cut into byte ranges on line boundaries (:func:`batch_ranges`,
about four per process, so that a slow range does not hold the others up);
each range is exported to a part file of its own by a worker process
(:func:`~._jobs.run_tasks`), and the part files are joined into the
destination in order, a record batch at a time. The rows are those of the
export in one process, in the same order. A bad line is reported with its
line number in its file, as one process would report it.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import BatchLineError
from ._export import arrow_schema, export_file, module, reader_of
from ._jobs import run_tasks
from ._reader import Errors, note_file
from ._source import PathArg, Progress, batch_ranges, count_newlines
from ._write import replacing

__all__ = ["concat_parquet", "export_parallel"]

#: (file, start, end, endpoint, fixed, errors, part file, the shared byte counter)
Task = tuple[str, int, int, "str | None", bool, Errors, str, Any]


def _lines_before(path: str, offset: int) -> int:
    """How many lines of the file at ``path`` end before byte ``offset``."""
    if offset == 0:
        return 0
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return count_newlines(view, 0, offset)


def _located(exc: BaseException, task: Task) -> BaseException:
    """A worker's bad line, numbered within its file (not its range) and
    named by its file, as the export in one process reports it."""
    if not isinstance(exc, BatchLineError):
        return exc
    path, start = task[0], task[1]
    line = _lines_before(path, start) + (exc.line or 0)
    return note_file(BatchLineError(exc.reason, line=line, offset=exc.offset), path)


def export_parallel(
    files: Sequence[str],
    dest: PathArg,
    endpoint: str | None,
    fixed: bool,
    errors: Errors,
    jobs: int,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Export ``files`` to ``dest`` with ``jobs`` processes; return the rows
    written and the bad lines skipped. Interrupted, the workers are stopped
    before their part files are removed. ``progress(done, total)`` is told
    the bytes the workers have read, over all files, about 10 times a second
    (they add them up in one shared counter)."""
    # pyarrow loads pandas (when installed) on first use; do it here, once, so
    # that the forked workers inherit it instead of each paying for it
    module("pyarrow").array([0])
    folder = os.path.dirname(os.path.abspath(dest))
    done = multiprocessing.Value("q", 0)  # bytes read, by all workers
    total = sum(os.path.getsize(name) for name in files)
    tick = None if progress is None else lambda: progress(done.value, total)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as tmp:
        tasks: list[Task] = []
        for name in files:
            for a, b in batch_ranges(name, jobs * 4):
                part = str(Path(tmp) / f"part-{len(tasks):05d}.parquet")
                tasks.append((name, a, b, endpoint, fixed, errors, part, done))
        counts = run_tasks(
            _export_part, tasks, jobs, failed=lambda i, exc: _located(exc, tasks[i]), tick=tick
        )
        rows = concat_parquet([task[6] for task in tasks], dest, endpoint)
    return rows, sum(bad for _, bad in counts)


def _export_part(
    path: str,
    start: int,
    end: int,
    endpoint: str | None,
    fixed: bool,
    errors: Errors,
    out: str,
    done: Any,
) -> tuple[int, int]:
    """A worker: write the rows of one byte range to ``out``, adding the
    bytes it reads to the shared counter ``done``."""
    seen = 0

    def progress(n: int, _total: int | None) -> None:
        nonlocal seen
        with done.get_lock():
            done.value += n - seen
        seen = n

    reader = reader_of(
        path, endpoint, fixed=fixed, errors=errors, start=start, end=end, progress=progress
    )
    return export_file(reader, path, out, endpoint)


def concat_parquet(parts: Iterable[PathArg], dest: PathArg, endpoint: str | None) -> int:
    """Join export files of ``endpoint`` into ``dest``, in order, a record
    batch at a time and with no conversion to Python; return the row count.
    Nothing is left at ``dest`` on failure."""
    pq = module("pyarrow.parquet")
    schema = arrow_schema(endpoint)
    count = 0
    with replacing(dest) as partial, pq.ParquetWriter(partial, schema) as writer:
        for part in parts:
            for batch in pq.ParquetFile(part).iter_batches():
                writer.write_batch(batch)
                count += batch.num_rows
    return count
