"""What a type checker sees of the batch readers (checked by
``tests/test_batch_typing.py``, never run): each endpoint's body type, error
bodies, bad lines with ``errors="collect"``, joins and summaries."""

from __future__ import annotations

from typing import Any

import msgspec
from typing_extensions import assert_type, reveal_type

from openai_structs import (
    BadLine,
    BatchReader,
    BatchRequestInput,
    BatchRequestOutput,
    BatchSummary,
    CreateChatCompletionRequest,
    CreateChatCompletionResponse,
    CreateEmbeddingResponse,
    CreateModerationResponse,
    CreateResponse,
    ErrorResponse,
    ExportStats,
    ImagesResponse,
    Response,
    VideoResource,
    export_parquet,
    iter_batch_input,
    iter_batch_output,
    join_batch,
    join_parquet,
    summarize_batch,
)

Chat = BatchRequestOutput[CreateChatCompletionResponse | ErrorResponse]

# an endpoint given: every line's body is that endpoint's type, or an error body
chat = iter_batch_output("out.jsonl", endpoint="/v1/chat/completions")
# fmt: off
reveal_type(chat)  # revealed: BatchReader[BatchRequestOutput[CreateChatCompletionResponse | ErrorResponse]]
# fmt: on
for line in chat:
    assert_type(line, Chat)
    if line.response:
        body = line.response.body
        if isinstance(body, ErrorResponse):
            assert_type(body.error.message, str)
        elif body:
            assert_type(body, CreateChatCompletionResponse)
assert_type(chat.good, int)
assert_type(chat.endpoint, str | None)

assert_type(
    iter_batch_output(b"", endpoint="/v1/responses"),
    BatchReader[BatchRequestOutput[Response | ErrorResponse]],
)
assert_type(
    iter_batch_output(b"", endpoint="/v1/embeddings", errors="skip"),
    BatchReader[BatchRequestOutput[CreateEmbeddingResponse | ErrorResponse]],
)
assert_type(
    iter_batch_output(b"", endpoint="/v1/moderations", start=0, end=10),
    BatchReader[BatchRequestOutput[CreateModerationResponse | ErrorResponse]],
)
assert_type(
    iter_batch_output(b"", endpoint="/v1/images/edits"),
    BatchReader[BatchRequestOutput[ImagesResponse | ErrorResponse]],
)
assert_type(
    iter_batch_output(b"", endpoint="/v1/videos"),
    BatchReader[BatchRequestOutput[VideoResource | ErrorResponse]],
)
# inferred, or an endpoint only known at run time: the body is not known statically
assert_type(iter_batch_output(b""), BatchReader[BatchRequestOutput[Any]])


def read(endpoint: str) -> None:
    assert_type(iter_batch_output(b"", endpoint=endpoint), BatchReader[BatchRequestOutput[Any]])


# errors="collect": bad lines come in place of lines
collected = iter_batch_output(b"", endpoint="/v1/chat/completions", errors="collect")
for item in collected:
    if isinstance(item, BadLine):
        assert_type(item.raw, bytes)
assert_type(collected, BatchReader[BatchRequestOutput[Any] | BadLine])
assert_type(iter_batch_input(b""), BatchReader[BatchRequestInput[Any]])
assert_type(iter_batch_input(b"", errors="collect"), BatchReader[BatchRequestInput[Any] | BadLine])


# a view of the body: lines typed by it
class ModelOnly(msgspec.Struct):
    model: str


viewed = iter_batch_output(b"", body=ModelOnly, endpoint="/v1/chat/completions")
assert_type(viewed, BatchReader[BatchRequestOutput[ModelOnly | ErrorResponse]])
assert_type(
    iter_batch_output(b"", body=ModelOnly, errors="collect"),
    BatchReader[BatchRequestOutput[ModelOnly | ErrorResponse] | BadLine],
)

# joins pair the endpoint's request type with its result type
join = join_batch("in.jsonl", ["out.jsonl"], endpoint="/v1/chat/completions")
for request, result in join:
    assert_type(request, BatchRequestInput[CreateChatCompletionRequest])
    assert_type(result, Chat)
pairs = join_batch("in.jsonl", "out.jsonl", endpoint="/v1/responses").run()
# fmt: off
reveal_type(pairs)  # revealed: list[tuple[BatchRequestInput[CreateResponse], BatchRequestOutput[Response | ErrorResponse]]]
# fmt: on
assert_type(join.unmatched_requests, list[BatchRequestInput[CreateChatCompletionRequest]])
assert_type(join.unmatched_results, list[Chat])

# summaries and Parquet
summary = summarize_batch("out.jsonl")
assert_type(summary, BatchSummary)
assert_type(summary.bad_lines, list[BadLine])
assert_type(summary.failed_ids, list[str])
assert_type(export_parquet(["a.jsonl", "b.jsonl"], "out.parquet"), ExportStats)
assert_type(
    join_parquet("in.jsonl", "out.jsonl", "joined.parquet").unmatched_requests,
    list[BatchRequestInput[Any]],
)
assert_type(CreateResponse, type[CreateResponse])
