"""Server-sent event streams: the framer, typed streams, and accumulators.

Three layers, each usable alone:

- **The framer** (``_sse``): :class:`SSEDecoder` (push: ``feed(bytes) ->
  list``, then ``close()``), :func:`iter_sse` and :func:`aiter_sse` over
  (async) iterables of chunks split anywhere, and :func:`format_sse` to write
  events back out. It follows the WHATWG event-stream rules and bounds each
  event's size.
- **Typed streams** (``_decoder``, ``_iter``, ``_apis``): the framer
  followed by one :class:`~openai_structs.Decoder` for the stream's event
  type. :class:`EventStreamDecoder` is the push form; ``iter_events(chunks,
  type)`` and ``aiter_events`` read (async) iterables; each ``iter_X`` and
  ``aiter_X`` is one streaming API (``iter_chat_completion_chunks``,
  ``iter_response_events``...). How a stream ends and fails, and its
  options (``strict``, ``with_raw``, ``api_errors``), are in ``_decoder``.
- **Accumulators** (``_chat_accumulator``, ``_response_accumulator``):
  :class:`ChatCompletionAccumulator` folds chat chunks into a
  ``CreateChatCompletionResponse``, :class:`ResponseAccumulator` Responses
  events into a ``Response``; ``add(...)``, ``snapshot()``, ``result()``.
  They take typed objects, so they work with any way of reading the stream.

Errors (:mod:`openai_structs.errors`): :class:`~openai_structs.SSEError` and
:class:`~openai_structs.EventTooLargeError` from the framer,
:class:`~openai_structs.StreamDecodeError` for an event that does not
decode, :class:`~openai_structs.APIStreamError` for an error the API sent.

Importing this loads no generated module; the first stream of a type does.
Every name here is also importable from ``openai_structs``.
"""

from ._apis import (
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
from ._chat_accumulator import ChatCompletionAccumulator
from ._decoder import EventStreamDecoder, RawEvent
from ._iter import aiter_events, iter_events
from ._response_accumulator import ResponseAccumulator
from ._sse import (
    DEFAULT_MAX_EVENT_SIZE,
    ServerSentEvent,
    SSEDecoder,
    aiter_sse,
    format_sse,
    iter_sse,
)

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "AsyncSSEStream",
    "ChatCompletionAccumulator",
    "EventStreamDecoder",
    "RawEvent",
    "ResponseAccumulator",
    "SSEDecoder",
    "SSEStream",
    "ServerSentEvent",
    "aiter_assistant_events",
    "aiter_chat_completion_chunks",
    "aiter_completion_chunks",
    "aiter_events",
    "aiter_image_edit_events",
    "aiter_image_generation_events",
    "aiter_realtime_events",
    "aiter_response_events",
    "aiter_speech_events",
    "aiter_sse",
    "aiter_transcription_events",
    "format_sse",
    "iter_assistant_events",
    "iter_chat_completion_chunks",
    "iter_completion_chunks",
    "iter_events",
    "iter_image_edit_events",
    "iter_image_generation_events",
    "iter_realtime_events",
    "iter_response_events",
    "iter_speech_events",
    "iter_sse",
    "iter_transcription_events",
]
