"""Typed streams: the events of every streaming OpenAI API, as they arrive.

See :mod:`openai_structs._streaming` for how streams end and fail.
``iter_events(chunks, type)`` is the core; each ``iter_*`` here is it with
the type of one API, and each ``aiter_*`` reads an async iterable.
"""

from ._stream_errors import APIStreamError, StreamDecodeError
from ._stream_iter import aiter_events, iter_events
from ._streaming import EventStreamDecoder, RawEvent
from ._streams import (
    AsyncSSEStream,
    SSEStream,
    aiter_assistant_events,
    aiter_chat_completion_chunks,
    aiter_completion_chunks,
    aiter_image_edit_events,
    aiter_image_generation_events,
    aiter_realtime_events,
    aiter_response_events,
    aiter_speech_events,
    aiter_transcription_events,
    iter_assistant_events,
    iter_chat_completion_chunks,
    iter_completion_chunks,
    iter_image_edit_events,
    iter_image_generation_events,
    iter_realtime_events,
    iter_response_events,
    iter_speech_events,
    iter_transcription_events,
)

__all__ = [
    "APIStreamError",
    "AsyncSSEStream",
    "EventStreamDecoder",
    "RawEvent",
    "SSEStream",
    "StreamDecodeError",
    "aiter_assistant_events",
    "aiter_chat_completion_chunks",
    "aiter_completion_chunks",
    "aiter_events",
    "aiter_image_edit_events",
    "aiter_image_generation_events",
    "aiter_realtime_events",
    "aiter_response_events",
    "aiter_speech_events",
    "aiter_transcription_events",
    "iter_assistant_events",
    "iter_chat_completion_chunks",
    "iter_completion_chunks",
    "iter_events",
    "iter_image_edit_events",
    "iter_image_generation_events",
    "iter_realtime_events",
    "iter_response_events",
    "iter_speech_events",
    "iter_transcription_events",
]
