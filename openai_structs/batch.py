"""Batch API files: typed input, output and error JSONL, read in bounded memory.

Everything here is re-exported from the private modules that implement it
(``_batch_read``, ``_batch_source``, ``_batch_types``, ``_batch_write``,
``_batch_join``); see ``docs/batch.md`` for a guide.
"""

from ._batch_join import BatchJoin, join_batch
from ._batch_read import (
    BatchReader,
    iter_batch_input,
    iter_batch_output,
)
from ._batch_source import batch_ranges
from ._batch_summary import (
    BatchSummary,
    ModelUsage,
    summarize_batch,
)
from ._batch_types import (
    ENDPOINTS,
    BadLine,
    BatchLineError,
)
from ._batch_write import (
    BatchInputError,
    BatchInputStats,
    write_batch_input,
)

__all__ = [
    "ENDPOINTS",
    "BadLine",
    "BatchInputError",
    "BatchInputStats",
    "BatchJoin",
    "BatchLineError",
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
