"""Pairing a batch's requests with its results: :func:`join_batch`.

The API writes output lines in the order requests finish, not the order they
were sent, and a request may have no output line at all (it expired, or the
batch was cancelled); it is in the error file, or nowhere. So the join goes by
``custom_id``: the input file (at most 200 MB, by the API's limit) is indexed,
and the output files are streamed against the index. A request without a
``custom_id`` is a bad line of the input file (the reader says so); a result
without one (the API always writes one) is never paired: it is an unmatched
result.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ._endpoints import BadLine
from ._read import BatchReader, Check, Errors, iter_batch_input
from ._source import BLOCK_SIZE, Source

__all__ = ["BatchJoin", "join_batch"]


class BatchJoin:
    """The requests of a batch paired with their results, by ``custom_id``.

    Iterate it once for ``(request, result)`` pairs, in the order of the
    output file(s): ``request`` a :class:`~openai_structs.BatchRequestInput`,
    ``result`` a :class:`~openai_structs.BatchRequestOutput`. Once it is
    exhausted (or after :meth:`run`), it reports what did not pair:

    - ``unmatched_requests``: requests with no result, in input order;
    - ``unmatched_results``: results whose ``custom_id`` no request has
      (those without a ``custom_id`` too);
    - ``duplicate_requests``: requests whose ``custom_id`` an earlier request
      already had (the API rejects such files; the first one is the one
      paired);
    - ``duplicate_results``: results for a request already paired;
    - ``bad_lines``: with ``errors="collect"``, the :class:`BadLine` records of
      both files (input ones first);
    - ``matched``: the number of pairs.
    """

    def __init__(
        self,
        input: Source,
        outputs: Sequence[Source],
        *,
        endpoint: str | None,
        errors: Errors,
        check: Check | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._check = check
        self.errors: Errors = errors
        self.unmatched_requests: list[Any] = []
        self.unmatched_results: list[Any] = []
        self.duplicate_requests: list[Any] = []
        self.duplicate_results: list[Any] = []
        self.bad_lines: list[BadLine] = []
        self.matched = 0
        self._input = input
        self._outputs = outputs
        self._gen = self._pairs()

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return self._gen

    def __next__(self) -> tuple[Any, Any]:
        return next(self._gen)

    def run(self) -> list[tuple[Any, Any]]:
        """Iterate to the end and return the pairs as a list."""
        return list(self._gen)

    def _pairs(self) -> Iterator[tuple[Any, Any]]:
        pending: dict[str, Any] = {}
        for request in iter_batch_input(self._input, errors=self.errors):
            if isinstance(request, BadLine):
                self.bad_lines.append(request)
                continue
            if request.custom_id in pending:
                self.duplicate_requests.append(request)
            else:
                pending[request.custom_id] = request
        done: set[str] = set()
        for source in self._outputs:
            reader = BatchReader(
                source,
                kind="output",
                endpoint=self.endpoint,
                errors=self.errors,
                start=0,
                end=None,
                progress=None,
                block_size=BLOCK_SIZE,
                check=self._check,
            )
            for result in reader:
                if isinstance(result, BadLine):
                    self.bad_lines.append(result)
                    continue
                cid = result.custom_id  # one that is absent or null pairs with nothing
                request = pending.pop(cid, None)
                if request is not None:
                    done.add(cid)
                    self.matched += 1
                    yield request, result
                elif cid in done:
                    self.duplicate_results.append(result)
                else:
                    self.unmatched_results.append(result)
            if self.endpoint is None:
                self.endpoint = reader.endpoint
        self.unmatched_requests.extend(pending.values())


def join_batch(
    input: Source,
    output: Source | Sequence[Source],
    *,
    endpoint: str | None = None,
    errors: Errors = "raise",
) -> BatchJoin:
    """Pair the requests of ``input`` with the results of ``output`` by ``custom_id``.

    ``input`` is a batch input file; ``output`` an output file, or a list of
    files to read in turn (typically the output file and the error file).
    Each is what :func:`iter_batch_input` and :func:`iter_batch_output`
    accept, and ``endpoint`` and ``errors`` are passed on to them. Returns a
    :class:`BatchJoin`: iterate it for the pairs, then read what did not pair.

    Memory: the input file's requests are held (indexed by ``custom_id``)
    until their result comes; the output is streamed.
    """
    if isinstance(output, (list, tuple)):
        outputs: Sequence[Source] = output
    else:
        outputs = [output]  # type: ignore[list-item]
    return BatchJoin(input, outputs, endpoint=endpoint, errors=errors)
