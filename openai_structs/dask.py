"""Batch output files as a Dask dataframe; see :func:`read_batch_output`.

Needs the ``dask`` extra. The implementation is in ``openai_structs.batch._dask``.
"""

from .batch._dask import read_batch_output

__all__ = ["read_batch_output"]
