"""Build a Responses API ``Response`` from its stream of events.

A streamed response (``stream: true``, or a background response read with
``GET /responses/{id}?stream=true``) arrives as members of
:data:`~openai_structs.ResponseStreamEvent`: the response itself when it is
created, queued and in progress; each output item when it is added; deltas of
its text, arguments, code or reasoning; status changes of hosted tools; the
item again when it is done; and at last the whole response in
``response.completed`` (or ``incomplete`` / ``failed``).
:class:`ResponseAccumulator` folds these into a
:class:`~openai_structs.Response`::

    acc = ResponseAccumulator()
    for event in events:
        acc.add(event)
        acc.snapshot().output  # the items so far, as typed structs
    response = acc.result()

Once the terminal event arrives, its response is the result, as sent. Before
that, :meth:`~ResponseAccumulator.snapshot` and
:meth:`~ResponseAccumulator.result` build one from what came: the last
response the stream carried, with ``output`` made of every item added so far,
each holding the text received so far. An item's ``output_item.done`` event
replaces what was built for it, since it carries the item whole.

Nothing is concatenated while events arrive: text is a list of fragments
(:class:`~openai_structs.streams._text.Fragments`) joined when a snapshot asks for it,
and an item that did not change since the last snapshot is not built again.
Events this module does not know (new event types, or ones it has no use for
such as audio) are kept in :attr:`~ResponseAccumulator.unknown_events`;
items of unknown types are kept in ``output`` as they came.

Errors: read the stream with ``api_errors="yield"`` so that an ``error``
event does not end it. The accumulator keeps each error event in
:attr:`~ResponseAccumulator.errors` (a ``ResponseErrorEvent``, or the
:class:`~openai_structs.streams.APIStreamError` the stream yields for an
error payload its types cannot hold) and goes on to the ``response.failed``
event that follows, whose response is the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import msgspec
from msgspec.structs import replace

from ..core import _typeinfo as ti
from ..core._base import UnknownVariant
from ..errors import APIStreamError
from ._text import Fragments

__all__ = ["ResponseAccumulator"]

if TYPE_CHECKING:
    from .. import types
    from ..types import Response, ResponseErrorEvent, ResponseStreamEvent
else:
    from ..core._lazy import types

# The status an item takes on each hosted-tool progress event, by event tag.
_STATUS: dict[str, str | None] = {
    "response.code_interpreter_call.in_progress": "in_progress",
    "response.code_interpreter_call.interpreting": "interpreting",
    "response.code_interpreter_call.completed": "completed",
    "response.file_search_call.in_progress": "in_progress",
    "response.file_search_call.searching": "searching",
    "response.file_search_call.completed": "completed",
    "response.web_search_call.in_progress": "in_progress",
    "response.web_search_call.searching": "searching",
    "response.web_search_call.completed": "completed",
    "response.image_generation_call.in_progress": "in_progress",
    "response.image_generation_call.generating": "generating",
    "response.image_generation_call.completed": "completed",
    "response.mcp_call.in_progress": "in_progress",
    "response.mcp_call.completed": "completed",
    "response.mcp_call.failed": "failed",
    # MCP tool listing has no status field: nothing to fold in
    "response.mcp_list_tools.in_progress": None,
    "response.mcp_list_tools.completed": None,
    "response.mcp_list_tools.failed": None,
}

# Events whose delta (or done) text is a whole field of the item, by tag:
# (field, is_delta, the event attribute that holds the text).
_ITEM_TEXT = {
    "response.function_call_arguments.delta": ("arguments", True, "delta"),
    "response.function_call_arguments.done": ("arguments", False, "arguments"),
    "response.code_interpreter_call_code.delta": ("code", True, "delta"),
    "response.code_interpreter_call_code.done": ("code", False, "code"),
    "response.mcp_call_arguments.delta": ("arguments", True, "delta"),
    "response.mcp_call_arguments.done": ("arguments", False, "arguments"),
    "response.custom_tool_call_input.delta": ("input", True, "delta"),
    "response.custom_tool_call_input.done": ("input", False, "input"),
}

# Events whose text belongs to an entry of one of the item's lists, by tag:
# (list field, is_delta, event attribute, index attribute, part class key).
_PART_TEXT = {
    "response.output_text.delta": ("content", True, "delta", "content_index", "text"),
    "response.output_text.done": ("content", False, "text", "content_index", "text"),
    "response.refusal.delta": ("content", True, "delta", "content_index", "refusal"),
    "response.refusal.done": ("content", False, "refusal", "content_index", "refusal"),
    "response.reasoning_text.delta": ("content", True, "delta", "content_index", "reasoning"),
    "response.reasoning_text.done": ("content", False, "text", "content_index", "reasoning"),
    "response.reasoning_summary_text.delta": ("summary", True, "delta", "summary_index", "summary"),
    "response.reasoning_summary_text.done": ("summary", False, "text", "summary_index", "summary"),
}


_TAGS: dict[type, str | None] = {}


def _tag(event: Any) -> str | None:
    """The event's ``type`` tag (from its class), or None for anything that
    is not a tagged struct."""
    cls: type = event.__class__
    try:
        return _TAGS[cls]
    except KeyError:
        pass
    tag = None if isinstance(event, UnknownVariant) else ti.tag_config(cls)[1]
    tag = _TAGS[cls] = tag if isinstance(tag, str) else None
    return tag


def _has(struct: Any, field: str) -> bool:
    return field in ti.field_names(struct.__class__)


def _new_part(kind: str) -> Any:
    """An empty content or summary part of ``kind``, for text whose
    ``part.added`` event the stream did not send (a resumed stream)."""
    if kind == "text":
        return types.OutputTextContent(text="", annotations=[])
    if kind == "refusal":
        return types.RefusalContent(refusal="")
    if kind == "reasoning":
        return types.ReasoningTextContent(text="")
    return types.SummaryTextContent(text="")


def _placeholder(tag: str, item_id: str) -> Any:
    """An item to stand in for one whose ``output_item.added`` event the
    stream did not send (a stream resumed part way through the item)."""
    if tag.startswith(("response.output_text", "response.refusal", "response.content_part")):
        return types.OutputMessage(id=item_id, role="assistant", content=[], status="in_progress")
    if tag.startswith("response.reasoning"):
        return types.ReasoningItem(id=item_id, summary=[])
    if tag.startswith("response.function_call"):
        return types.FunctionToolCall(
            id=item_id, call_id="", name="", arguments="", status="in_progress"
        )
    if tag.startswith("response.code_interpreter"):
        return types.CodeInterpreterToolCall(id=item_id, status="in_progress", code=None)
    if tag.startswith("response.mcp_list_tools"):
        return None
    if tag.startswith("response.mcp_call"):
        return types.MCPToolCall(id=item_id, server_label="", name="", arguments="")
    if tag.startswith("response.custom_tool_call"):
        return types.CustomToolCall(id=item_id, call_id="", name="", input="")
    if tag.startswith("response.web_search"):
        return types.WebSearchToolCall(id=item_id, status="in_progress")
    if tag.startswith("response.file_search"):
        return types.FileSearchToolCall(id=item_id, status="in_progress", queries=[])
    if tag.startswith("response.image_generation"):
        return types.ImageGenToolCall(id=item_id, status="in_progress", result=None)
    return None


def _logprob(value: Any) -> Any:
    """A delta's ``ResponseLogProb`` as the ``LogProb`` that an
    ``output_text`` part holds (its ``bytes`` and ``top_logprobs`` lists are
    required there)."""
    data = msgspec.to_builtins(value)  # plain dicts and lists
    if data.__class__ is dict:
        data.setdefault("bytes", [])
        tops = data.setdefault("top_logprobs", [])
        for top in tops if tops.__class__ is list else ():
            if top.__class__ is dict:
                top.setdefault("bytes", [])
    try:
        return msgspec.convert(data, types.LogProb)
    except msgspec.ValidationError:
        return value  # keep what came rather than fail


class _Part:
    """A content or summary part being built: the part as added, its text
    fragments, and for ``output_text`` its annotations and logprobs."""

    __slots__ = ("annotations", "logprobs", "part", "text")

    def __init__(self, part: Any) -> None:
        self.part = part
        self.text: Fragments | None = None
        self.annotations: dict[int, Any] | None = None
        self.logprobs: list[Any] | None = None

    def build(self) -> Any:
        part = self.part
        changes: dict[str, Any] = {}
        if self.text is not None:
            field = "refusal" if _has(part, "refusal") else "text"
            if _has(part, field):
                changes[field] = self.text.value()
        if self.annotations is not None and _has(part, "annotations"):
            merged = dict(enumerate(cast("list[Any]", part.annotations)))
            merged.update(self.annotations)
            changes["annotations"] = [value for _, value in sorted(merged.items())]
        if self.logprobs is not None and _has(part, "logprobs"):
            changes["logprobs"] = self.logprobs
        return replace(part, **changes) if changes else part


class _Item:
    """One output item: as added (or done), plus what came for it since."""

    __slots__ = ("built", "done", "item", "lists", "status", "texts")

    def __init__(self, item: Any, done: bool = False) -> None:
        self.item = item
        self.done = done
        self.texts: dict[str, Fragments] = {}
        self.lists: dict[str, dict[int, _Part]] = {}
        self.status: str | None = None
        self.built: Any = item if done else None

    def part(self, field: str, index: int, kind: str | None) -> _Part:
        parts = self.lists.get(field)
        if parts is None:
            parts = self.lists[field] = {}
            base = getattr(self.item, field, None)
            if base.__class__ is list:  # parts the item came with
                parts.update((i, _Part(p)) for i, p in enumerate(cast("list[Any]", base)))
        entry = parts.get(index)
        if entry is None:
            entry = parts[index] = _Part(None if kind is None else _new_part(kind))
        elif entry.part is None and kind is not None:
            entry.part = _new_part(kind)
        return entry

    def build(self) -> Any:
        if self.built is not None:
            return self.built
        item = self.item
        changes: dict[str, Any] = {}
        for field, text in self.texts.items():
            if _has(item, field):
                changes[field] = text.value()
        for field, parts in self.lists.items():
            if _has(item, field):
                changes[field] = [p.build() for _, p in sorted(parts.items()) if p.part is not None]
        if self.status is not None and _has(item, "status"):
            changes["status"] = self.status
        self.built = replace(item, **changes) if changes else item
        return self.built


class ResponseAccumulator:
    """Fold :data:`~openai_structs.ResponseStreamEvent` members into a
    :class:`~openai_structs.Response`.

    - ``add(event)`` takes the next event; it costs time in proportion to the
      event, not to what came before.
    - ``snapshot()`` returns the response so far, as a ``Response``; cheap to
      call often (unchanged items are reused, text is joined once).
    - ``result()`` returns the terminal event's response if one came, else
      what was built (a stream cut short gives what it had).

    It handles output items added and done; content parts added and done;
    output text (with logprobs and annotations) and refusal deltas; function
    call, MCP call and custom tool input deltas; reasoning summary parts and
    reasoning text; code interpreter code; and the progress of hosted tools
    (web search, file search, code interpreter, image generation, MCP), which
    sets the item's ``status``. Streams that do not start with
    ``response.created`` (a background response resumed with
    ``starting_after``) work too; pass the response you already have as
    ``response=`` to start from it. Until the stream carries a response, the
    snapshot's top-level fields are placeholders (``id == ""``).

    Events carry a ``sequence_number`` (streams since mid 2025): an event
    whose number is not above the highest seen so far is skipped, so after a
    dropped connection the same accumulator can take the stream resumed with
    ``starting_after`` even if it repeats events. Unknown events keep their
    raw JSON only, so they are not checked.

    ``error`` events are kept in :attr:`errors` (read the stream with
    ``api_errors="yield"`` to get them, and the ``response.failed`` after
    them); events it does not use are kept in :attr:`unknown_events`.
    """

    __slots__ = (
        "_final",
        "_items",
        "_response",
        "errors",
        "last_sequence_number",
        "unknown_events",
    )

    def __init__(self, response: Response | None = None) -> None:
        self._response: Response | None = response
        self._final: Response | None = None
        self.last_sequence_number: int | None = None
        """The highest ``sequence_number`` seen (None for streams without)."""
        self._items: dict[int, _Item] = {}
        self.errors: list[ResponseErrorEvent | APIStreamError] = []
        """The stream's ``error`` events, in order: ``ResponseErrorEvent``
        values, or the :class:`APIStreamError` a stream yields in their
        place when the payload does not fit the type."""
        self.unknown_events: list[ResponseStreamEvent] = []
        """Events that were not folded in: unknown event types, and known
        ones this accumulator has no use for (audio, shell command output)."""
        if response is not None:
            self._seed(response)

    def _seed(self, response: Any) -> None:
        output = getattr(response, "output", None)
        if output.__class__ is list:
            for index, item in enumerate(cast("list[Any]", output)):
                if index not in self._items:
                    self._items[index] = _Item(item, done=True)

    def add(self, event: ResponseStreamEvent | APIStreamError) -> None:
        """Fold one event into the response (an :class:`APIStreamError`,
        from a stream read with ``api_errors="yield"``, is kept in
        :attr:`errors`)."""
        seq = getattr(event, "sequence_number", None)
        if isinstance(seq, int):
            last = self.last_sequence_number
            if last is not None and seq <= last:
                return  # seen already: a resumed stream that overlaps
            self.last_sequence_number = seq
        tag = _tag(event)
        if tag is None:
            if isinstance(event, APIStreamError):
                self.errors.append(event)
            else:
                self.unknown_events.append(event)
            return
        # the tag says which event this is, and so which fields it has
        known: Any = event
        if tag in _PART_TEXT or tag in _ITEM_TEXT:
            pass  # the common case: skip the checks below
        elif tag in ("response.completed", "response.incomplete", "response.failed"):
            self._final = self._response = known.response
            return
        elif tag in ("response.created", "response.queued", "response.in_progress"):
            self._response = known.response
            self._seed(self._response)
            return
        elif tag == "error":
            self.errors.append(known)
            return
        index = getattr(event, "output_index", None)
        if not isinstance(index, int):
            self.unknown_events.append(known)
            return
        if tag == "response.output_item.added" or tag == "response.output_item.done":
            self._items[index] = _Item(known.item, done=tag.endswith("done"))
            return
        slot = self._items.get(index)
        if slot is None:
            item_id = getattr(event, "item_id", None)
            placeholder = _placeholder(tag, item_id) if isinstance(item_id, str) else None
            if placeholder is None:
                self.unknown_events.append(known)
                return
            slot = self._items[index] = _Item(placeholder)
        elif slot.done:
            return  # the done item is whole; later events add nothing
        slot.built = None
        self._fold(slot, tag, event)

    def _fold(self, slot: _Item, tag: str, event: Any) -> None:
        if tag in _STATUS:
            status = _STATUS[tag]
            if status is not None:
                slot.status = status
            return
        part_spec = _PART_TEXT.get(tag)
        if part_spec is not None:
            self._fold_part_text(slot, part_spec, event)
            return
        spec = _ITEM_TEXT.get(tag)
        if spec is not None:
            field, is_delta, attr = spec
            text = getattr(event, attr)
            fragments = slot.texts.get(field)
            if fragments is None:
                slot.texts[field] = Fragments(text)
            elif is_delta:
                fragments.add(text)
            else:
                fragments.set(text)
            return
        if tag in ("response.content_part.added", "response.content_part.done"):
            self._set_part(slot, "content", event.content_index, event.part)
        elif tag in (
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_part.done",
        ):
            part = types.SummaryTextContent(text=event.part.text)
            self._set_part(slot, "summary", event.summary_index, part)
        elif tag == "response.output_text.annotation.added":
            entry = slot.part("content", event.content_index, "text")
            if entry.annotations is None:
                entry.annotations = {}
            entry.annotations[event.annotation_index] = event.annotation
        else:
            self.unknown_events.append(event)

    @staticmethod
    def _fold_part_text(slot: _Item, spec: tuple[str, bool, str, str, str], event: Any) -> None:
        field, is_delta, attr, index_attr, kind = spec
        entry = slot.part(field, getattr(event, index_attr), kind)
        text = getattr(event, attr)
        if entry.text is None:
            entry.text = Fragments(text)
        elif is_delta:
            entry.text.add(text)
        else:
            entry.text.set(text)
        if kind == "text":
            logprobs = event.logprobs
            if logprobs.__class__ is list:
                if not is_delta or entry.logprobs is None:
                    entry.logprobs = [_logprob(value) for value in logprobs]
                elif logprobs:
                    entry.logprobs.extend(_logprob(value) for value in logprobs)

    @staticmethod
    def _set_part(slot: _Item, field: str, index: int, part: Any) -> None:
        entry = slot.part(field, index, None)
        entry.part = part
        entry.text = None  # the part carries its text (empty when added)
        entry.annotations = None
        entry.logprobs = None

    def snapshot(self) -> Response:
        """The response built from the events so far (the terminal event's
        response, once it came)."""
        if self._final is not None:
            return self._final
        output = [slot.build() for _, slot in sorted(self._items.items())]
        base = self._response
        if base is None:
            return types.Response(
                id="",
                object="response",
                created_at=0,
                model="",
                metadata=None,
                temperature=None,
                top_p=None,
                tools=[],
                tool_choice="auto",
                error=None,
                incomplete_details=None,
                instructions=None,
                output=output,
            )
        return replace(base, output=output)

    def result(self) -> Response:
        """The response: the terminal event's if it came, else what was
        built from the events so far."""
        return self.snapshot()

    def output_text(self) -> str:
        """The text of every ``output_text`` part of the output messages so
        far, joined (:func:`~openai_structs.output_text` of a snapshot): the
        text a :class:`~openai_structs.PartialJSON` reads as it streams, and
        :func:`~openai_structs.parse_output` parses from :meth:`result`."""
        from ..structured._parse import output_text

        return output_text(self.snapshot())
