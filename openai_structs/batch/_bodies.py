# pyright: strict
"""What a successful response body of each endpoint says, for the export and the summary.

For each endpoint, two readings of a successful body:

- its **columns**: the values of the export's columns of that endpoint (after
  the columns every endpoint has), in the order
  :data:`~openai_structs.batch._endpoints.ENDPOINTS` lists them;
- its **outcomes**: what :class:`~openai_structs.BatchSummary` counts beside
  tokens: the ``finish_reason`` of every choice, and the body's ``status``
  (with ``incomplete:<reason>`` for an incomplete response).

The token counts arrive already read (:func:`~._usage.tokens_of`), so every
reading puts the same tokens in the same columns. This module imports the
generated types it reads, so the registry imports it on first use only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from msgspec import UNSET

from ..types import (
    ChatCompletionMessageCustomToolCall,
    ChatCompletionMessageToolCall,
    CreateChatCompletionResponse,
    CreateCompletionResponse,
    CreateEmbeddingResponse,
    CreateModerationResponse,
    CustomToolCall,
    FunctionToolCall,
    ImagesResponse,
    OutputMessage,
    OutputTextContent,
    Response,
    VideoResource,
)
from ._usage import Tokens, out_of_range

__all__ = ["READINGS", "Outcomes", "Reading", "ToolCall"]

#: a ``tool_calls`` cell: ``{"name": ..., "arguments": ...}``
ToolCall = dict[str, "str | None"]
#: the values of an endpoint's own columns, in order
Values = tuple[Any, ...]


class Outcomes(NamedTuple):
    """What a summary counts of a body besides its tokens."""

    finish_reasons: Sequence[str | None] = ()
    statuses: Sequence[str] = ()


NO_OUTCOMES = Outcomes()


class Reading(NamedTuple):
    """The two readings of one endpoint's successful bodies."""

    columns: Callable[[Any, Tokens], Values]
    outcomes: Callable[[Any], Outcomes]


def _set(value: Any) -> Any:
    """``value``, or None where it was absent (UNSET)."""
    return None if value is UNSET else value


# -- chat completions and completions -------------------------------------


def _chat_call(call: object) -> ToolCall | None:
    if isinstance(call, ChatCompletionMessageToolCall):
        return {"name": call.function.name, "arguments": call.function.arguments}
    if isinstance(call, ChatCompletionMessageCustomToolCall):
        return {"name": call.custom.name, "arguments": call.custom.input}
    return None  # a kind of call this version does not know


def _chat(body: CreateChatCompletionResponse, tokens: Tokens) -> Values:
    choices = body.choices
    finish = text = None
    calls: list[ToolCall] | None = None
    if choices:
        first = choices[0]
        finish = first.finish_reason
        message = _set(first.message)
        calls = []
        if message is not None:
            text = message.content
            for call in _set(message.tool_calls) or ():
                found = _chat_call(call)
                if found is not None:
                    calls.append(found)
    return (finish, text, calls, *tokens[:3], len(choices), *tokens[3:])


def _completions(body: CreateCompletionResponse, tokens: Tokens) -> Values:
    choices = body.choices
    finish = text = None
    calls: list[ToolCall] | None = None
    if choices:
        finish, text, calls = choices[0].finish_reason, choices[0].text, []
    return (finish, text, calls, *tokens[:3], len(choices), *tokens[3:])


def _choices(body: CreateChatCompletionResponse | CreateCompletionResponse) -> Outcomes:
    return Outcomes(finish_reasons=[choice.finish_reason for choice in body.choices])


# -- responses ---------------------------------------------------------------


def _responses(body: Response, tokens: Tokens) -> Values:
    texts: list[str] = []
    calls: list[ToolCall] = []
    for item in body.output:
        if isinstance(item, OutputMessage):
            texts.extend(part.text for part in item.content if isinstance(part, OutputTextContent))
        elif isinstance(item, FunctionToolCall):
            calls.append({"name": item.name, "arguments": item.arguments})
        elif isinstance(item, CustomToolCall):
            calls.append({"name": item.name, "arguments": item.input})
    text = "".join(texts) if texts else None
    return (_set(body.status), text, calls, *tokens)


def _status(body: Response | VideoResource) -> Outcomes:
    status = _set(body.status)
    if not isinstance(status, str):
        return NO_OUTCOMES
    details = _set(getattr(body, "incomplete_details", None))
    reason = None if details is None else _set(details.reason)
    if isinstance(reason, str):
        return Outcomes(statuses=(status, f"incomplete:{reason}"))
    return Outcomes(statuses=(status,))


# -- the others --------------------------------------------------------------


def _embeddings(body: CreateEmbeddingResponse, tokens: Tokens) -> Values:
    return (len(body.data), tokens.input, tokens.total)


def _moderations(body: CreateModerationResponse, tokens: Tokens) -> Values:
    flagged: list[str] = []
    for result in body.results:
        categories = result.categories
        names = zip(categories.__struct_fields__, categories.__struct_encode_fields__)
        for name, key in names:
            if getattr(categories, name) is True and key not in flagged:
                flagged.append(key)
    return (any(result.flagged for result in body.results), flagged)


def _images(body: ImagesResponse, tokens: Tokens) -> Values:
    return (len(_set(body.data) or ()), *tokens[:3])


def _videos(body: VideoResource, tokens: Tokens) -> Values:
    progress = body.progress
    if progress >> 31 and not -(1 << 31) <= progress < 1 << 31:
        raise out_of_range(progress, "int32", "$.response.body.progress")
    return (body.status, progress)


def _nothing(body: object) -> Outcomes:
    return NO_OUTCOMES


#: reading name (``Endpoint.reading``) -> the reading
READINGS: dict[str, Reading] = {
    "chat": Reading(_chat, _choices),
    "completions": Reading(_completions, _choices),
    "responses": Reading(_responses, _status),
    "embeddings": Reading(_embeddings, _nothing),
    "moderations": Reading(_moderations, _nothing),
    "images": Reading(_images, _nothing),
    "videos": Reading(_videos, _status),
}
