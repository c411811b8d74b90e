"""One typed stream per streaming OpenAI API, each a pair of functions made
by :func:`_api` over :func:`~openai_structs.streams.iter_events` and
``aiter_events`` with the API's event type.

Each ``iter_X(chunks)`` reads an iterable of bytes-like chunks (split
anywhere) and yields typed events; ``aiter_X(chunks)`` reads an async
iterable. They all take the options of ``iter_events`` (``strict``,
``max_event_size``, ``with_raw``, ``api_errors``), and their types say what
each mode yields (:data:`SSEStream`, :data:`AsyncSSEStream`). The event
types come from the lazy index, so importing this module loads no generated
module; the first call does.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, Union, overload

import msgspec

from ..core import _typeinfo as ti
from ..errors import APIStreamError
from ._decoder import RawEvent
from ._iter import Message, aiter_events, aiter_messages, iter_events, iter_messages
from ._sse import BytesLike

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .. import types
    from ..types import (
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
    from ._decoder import Options, Plain, RawYield, WithRaw, Yield
else:
    from ..core._lazy import types

__all__ = [
    "AsyncSSEStream",
    "SSEStream",
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

E = TypeVar("E")
C_contra = TypeVar("C_contra", contravariant=True)
# what each mode returns: by default, with_raw, api_errors="yield", both
R_co = TypeVar("R_co", covariant=True)
RR_co = TypeVar("RR_co", covariant=True)
RY_co = TypeVar("RY_co", covariant=True)
RRY_co = TypeVar("RRY_co", covariant=True)


class _Modes(Protocol[C_contra, R_co, RR_co, RY_co, RRY_co]):
    """A function of the chunks that returns one of four types by its mode
    (the modes of :class:`~openai_structs.streams.EventStreamDecoder`)."""

    @overload
    def __call__(self, chunks: C_contra, **options: Unpack[Plain]) -> R_co: ...
    @overload
    def __call__(self, chunks: C_contra, **options: Unpack[WithRaw]) -> RR_co: ...
    @overload
    def __call__(self, chunks: C_contra, **options: Unpack[Yield]) -> RY_co: ...
    @overload
    def __call__(self, chunks: C_contra, **options: Unpack[RawYield]) -> RRY_co: ...


_Yielded = E | APIStreamError  # what api_errors="yield" gives
_RawYielded = RawEvent[E | APIStreamError]

#: The type of each ``iter_X`` function, for events of type ``E``: ``E`` by
#: default, a :class:`RawEvent` of it with ``with_raw=True``, and
#: ``E | APIStreamError`` with ``api_errors="yield"``.
SSEStream = _Modes[
    Iterable[BytesLike],
    Iterator[E],
    Iterator[RawEvent[E]],
    Iterator[_Yielded[E]],
    Iterator[_RawYielded[E]],
]
#: The type of each ``aiter_X`` function: :data:`SSEStream` over an async
#: iterable of chunks.
AsyncSSEStream = _Modes[
    AsyncIterable[BytesLike],
    AsyncIterator[E],
    AsyncIterator[RawEvent[E]],
    AsyncIterator[_Yielded[E]],
    AsyncIterator[_RawYielded[E]],
]


def _api(name: str, event_type: Callable[[], Any], doc: str) -> tuple[Any, Any]:
    """``iter_<name>`` and ``aiter_<name>``: ``iter_events`` and
    ``aiter_events`` with the type ``event_type()``."""

    def sync(chunks: Iterable[BytesLike], **options: Unpack[Options]) -> Iterator[Any]:
        return iter_events(chunks, event_type(), **options)

    def asynchronous(
        chunks: AsyncIterable[BytesLike], **options: Unpack[Options]
    ) -> AsyncIterator[Any]:
        return aiter_events(chunks, event_type(), **options)

    sync.__name__ = sync.__qualname__ = f"iter_{name}"
    asynchronous.__name__ = asynchronous.__qualname__ = f"aiter_{name}"
    sync.__doc__ = doc
    asynchronous.__doc__ = f":func:`iter_{name}` over an async iterable of chunks."
    return sync, asynchronous


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
    base = types.CreateCompletionResponse
    choice = types.CreateCompletionResponseChoicesItem
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
    found = ti.field(cls, name)
    assert found is not None, (cls, name)
    return found


iter_chat_completion_chunks: SSEStream[CreateChatCompletionStreamResponse]
aiter_chat_completion_chunks: AsyncSSEStream[CreateChatCompletionStreamResponse]
iter_chat_completion_chunks, aiter_chat_completion_chunks = _api(
    "chat_completion_chunks",
    lambda: types.CreateChatCompletionStreamResponse,
    """Yield the chunks of a chat completion stream (``stream=True`` on
    ``/chat/completions``). ``data: [DONE]`` ends it; a ``data: {"error": ...}``
    payload raises :class:`APIStreamError` (or, with ``api_errors="yield"``,
    is yielded as one).""",
)

iter_response_events: SSEStream[ResponseStreamEvent]
aiter_response_events: AsyncSSEStream[ResponseStreamEvent]
iter_response_events, aiter_response_events = _api(
    "response_events",
    lambda: types.ResponseStreamEvent,
    """Yield the events of a Responses API stream, members of
    ``ResponseStreamEvent``; new event types arrive as ``UnknownType``. Works the
    same for background streams and for streams resumed with ``starting_after``
    (which begin at a later ``sequence_number``, with no ``response.created``).
    An ``error`` event raises :class:`APIStreamError` carrying the
    ``ResponseErrorEvent``; with ``api_errors="yield"`` the ``ResponseErrorEvent``
    is yielded and the stream goes on to its ``response.failed``.""",
)

iter_assistant_events: SSEStream[AssistantStreamEvent]
aiter_assistant_events: AsyncSSEStream[AssistantStreamEvent]
iter_assistant_events, aiter_assistant_events = _api(
    "assistant_events",
    lambda: types.AssistantStreamEvent,
    """Yield the events of an Assistants run stream, chosen by the SSE
    ``event`` name: ``thread.run.*`` give ``data: RunObject``,
    ``thread.message.delta`` gives ``data: MessageDeltaObject`` and so on (the
    members of ``AssistantStreamEvent``, each with ``.event`` and ``.data``).
    ``done`` ends the stream, ``error`` raises :class:`APIStreamError` (with
    ``api_errors="yield"`` it gives an ``ErrorEvent``), an unknown name gives
    an ``UnknownEvent``.""",
)

iter_completion_chunks: SSEStream[CreateCompletionResponse]
aiter_completion_chunks: AsyncSSEStream[CreateCompletionResponse]
iter_completion_chunks, aiter_completion_chunks = _api(
    "completion_chunks",
    completion_chunk_type,
    """Yield the chunks of a legacy completions stream (``/completions``
    with ``stream=True``); ``[DONE]`` ends it. Each chunk is a
    ``CreateCompletionResponse`` (a subclass that lets ``finish_reason``,
    ``usage`` and ``system_fingerprint`` be null, as streams send them; see
    :func:`completion_chunk_type`).""",
)

iter_speech_events: SSEStream[CreateSpeechResponseStreamEvent]
aiter_speech_events: AsyncSSEStream[CreateSpeechResponseStreamEvent]
iter_speech_events, aiter_speech_events = _api(
    "speech_events",
    lambda: types.CreateSpeechResponseStreamEvent,
    """Yield the events of a speech stream (``/audio/speech`` with
    ``stream_format="sse"``): ``speech.audio.delta`` and ``speech.audio.done``.""",
)

iter_transcription_events: SSEStream[CreateTranscriptionResponseStreamEvent]
aiter_transcription_events: AsyncSSEStream[CreateTranscriptionResponseStreamEvent]
iter_transcription_events, aiter_transcription_events = _api(
    "transcription_events",
    lambda: types.CreateTranscriptionResponseStreamEvent,
    """Yield the events of a transcription stream
    (``/audio/transcriptions`` with ``stream=True``): ``transcript.text.delta``,
    ``transcript.text.segment`` and ``transcript.text.done``.""",
)

iter_image_generation_events: SSEStream[ImageGenStreamEvent]
aiter_image_generation_events: AsyncSSEStream[ImageGenStreamEvent]
iter_image_generation_events, aiter_image_generation_events = _api(
    "image_generation_events",
    lambda: types.ImageGenStreamEvent,
    """Yield the events of an image generation stream
    (``/images/generations`` with ``stream=True``):
    ``image_generation.partial_image`` and ``image_generation.completed``.""",
)

iter_image_edit_events: SSEStream[ImageEditStreamEvent]
aiter_image_edit_events: AsyncSSEStream[ImageEditStreamEvent]
iter_image_edit_events, aiter_image_edit_events = _api(
    "image_edit_events",
    lambda: types.ImageEditStreamEvent,
    """Yield the events of an image edit stream (``/images/edits`` with
    ``stream=True``): ``image_edit.partial_image`` and ``image_edit.completed``.""",
)


def iter_realtime_events(
    messages: Iterable[Message], *, strict: bool = False
) -> Iterator[RealtimeServerEvent]:
    """Yield the ``RealtimeServerEvent`` of each Realtime API WebSocket message
    (text or binary, one JSON event each). An ``error`` event is yielded like
    any other: a Realtime session goes on after one."""
    return iter_messages(messages, types.RealtimeServerEvent, strict=strict)


def aiter_realtime_events(
    messages: AsyncIterable[Message], *, strict: bool = False
) -> AsyncIterator[RealtimeServerEvent]:
    """:func:`iter_realtime_events` over an async iterable of messages."""
    return aiter_messages(messages, types.RealtimeServerEvent, strict=strict)
