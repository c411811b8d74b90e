"""Typed OpenAI API payloads as frozen msgspec Structs.

Every schema of the OpenAI OpenAPI spec is a class here, imported on first
use: ``from openai_structs import Response`` loads only the module that holds
``Response``. Decode and encode with :func:`decode` and :func:`encode`, or hold a
:class:`Decoder` for one type in a hot loop::

    from openai_structs import CreateChatCompletionResponse, decode, encode

    completion = decode(body, CreateChatCompletionResponse)
    completion.choices[0].message.content
    encode(completion)  # the same JSON value back
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._base import (
    UNSET as UNSET,
    UnknownEvent as UnknownEvent,
    UnknownObject as UnknownObject,
    UnknownRole as UnknownRole,
    UnknownType as UnknownType,
    UnknownVariant as UnknownVariant,
    UnsetType as UnsetType,
)
from ._codec import (
    Decoder as Decoder,
    Encoder as Encoder,
    decode as decode,
    encode as encode,
)
from ._dispatch import dec_hook as dec_hook
from ._errors import (
    DecodeError as DecodeError,
    MalformedJSONError as MalformedJSONError,
    UnknownEnumValueError as UnknownEnumValueError,
    UnknownKeyError as UnknownKeyError,
    UnknownVariantError as UnknownVariantError,
    ValidationError as ValidationError,
)
from .sse import (
    EventTooLargeError as EventTooLargeError,
    ServerSentEvent as ServerSentEvent,
    SSEDecoder as SSEDecoder,
    SSEError as SSEError,
    aiter_sse as aiter_sse,
    format_sse as format_sse,
    iter_sse as iter_sse,
)
from .streaming import (
    APIStreamError as APIStreamError,
    AsyncSSEStream as AsyncSSEStream,
    EventStreamDecoder as EventStreamDecoder,
    RawEvent as RawEvent,
    SSEStream as SSEStream,
    StreamDecodeError as StreamDecodeError,
    aiter_assistant_events as aiter_assistant_events,
    aiter_chat_completion_chunks as aiter_chat_completion_chunks,
    aiter_completion_chunks as aiter_completion_chunks,
    aiter_events as aiter_events,
    aiter_image_edit_events as aiter_image_edit_events,
    aiter_image_generation_events as aiter_image_generation_events,
    aiter_realtime_events as aiter_realtime_events,
    aiter_response_events as aiter_response_events,
    aiter_speech_events as aiter_speech_events,
    aiter_transcription_events as aiter_transcription_events,
    iter_assistant_events as iter_assistant_events,
    iter_chat_completion_chunks as iter_chat_completion_chunks,
    iter_completion_chunks as iter_completion_chunks,
    iter_events as iter_events,
    iter_image_edit_events as iter_image_edit_events,
    iter_image_generation_events as iter_image_generation_events,
    iter_realtime_events as iter_realtime_events,
    iter_response_events as iter_response_events,
    iter_speech_events as iter_speech_events,
    iter_transcription_events as iter_transcription_events,
)

if TYPE_CHECKING:
    from ._audit import (
        Audit as Audit,
        AuditFinding as AuditFinding,
        audit as audit,
    )
    from .accumulate import (
        ChatCompletionAccumulator as ChatCompletionAccumulator,
        ResponseAccumulator as ResponseAccumulator,
    )
    from .batch import (
        BadLine as BadLine,
        BatchInputError as BatchInputError,
        BatchInputStats as BatchInputStats,
        BatchJoin as BatchJoin,
        BatchLineError as BatchLineError,
        BatchReader as BatchReader,
        BatchSummary as BatchSummary,
        ModelUsage as ModelUsage,
        batch_ranges as batch_ranges,
        iter_batch_input as iter_batch_input,
        iter_batch_output as iter_batch_output,
        join_batch as join_batch,
        summarize_batch as summarize_batch,
        write_batch_input as write_batch_input,
    )
    from .structured import *
    from .types import *
    from .webhooks import *

#: Imported on first use, from ``openai_structs.structured`` and ``.webhooks`` (whose
#: ``__all__`` these repeat, so that naming them imports nothing; tests/test_structured.py
#: and tests/test_webhooks.py keep them equal).
_STRUCTURED = (
    "IncompleteOutputError",
    "OutputError",
    "PartialJSON",
    "RefusalError",
    "SchemaError",
    "chat_function_tool",
    "function_tool",
    "output_text",
    "parse_arguments",
    "parse_message",
    "parse_output",
    "response_format",
    "strict_json_schema",
    "text_format",
)
_WEBHOOKS = ("WebhookVerificationError", "unwrap", "verify")

API = [
    "Decoder",
    "Encoder",
    "decode",
    "encode",
    "dec_hook",
    "DecodeError",
    "MalformedJSONError",
    "ValidationError",
    "UnknownVariantError",
    "UnknownEnumValueError",
    "UnknownKeyError",
    "UnknownVariant",
    "UnknownType",
    "UnknownRole",
    "UnknownObject",
    "UnknownEvent",
    "UNSET",
    "UnsetType",
    "EventTooLargeError",
    "SSEDecoder",
    "SSEError",
    "ServerSentEvent",
    "aiter_sse",
    "format_sse",
    "iter_sse",
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
    # imported on first use: see _LAZY
    "BadLine",
    "BatchInputError",
    "BatchInputStats",
    "BatchJoin",
    "BatchLineError",
    "BatchReader",
    "BatchSummary",
    "ModelUsage",
    "batch_ranges",
    "iter_batch_input",
    "iter_batch_output",
    "join_batch",
    "summarize_batch",
    "write_batch_input",
    "ChatCompletionAccumulator",
    "ResponseAccumulator",
    *_STRUCTURED,
    *_WEBHOOKS,
    "Audit",
    "AuditFinding",
    "audit",
]

#: name -> the public module that holds it, imported on first use of one of its names
_LAZY = {
    **dict.fromkeys(API[API.index("BadLine") : API.index("write_batch_input") + 1], "batch"),
    "ChatCompletionAccumulator": "accumulate",
    "ResponseAccumulator": "accumulate",
    **dict.fromkeys(_STRUCTURED, "structured"),
    **dict.fromkeys(_WEBHOOKS, "webhooks"),
    **dict.fromkeys(("Audit", "AuditFinding", "audit"), "_audit"),
}


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    types = importlib.import_module(f"{__name__}.types")
    if name == "__all__":  # computed on demand so that the import stays cheap
        return API + types.__all__
    try:
        value = getattr(types, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    types = importlib.import_module(f"{__name__}.types")
    return sorted(set(API) | set(types.INDEX))
