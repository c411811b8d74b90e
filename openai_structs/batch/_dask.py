"""Batch output files on Dask: many files, many GB, one dataframe.

:func:`read_batch_output` cuts each file into byte ranges that start and end
on line boundaries, and gives each range to a task that reads it with
:func:`~openai_structs.batch.iter_batch_output` and flattens its lines into
the export schema of :mod:`openai_structs.batch._export`. The partitions come out
in file order and, within a file, in line order, so the dataframe holds the
same rows, in the same order, as ``openai-structs batch export`` writes.

Needs the ``dask`` extra (dask with its dataframe support, distributed) and the
``arrow`` extra (pyarrow). Columns are pandas' pyarrow-backed dtypes, so
nullable integers stay integers and ``tool_calls`` stays a list of structs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ._reader import Errors
from ._source import PathArg, expand_paths

__all__ = ["read_batch_output"]

DEFAULT_BLOCKSIZE = 64 << 20


def _frame(batches: list[Any], endpoint: str | None) -> Any:
    """A pandas frame of the export's record ``batches``, with the export
    schema's dtypes."""
    from ._export import arrow_schema, module

    pd, pa = module("pandas"), module("pyarrow")
    table = pa.Table.from_batches(batches, arrow_schema(endpoint))
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _read_range(
    piece: tuple[str, int, int], endpoint: str | None, fixed: bool, errors: Errors
) -> Any:
    """One partition: the export rows of one byte range of one file, typed as
    a whole-file read types them (the range's reader infers the endpoint from
    the file's start unless ``fixed``)."""
    from ._export import batches_of, reader_of
    from ._reader import fewer_collections

    path, start, end = piece
    reader = reader_of(path, endpoint, fixed=fixed, errors=errors, start=start, end=end)
    with fewer_collections():
        return _frame(list(batches_of(reader, path)), endpoint)


def read_batch_output(
    paths: PathArg | Sequence[PathArg],
    *,
    endpoint: str | None = None,
    blocksize: int = DEFAULT_BLOCKSIZE,
    errors: str = "raise",
) -> Any:
    """A lazy ``dask.dataframe.DataFrame`` of the export rows of batch output files.

    ``paths`` is a path, a glob (``"out/*.jsonl"``) or a list of them.
    ``endpoint`` picks the columns and body types; left None, the columns are
    those of the endpoint the files' first successful lines answer (they must
    agree), and each partition types its lines as
    ``iter_batch_output(endpoint=None)`` types the whole file (the endpoint
    inferred from the file's start). Each file is cut into partitions of
    about ``blocksize`` bytes. ``errors`` is ``"raise"`` (a corrupt line fails
    the task, naming its line within the partition and its byte offset in the
    file) or ``"skip"``. Bad lines are those of ``openai-structs batch
    export``: a line whose integers do not fit the columns is one. The rows
    are those of :func:`~openai_structs.batch.export_parquet`, in the same
    order.

    Write it with ``.to_parquet(folder)``; compute it with any scheduler,
    including a ``distributed`` cluster.
    """
    from ._export import endpoint_of_files, module
    from ._source import batch_ranges

    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    dd = module("dask.dataframe")
    files = expand_paths(paths)
    fixed = endpoint is not None
    columns = endpoint_of_files(files, endpoint)
    pieces: list[tuple[str, int, int]] = []
    for name in files:
        parts = max(1, -(-os.path.getsize(name) // blocksize))
        pieces.extend((name, start, end) for start, end in batch_ranges(name, parts))
    meta = _frame([], columns)
    if not pieces:
        return dd.from_pandas(meta, npartitions=1)
    return dd.from_map(
        _read_range,
        pieces,
        endpoint=columns,
        fixed=fixed,
        errors=errors,
        meta=meta,
        enforce_metadata=False,
        divisions=None,
    )
