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
    UnknownVariantError as UnknownVariantError,
    ValidationError as ValidationError,
)

if TYPE_CHECKING:
    from ._chat_accumulator import ChatCompletionAccumulator as ChatCompletionAccumulator
    from ._response_accumulator import ResponseAccumulator as ResponseAccumulator
    from .types import *

# Hand-written names loaded on first use, like the generated ones.
_LAZY = {
    "ChatCompletionAccumulator": "._chat_accumulator",
    "ResponseAccumulator": "._response_accumulator",
}

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
    "UnknownVariant",
    "UnknownType",
    "UnknownRole",
    "UnknownObject",
    "UnknownEvent",
    "UNSET",
    "UnsetType",
    "ChatCompletionAccumulator",
    "ResponseAccumulator",
]


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
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
