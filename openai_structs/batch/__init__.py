"""Batch API files: typed input, output and error JSONL, read in bounded memory.

- :func:`iter_batch_output` and :func:`iter_batch_input` read a file line by
  line, typed (a :class:`BatchReader` that counts as it goes); bad lines are
  raised, skipped or collected as :class:`BadLine` records;
- :func:`write_batch_input` writes an input file, and
  :func:`validate_batch_input` checks one, with the checks the API makes
  before it accepts a file;
- :func:`join_batch` pairs requests with results by ``custom_id``, and
  :func:`join_parquet` writes the pairs as Parquet;
- :func:`summarize_batch` counts a file in one pass (:class:`BatchSummary`),
  and :func:`line_usage` reads one line's tokens by the same rule
  (:class:`LineUsage`: ``prompt_tokens`` and ``input_tokens`` alike);
- :func:`export_parquet` writes files as one Parquet table, a row per line;
- :func:`batch_ranges` cuts a file into byte ranges for workers;
- views (``iter_batch_output(path, body=MyView)``, :func:`check_view`):
  decode only the fields you read;
- :data:`ENDPOINTS` holds an :class:`Endpoint` record per endpoint: every
  fact the package keeps about it.

By module: ``_endpoints`` (the registry), ``_source`` (where the bytes come
from, in blocks of lines), ``_reader`` (the reader) and ``_read`` (output and
input lines), ``_usage`` and ``_bodies`` (what a body says) and ``_lines``
(one reading of an output line, for the summary and the export),
``_views`` (views: the check, and the projection of a full value),
``_summary``, ``_export`` (Parquet, in one process or ``jobs``), ``_join``, ``_write``,
``_jobs`` (the worker processes of ``jobs=``) and ``_dask``. See
``docs/batch.md`` for a guide. Errors:
:class:`~openai_structs.BatchLineError` and
:class:`~openai_structs.BatchInputError` (:mod:`openai_structs.errors`).
"""

from ._endpoints import ENDPOINTS, Endpoint
from ._export import ExportStats, export_parquet
from ._join import BatchJoin, join_batch, join_parquet
from ._read import iter_batch_input, iter_batch_output
from ._reader import BadLine, BatchReader
from ._source import batch_ranges
from ._summary import BatchSummary, ModelUsage, summarize_batch
from ._usage import LineUsage, line_usage
from ._views import check_view
from ._write import BatchInputStats, validate_batch_input, write_batch_input

__all__ = [
    "ENDPOINTS",
    "BadLine",
    "BatchInputStats",
    "BatchJoin",
    "BatchReader",
    "BatchSummary",
    "Endpoint",
    "ExportStats",
    "LineUsage",
    "ModelUsage",
    "batch_ranges",
    "check_view",
    "export_parquet",
    "iter_batch_input",
    "iter_batch_output",
    "join_batch",
    "join_parquet",
    "line_usage",
    "summarize_batch",
    "validate_batch_input",
    "write_batch_input",
]
