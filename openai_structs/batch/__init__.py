"""Batch API files: typed input, output and error JSONL, read in bounded memory.

- :func:`iter_batch_output` and :func:`iter_batch_input` read a file line by
  line, typed (a :class:`BatchReader` that counts as it goes); bad lines are
  raised, skipped or collected as :class:`BadLine` records;
- :func:`write_batch_input` writes an input file with the checks the API
  makes before it accepts one;
- :func:`join_batch` pairs requests with results by ``custom_id``;
- :func:`summarize_batch` counts a file in one pass (:class:`BatchSummary`);
- :func:`batch_ranges` cuts a file into byte ranges for workers.

By module: ``_source`` (where the bytes come from, in blocks of lines),
``_endpoints`` (the endpoints and their body types, probes), ``_read``,
``_write``, ``_join``, ``_summary``, ``_export`` (rows and Parquet), ``_jobs``
(the worker processes of ``--jobs``) and ``_dask``. See ``docs/batch.md`` for
a guide. Errors: :class:`~openai_structs.BatchLineError` and
:class:`~openai_structs.BatchInputError` (:mod:`openai_structs.errors`).
"""

from ._endpoints import ENDPOINTS, BadLine
from ._join import BatchJoin, join_batch
from ._read import BatchReader, iter_batch_input, iter_batch_output
from ._source import batch_ranges
from ._summary import BatchSummary, ModelUsage, summarize_batch
from ._write import BatchInputStats, write_batch_input

__all__ = [
    "ENDPOINTS",
    "BadLine",
    "BatchInputStats",
    "BatchJoin",
    "BatchReader",
    "BatchSummary",
    "ModelUsage",
    "batch_ranges",
    "iter_batch_input",
    "iter_batch_output",
    "join_batch",
    "summarize_batch",
    "write_batch_input",
]
