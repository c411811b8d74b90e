"""Typed OpenAI API payloads as frozen msgspec Structs.

Every schema of the OpenAI OpenAPI spec is a class here, imported on first
use: ``from openai_structs import Response`` loads only the module that holds
``Response``. Decode and encode with :func:`decode` and :func:`encode`::

    from openai_structs import CreateChatCompletionResponse, decode, encode

    completion = decode(body, CreateChatCompletionResponse)
    completion.choices[0].message.content
    encode(completion)  # the same JSON value back
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import UNSET, UnknownEvent, UnknownObject, UnknownRole, UnknownType, UnknownVariant, UnsetType
from .codec import (
    DecodeError,
    MalformedJSONError,
    UnknownEnumValueError,
    UnknownVariantError,
    ValidationError,
    dec_hook,
    decode,
    encode,
)

if TYPE_CHECKING:
    from .types import *  # noqa: F403

API = [
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
]


def __getattr__(name: str) -> Any:
    from . import types

    try:
        value = getattr(types, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    from .types import INDEX

    return sorted(set(API) | set(INDEX))


def _type_names() -> list[str]:
    from .types import INDEX

    return sorted(INDEX)


__all__ = API + _type_names()  # pyright: ignore[reportUnsupportedDunderAll]
