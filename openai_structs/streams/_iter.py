"""Reading typed streams from (async) iterables: :func:`iter_events`,
:func:`aiter_events`, and their WebSocket counterparts for Realtime messages.

Each reads its chunks with one :class:`~openai_structs.streams.EventStreamDecoder`
and stops reading at the end of the stream (``[DONE]``), so the same stream
gives the same events and errors sync and async. They take the decoder's
arguments after the chunks, and type checkers see what the decoder yields in
each mode: ``with_raw=True`` wraps each value in a
:class:`~openai_structs.streams.RawEvent`, ``api_errors="yield"`` adds
:class:`~openai_structs.APIStreamError` to the values.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeVar

from ..core._codec import Decoder
from ..errors import DecodeError
from ._api_errors import at_event
from ._decoder import EventStreamDecoder
from ._sse import BytesLike

if TYPE_CHECKING:
    from typing import Concatenate

    from typing_extensions import ParamSpec, Unpack

    from ._decoder import Options

    P = ParamSpec("P")

__all__ = ["aiter_events", "aiter_messages", "iter_events", "iter_messages"]

V = TypeVar("V")


def _read(chunks: Iterable[BytesLike], type: Any, **options: Unpack[Options]) -> Iterator[Any]:
    """Yield each event of an SSE stream read from ``chunks``, decoded into
    ``type``; ``options`` are those of
    :class:`~openai_structs.streams.EventStreamDecoder`. Reading stops at
    ``[DONE]``.

    >>> for chunk in iter_events(response.iter_bytes(), CreateChatCompletionStreamResponse):
    ...     print(chunk.choices[0].delta.content)
    """
    dec = EventStreamDecoder(type, **options)
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


async def _aread(
    chunks: AsyncIterable[BytesLike], type: Any, **options: Unpack[Options]
) -> AsyncIterator[Any]:
    """:func:`iter_events` over an async iterable of chunks."""
    dec = EventStreamDecoder(type, **options)
    feed = dec.feed
    async for chunk in chunks:
        for event in feed(chunk):
            yield event
        if dec.done:
            break
    for event in dec.close():
        yield event


def _reader(
    fn: Callable[..., Iterator[Any]], decoder: Callable[P, EventStreamDecoder[V]]
) -> Callable[Concatenate[Iterable[BytesLike], P], Iterator[V]]:
    """``fn``, typed as the ``decoder`` it reads with, mode by mode."""
    return fn


def _async_reader(
    fn: Callable[..., AsyncIterator[Any]], decoder: Callable[P, EventStreamDecoder[V]]
) -> Callable[Concatenate[AsyncIterable[BytesLike], P], AsyncIterator[V]]:
    """``fn``, typed as the ``decoder`` it reads with, mode by mode."""
    return fn


iter_events = _reader(_read, EventStreamDecoder)
aiter_events = _async_reader(_aread, EventStreamDecoder)
_read.__name__ = _read.__qualname__ = "iter_events"
_aread.__name__ = _aread.__qualname__ = "aiter_events"


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
