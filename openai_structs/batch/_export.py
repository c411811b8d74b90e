# pyright: strict
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

pyarrow (the ``arrow`` extra) is imported on first use.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

import msgspec

from ..errors import BatchLineError
from ._endpoints import BASE, TAIL, find
from ._lines import Line, LineReader
from ._read import output_reader
from ._reader import BatchReader, Errors, note_file
from ._source import PathArg, Progress, expand_paths
from ._write import replacing

__all__ = [
    "ExportStats",
    "arrow_schema",
    "columns_for",
    "endpoint_of_files",
    "export_file",
    "export_parquet",
    "first_endpoint",
    "module",
    "reader_of",
    "record_batch",
    "row_of",
    "rows_of",
    "write_parquet",
]

#: a row of the export: the values of its columns, in order
Row = tuple[Any, ...]
#: rows per record batch
BATCH_ROWS = 50_000


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


def row_of(line: Line, source_file: str | None, extra: Row = ()) -> Row:
    """The export row of one line, as :class:`~._lines.LineReader` read it,
    with the values of ``extra`` columns."""
    return (
        line.custom_id, line.request_id, line.status_code, line.error_code, line.error_message,
        line.model, *line.values, *extra, line.endpoint, source_file,
    )  # fmt: skip


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
) -> BatchReader[Line]:
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
        convert=LineReader(endpoint),
    )


def rows_of(reader: BatchReader[Line], source_file: str | None) -> Iterator[Row]:
    """The export rows of the lines ``reader`` reads."""
    for line in reader:
        yield row_of(line, source_file)


def record_batch(rows: Sequence[Row], schema: Any) -> Any:
    """``rows`` as one ``pyarrow.RecordBatch`` of ``schema``, built column by column."""
    pa = module("pyarrow")

    columns: list[Any] = list(zip(*rows)) if rows else [()] * len(schema)
    arrays = [pa.array(column, type=field.type) for column, field in zip(columns, schema)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def write_parquet(
    rows: Iterable[Row], dest: PathArg, schema: Any, *, batch_rows: int = BATCH_ROWS
) -> int:
    """Write export ``rows`` to the Parquet file ``dest`` with ``schema``;
    return the row count.

    Rows are written in record batches of ``batch_rows``, so memory stays
    bounded whatever the file's size. The file is written beside ``dest``
    under a temporary name and renamed into place only when complete: an
    error or Ctrl-C part way leaves no half-written ``dest`` behind.
    """
    pq = module("pyarrow.parquet")
    count = 0
    with replacing(dest) as partial, pq.ParquetWriter(partial, schema) as writer:
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_batch(record_batch(batch, schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_batch(record_batch(batch, schema))
            count += len(batch)
    return count


def export_file(
    reader: BatchReader[Line], path: str, dest: PathArg, endpoint: str | None
) -> tuple[int, int]:
    """Export the lines ``reader`` (of :func:`reader_of`, for ``endpoint``)
    reads from the file ``path`` to the Parquet file ``dest``; return ``(rows
    written, bad lines skipped)``."""
    count = write_parquet(rows_of(reader, path), dest, arrow_schema(endpoint))
    return count, reader.bad


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

    ``errors="raise"`` stops at the first bad line with its
    :class:`~openai_structs.BatchLineError` (its line and byte within its
    file; the file is named in the error's note) and leaves nothing at
    ``dest``; ``"skip"`` skips bad lines and counts them. ``jobs`` splits the
    files into byte ranges read by that many worker processes; the rows come
    out the same, in the same order. ``progress(done, total)`` is called as
    bytes are read, over all files.

    ``dest`` is written under a temporary name and renamed when complete.
    """
    files = expand_paths(sources)
    columns = endpoint_of_files(files, endpoint)
    fixed = endpoint is not None
    if jobs > 1:
        from ._parallel import export_parallel

        rows, bad = export_parallel(files, dest, columns, fixed, errors, jobs)
        return ExportStats(rows, bad, columns, files)
    sizes = [os.path.getsize(name) for name in files]
    schema = arrow_schema(columns)
    readers: list[BatchReader[Line]] = []

    def all_rows() -> Iterator[Row]:
        before = 0
        for name, size in zip(files, sizes):
            done: Callable[[int, int | None], None] | None = None
            if progress is not None:
                done = _offset(progress, before, sum(sizes))
            reader = reader_of(name, columns, fixed=fixed, errors=errors, progress=done)
            readers.append(reader)
            try:
                yield from rows_of(reader, name)
            except BatchLineError as exc:
                note_file(exc, name)
                raise
            before += size

    count = write_parquet(all_rows(), dest, schema)
    return ExportStats(count, sum(r.bad for r in readers), columns, files)


def _offset(progress: Progress, before: int, total: int) -> Progress:
    """``progress`` for one file of several: its bytes counted after ``before``."""

    def done(n: int, _total: int | None) -> None:
        progress(before + n, total)

    return done
