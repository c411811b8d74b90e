"""Function tools whose arguments are a msgspec type, and the typed arguments back.

:func:`function_tool` (Responses) and :func:`chat_function_tool` (chat) write
a strict tool from a Struct that describes the arguments; when the model
calls it, :func:`parse_arguments` decodes the call's arguments into that
Struct, with the decoder's own errors (a :class:`~openai_structs.ValidationError`
with the ``$.path``, or :class:`~openai_structs.MalformedJSONError`) when the
model's JSON does not fit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar, overload

from ..core._codec import decode
from ._formats import checked_name, class_name, describe
from ._schema import strict_json_schema

if TYPE_CHECKING:
    from ..types import (
        ChatCompletionMessageToolCall,
        ChatCompletionTool,
        FunctionTool,
        FunctionToolCall,
    )

__all__ = ["chat_function_tool", "function_tool", "parse_arguments", "snake_case"]

T = TypeVar("T")

_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def function_tool(
    tp: Any, *, name: str | None = None, description: str | None = None
) -> FunctionTool:
    """A strict Responses API ``FunctionTool`` whose arguments are a ``tp``.

    The name defaults to the class name in snake_case (``GetWeather`` ->
    ``get_weather``), the description to the class's docstring.
    """
    from ..types import FunctionTool

    return FunctionTool(
        name=checked_name(snake_case(class_name(tp)) if name is None else name),
        description=describe(tp, description),
        parameters=strict_json_schema(tp),
        strict=True,
    )


def chat_function_tool(
    tp: Any, *, name: str | None = None, description: str | None = None
) -> ChatCompletionTool:
    """A strict chat ``ChatCompletionTool`` whose arguments are a ``tp``; named
    and described as :func:`function_tool` does."""
    from ..types import ChatCompletionTool, FunctionObject

    return ChatCompletionTool(
        function=FunctionObject(
            name=checked_name(snake_case(class_name(tp)) if name is None else name),
            description=describe(tp, description),
            parameters=strict_json_schema(tp),
            strict=True,
        )
    )


@overload
def parse_arguments(
    call: FunctionToolCall | ChatCompletionMessageToolCall | str, tp: type[T]
) -> T: ...
@overload
def parse_arguments(
    call: FunctionToolCall | ChatCompletionMessageToolCall | str, tp: Any
) -> Any: ...
def parse_arguments(call: Any, tp: Any) -> Any:
    """The arguments of a tool call, decoded into ``tp``.

    ``call`` is a Responses ``FunctionToolCall`` (an output item), a chat
    ``ChatCompletionMessageToolCall``, or the arguments string itself.
    """
    if isinstance(call, str):
        return decode(call, tp)
    arguments = getattr(call, "arguments", None)
    if not isinstance(arguments, str):
        arguments = getattr(getattr(call, "function", None), "arguments", None)
    if not isinstance(arguments, str):
        raise TypeError(
            f"parse_arguments takes a FunctionToolCall, a ChatCompletionMessageToolCall or a"
            f" string, not {type(call).__name__}"
        )
    return decode(arguments, tp)


def snake_case(name: str) -> str:
    """``GetWeather`` -> ``get_weather``; ``HTTPRequest`` -> ``http_request``."""
    return _WORD_START.sub("_", name).lower()
