"""Server-sent events: read them from bytes split anywhere, write them back.

See :mod:`openai_structs._sse` for the rules followed. ``iter_sse`` and
``aiter_sse`` read (async) iterables of chunks, :class:`SSEDecoder` is the
push form for code that is handed bytes, and ``format_sse`` writes events.
"""

from ._sse import (
    DEFAULT_MAX_EVENT_SIZE,
    EventTooLargeError,
    ServerSentEvent,
    SSEDecoder,
    SSEError,
    aiter_sse,
    format_sse,
    iter_sse,
)

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "EventTooLargeError",
    "SSEDecoder",
    "SSEError",
    "ServerSentEvent",
    "aiter_sse",
    "format_sse",
    "iter_sse",
]
