"""The Parquet export of batch output files: :func:`export_parquet`.

One output line becomes one row: who asked (``custom_id``), how it went
(``status_code``, ``error_code``, ``error_message``), which ``model``
answered, then the endpoint's own columns, then the ``endpoint`` and the
``source_file`` of the line. The schema is part of the public contract: a
column is only ever added at the end, never renamed or retyped.
:func:`columns_for` lists it; the columns themselves are kept in the endpoint
registry (:mod:`openai_structs.batch._endpoints`), and every value comes from
the one reading of a line that the summary makes too
(:class:`~._lines.LineReader`).

Columns for every endpoint, first:

=================  ========  ==================================================
``custom_id``      string    the request's ``custom_id``
``request_id``     string    the API's request id, when the line has a response
``status_code``    int32     HTTP status of the request; null on error-file lines
``error_code``     string    ``error.code`` of an error-file line, or of a
                             non-2xx body (its ``type`` when it has no code)
``error_message``  string    the matching message
``model``          string    the model that answered
=================  ========  ==================================================

and last, ``endpoint`` (the endpoint whose body the line holds; for a failed
line, the file's) and ``source_file`` (the path the line was read from).

Chat completions, completions and Responses add ``finish_reason`` (a chat or
completions choice's finish reason, or a response's ``status``),
``output_text`` (all text the model wrote, parts joined without separator),
``tool_calls`` (a list of ``{name, arguments}``, function and custom tool
calls in order), ``input_tokens``, ``output_tokens`` and ``total_tokens``
(chat's prompt and completion tokens map to input and output), then
``cached_tokens`` and ``reasoning_tokens``. Chat and completions report the
first choice in ``finish_reason`` and ``output_text`` and the number of
choices in ``choices`` (before the cached and reasoning tokens, which came
later). Embeddings add ``embeddings`` (how many vectors), ``input_tokens`` and
``total_tokens``. Moderations add ``flagged`` (any result flagged) and
``categories`` (the flagged categories of all results). Images add ``images``
and the three token counts. Videos add ``status`` and ``progress``.

A line whose ``status_code`` or ``progress`` does not fit an int32, or whose
token counts do not fit an int64, is a bad line: no real response holds one,
and the columns keep their types. The summary calls the same lines bad.

With ``jobs``, each file is cut into byte ranges on line boundaries
(:func:`~._source.batch_ranges`, about four per process, so that a slow range
does not hold the others up); each range is exported to a part file of its own
by a worker process (:func:`~._jobs.run_tasks`) as Arrow record batches, and
the parent writes them to the destination in order, as one Parquet file. The
rows are those of the export in one process, in the same order. A bad line is
reported with its line number in its file, as one process would report it.

pyarrow (the ``arrow`` extra) is imported on first use.
"""

from __future__ import annotations

import importlib
import mmap
import multiprocessing
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import msgspec

from ..errors import BatchLineError
from ._endpoints import BASE, TAIL, find
from ._jobs import run_tasks
from ._lines import LineReader, Row, views
from ._read import output_reader
from ._reader import BatchReader, Errors, fewer_collections, note_file
from ._source import Parts, PathArg, Progress, batch_ranges, count_newlines, expand_paths
from ._write import replacing

__all__ = [
    "ExportStats",
    "arrow_schema",
    "batches_of",
    "columns_for",
    "endpoint_of_files",
    "export_parallel",
    "export_parquet",
    "first_endpoint",
    "module",
    "reader_of",
    "write_parquet",
]

#: rows per record batch: a batch is converted while its rows are still in
#: the CPU's cache (on the 60,000-line chat file, the export with batches of
#: 1,024 rows took 285 ms of CPU against 320 ms with 8,192)
BATCH_ROWS = 1_024
#: record batches per Parquet row group (16,384 rows, as before)
GROUP_BATCHES = 16


class ExportStats(msgspec.Struct, frozen=True):
    """What :func:`export_parquet` wrote: ``rows``, the ``bad`` lines it
    skipped (``errors="skip"``), the ``endpoint`` whose columns it has, and
    the ``files`` it read."""

    rows: int
    bad: int
    endpoint: str | None
    files: list[str]


def columns_for(endpoint: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every column of the export of ``endpoint``'s output, in order, as
    ``name -> Arrow type``; ``extra`` (the join's ``request``) comes before
    the last two, which came later. With no endpoint (an error file with no
    successful line to tell it), only the columns every endpoint has."""
    own: Mapping[str, str] = {} if endpoint is None else find(endpoint).columns
    return {**BASE, **own, **(extra or {}), **TAIL}


def module(name: str) -> Any:
    """The module ``name`` (pyarrow, pandas, dask), imported on first use and
    seen untyped: they ship no type stubs."""
    return importlib.import_module(name)


def arrow_schema(endpoint: str | None, extra: dict[str, str] | None = None) -> Any:
    """The ``pyarrow.Schema`` of ``endpoint``'s export, with ``extra`` columns
    after it."""
    pa = module("pyarrow")

    kinds = {
        "string": pa.string(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "list<string>": pa.list_(pa.string()),
        "tool_calls": pa.list_(
            pa.struct([pa.field("name", pa.string()), pa.field("arguments", pa.string())])
        ),
    }
    columns = columns_for(endpoint, extra)
    return pa.schema([pa.field(name, kinds[kind]) for name, kind in columns.items()])


def first_endpoint(path: PathArg) -> str | None:
    """The endpoint the first successful line of ``path`` answers, or None."""
    reader = output_reader(path, errors="skip")
    for _ in reader:
        if reader.endpoint is not None:
            break
    return reader.endpoint


def reader_of(
    path: PathArg,
    endpoint: str | None,
    *,
    fixed: bool = True,
    errors: Errors = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
) -> BatchReader[Row]:
    """The reader of the lines of ``path`` (between ``start`` and ``end``) as
    the export reads them (:class:`~._lines.LineReader`, for ``endpoint``'s
    columns).

    With ``fixed`` the lines are typed by ``endpoint``, as with
    ``iter_batch_output(endpoint=...)`` (a line of another endpoint is bad);
    otherwise as with ``endpoint=None`` (inferred from the file's start, a
    line of another endpoint typed by its own body), which is what the command
    line does when no ``--endpoint`` is given, as ``inspect`` does."""
    return output_reader(
        path,
        endpoint=endpoint if fixed else None,
        errors=errors,
        start=start,
        end=end,
        progress=progress,
        views=views,
        convert=LineReader(endpoint),
        lenient=True,
    )


def batches_of(
    reader: BatchReader[Row], source_file: str | None, *, batch_rows: int = BATCH_ROWS
) -> Iterator[Any]:
    """The export's record batches (``pyarrow.RecordBatch``) of the lines
    ``reader`` (of :func:`reader_of`, for ``endpoint``) reads from
    ``source_file``, ``batch_rows`` lines at a time: pyarrow takes the rows
    apart into columns (in C++), and the file's name is one more column."""
    pa = module("pyarrow")
    schema = arrow_schema(_endpoint_of(reader))
    rows_type = pa.struct(list(schema)[:-1])

    def batch(rows: list[Row]) -> Any:
        columns = pa.array(rows, type=rows_type).flatten()
        source = pa.array([source_file] * len(rows), type=pa.string())
        return pa.RecordBatch.from_arrays([*columns, source], schema=schema)

    rows: list[Row] = []
    for chunk in reader.chunks():  # a block's rows at a time
        rows += chunk
        while len(rows) >= batch_rows:
            yield batch(rows[:batch_rows])
            del rows[:batch_rows]
    if rows:
        yield batch(rows)


def _endpoint_of(reader: BatchReader[Row]) -> str | None:
    convert = reader.convert
    assert isinstance(convert, LineReader)
    return convert.endpoint


def record_batches(
    rows: Iterable[Row], schema: Any, *, batch_rows: int = BATCH_ROWS
) -> Iterator[Any]:
    """``rows`` already in ``schema``'s order as record batches, ``batch_rows`` at a time."""
    pa = module("pyarrow")
    rows_type = pa.struct(list(schema))
    lines = iter(rows)
    while chunk := list(islice(lines, batch_rows)):
        yield pa.RecordBatch.from_struct_array(pa.array(chunk, type=rows_type))


def write_parquet(batches: Iterable[Any], dest: PathArg, schema: Any) -> int:
    """Write the record ``batches`` to the Parquet file ``dest`` with
    ``schema``; return the row count.

    Batches are made in this thread and written in another (pyarrow encodes
    and compresses without holding the GIL), :data:`GROUP_BATCHES` to a row
    group, two groups at most waiting: memory stays at a few groups whatever
    the file's size. The file is written
    beside ``dest`` under a temporary name and renamed into place only when
    complete: an error or Ctrl-C part way leaves no half-written ``dest``
    behind, and no thread running.
    """
    pa, pq = module("pyarrow"), module("pyarrow.parquet")
    count = 0
    with replacing(dest) as partial, pq.ParquetWriter(partial, schema) as writer:

        def write(group: list[Any]) -> None:  # one row group
            writer.write_table(pa.Table.from_batches(group, schema=schema))

        background = Background(write)
        try:
            group: list[Any] = []
            for batch in batches:
                group.append(batch)
                count += batch.num_rows
                if len(group) == GROUP_BATCHES:
                    background.put(group)
                    group = []
            if group or count == 0:
                background.put(group)
            background.finish()
        finally:
            background.stop()
    return count


class Background:
    """Calls ``work(item)`` for each item :meth:`put`, in order, in a thread
    of its own; at most two items wait. :meth:`finish` waits for the last and
    raises what ``work`` raised, if anything (after which items are dropped);
    :meth:`stop` just waits."""

    _DONE = object()

    def __init__(self, work: Callable[[Any], object]) -> None:
        self._work = work
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, name="openai-structs-parquet", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not self._DONE:
            if self._error is None:
                try:
                    self._work(item)
                except BaseException as exc:  # noqa: BLE001 (raised in the caller's thread)
                    self._error = exc

    def put(self, item: Any) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def finish(self) -> None:
        self.stop()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(self._DONE)
            self._thread.join()


def endpoint_of_files(files: Sequence[str], endpoint: str | None) -> str | None:
    """The endpoint the export of ``files`` has the columns of: ``endpoint``
    if given, else the one their first successful lines answer (a
    :class:`ValueError` if two files answer different ones)."""
    if endpoint is not None:
        return find(endpoint).path
    found: dict[str, str] = {}
    for name in files:
        answer = first_endpoint(name)
        if answer is not None:
            found.setdefault(answer, name)
    if len(found) > 1:
        (a, fa), (b, fb) = list(found.items())[:2]
        raise ValueError(
            f"{fa} answers {a} and {fb} answers {b}: export them to separate files "
            "(their columns differ), or pass endpoint="
        )
    return next(iter(found), None)


def export_parquet(
    sources: PathArg | Sequence[PathArg],
    dest: PathArg,
    *,
    endpoint: str | None = None,
    errors: Literal["raise", "skip"] = "raise",
    jobs: int = 1,
    progress: Progress | None = None,
) -> ExportStats:
    """Export batch output (and error) files to one Parquet file, a row per line.

    ``sources`` is a path, a glob (``"out/*.jsonl"``) or a list of them, read
    in order. ``endpoint`` picks the columns (see :func:`columns_for`) and
    types every line by that endpoint (a line of another one is bad); left
    None, the columns are those of the endpoint the files' first successful
    lines answer (they must agree: a :class:`ValueError` otherwise), and each
    file's lines are typed as :func:`iter_batch_output` types them.

    Each line's body is decoded into its endpoint's view (the fields the
    columns hold, ``ENDPOINTS[endpoint].view``), natively, and the rows go
    to Arrow by columns: the export reads a file at nearly the speed of
    reading it (see the README's figures). A line is bad when the fields it
    exports are: a mistyped field that no column holds is skipped unread.

    ``errors="raise"`` stops at the first bad line with its
    :class:`~openai_structs.BatchLineError` (its line and byte within its
    file; the file is named in the error's note) and leaves nothing at
    ``dest``; ``"skip"`` skips bad lines and counts them. ``jobs`` splits the
    files into byte ranges read by that many worker processes; the rows come
    out the same, in the same order. ``progress(done, total)`` is called as
    bytes are read, over all files (with ``jobs``, as the workers report).

    ``dest`` is written under a temporary name and renamed when complete.
    """
    files = expand_paths(sources)
    columns = endpoint_of_files(files, endpoint)
    fixed = endpoint is not None
    if jobs > 1:
        rows, bad = export_parallel(files, dest, columns, fixed, errors, jobs, progress)
        return ExportStats(rows, bad, columns, files)
    parts = Parts(files, progress)
    readers: list[BatchReader[Row]] = []

    def batches() -> Iterator[Any]:
        for name in files:
            done = parts.of(os.path.getsize(name))
            reader = reader_of(name, columns, fixed=fixed, errors=errors, progress=done)
            readers.append(reader)
            try:
                yield from batches_of(reader, name)
            except BatchLineError as exc:
                note_file(exc, name)
                raise

    with fewer_collections():
        count = write_parquet(batches(), dest, arrow_schema(columns))
    return ExportStats(count, sum(r.bad for r in readers), columns, files)


# --------------------------------------------------------------------------
# jobs= : worker processes

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
                part = str(Path(tmp) / f"part-{len(tasks):05d}.arrow")
                tasks.append((name, a, b, endpoint, fixed, errors, part, done))
        counts = run_tasks(
            _export_part, tasks, jobs, failed=lambda i, exc: _located(exc, tasks[i]), tick=tick
        )
        rows = write_parquet(_parts([task[6] for task in tasks]), dest, arrow_schema(endpoint))
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
    """A worker: write the record batches of one byte range to the Arrow
    IPC file ``out``, adding the bytes it reads to the shared counter
    ``done``; return the rows written and the bad lines skipped."""
    seen = 0

    def progress(n: int, _total: int | None) -> None:
        nonlocal seen
        with done.get_lock():
            done.value += n - seen
        seen = n

    reader = reader_of(
        path, endpoint, fixed=fixed, errors=errors, start=start, end=end, progress=progress
    )
    pa = module("pyarrow")
    ipc = module("pyarrow.ipc")
    codec = "lz4" if pa.Codec.is_available("lz4") else None
    options = ipc.IpcWriteOptions(compression=codec)
    count = 0
    schema = arrow_schema(endpoint)
    with (
        fewer_collections(),
        pa.OSFile(out, "wb") as sink,
        ipc.new_file(sink, schema, options=options) as writer,
    ):
        for batch in batches_of(reader, path):
            writer.write_batch(batch)
            count += batch.num_rows
    return count, reader.bad


def _parts(parts: Iterable[str]) -> Iterator[Any]:
    """The record batches of the workers' part files, in order. The parts are
    Arrow IPC files (LZ4-compressed where pyarrow has it): a worker writes its
    batches as they are and the Parquet file is encoded once, here, rather
    than once in each worker and again when the parts are joined."""
    pa, ipc = module("pyarrow"), module("pyarrow.ipc")
    for part in parts:
        with pa.OSFile(part, "rb") as source:
            table = ipc.open_file(source).read_all()
        yield from table.to_batches()
