"""One typed stream per streaming OpenAI API, each one line over
:func:`~openai_structs.streaming.iter_events` (or ``aiter_events``).

Each ``iter_X(chunks)`` reads an iterable of bytes-like chunks (split
anywhere) and yields typed events; ``aiter_X(chunks)`` reads an async
iterable. The event types come from the lazy index, so importing this
module loads no generated module; the first call does.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, Union

import msgspec

from ._sse import DEFAULT_MAX_EVENT_SIZE, BytesLike
from ._streaming import Message, aiter_events, aiter_messages, iter_events, iter_messages

if TYPE_CHECKING:
    from .types import (
        AssistantStreamEvent,
        CreateChatCompletionStreamResponse,
        CreateCompletionResponse,
        CreateSpeechResponseStreamEvent,
        CreateTranscriptionResponseStreamEvent,
        ImageEditStreamEvent,
        ImageGenStreamEvent,
        RealtimeServerEvent,
        ResponseStreamEvent,
    )

__all__ = [
    "aiter_assistant_events",
    "aiter_chat_completion_chunks",
    "aiter_completion_chunks",
    "aiter_image_edit_events",
    "aiter_image_generation_events",
    "aiter_realtime_events",
    "aiter_response_events",
    "aiter_speech_events",
    "aiter_transcription_events",
    "iter_assistant_events",
    "iter_chat_completion_chunks",
    "iter_completion_chunks",
    "iter_image_edit_events",
    "iter_image_generation_events",
    "iter_realtime_events",
    "iter_response_events",
    "iter_speech_events",
    "iter_transcription_events",
]


@cache
def completion_chunk_type() -> Any:
    """The type of a legacy completions stream chunk.

    The spec has no schema for these chunks: streaming sends
    ``CreateCompletionResponse`` objects, but with ``finish_reason: null``
    on every chunk until the last and ``usage: null`` (or a null
    ``system_fingerprint``), which that schema does not allow. So each chunk
    decodes into ``CompletionChunk``, a subclass of
    ``CreateCompletionResponse`` (``isinstance`` holds) whose choices are a
    subclass of ``CreateCompletionResponseChoicesItem``; the only change is
    that those three fields also accept null.
    """
    base = _t("CreateCompletionResponse")
    choice = _t("CreateCompletionResponseChoicesItem")
    finish, usage, fingerprint = (
        _field(choice, "finish_reason"),
        _field(base, "usage"),
        _field(base, "system_fingerprint"),
    )
    item = msgspec.defstruct(
        "CompletionChunkChoice",
        [("finish_reason", Union[finish.type, None])],  # noqa: UP007 - a runtime type
        bases=(choice,),
        frozen=True,
        kw_only=True,
        module=__name__,
    )
    return msgspec.defstruct(
        "CompletionChunk",
        [
            ("choices", list[item]),  # type: ignore[valid-type]
            ("usage", Union[usage.type, None], usage.default),  # noqa: UP007
            ("system_fingerprint", Union[fingerprint.type, None], fingerprint.default),  # noqa: UP007
        ],
        bases=(base,),
        frozen=True,
        kw_only=True,
        module=__name__,
    )


def _field(cls: Any, name: str) -> msgspec.structs.FieldInfo:
    return next(f for f in msgspec.structs.fields(cls) if f.name == name)


def _t(name: str) -> Any:
    from . import types  # the lazy index: loads nothing until a name is asked for

    return getattr(types, name)


def iter_chat_completion_chunks(
    chunks: Iterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[CreateChatCompletionStreamResponse]:
    """Yield the chunks of a chat completion stream (``stream=True`` on
    ``/chat/completions``). ``data: [DONE]`` ends it; a ``data: {"error": ...}``
    payload raises :class:`APIStreamError`.
    """
    return iter_events(
        chunks,
        _t("CreateChatCompletionStreamResponse"),
        strict=strict,
        max_event_size=max_event_size,
    )


def aiter_chat_completion_chunks(
    chunks: AsyncIterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[CreateChatCompletionStreamResponse]:
    """:func:`iter_chat_completion_chunks` over an async iterable of chunks."""
    return aiter_events(
        chunks,
        _t("CreateChatCompletionStreamResponse"),
        strict=strict,
        max_event_size=max_event_size,
    )


def iter_response_events(
    chunks: Iterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[ResponseStreamEvent]:
    """Yield the events of a Responses API stream, members of
    ``ResponseStreamEvent``; new event types arrive as ``UnknownType``. Works the
    same for background streams and for streams resumed with ``starting_after``
    (which begin at a later ``sequence_number``, with no ``response.created``).
    An ``error`` event raises :class:`APIStreamError` carrying the
    ``ResponseErrorEvent``.
    """
    return iter_events(
        chunks, _t("ResponseStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def aiter_response_events(
    chunks: AsyncIterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[ResponseStreamEvent]:
    """:func:`iter_response_events` over an async iterable of chunks."""
    return aiter_events(
        chunks, _t("ResponseStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def iter_assistant_events(
    chunks: Iterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[AssistantStreamEvent]:
    """Yield the events of an Assistants run stream, chosen by the SSE
    ``event`` name: ``thread.run.*`` give ``data: RunObject``,
    ``thread.message.delta`` gives ``data: MessageDeltaObject`` and so on (the
    members of ``AssistantStreamEvent``, each with ``.event`` and ``.data``).
    ``done`` ends the stream, ``error`` raises :class:`APIStreamError`, an
    unknown name gives an ``UnknownEvent``.
    """
    return iter_events(
        chunks, _t("AssistantStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def aiter_assistant_events(
    chunks: AsyncIterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[AssistantStreamEvent]:
    """:func:`iter_assistant_events` over an async iterable of chunks."""
    return aiter_events(
        chunks, _t("AssistantStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def iter_completion_chunks(
    chunks: Iterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[CreateCompletionResponse]:
    """Yield the chunks of a legacy completions stream (``/completions``
    with ``stream=True``); ``[DONE]`` ends it. Each chunk is a
    ``CreateCompletionResponse`` (a subclass that lets ``finish_reason``,
    ``usage`` and ``system_fingerprint`` be null, as streams send them; see
    :func:`completion_chunk_type`).
    """
    return iter_events(
        chunks, completion_chunk_type(), strict=strict, max_event_size=max_event_size
    )


def aiter_completion_chunks(
    chunks: AsyncIterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[CreateCompletionResponse]:
    """:func:`iter_completion_chunks` over an async iterable of chunks."""
    return aiter_events(
        chunks, completion_chunk_type(), strict=strict, max_event_size=max_event_size
    )


def iter_speech_events(
    chunks: Iterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[CreateSpeechResponseStreamEvent]:
    """Yield the events of a speech stream (``/audio/speech`` with
    ``stream_format="sse"``): ``speech.audio.delta`` and ``speech.audio.done``.
    """
    return iter_events(
        chunks, _t("CreateSpeechResponseStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def aiter_speech_events(
    chunks: AsyncIterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[CreateSpeechResponseStreamEvent]:
    """:func:`iter_speech_events` over an async iterable of chunks."""
    return aiter_events(
        chunks, _t("CreateSpeechResponseStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def iter_transcription_events(
    chunks: Iterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[CreateTranscriptionResponseStreamEvent]:
    """Yield the events of a transcription stream
    (``/audio/transcriptions`` with ``stream=True``): ``transcript.text.delta``,
    ``transcript.text.segment`` and ``transcript.text.done``.
    """
    return iter_events(
        chunks,
        _t("CreateTranscriptionResponseStreamEvent"),
        strict=strict,
        max_event_size=max_event_size,
    )


def aiter_transcription_events(
    chunks: AsyncIterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[CreateTranscriptionResponseStreamEvent]:
    """:func:`iter_transcription_events` over an async iterable of chunks."""
    return aiter_events(
        chunks,
        _t("CreateTranscriptionResponseStreamEvent"),
        strict=strict,
        max_event_size=max_event_size,
    )


def iter_image_generation_events(
    chunks: Iterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[ImageGenStreamEvent]:
    """Yield the events of an image generation stream
    (``/images/generations`` with ``stream=True``):
    ``image_generation.partial_image`` and ``image_generation.completed``.
    """
    return iter_events(
        chunks, _t("ImageGenStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def aiter_image_generation_events(
    chunks: AsyncIterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[ImageGenStreamEvent]:
    """:func:`iter_image_generation_events` over an async iterable of chunks."""
    return aiter_events(
        chunks, _t("ImageGenStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def iter_image_edit_events(
    chunks: Iterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[ImageEditStreamEvent]:
    """Yield the events of an image edit stream (``/images/edits`` with
    ``stream=True``): ``image_edit.partial_image`` and ``image_edit.completed``.
    """
    return iter_events(
        chunks, _t("ImageEditStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def aiter_image_edit_events(
    chunks: AsyncIterable[BytesLike],
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[ImageEditStreamEvent]:
    """:func:`iter_image_edit_events` over an async iterable of chunks."""
    return aiter_events(
        chunks, _t("ImageEditStreamEvent"), strict=strict, max_event_size=max_event_size
    )


def iter_realtime_events(
    messages: Iterable[Message], *, strict: bool = False
) -> Iterator[RealtimeServerEvent]:
    """Yield the ``RealtimeServerEvent`` of each Realtime API WebSocket message
    (text or binary, one JSON event each). An ``error`` event is yielded like
    any other: a Realtime session goes on after one."""
    return iter_messages(messages, _t("RealtimeServerEvent"), strict=strict)


def aiter_realtime_events(
    messages: AsyncIterable[Message], *, strict: bool = False
) -> AsyncIterator[RealtimeServerEvent]:
    """:func:`iter_realtime_events` over an async iterable of messages."""
    return aiter_messages(messages, _t("RealtimeServerEvent"), strict=strict)
