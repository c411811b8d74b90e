"""Reading typed streams from (async) iterables: :func:`iter_events`,
:func:`aiter_events`, and their WebSocket counterparts for Realtime messages.

Each reads its chunks with one :class:`~openai_structs.streams.EventStreamDecoder`
and stops reading at the end of the stream (``[DONE]``), so the same stream
gives the same events and errors sync and async. The overloads tell type
checkers what each mode yields: ``with_raw=True`` wraps each value in a
:class:`~openai_structs.streams.RawEvent`, ``api_errors="yield"`` adds
:class:`~openai_structs.streams.APIStreamError` to the values.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from itertools import chain
from typing import Any, Literal, TypeVar, overload

from ..core._codec import Decoder
from ..errors import APIStreamError, DecodeError
from ._api_errors import at_event
from ._decoder import ErrorMode, EventStreamDecoder, RawEvent
from ._sse import DEFAULT_MAX_EVENT_SIZE, BytesLike

__all__ = ["aiter_events", "aiter_messages", "iter_events", "iter_messages"]

T = TypeVar("T")


@overload
def iter_events(
    chunks: Iterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: Literal[False] = ...,
    api_errors: Literal["raise"] = ...,
) -> Iterator[T]: ...
@overload
def iter_events(
    chunks: Iterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: Literal[True],
    api_errors: Literal["raise"] = ...,
) -> Iterator[RawEvent[T]]: ...
@overload
def iter_events(
    chunks: Iterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: Literal[False] = ...,
    api_errors: Literal["yield"],
) -> Iterator[T | APIStreamError]: ...
@overload
def iter_events(
    chunks: Iterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: Literal[True],
    api_errors: Literal["yield"],
) -> Iterator[RawEvent[T | APIStreamError]]: ...
@overload
def iter_events(
    chunks: Iterable[BytesLike],
    type: Any,
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: bool = ...,
    api_errors: ErrorMode = ...,
) -> Iterator[Any]: ...
def iter_events(
    chunks: Iterable[BytesLike],
    type: Any,
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    with_raw: bool = False,
    api_errors: ErrorMode = "raise",
) -> Iterator[Any]:
    """Yield each event of an SSE stream read from ``chunks``, decoded into
    ``type``; see :class:`~openai_structs.streams.EventStreamDecoder` for
    the options. Reading stops at ``[DONE]``.

    >>> for chunk in iter_events(response.iter_bytes(), CreateChatCompletionStreamResponse):
    ...     print(chunk.choices[0].delta.content)
    """
    dec = EventStreamDecoder(
        type,
        strict=strict,
        max_event_size=max_event_size,
        with_raw=with_raw,
        api_errors=api_errors,
    )
    # A generator of the lists feed() returns, flattened by chain in C: the
    # Python frame runs once per chunk, not once per event.
    return chain.from_iterable(_lists(dec, chunks))


def _lists(dec: EventStreamDecoder[Any], chunks: Iterable[BytesLike]) -> Iterator[list[Any]]:
    feed = dec.feed
    for chunk in chunks:
        yield feed(chunk)
        if dec.done:
            break  # read no further
    yield dec.close()


@overload
def aiter_events(
    chunks: AsyncIterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: Literal[False] = ...,
    api_errors: Literal["raise"] = ...,
) -> AsyncIterator[T]: ...
@overload
def aiter_events(
    chunks: AsyncIterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: Literal[True],
    api_errors: Literal["raise"] = ...,
) -> AsyncIterator[RawEvent[T]]: ...
@overload
def aiter_events(
    chunks: AsyncIterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: Literal[False] = ...,
    api_errors: Literal["yield"],
) -> AsyncIterator[T | APIStreamError]: ...
@overload
def aiter_events(
    chunks: AsyncIterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: Literal[True],
    api_errors: Literal["yield"],
) -> AsyncIterator[RawEvent[T | APIStreamError]]: ...
@overload
def aiter_events(
    chunks: AsyncIterable[BytesLike],
    type: Any,
    *,
    strict: bool = ...,
    max_event_size: int = ...,
    with_raw: bool = ...,
    api_errors: ErrorMode = ...,
) -> AsyncIterator[Any]: ...
async def aiter_events(
    chunks: AsyncIterable[BytesLike],
    type: Any,
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    with_raw: bool = False,
    api_errors: ErrorMode = "raise",
) -> AsyncIterator[Any]:
    """:func:`iter_events` over an async iterable of chunks."""
    dec = EventStreamDecoder(
        type,
        strict=strict,
        max_event_size=max_event_size,
        with_raw=with_raw,
        api_errors=api_errors,
    )
    feed = dec.feed
    async for chunk in chunks:
        for event in feed(chunk):
            yield event
        if dec.done:
            break
    for event in dec.close():
        yield event


Message = str | bytes | bytearray | memoryview


def iter_messages(messages: Iterable[Message], type: Any, *, strict: bool = False) -> Iterator[Any]:
    """Decode each WebSocket message (text or binary, one JSON event each)
    into ``type``. A failing message raises :class:`StreamDecodeError`
    naming its 0-based index."""
    decode = Decoder(type, strict=strict).decode
    for index, message in enumerate(messages):
        try:
            yield decode(message)
        except DecodeError as exc:
            raise at_event(exc, index, None) from exc


async def aiter_messages(
    messages: AsyncIterable[Message], type: Any, *, strict: bool = False
) -> AsyncIterator[Any]:
    """:func:`iter_messages` over an async iterable of messages."""
    decode = Decoder(type, strict=strict).decode
    index = 0
    async for message in messages:
        try:
            yield decode(message)
        except DecodeError as exc:
            raise at_event(exc, index, None) from exc
        index += 1
