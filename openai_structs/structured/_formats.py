"""What a request sends to ask for structured output: a response format.

:func:`text_format` (Responses) and :func:`response_format` (chat) take a
msgspec type and wrap its :func:`~._schema.strict_json_schema` in the
generated request struct, named and described the way the API wants (a name
of at most 64 letters, digits, ``_`` or ``-``). The tools of :mod:`._tools`
are named and described by the same rules.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from msgspec import UNSET

from ..errors import SchemaError
from ._schema import class_doc, strict_json_schema

if TYPE_CHECKING:
    from ..types import ResponseFormatJsonSchema, TextResponseFormatJsonSchema

__all__ = ["response_format", "text_format"]

_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def text_format(
    tp: Any, *, name: str | None = None, description: str | None = None
) -> TextResponseFormatJsonSchema:
    """``CreateResponse.text.format`` asking for a value of ``tp``, strict.

    The name defaults to the class name, the description to its docstring::

        request = CreateResponse(model="gpt-5", input="...",
                                 text=ResponseTextParam(format=text_format(Answer)))
    """
    from ..types import TextResponseFormatJsonSchema

    return TextResponseFormatJsonSchema(
        name=checked_name(class_name(tp) if name is None else name),
        schema=strict_json_schema(tp),
        description=describe(tp, description),
        strict=True,
    )


def response_format(
    tp: Any, *, name: str | None = None, description: str | None = None
) -> ResponseFormatJsonSchema:
    """``CreateChatCompletionRequest.response_format`` asking for a value of
    ``tp``, strict; named and described as :func:`text_format` does."""
    from ..types import ResponseFormatJsonSchema, ResponseFormatJsonSchemaJsonSchema

    return ResponseFormatJsonSchema(
        json_schema=ResponseFormatJsonSchemaJsonSchema(
            name=checked_name(class_name(tp) if name is None else name),
            schema=strict_json_schema(tp),
            description=describe(tp, description),
            strict=True,
        )
    )


def class_name(tp: Any) -> str:
    """The name of the class ``tp`` is (or annotates, or parametrizes)."""
    cls = getattr(tp, "__origin__", tp)  # Annotated[...] and generic aliases
    while getattr(cls, "__origin__", None) is not None:
        cls = cls.__origin__
    name = getattr(cls, "__name__", None)
    if not isinstance(name, str):
        raise SchemaError("$", f"{tp!r} has no class name: pass name=")
    return name


def describe(tp: Any, given: str | None) -> Any:
    """``given``, else the docstring of ``tp``'s class, else ``UNSET``."""
    if given is not None:
        return given
    cls = getattr(tp, "__origin__", tp)
    while getattr(cls, "__origin__", None) is not None:
        cls = cls.__origin__
    return class_doc(cls) or UNSET


def checked_name(name: str) -> str:
    """``name`` if the API takes it as a format or function name."""
    if not _NAME.fullmatch(name):
        raise SchemaError(
            "$", f"the name {name!r} must be 1 to 64 letters, digits, underscores or dashes"
        )
    return name
