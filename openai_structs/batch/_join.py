"""Pairing a batch's requests with its results: :func:`join_batch` and :func:`join_parquet`.

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

import os
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeAlias, TypeVar, cast, overload

from ..core._codec import Encoder
from ..errors import BatchLineError
from ._read import Views, iter_batch_input, output_reader
from ._reader import BadLine, Convert, Errors, note_file
from ._source import Parts, PathArg, Progress, Source, size_of

if TYPE_CHECKING:
    from ..types import (
        BatchRequestInput,
        BatchRequestOutput,
        CreateChatCompletionRequest,
        CreateChatCompletionResponse,
        CreateCompletionRequest,
        CreateCompletionResponse,
        CreateEmbeddingRequest,
        CreateEmbeddingResponse,
        CreateImageEditRequest,
        CreateImageRequest,
        CreateModerationRequest,
        CreateModerationResponse,
        CreateResponse,
        CreateVideoJsonBody,
        ErrorResponse,
        ImagesResponse,
        Response,
        VideoResource,
    )
    from ._lines import Row

__all__ = ["BatchJoin", "join_batch", "join_parquet"]

Q = TypeVar("Q")
R = TypeVar("R")


class BatchJoin(Generic[Q, R]):
    """The requests of a batch paired with their results, by ``custom_id``.

    Iterate it once for ``(request, result)`` pairs, in the order of the
    output file(s): ``request`` a :class:`~openai_structs.BatchRequestInput`
    (``Q``), ``result`` a :class:`~openai_structs.BatchRequestOutput` (``R``).
    Once it is exhausted (or after :meth:`run`), it reports what did not pair:

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

    While it runs, ``source`` is the file being read. A bad line raised
    (``errors="raise"``) is noted with its file when that is a path.
    """

    def __init__(
        self,
        input: Source,
        outputs: Sequence[Source],
        *,
        endpoint: str | None,
        errors: Errors,
        views: Views | None = None,
        convert: Convert | None = None,
        custom_id: Callable[[Any], Any] = attrgetter("custom_id"),
        progress: Progress | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.errors: Errors = errors
        self.unmatched_requests: list[Q] = []
        self.unmatched_results: list[R] = []
        self.duplicate_requests: list[Q] = []
        self.duplicate_results: list[R] = []
        self.bad_lines: list[BadLine] = []
        self.matched = 0
        self.source: Source | None = None
        self._input = input
        self._outputs = outputs
        self._views = views
        self._convert = convert
        self._custom_id = custom_id
        self._parts = Parts([input, *outputs], progress)
        self._gen = self._pairs()

    def __iter__(self) -> Iterator[tuple[Q, R]]:
        return self._gen

    def __next__(self) -> tuple[Q, R]:
        return next(self._gen)

    def run(self) -> list[tuple[Q, R]]:
        """Iterate to the end and return the pairs as a list."""
        return list(self._gen)

    def custom_ids(self, items: Sequence[Any]) -> list[str | None]:
        """The ``custom_id`` of each request or result of one of the lists
        above (None for a result without one)."""
        ids: list[str | None] = []
        for item in items:
            cid: object = self._custom_id(item) if isinstance(item, tuple) else item.custom_id
            ids.append(cid if isinstance(cid, str) else None)
        return ids

    def _pairs(self) -> Iterator[tuple[Any, Any]]:
        try:
            yield from self._read(self._input)
        except BatchLineError as exc:
            note_file(exc, self.source)
            raise

    def _read(self, input: Source) -> Iterator[tuple[Any, Any]]:
        pending: dict[str, Any] = {}
        self.source = input
        parts = self._parts
        requests = iter_batch_input(input, errors=self.errors, progress=parts.of(size_of(input)))
        for request in requests:
            if isinstance(request, BadLine):
                self.bad_lines.append(request)
                continue
            custom_id = cast(str, request.custom_id)  # the reader let none through without
            if custom_id in pending:
                self.duplicate_requests.append(cast(Q, request))
            else:
                pending[custom_id] = request
        done: set[str] = set()
        for source in self._outputs:
            self.source = source
            reader = output_reader(
                source,
                endpoint=self.endpoint,
                views=self._views,
                errors=self.errors,
                convert=self._convert,
                progress=parts.of(size_of(source)),
            )
            for result in reader:
                if isinstance(result, BadLine):
                    self.bad_lines.append(result)
                    continue
                cid = self._custom_id(result)  # one that is absent or null pairs with nothing
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


if TYPE_CHECKING:
    Join: TypeAlias = BatchJoin[BatchRequestInput[Q], BatchRequestOutput[R | ErrorResponse]]
    Outputs = Source | Sequence[Source]
    Kept = Literal["raise", "skip"]
    Collect = Literal["collect"]


# fmt: off
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: Literal["/v1/chat/completions"], errors: Kept = ...) -> Join[CreateChatCompletionRequest, CreateChatCompletionResponse]: ...
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: Literal["/v1/responses"], errors: Kept = ...) -> Join[CreateResponse, Response]: ...
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: Literal["/v1/embeddings"], errors: Kept = ...) -> Join[CreateEmbeddingRequest, CreateEmbeddingResponse]: ...
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: Literal["/v1/completions"], errors: Kept = ...) -> Join[CreateCompletionRequest, CreateCompletionResponse]: ...
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: Literal["/v1/moderations"], errors: Kept = ...) -> Join[CreateModerationRequest, CreateModerationResponse]: ...
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: Literal["/v1/images/generations"], errors: Kept = ...) -> Join[CreateImageRequest, ImagesResponse]: ...
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: Literal["/v1/images/edits"], errors: Kept = ...) -> Join[CreateImageEditRequest, ImagesResponse]: ...
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: Literal["/v1/videos"], errors: Kept = ...) -> Join[CreateVideoJsonBody, VideoResource]: ...
@overload
def join_batch(input: Source, output: Outputs, *, endpoint: str | None = ..., errors: Errors = ...) -> Join[Any, Any]: ...
# fmt: on
def join_batch(
    input: Source,
    output: Source | Sequence[Source],
    *,
    endpoint: str | None = None,
    errors: Errors = "raise",
) -> BatchJoin[Any, Any]:
    """Pair the requests of ``input`` with the results of ``output`` by ``custom_id``.

    ``input`` is a batch input file; ``output`` an output file, or a list of
    files to read in turn (typically the output file and the error file).
    Each is what :func:`iter_batch_input` and :func:`iter_batch_output`
    accept, and ``endpoint`` and ``errors`` are passed on to them. Returns a
    :class:`BatchJoin`: iterate it for the pairs, then read what did not pair.
    With ``errors="collect"``, bad lines are in ``bad_lines``, not among the
    pairs.

    Memory: the input file's requests are held (indexed by ``custom_id``)
    until their result comes; the output is streamed.
    """
    return BatchJoin(input, _outputs(output), endpoint=endpoint, errors=errors)


def _outputs(output: Source | Sequence[Source]) -> list[Source]:
    if isinstance(output, (list, tuple)):
        return list(cast("Sequence[Source]", output))
    return [cast(Source, output)]


def join_parquet(
    input: PathArg,
    output: PathArg | Sequence[PathArg],
    dest: PathArg,
    *,
    endpoint: str | None = None,
    progress: Progress | None = None,
) -> BatchJoin[BatchRequestInput[Any], Row]:
    """Pair requests with results (as :func:`join_batch`) into the Parquet
    file ``dest``: a row per pair, with the export's columns of the result
    (see :func:`export_parquet`) and ``request``, the request body as JSON
    text (as it came, unknown items included), before the last two; then a
    row per request that got no result (only ``custom_id``, ``request`` and
    ``endpoint`` set). Returns the exhausted :class:`BatchJoin`, whose lists
    say what did not pair; its pairs hold each result as the export reads it
    (a row of :class:`~._lines.LineReader`), not its typed line.

    A bad line of either file raises its
    :class:`~openai_structs.BatchLineError`, and nothing is left at ``dest``.
    ``progress(done, total)`` is told the bytes read over all the files.
    """
    from ._export import arrow_schema, endpoint_of_files, record_batches, write_parquet
    from ._lines import CUSTOM_ID, LineReader, views

    paths = [output] if isinstance(output, (str, os.PathLike)) else output
    outputs = [os.fspath(name) for name in paths]
    columns = endpoint_of_files(outputs, endpoint)
    joined: BatchJoin[BatchRequestInput[Any], Row] = BatchJoin(
        input,
        outputs,
        endpoint=endpoint,
        errors="raise",
        views=views,
        convert=LineReader(columns),
        custom_id=itemgetter(CUSTOM_ID),
        progress=progress,
    )
    encode = Encoder().encode  # writes unknown variants back as they came
    schema = arrow_schema(columns, {"request": "string"})
    width = len(schema) - 4  # the result's columns before ``request`` and the last two

    def rows() -> Iterator[Row]:
        for request, row in joined:
            source = joined.source if isinstance(joined.source, str) else None
            yield (*row[:-1], encode(request.body).decode(), row[-1], source)
        for request in joined.unmatched_requests:
            body = encode(request.body).decode()
            yield (request.custom_id, *(None,) * width, body, columns, None)

    write_parquet(record_batches(rows(), schema), dest, schema)
    return joined
