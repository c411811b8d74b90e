"""What a type checker sees of the typed streams (checked by
``tests/test_stream_typing.py``, never run): each mode's values, for the
per-API functions, the generic core and the push decoder."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from typing_extensions import assert_type, reveal_type

from openai_structs import (
    APIStreamError,
    ChatCompletionAccumulator,
    CreateChatCompletionStreamResponse,
    ResponseAccumulator,
    ResponseStreamEvent,
)
from openai_structs.streams import (
    EventStreamDecoder,
    RawEvent,
    aiter_chat_completion_chunks,
    aiter_events,
    iter_chat_completion_chunks,
    iter_events,
    iter_response_events,
)

Chunk = CreateChatCompletionStreamResponse
chunks = [b"data: {}\n\n"]

# the default: the typed values
assert_type(iter_chat_completion_chunks(chunks), Iterator[Chunk])
assert_type(iter_response_events(chunks), Iterator[ResponseStreamEvent])
# with_raw: each value with its bytes and event name
raw = iter_chat_completion_chunks(chunks, with_raw=True)
reveal_type(raw)  # revealed: Iterator[RawEvent[CreateChatCompletionStreamResponse]]
for item in raw:
    assert_type(item.value, Chunk)
    assert_type(item.data, bytes)
    assert_type(item.event, str | None)
# api_errors="yield": API errors among the values
assert_type(
    iter_chat_completion_chunks(chunks, api_errors="yield"), Iterator[Chunk | APIStreamError]
)
both = iter_chat_completion_chunks(chunks, strict=True, with_raw=True, api_errors="yield")
assert_type(both, Iterator[RawEvent[Chunk | APIStreamError]])
for item in both:
    value = item.value
    if isinstance(value, APIStreamError):
        assert_type(value.message, str)
    else:
        assert_type(value, Chunk)
# the accumulators take what a yielding stream gives
chat = ChatCompletionAccumulator()
for value in iter_chat_completion_chunks(chunks, api_errors="yield"):
    chat.add(value)
events = ResponseAccumulator()
for event in iter_response_events(chunks, api_errors="yield"):
    events.add(event)


async def read(source: AsyncIterator[bytes]) -> None:
    stream = aiter_chat_completion_chunks(source, with_raw=True)
    assert_type(stream, AsyncIterator[RawEvent[Chunk]])
    assert_type(aiter_events(source, Chunk), AsyncIterator[Chunk])
    assert_type(
        aiter_events(source, Chunk, with_raw=True, api_errors="yield"),
        AsyncIterator[RawEvent[Chunk | APIStreamError]],
    )


# the generic core: a class gives its type, a union alias gives Any
assert_type(iter_events(chunks, Chunk), Iterator[Chunk])
assert_type(iter_events(chunks, Chunk, strict=True, max_event_size=1), Iterator[Chunk])
assert_type(iter_events(chunks, Chunk, with_raw=True), Iterator[RawEvent[Chunk]])
assert_type(iter_events(chunks, Chunk, api_errors="yield"), Iterator[Chunk | APIStreamError])
assert_type(iter_events(chunks, ResponseStreamEvent), Iterator[Any])
# the push decoder
decoder = EventStreamDecoder(Chunk)
reveal_type(decoder)  # revealed: EventStreamDecoder[CreateChatCompletionStreamResponse]
assert_type(EventStreamDecoder(Chunk, with_raw=True).feed(b""), list[RawEvent[Chunk]])
assert_type(EventStreamDecoder(Chunk, api_errors="yield").feed(b""), list[Chunk | APIStreamError])
