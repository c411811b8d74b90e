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

import glob
import os
from collections.abc import Sequence
from typing import Any

__all__ = ["read_batch_output"]

DEFAULT_BLOCKSIZE = 64 << 20

PathArg = str | os.PathLike[str]


def _expand(paths: PathArg | Sequence[PathArg]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: list[str] = []
    for path in paths:
        name = os.fspath(path)
        if glob.has_magic(name):
            found.extend(sorted(glob.glob(name)))
        else:
            found.append(name)
    missing = [name for name in found if not os.path.isfile(name)]
    if missing:
        raise FileNotFoundError(f"no such file: {missing[0]}")
    if not found:
        raise FileNotFoundError(f"no file matches {paths!r}")
    return found


def _frame(rows: list[dict[str, Any]], endpoint: str | None) -> Any:
    """A pandas frame of export ``rows`` with the export schema's dtypes."""
    import pandas as pd
    import pyarrow as pa

    from ._export import arrow_batch, arrow_schema

    table = pa.Table.from_batches([arrow_batch(rows, arrow_schema(endpoint))])
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _read_range(piece: tuple[str, int, int], endpoint: str | None, fixed: bool, errors: str) -> Any:
    """One partition: the export rows of one byte range of one file, typed as
    a whole-file read types them (the range's reader infers the endpoint from
    the file's start unless ``fixed``)."""
    from ._export import export_rows

    path, start, end = piece
    rows = export_rows(path, endpoint, fixed=fixed, errors=errors, start=start, end=end)
    return _frame(list(rows), endpoint)


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
    those of the first successful line of the first file (all files must
    answer the same endpoint), and each partition types its lines as
    ``iter_batch_output(endpoint=None)`` types the whole file (the endpoint
    inferred from the file's start). Each file is cut into partitions of
    about ``blocksize`` bytes. ``errors`` is ``"raise"`` (a corrupt line fails
    the task, naming its line within the partition and its byte offset in the
    file) or ``"skip"``. Bad lines are those of ``openai-structs batch
    export``: a line whose integers do not fit the columns is one.

    Write it with ``.to_parquet(folder)``; compute it with any scheduler,
    including a ``distributed`` cluster.
    """
    import dask.dataframe as dd

    from ._export import columns_for, first_endpoint
    from ._source import batch_ranges

    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    files = _expand(paths)
    fixed = endpoint is not None
    if endpoint is None:
        endpoint = first_endpoint(files[0])
    columns_for(endpoint)  # fail now on an unknown endpoint, not in a task
    pieces: list[tuple[str, int, int]] = []
    for name in files:
        parts = max(1, -(-os.path.getsize(name) // blocksize))
        pieces.extend((name, start, end) for start, end in batch_ranges(name, parts))
    meta = _frame([], endpoint)
    if not pieces:
        return dd.from_pandas(meta, npartitions=1)
    return dd.from_map(
        _read_range,
        pieces,
        endpoint=endpoint,
        fixed=fixed,
        errors=errors,
        meta=meta,
        enforce_metadata=False,
        divisions=None,
    )
