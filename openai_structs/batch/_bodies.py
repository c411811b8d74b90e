"""What a successful response body of each endpoint says, for the export and the summary.

For each endpoint, a **view** of its body (:mod:`._views`): a struct of the
few fields the export and the summary read, which msgspec decodes natively,
skipping the rest of the body (text deltas, logprobs, embedding vectors,
images...). Then two readings of a view:

- its **columns**: the values of the export's columns of that endpoint (after
  the columns every endpoint has), in the order
  :data:`~openai_structs.batch._endpoints.ENDPOINTS` lists them;
- its **outcomes**: what :class:`~openai_structs.BatchSummary` counts beside
  tokens: the ``finish_reason`` of every choice, and the body's ``status``
  (with ``incomplete:<reason>`` for an incomplete response).

The token counts arrive already read (:func:`~._usage.tokens_of`), so every
reading puts the same tokens in the same columns. A view holds, of the
fields the usage reader reads, every one the full body has, so a view and the
full type read the same tokens. Fields of tagged unions whose type differs
between members (an output item's ``arguments``, ``name``, ``content``) are
read as ``msgspec.Raw`` and decoded only for the members that are exported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import msgspec
from msgspec import UNSET, Raw, UnsetType

from ..core._fields import present
from ..core._typeinfo import struct_fields
from ..types import CreateModerationResponseResultsItemCategories
from ._usage import INPUT, TOTAL, Tokens, out_of_range

__all__ = ["READINGS", "RUNS", "VIEWS", "Outcomes", "Reading", "ToolCall"]

#: an item of a ``tool_calls`` cell: ``(name, arguments)``, which the Arrow
#: struct ``{name, arguments}`` takes by position
ToolCall = tuple["str | None", "str | None"]
#: the values of an endpoint's own columns, in order
Values = tuple[Any, ...]


class View(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Base of the views below (frozen, untracked by the garbage collector,
    as the generated types are)."""


# -- usage: every field the usage reader reads ---------------------------------


class _Cached(View, frozen=True, kw_only=True):
    cached_tokens: int | None | UnsetType = UNSET


class _Reasoning(View, frozen=True, kw_only=True):
    reasoning_tokens: int | None | UnsetType = UNSET


class CompletionUsage(View, frozen=True, kw_only=True):
    """Of ``CompletionUsage`` (chat completions and completions)."""

    completion_tokens: int
    prompt_tokens: int
    total_tokens: int
    completion_tokens_details: _Reasoning | None | UnsetType = UNSET
    prompt_tokens_details: _Cached | None | UnsetType = UNSET


class _InputDetails(View, frozen=True, kw_only=True):
    cached_tokens: int


class _OutputDetails(View, frozen=True, kw_only=True):
    reasoning_tokens: int


class ResponseUsage(View, frozen=True, kw_only=True):
    """Of ``ResponseUsage``."""

    input_tokens: int
    output_tokens: int
    total_tokens: int
    input_tokens_details: _InputDetails | None | UnsetType = UNSET
    output_tokens_details: _OutputDetails


class EmbeddingUsage(View, frozen=True, kw_only=True):
    """Of ``CreateEmbeddingResponseUsage``."""

    prompt_tokens: int
    total_tokens: int


class ImageUsage(View, frozen=True, kw_only=True):
    """Of ``ImageGenUsage``."""

    input_tokens: int
    total_tokens: int
    output_tokens: int


# -- chat completions and completions -------------------------------------------


class _Function(View, frozen=True, kw_only=True):
    name: str
    arguments: str


class _Custom(View, frozen=True, kw_only=True):
    name: str
    input: str


class _ChatToolCall(View, frozen=True, kw_only=True):
    """Of a chat tool call, function or custom (a union, told by ``type``)."""

    type: str
    function: _Function | UnsetType = UNSET
    custom: _Custom | UnsetType = UNSET


class _ChatMessage(View, frozen=True, kw_only=True):
    content: str | None
    tool_calls: list[_ChatToolCall] | None | UnsetType = UNSET


class _ChatChoice(View, frozen=True, kw_only=True):
    finish_reason: str
    message: _ChatMessage | None | UnsetType = UNSET


class Chat(View, frozen=True, kw_only=True):
    """Of ``CreateChatCompletionResponse``."""

    model: str
    choices: list[_ChatChoice]
    usage: CompletionUsage | None | UnsetType = UNSET


class ChatRun(View, frozen=True, kw_only=True):
    """:class:`Chat`, lenient: ``model`` and ``choices`` may be absent, so an
    error body decodes too (as a value without them), and a run of lines
    holding failed requests decodes in one call (see ``_views``)."""

    model: str | UnsetType = UNSET
    choices: list[_ChatChoice] | UnsetType = UNSET
    usage: CompletionUsage | None | UnsetType = UNSET


class _CompletionChoice(View, frozen=True, kw_only=True):
    finish_reason: str
    text: str


class Completion(View, frozen=True, kw_only=True):
    """Of ``CreateCompletionResponse``."""

    model: str
    choices: list[_CompletionChoice]
    usage: CompletionUsage | None | UnsetType = UNSET


# -- responses --------------------------------------------------------------


class _Part(View, frozen=True, kw_only=True):
    """Of a content part of a message (``output_text``, ``refusal``...) or of
    a reasoning item (``reasoning_text``)."""

    type: str
    text: str | UnsetType = UNSET


class _Item(View, frozen=True, kw_only=True):
    """Of an output item, whatever its kind: the fields the export reads of
    messages, function calls and custom tool calls. ``arguments`` is left as
    JSON text: a tool search call holds an object there."""

    type: str
    content: list[_Part] | None | UnsetType = UNSET
    name: str | None | UnsetType = UNSET
    arguments: Raw = msgspec.field(default_factory=Raw)
    input: str | UnsetType = UNSET


class _Incomplete(View, frozen=True, kw_only=True):
    reason: str | None | UnsetType = UNSET


class Responses(View, frozen=True, kw_only=True):
    """Of ``Response``."""

    model: str
    status: str | None | UnsetType = UNSET
    incomplete_details: _Incomplete | None
    output: list[_Item]
    usage: ResponseUsage | None | UnsetType = UNSET


# -- the others -------------------------------------------------------------


class Embeddings(View, frozen=True, kw_only=True):
    """Of ``CreateEmbeddingResponse``: the vectors are counted, not read."""

    data: list[Raw]
    model: str
    usage: EmbeddingUsage


class _Result(View, frozen=True, kw_only=True):
    flagged: bool
    categories: CreateModerationResponseResultsItemCategories  # read whole


class Moderations(View, frozen=True, kw_only=True):
    """Of ``CreateModerationResponse``."""

    model: str
    results: list[_Result]


class Images(View, frozen=True, kw_only=True):
    """Of ``ImagesResponse``: the images are counted, not read. ``created``,
    the one field the type requires, is read so that a body of another
    endpoint is not taken for one (as the full type would not)."""

    created: int
    data: list[Raw] | None | UnsetType = UNSET
    usage: ImageUsage | None | UnsetType = UNSET


class Videos(View, frozen=True, kw_only=True):
    """Of ``VideoResource``."""

    model: str
    status: str
    progress: int


# -- readings ---------------------------------------------------------------


class Outcomes(NamedTuple):
    """What a summary counts of a body besides its tokens."""

    finish_reasons: Sequence[str | None] = ()
    statuses: Sequence[str] = ()


NO_OUTCOMES = Outcomes()


class Reading(NamedTuple):
    """The two readings of one endpoint's successful bodies (its view)."""

    columns: Callable[[Any, Tokens], Values]
    outcomes: Callable[[Any], Outcomes]


_str = msgspec.json.Decoder(str).decode


def _chat(body: Chat, tokens: Tokens) -> Values:
    choices = body.choices
    finish = text = None
    calls: list[ToolCall] | None = None
    if choices:
        first = choices[0]
        finish = first.finish_reason
        message = first.message
        calls = []
        if message:
            text = message.content
            for call in message.tool_calls or ():
                if call.function:
                    calls.append((call.function.name, call.function.arguments))
                elif call.custom:
                    calls.append((call.custom.name, call.custom.input))
    i, o, t, c, r = tokens
    return (finish, text, calls, i, o, t, len(choices), c, r)


def _completions(body: Completion, tokens: Tokens) -> Values:
    choices = body.choices
    finish = text = None
    calls: list[ToolCall] | None = None
    if choices:
        finish, text, calls = choices[0].finish_reason, choices[0].text, []
    i, o, t, c, r = tokens
    return (finish, text, calls, i, o, t, len(choices), c, r)


def _choices(body: Chat | Completion) -> Outcomes:
    return Outcomes(finish_reasons=[choice.finish_reason for choice in body.choices])


def _responses(body: Responses, tokens: Tokens) -> Values:
    texts: list[str] = []
    calls: list[ToolCall] = []
    for item in body.output:
        kind = item.type
        if kind == "message":
            for part in item.content or ():
                if part.type == "output_text" and part.text is not UNSET:
                    texts.append(part.text)
        elif kind == "function_call":
            calls.append((present(item, "name"), _str(item.arguments)))
        elif kind == "custom_tool_call":
            calls.append((present(item, "name"), present(item, "input")))
    text = "".join(texts) if texts else None
    status = None if body.status is UNSET else body.status
    return (status, text, calls, *tokens)


def _status(body: Responses | Videos) -> Outcomes:
    status = body.status
    if not isinstance(status, str):
        return NO_OUTCOMES
    details = body.incomplete_details if isinstance(body, Responses) else None
    reason = details.reason if details else None
    if isinstance(reason, str):
        return Outcomes(statuses=(status, f"incomplete:{reason}"))
    return Outcomes(statuses=(status,))


def _embeddings(body: Embeddings, tokens: Tokens) -> Values:
    return (len(body.data), tokens[INPUT], tokens[TOTAL])


def _moderations(body: Moderations, tokens: Tokens) -> Values:
    flagged: list[str] = []
    results = body.results
    for result in results:
        categories = result.categories
        for field in struct_fields(type(categories)):
            if getattr(categories, field.name) is True and field.encode_name not in flagged:
                flagged.append(field.encode_name)
    return (any(result.flagged for result in results), flagged)


def _images(body: Images, tokens: Tokens) -> Values:
    return (len(body.data or ()), *tokens[:3])


def _videos(body: Videos, tokens: Tokens) -> Values:
    progress = body.progress
    if progress >> 31 and not -(1 << 31) <= progress < 1 << 31:
        raise out_of_range(progress, "int32", "$.response.body.progress")
    return (body.status, progress)


def _nothing(body: object) -> Outcomes:
    return NO_OUTCOMES


#: reading name (``Endpoint.reading_name``) -> the reading of its view
READINGS: dict[str, Reading] = {
    "chat": Reading(_chat, _choices),
    "completions": Reading(_completions, _choices),
    "responses": Reading(_responses, _status),
    "embeddings": Reading(_embeddings, _nothing),
    "moderations": Reading(_moderations, _nothing),
    "images": Reading(_images, _nothing),
    "videos": Reading(_videos, _status),
}


#: reading name -> the view its bodies are decoded into
VIEWS: dict[str, type] = {
    "chat": Chat,
    "completions": Completion,
    "responses": Responses,
    "embeddings": Embeddings,
    "moderations": Moderations,
    "images": Images,
    "videos": Videos,
}

#: reading name -> the lenient view its runs of lines decode into, where there is one
RUNS: dict[str, type] = {"chat": ChatRun}
