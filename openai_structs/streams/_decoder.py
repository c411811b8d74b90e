"""Typed streams: the events of every streaming OpenAI API, decoded as they arrive.

Each stream is the SSE framer of :mod:`openai_structs.streams._sse` followed by one
:class:`~openai_structs.Decoder` for the stream's event type, so events get
what the types give everywhere else: unknown variants kept (a new Responses
event arrives as an :class:`~openai_structs.UnknownType`), and errors that
say where. :class:`EventStreamDecoder` is the push form (``feed(chunk) ->
list``, then ``close()``); :mod:`openai_structs.streams._iter` reads
iterables of chunks with it.

One answer. Each event decodes to exactly what ``Decoder(type,
strict=strict).decode(data)`` gives for its data, and fails with that
decoder's error wrapped in :class:`StreamDecodeError` with the event's index,
however the stream is split into chunks, sync or async.

How a stream ends and fails:

- ``data: [DONE]`` ends the stream (chat and legacy completions send it);
  anything after it is not read.
- An API error inside the stream (an ``event: error`` event, a ``data:
  {"error": ...}`` payload, or an event of the stream's own union whose tag
  is ``error``, such as the Responses API's ``ResponseErrorEvent``) raises
  :class:`APIStreamError` by default, which ends the stream. With
  ``api_errors="yield"`` it does not: the union's own error member is
  yielded like any other event when the payload fits it, else the
  :class:`APIStreamError` itself is yielded, and the stream goes on.
- A payload that is not JSON, or JSON that does not fit the type, raises
  :class:`StreamDecodeError`, which ends the stream. Events before it are
  handed out first; ``path`` and ``pos`` come from the payload's error,
  which is its ``__cause__``.
- An event past ``max_event_size`` raises the framer's
  :class:`~openai_structs.EventTooLargeError`.

``with_raw=True`` wraps each value in a :class:`RawEvent` with the bytes it
was decoded from, for relays that forward what they received.

Speed: the framer hands runs of plain events over as a list of payloads. In
the default mode this module decodes them with ``map`` over msgspec's own
decode (refining only the few events whose type can hold a proxy), so no
Python bytecode runs per event; whatever fails there, for any reason, is
decoded again one event at a time through ``Decoder.decode``, which gives
the answer. Strict mode decodes every event through ``Decoder.decode``, the
one place strict checks live.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, get_args, overload

import msgspec

from ..core import _typeinfo as ti
from ..core._base import UnknownEvent
from ..core._codec import Decoder
from ..core._msgspec import unknown_tag
from ..errors import (
    APIStreamError,
    DecodeError,
    MalformedJSONError,
    SSEError,
    StreamDecodeError,
    UnknownVariantError,
)
from ._api_errors import api_error, at_event, error_object, error_payload
from ._sse import DEFAULT_MAX_EVENT_SIZE, BytesLike, EventRun, ServerSentEvent, SSEDecoder

__all__ = ["EventStreamDecoder", "RawEvent"]

T = TypeVar("T")
V = TypeVar("V")  # the event type of one decoder, for the overloads
ErrorMode = Literal["raise", "yield"]

if TYPE_CHECKING:
    from typing_extensions import Required, TypedDict, Unpack

    class _Common(TypedDict, total=False):
        strict: bool
        max_event_size: int

    class Options(_Common, total=False):
        """The options of a typed stream (see :class:`EventStreamDecoder`)."""

        with_raw: bool
        api_errors: ErrorMode

    # The four modes, by the values of with_raw and api_errors: a type
    # checker picks the overload whose keys fit the call.
    class Plain(_Common, total=False):
        with_raw: Literal[False]
        api_errors: Literal["raise"]

    class WithRaw(_Common, total=False):
        with_raw: Required[Literal[True]]
        api_errors: Literal["raise"]

    class Yield(_Common, total=False):
        with_raw: Literal[False]
        api_errors: Required[Literal["yield"]]

    class RawYield(_Common, total=False):
        with_raw: Required[Literal[True]]
        api_errors: Required[Literal["yield"]]


_DONE = b"[DONE]"
_ERROR_NAME = b"error"


class RawEvent(msgspec.Struct, Generic[T], frozen=True, gc=False):
    """A typed event with the bytes it was decoded from: what a stream read
    with ``with_raw=True`` yields.

    ``value`` is what the stream yields otherwise. ``data`` is the event's
    data as it arrived (the bytes object the framer cut out, not a copy),
    keys that no type defines included, and ``event`` its SSE ``event:``
    name, or None. ``format_sse(raw.data, event=raw.event)`` writes the
    event back out for a client of your own.
    """

    value: T
    data: bytes
    event: str | None = None


class _EventNames(dict[bytes, "str | None"]):
    """The ``event:`` names of a run as text, remembered (a few distinct
    names per stream; looking one up is a C-level dict lookup)."""

    def __missing__(self, name: bytes) -> str | None:
        text = name.decode("utf-8", "replace") or None
        if len(self) < 256:
            self[name] = text
        return text


_event_names = _EventNames()


# --------------------------------------------------------------------------
# Event-name dispatch (the Assistants stream)


class _ByName:
    """For a union whose members are told apart by the SSE ``event`` name and
    carry the payload in ``data`` (``AssistantStreamEvent``): the decoder and
    class of each name, the error members and the end."""

    def __init__(self, members: list[Any], strict: bool) -> None:
        self.members: dict[str, tuple[Callable[[bytes], Any], Any]] = {}
        self.errors: dict[str, tuple[Any, Any]] = {}  # name -> (class, its data type)
        self.done: set[str] = set()
        self.strict = strict
        decoders: dict[Any, Decoder[Any]] = {}
        for cls in members:
            tag = ti.tag_config(cls)[1]
            data_type = _data_type(cls)
            if tag == "error":
                self.errors[tag] = (cls, data_type)
            elif tag == "done":
                self.done.add(tag)
            else:
                dec = decoders.get(data_type)
                if dec is None:
                    dec = decoders[data_type] = Decoder(data_type, strict=strict)
                self.members[tag] = (dec.decode, cls)


def _data_type(cls: Any) -> Any:
    field = ti.field(cls, "data")
    return None if field is None else field.type


def _by_name(type: Any, strict: bool) -> _ByName | None:
    """A :class:`_ByName` for ``type`` if its members are ``event``-tagged
    structs with a ``data`` field, else None."""
    everyone = ti.union_members(type) if ti.is_union(type) else ()
    members = [m for m in everyone if m is not UnknownEvent]
    if not members or UnknownEvent not in everyone:
        return None
    for m in members:
        if ti.tag_config(m)[0] != "event" or _data_type(m) is None:
            return None
    return _ByName(members, strict)


def _error_tags(type: Any) -> frozenset[Any]:
    """Members of the union ``type`` whose ``type`` tag is ``error``."""
    out: list[Any] = []
    for m in ti.union_members(type) if ti.is_union(type) else (type,):
        if ti.tag_config(m) == ("type", "error"):
            out.append(m)
    return frozenset(out)


def _unknown_event(name: str, data: bytes, index: int) -> UnknownEvent:
    """An :class:`UnknownEvent` for an event name the union does not know.

    Its data is kept as JSON when it is JSON, else as a JSON string. Bytes
    that are not UTF-8 are refused (an event stream is UTF-8 text): they
    could be kept only by changing them.
    """
    try:
        text = str(data, "utf-8")
    except UnicodeDecodeError as exc:
        cause = MalformedJSONError(f"Invalid UTF-8 at byte {exc.start}", pos=exc.start)
        raise at_event(cause, index, name) from cause
    try:
        _any(data)
        body = data
    except (msgspec.DecodeError, RecursionError):
        body = msgspec.json.encode(text)
    raw = b'{"event":' + msgspec.json.encode(name) + b',"data":' + body + b"}"
    return UnknownEvent.from_raw(raw)  # type: ignore[return-value]


_any = msgspec.json.Decoder().decode


# --------------------------------------------------------------------------
# The push decoder

_Plan = tuple[
    "_ByName | None",
    Callable[[Any], Any],
    Callable[[Any], Any],
    "frozenset[Any] | None",
    frozenset[Any],
]
_plans: dict[tuple[Any, bool], _Plan] = {}


def _plan(type: Any, strict: bool) -> _Plan:
    """What a stream of ``type`` needs, made once per type: building a
    decoder for a large union costs milliseconds, more than a short stream."""
    try:
        return _plans[type, strict]
    except KeyError:
        pass
    dec: Decoder[Any] = Decoder(type, strict=strict)
    errors = _error_tags(type)
    # The members a run's events need no look at: all but the error events
    # (None when the union has none).
    plain = frozenset(m for m in get_args(type) if m not in errors) if errors else None
    plan: _Plan = (
        _by_name(type, strict),
        dec.decode,
        # The default mode's fast path calls msgspec directly; anything that
        # fails there, or raises at all, is decoded again by ``dec.decode``,
        # which gives the answer.
        dec._native,  # pyright: ignore[reportPrivateUsage]
        plain,
        errors,
    )
    if len(_plans) < 256:  # types built afresh on each call do not pile up
        _plans[type, strict] = plan
    return plan


class _ErrorEvent(Exception):
    """The fast path met an error event that must raise: the run goes one
    event at a time."""


def _look(errors: frozenset[Any], yield_errors: bool) -> Callable[[Any], Any]:
    """What the fast path does to an event that is not plain: give up on the
    run at an error event that must raise."""
    if not errors or yield_errors:
        return _same

    def look(value: Any) -> Any:
        if type(value) in errors:
            raise _ErrorEvent
        return value

    return look


def _same(value: Any) -> Any:
    return value


class EventStreamDecoder(Generic[T]):
    """A push decoder of a typed event stream: no I/O, bytes in, events out.

    >>> dec = EventStreamDecoder(CreateChatCompletionStreamResponse)
    >>> for chunk in chunks:
    ...     for event in dec.feed(chunk):
    ...         ...
    >>> dec.close()

    ``type`` is the type of each event's data (a struct or a union). A union
    of ``event``-tagged members with a ``data`` field, like
    ``AssistantStreamEvent``, is dispatched on the SSE ``event`` name
    instead: each event's data decodes into its member's ``data`` type, and
    an unknown name gives an :class:`~openai_structs.UnknownEvent` holding
    ``{"event": name, "data": ...}``.

    ``strict`` is passed to the :class:`~openai_structs.Decoder`;
    ``with_raw=True`` makes each event a :class:`RawEvent`; ``api_errors``
    is ``"raise"`` (an API error ends the stream with
    :class:`APIStreamError`) or ``"yield"`` (it is handed out and the stream
    goes on); see :mod:`openai_structs.streams._decoder`. ``done`` is True once
    the stream ended: by ``[DONE]`` (or a ``done`` event), or by an error;
    :meth:`feed` then ignores its input.
    """

    __slots__ = (
        "_by_name",
        "_decode",
        "_each",
        "_error",
        "_errors",
        "_index",
        "_look",
        "_plain",
        "_raw",
        "_sse",
        "_yield_errors",
        "done",
    )

    # What each mode yields, said once: the stream functions of _iter and
    # _apis take their types from these.
    @overload
    def __init__(self: EventStreamDecoder[V], type: type[V], **options: Unpack[Plain]) -> None: ...
    @overload
    def __init__(
        self: EventStreamDecoder[RawEvent[V]], type: type[V], **options: Unpack[WithRaw]
    ) -> None: ...
    @overload
    def __init__(
        self: EventStreamDecoder[V | APIStreamError], type: type[V], **options: Unpack[Yield]
    ) -> None: ...
    @overload
    def __init__(
        self: EventStreamDecoder[RawEvent[V | APIStreamError]],
        type: type[V],
        **options: Unpack[RawYield],
    ) -> None: ...
    @overload
    def __init__(self: EventStreamDecoder[Any], type: Any, **options: Unpack[Options]) -> None: ...
    def __init__(
        self,
        type: Any,
        *,
        strict: bool = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        with_raw: bool = False,
        api_errors: ErrorMode = "raise",
    ) -> None:
        if api_errors not in ("raise", "yield"):
            raise ValueError(f"api_errors must be 'raise' or 'yield', not {api_errors!r}")
        self._sse = SSEDecoder(max_event_size=max_event_size)
        plan = _plan(type, strict)
        self._by_name, self._decode, native, self._plain, self._errors = plan
        self._yield_errors = api_errors == "yield"
        # Strict mode decodes each event of a run through Decoder.decode
        # (which checks it); the default mode through msgspec.
        self._each = self._decode if strict else native
        self._look = _look(self._errors, self._yield_errors)
        self._raw = with_raw
        self._index = 0
        self._error: APIStreamError | StreamDecodeError | None = None
        self.done = False

    def feed(self, chunk: BytesLike) -> list[T]:
        """Read ``chunk`` and return the events it completed, in order.

        When an event fails (an API error, a decode error) after others of
        the same chunk, those are returned first and the error is raised by
        the next call (:meth:`feed` or :meth:`close`). Once an error is
        raised the stream is over: ``done`` is True.
        """
        self._raise_pending()
        if self.done:
            return []
        try:
            items = self._sse.feed_runs(chunk)
        except SSEError:
            self.done = True
            raise
        if len(items) == 1 and type(items[0]) is EventRun:
            values = self._fast(items[0])  # the common case: one run of plain events
            if values is not None:
                return values
        out: list[Any] = []
        try:
            for item in items:
                if type(item) is EventRun:
                    values = self._fast(item) if len(items) > 1 else None
                    if values is not None:
                        out += values
                    else:
                        for event in item.events():
                            self._one(event, out)
                            if self.done:
                                break
                else:
                    self._one(item, out)  # type: ignore[arg-type]
                if self.done:
                    break
        except (APIStreamError, StreamDecodeError) as exc:
            self.done = True
            if not out:
                raise
            self._error = exc
        return out

    def close(self) -> list[T]:
        """End the stream (an unfinished last event is dropped), raising an
        error that :meth:`feed` held back."""
        self._raise_pending()
        try:
            self._sse.close()
        except SSEError:
            if not self.done:  # bytes after the end are not read
                self.done = True
                raise
        return []

    def _raise_pending(self) -> None:
        error = self._error
        if error is not None:
            self._error = None
            raise error

    def _fast(self, run: EventRun) -> list[Any] | None:
        """The run decoded with one call per event, or None if it needs a
        look one by one (an error event, a failure of any kind)."""
        names = run.names
        if self._by_name is not None or (names is not None and _ERROR_NAME in names):
            return None
        datas = run.datas
        count = len(datas)
        done = datas[-1] == _DONE
        if done:  # chat's last event: decode the others, then stop
            datas = datas[:-1]
        try:
            values = list(map(self._each, datas))
            plain = self._plain
            if plain is not None and not plain.issuperset(map(type, values)):
                # An error event that must raise: the exact path raises it.
                look = self._look
                values = [v if type(v) in plain else look(v) for v in values]
        except Exception:  # noqa: BLE001 - the exact path gives the answer
            return None
        self._index += count
        self.done = done
        if self._raw:
            events = repeat(None) if names is None else map(_event_names.__getitem__, names)
            return list(map(RawEvent, values, datas, events))
        return values

    def _one(self, event: ServerSentEvent, out: list[Any]) -> None:
        """Decode one event into ``out``, or end or fail the stream."""
        data = event.data
        name = event.event
        index = self._index
        self._index += 1
        if data == _DONE:
            self.done = True
            return
        by_name = self._by_name
        if by_name is not None:
            if name in by_name.done:
                self.done = True
                return
            value = self._named(by_name, event, index)
        elif name == "error":
            payload = None
            if self._errors:  # the union's own error event, if it is one
                try:
                    payload = self._decode(data)
                except DecodeError:
                    pass
            if type(payload) in self._errors:
                value = self._member_error(payload, data, index, name)
            else:
                value = self._api_error(error_payload(data), data, index, name)
        else:
            try:
                value = self._decode(data)
            except DecodeError as exc:
                payload = error_object(data)
                if payload is None:
                    raise at_event(exc, index, name) from exc
                value = self._api_error(payload, data, index, name)
            else:
                if self._errors and type(value) in self._errors:
                    value = self._member_error(value, data, index, name)
        out.append(RawEvent(value, data, name) if self._raw else value)

    def _api_error(self, payload: Any, data: bytes, index: int, name: str | None) -> Any:
        """An API error with no member of the union to hold it: raised, or
        yielded as the :class:`APIStreamError`."""
        error = api_error(payload, data, index, name)
        if self._yield_errors:
            return error
        raise error

    def _member_error(self, value: Any, data: bytes, index: int, name: str | None) -> Any:
        """The union's own error event: yielded as it is, or raised."""
        if self._yield_errors:
            return value
        raise api_error(value, data, index, name)

    def _named(self, by_name: _ByName, event: ServerSentEvent, index: int) -> Any:
        name = event.event or ""
        data = event.data
        member = by_name.members.get(name)
        if member is not None:
            decode, cls = member
            try:
                return cls(data=decode(data))
            except DecodeError as exc:
                raise at_event(exc, index, name) from exc
        error_member = by_name.errors.get(name)
        if error_member is not None:
            payload = error_payload(data)
            cls, data_type = error_member
            if self._yield_errors and isinstance(payload, data_type):
                return cls(data=payload)
            return self._api_error(payload, data, index, name)
        if event.event is None:
            # No event name: not an event of this API, but maybe an error
            # in the shape every API uses.
            payload = error_object(data)
            if payload is not None:
                return self._api_error(payload, data, index, None)
        if by_name.strict:
            known = [*by_name.members, *by_name.errors, *by_name.done]
            cause = unknown_tag(name, "$.event", known, UnknownVariantError)
            raise at_event(cause, index, name) from cause
        return _unknown_event(name, data, index)
