"""Build a chat completion from its stream of chunks.

A streamed chat completion (``stream: true``) arrives as
:class:`~openai_structs.CreateChatCompletionStreamResponse` chunks, each
carrying a small *delta* per choice: a few characters of content or refusal,
a fragment of a tool call's arguments, some logprobs, and at the end a finish
reason and (when asked for) a chunk with ``usage`` and no choices.
:class:`ChatCompletionAccumulator` folds them into the
:class:`~openai_structs.CreateChatCompletionResponse` that the same request
would have returned without streaming::

    acc = ChatCompletionAccumulator()
    for chunk in chunks:
        acc.add(chunk)
        acc.snapshot().choices[0].message.content  # the text so far
    completion = acc.result()

The result is meant to match what the official SDK's
``ChatCompletionStreamState`` builds from the same chunks; ``docs/accumulators.md``
lists where the two deliberately differ.

How it works: nothing is concatenated while chunks arrive. Each choice keeps
its text as a list of fragments (:class:`~openai_structs.streams._text.Fragments`),
its tool calls in a dict by ``index`` and its logprobs as a list of the
chunks' own lists; the frozen result structs are built only by
:meth:`~ChatCompletionAccumulator.snapshot` and
:meth:`~ChatCompletionAccumulator.result`, and a choice that did not change
since the last snapshot is not built again.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import UNSET, UnsetType

from ..core import _typeinfo as ti
from ..errors import APIStreamError
from ._text import Fragments

__all__ = ["ChatCompletionAccumulator"]

if TYPE_CHECKING:
    from .. import types
    from ..types import (
        ChatCompletionMessageToolCalls,
        ChatCompletionResponseMessageFunctionCall,
        CreateChatCompletionResponse,
        CreateChatCompletionResponseChoicesItem,
        CreateChatCompletionStreamResponse,
    )
else:
    from ..core._lazy import types


@functools.cache
def _extras() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields the result shares with the chunk, and a result choice with
    a chunk choice, beyond those folded below (Azure's filter results): each
    taken from the first chunk that sends it."""
    return (
        _shared(types.CreateChatCompletionStreamResponse, types.CreateChatCompletionResponse),
        _shared(
            types.CreateChatCompletionStreamResponseChoicesItem,
            types.CreateChatCompletionResponseChoicesItem,
        ),
    )


#: The fields of chunks and choices that the accumulator folds itself.
_FOLDED = frozenset(
    {
        "id",
        "object",
        "created",
        "model",
        "choices",
        "service_tier",
        "system_fingerprint",
        "usage",
        "moderation",
        "index",
        "delta",
        "message",
        "finish_reason",
        "logprobs",
    }
)


def _shared(chunk: type[msgspec.Struct], result: type[msgspec.Struct]) -> tuple[str, ...]:
    """The fields of ``result`` that ``chunk`` has too, other than those the
    accumulator folds itself."""
    theirs = ti.field_names(chunk)
    return tuple(f for f in ti.field_names(result) if f in theirs and f not in _FOLDED)


def _first_sent(into: dict[str, Any], value: Any, names: tuple[str, ...]) -> None:
    """Keep in ``into`` each field of ``value`` in ``names`` the first time it is sent."""
    for name in names:
        if name not in into:
            sent = getattr(value, name)
            if sent is not UNSET:
                into[name] = sent


class _ToolCall:
    __slots__ = ("arguments", "id", "name")

    def __init__(self) -> None:
        self.id: str | None = None
        self.name = Fragments()
        self.arguments = Fragments()


class _Choice:
    """What one choice (one ``index``) has received so far."""

    __slots__ = (
        "built",
        "content",
        "extra",
        "finish_reason",
        "function_call",
        "index",
        "logprobs",
        "refusal",
        "refusal_sent",
        "role",
        "tool_calls",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.role: str | None = None
        self.content: Fragments | None = None  # None until a string arrives
        self.refusal: Fragments | None = None
        self.refusal_sent = False  # the key came, maybe as null
        self.tool_calls: dict[int, _ToolCall] = {}
        self.function_call: tuple[Fragments, Fragments] | None = None
        self.finish_reason: str | None = None
        # [content lists, refusal lists], each None until the first logprobs
        # object gives it a (possibly empty) list; None overall if no chunk
        # carried a logprobs object.
        self.logprobs: list[list[list[Any]] | None] | None = None
        self.built: Any = None  # the struct of the last snapshot, if unchanged
        self.extra: dict[str, Any] = {}

    def add(self, choice: Any, extra: tuple[str, ...]) -> None:
        self.built = None
        if extra:
            _first_sent(self.extra, choice, extra)
        delta = choice.delta
        if delta.role is not UNSET:
            self.role = delta.role
        content = delta.content
        if isinstance(content, str):
            if self.content is None:
                self.content = Fragments(content)
            else:
                self.content.add(content)
        refusal = delta.refusal
        if refusal is not UNSET:
            self.refusal_sent = True
            if isinstance(refusal, str):
                if self.refusal is None:
                    self.refusal = Fragments(refusal)
                else:
                    self.refusal.add(refusal)
        if delta.tool_calls:
            calls = self.tool_calls
            for chunk in delta.tool_calls:
                call = calls.get(chunk.index)
                if call is None:
                    call = calls[chunk.index] = _ToolCall()
                if isinstance(chunk.id, str) and call.id is None:
                    call.id = chunk.id
                function = chunk.function
                if function is not UNSET:
                    if isinstance(function.name, str):
                        call.name.add(function.name)
                    if isinstance(function.arguments, str):
                        call.arguments.add(function.arguments)
        function_call = delta.function_call
        if function_call is not UNSET:
            if self.function_call is None:
                self.function_call = (Fragments(), Fragments())
            if isinstance(function_call.name, str):
                self.function_call[0].add(function_call.name)
            if isinstance(function_call.arguments, str):
                self.function_call[1].add(function_call.arguments)
        if choice.finish_reason is not None:
            self.finish_reason = choice.finish_reason
        logprobs = choice.logprobs
        if logprobs is not None and logprobs is not UNSET:
            self._add_logprobs(logprobs.content, logprobs.refusal)

    def _add_logprobs(self, content: list[Any] | None, refusal: list[Any] | None) -> None:
        if self.logprobs is None:
            # The first logprobs object gives each list its start (None stays
            # None), like the SDK's accumulator.
            self.logprobs = [
                None if content is None else [content],
                None if refusal is None else [refusal],
            ]
            return
        for slot, tokens in enumerate((content, refusal)):
            if tokens:
                lists = self.logprobs[slot]
                if lists is None:
                    self.logprobs[slot] = [tokens]
                else:
                    lists.append(tokens)

    def build(self) -> CreateChatCompletionResponseChoicesItem:
        if self.built is not None:
            return self.built
        refusal: str | None | UnsetType = UNSET
        if self.refusal is not None:
            refusal = self.refusal.value()
        elif self.refusal_sent:
            refusal = None
        tool_calls: ChatCompletionMessageToolCalls | UnsetType = UNSET
        if self.tool_calls:
            tool_calls = [
                types.ChatCompletionMessageToolCall(
                    id="" if call.id is None else call.id,
                    function=types.ChatCompletionMessageToolCallFunction(
                        name=call.name.value(), arguments=call.arguments.value()
                    ),
                )
                for _, call in sorted(self.tool_calls.items())
            ]
        function_call: ChatCompletionResponseMessageFunctionCall | UnsetType = UNSET
        if self.function_call is not None:
            name, arguments = self.function_call
            function_call = types.ChatCompletionResponseMessageFunctionCall(
                name=name.value(), arguments=arguments.value()
            )
        logprobs = None
        if self.logprobs is not None:
            content, refusals = self.logprobs
            if content is not None and len(content) > 1:
                content[:] = [[token for tokens in content for token in tokens]]
            if refusals is not None and len(refusals) > 1:
                refusals[:] = [[token for tokens in refusals for token in tokens]]
            logprobs = types.CreateChatCompletionResponseChoicesItemLogprobs(
                content=None if content is None else content[0],
                refusal=None if refusals is None else refusals[0],
            )
        message = types.ChatCompletionResponseMessage(
            # the role as the deltas sent it (the type knows "assistant" only)
            role="assistant" if self.role is None else self.role,  # type: ignore[arg-type]
            content=None if self.content is None else self.content.value(),
            refusal=refusal,
            tool_calls=tool_calls,
            function_call=function_call,
        )
        self.built = types.CreateChatCompletionResponseChoicesItem(
            index=self.index,
            # None until the chunk that finishes this choice (the type says
            # str: a snapshot taken mid-stream is the one place it is None).
            finish_reason=self.finish_reason,  # type: ignore[arg-type]
            message=message,
            logprobs=logprobs,
            **self.extra,
        )
        return self.built


class ChatCompletionAccumulator:
    """Fold :class:`~openai_structs.CreateChatCompletionStreamResponse` chunks
    into a :class:`~openai_structs.CreateChatCompletionResponse`.

    - ``add(chunk)`` takes the next chunk; it only appends to lists, so each
      call costs time in proportion to the chunk, not to what came before.
    - ``snapshot()`` returns the completion so far, as the final type; call it
      as often as you like (unchanged choices are reused, text is joined once).
    - ``result()`` returns the completion once the stream has ended.

    What it handles: content and refusal text; tool calls assembled by their
    ``index`` from the id, name and argument fragments; the deprecated
    ``function_call``; several choices (``n > 1``, in any order); logprobs of
    content and refusal; finish reasons; the last chunk that carries ``usage``
    and no choices. ``id``, ``created``, ``model`` and ``service_tier`` come
    from the first chunk that has them; ``system_fingerprint``, ``usage`` and
    ``moderation`` from the latest chunk that sends them. Any other field
    the completion (or a choice) shares with the chunk (or its choice), such
    as Azure's filter results, comes from the first chunk that sends it, as
    the official SDK keeps it.

    Until a choice's finishing chunk arrives, its ``finish_reason`` is
    ``None``. Before any chunk, the completion is empty (``id == ""``, no
    choices).

    A stream read with ``api_errors="yield"`` hands out an API error (chat's
    ``data: {"error": ...}``) as an :class:`APIStreamError`; ``add`` keeps
    it in :attr:`errors` and folds nothing.
    """

    __slots__ = (
        "_choices",
        "_chunks",
        "_created",
        "_extra",
        "_id",
        "_model",
        "_moderation",
        "_service_tier",
        "_system_fingerprint",
        "_usage",
        "errors",
    )

    def __init__(self) -> None:
        self._choices: dict[int, _Choice] = {}
        self._chunks = 0
        self._id = ""
        self._created = 0
        self._model = ""
        self._service_tier: Any = UNSET
        self._system_fingerprint: Any = UNSET
        self._usage: Any = UNSET
        self._moderation: Any = UNSET
        self._extra: dict[str, Any] = {}
        self.errors: list[APIStreamError] = []
        """The API errors the stream yielded, in order."""

    @property
    def chunks(self) -> int:
        """How many chunks were added."""
        return self._chunks

    def add(self, chunk: CreateChatCompletionStreamResponse | APIStreamError) -> None:
        """Fold one chunk into the completion (an API error is kept in
        :attr:`errors`)."""
        if isinstance(chunk, APIStreamError):
            self.errors.append(chunk)
            return
        if self._chunks == 0:
            self._id = chunk.id
            self._created = chunk.created
            self._model = chunk.model
        self._chunks += 1
        if self._service_tier is UNSET:
            self._service_tier = chunk.service_tier
        if chunk.system_fingerprint is not UNSET:
            self._system_fingerprint = chunk.system_fingerprint
        if chunk.usage is not None and chunk.usage is not UNSET:
            self._usage = chunk.usage
        if chunk.moderation is not None and chunk.moderation is not UNSET:
            self._moderation = chunk.moderation
        extra, choice_extra = _extras()
        if extra:
            _first_sent(self._extra, chunk, extra)
        choices = self._choices
        for choice in chunk.choices:
            state = choices.get(choice.index)
            if state is None:
                state = choices[choice.index] = _Choice(choice.index)
            state.add(choice, choice_extra)

    def output_text(self, choice: int = 0) -> str:
        """The content text of choice ``choice`` (by ``index``) so far, "" before any:
        what :class:`~openai_structs.PartialJSON` is fed delta by delta, and what
        :func:`~openai_structs.parse_message` reads from :meth:`result`."""
        state = self._choices.get(choice)
        return "" if state is None or state.content is None else state.content.value()

    def snapshot(self) -> CreateChatCompletionResponse:
        """The completion built from the chunks so far.

        Cheap to call often: choices that did not change since the previous
        snapshot are the same objects, and text already joined is not joined
        again.
        """
        return types.CreateChatCompletionResponse(
            id=self._id,
            object="chat.completion",
            created=self._created,
            model=self._model,
            choices=[state.build() for _, state in sorted(self._choices.items())],
            service_tier=self._service_tier,
            system_fingerprint=self._system_fingerprint,
            usage=self._usage,
            moderation=self._moderation,
            **self._extra,
        )

    def result(self) -> CreateChatCompletionResponse:
        """The completion, once the stream has ended (the same as a last
        :meth:`snapshot`; a stream cut short gives what it had)."""
        return self.snapshot()
