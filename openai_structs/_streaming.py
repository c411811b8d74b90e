"""Typed streams: the events of every streaming OpenAI API, decoded as they arrive.

Each stream is the SSE framer of :mod:`openai_structs._sse` followed by one
:class:`~openai_structs.Decoder` for the stream's event type, so events get
what the types give everywhere else: unknown variants kept (a new Responses
event arrives as an :class:`~openai_structs.UnknownType`), and errors that
say where.

:class:`EventStreamDecoder` is the push form (``feed(chunk) -> list``, then
``close()``); :func:`iter_events` and :func:`aiter_events` read an iterable
or async iterable of chunks. Every ``iter_*`` function of
:mod:`openai_structs.streaming` is one of those two with a type.

How a stream ends and fails:

- ``data: [DONE]`` ends the stream (chat and legacy completions send it);
  anything after it is not read.
- An API error inside the stream raises :class:`APIStreamError`, which is not
  a decode error: an ``event: error`` event, a ``data: {"error": ...}``
  payload (chat sends those), or an event of the stream's own union whose tag
  is ``error`` (the Responses API's ``ResponseErrorEvent``).
- A payload that is not JSON, or JSON that does not fit the type, raises
  :class:`StreamDecodeError`, a :class:`~openai_structs.DecodeError` that
  adds ``index``, the 0-based position of the event in the stream; ``path``
  and ``pos`` come from the error of the payload, which is its ``__cause__``.

Speed: the framer hands runs of plain events over as a list of payloads,
which this module decodes with ``map`` over msgspec's own decode (refining
only the few events whose type can hold a proxy), so no Python bytecode
runs per event on the common path. An event that needs a look (an error, ``[DONE]``,
an event name to dispatch on, a payload that fails) goes one by one.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from itertools import chain
from typing import Any, Generic, TypeVar, get_args, overload

import msgspec

from ._base import UnknownEvent
from ._codec import Decoder
from ._errors import DecodeError, UnknownVariantError
from ._refine import refiner
from ._sse import DEFAULT_MAX_EVENT_SIZE, Batch, BytesLike, ServerSentEvent, SSEDecoder

__all__ = [
    "APIStreamError",
    "EventStreamDecoder",
    "StreamDecodeError",
    "aiter_events",
    "iter_events",
]

T = TypeVar("T")

_DONE = b"[DONE]"
_ERROR_NAME = b"error"


class APIStreamError(Exception):
    """The API reported an error inside a stream, which ends the stream.

    Not a decode error: the bytes were fine, the request failed. ``error``
    is the error payload, typed when it fits (:class:`~openai_structs.Error`
    for ``{"error": {...}}`` and ``event: error`` payloads, the union's own
    error event such as :class:`~openai_structs.ResponseErrorEvent`), else
    the decoded JSON value. ``data`` holds the event's raw bytes, ``event``
    its SSE name and ``index`` its 0-based position in the stream.
    """

    def __init__(self, error: Any, *, data: bytes, index: int, event: str | None) -> None:
        self.error = error
        self.data = data
        self.index = index
        self.event = event
        super().__init__(f"API error in stream (event {index}): {self.message}")

    @property
    def message(self) -> str:
        """The error's ``message``, or the raw payload when it has none."""
        return str(_field(self.error, "message") or self.data.decode("utf-8", "replace"))

    @property
    def code(self) -> Any:
        """The error's ``code`` (a string, or None)."""
        return _field(self.error, "code")


def _field(error: Any, name: str) -> Any:
    if isinstance(error, dict):
        return error.get(name)  # pyright: ignore[reportUnknownMemberType]
    value = getattr(error, name, None)
    return None if value is msgspec.UNSET else value


class StreamDecodeError(DecodeError):
    """One event of a stream could not be decoded. A :class:`ValueError`.

    ``index`` is the event's 0-based position in the stream, ``event`` its
    SSE name; ``path`` and ``pos`` locate the problem inside the event's
    data, as :class:`~openai_structs.DecodeError` does.
    """

    def __init__(
        self,
        message: str,
        *,
        index: int,
        event: str | None = None,
        path: str | None = None,
        pos: int | None = None,
    ) -> None:
        super().__init__(message, path=path, pos=pos)
        self.index = index
        self.event = event


# --------------------------------------------------------------------------
# Event-name dispatch (the Assistants stream)


class _ByName:
    """For a union whose members are told apart by the SSE ``event`` name and
    carry the payload in ``data`` (``AssistantStreamEvent``): the decoder and
    class of each name, and which names are errors and the end."""

    def __init__(self, members: list[Any], strict: bool) -> None:
        self.members: dict[str, tuple[Callable[[bytes], Any], Any]] = {}
        self.errors: set[str] = set()
        self.done: set[str] = set()
        self.strict = strict
        decoders: dict[Any, Decoder[Any]] = {}
        for cls in members:
            tag = cls.__struct_config__.tag
            data_type = _data_type(cls)
            if tag == "error":
                self.errors.add(tag)
            elif tag == "done":
                self.done.add(tag)
            else:
                dec = decoders.get(data_type)
                if dec is None:
                    dec = decoders[data_type] = Decoder(data_type, strict=strict)
                self.members[tag] = (dec.decode, cls)


def _data_type(cls: Any) -> Any:
    for field in msgspec.structs.fields(cls):
        if field.name == "data":
            return field.type
    return None


def _by_name(type: Any, strict: bool) -> _ByName | None:
    """A :class:`_ByName` for ``type`` if its members are ``event``-tagged
    structs with a ``data`` field, else None."""
    members = [m for m in get_args(type) if m is not UnknownEvent]
    if not members or UnknownEvent not in get_args(type):
        return None
    for m in members:
        config = getattr(m, "__struct_config__", None)
        if config is None or config.tag_field != "event" or _data_type(m) is None:
            return None
    return _ByName(members, strict)


def _error_tags(type: Any) -> tuple[Any, ...]:
    """Members of the union ``type`` whose ``type`` tag is ``error``."""
    out = []
    for m in get_args(type) or (type,):
        config = getattr(m, "__struct_config__", None)
        if config is not None and config.tag_field == "type" and config.tag == "error":
            out.append(m)
    return tuple(out)


# --------------------------------------------------------------------------
# The push decoder

_Plan = tuple[
    "_ByName | None",
    Callable[[Any], Any],
    Callable[[Any], Any],
    "Callable[[Any], Any] | None",
    frozenset[Any],
    tuple[Any, ...],
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
    plan: _Plan = (
        _by_name(type, strict),
        dec.decode,
        # The batch path calls msgspec directly (and refines, if the type
        # needs it); anything it rejects is decoded again by ``dec.decode``.
        dec._native,  # pyright: ignore[reportPrivateUsage]
        dec._after,  # pyright: ignore[reportPrivateUsage]
        # Members that never hold a proxy need no refining: most events.
        frozenset(m for m in get_args(type) if refiner(m) is None),
        _error_tags(type),
    )
    if len(_plans) < 256:  # types built afresh on each call do not pile up
        _plans[type, strict] = plan
    return plan


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
    ``{"event": name, "data": ...}``. ``done`` is True once ``[DONE]`` (or a
    ``done`` event) ended the stream; :meth:`feed` then ignores its input.
    ``strict`` is passed to the :class:`~openai_structs.Decoder`.
    """

    __slots__ = (
        "_after",
        "_by_name",
        "_decode",
        "_error",
        "_errors",
        "_index",
        "_native",
        "_plain",
        "_sse",
        "done",
    )

    @overload
    def __init__(
        self, type: type[T], *, strict: bool = False, max_event_size: int = ...
    ) -> None: ...
    @overload
    def __init__(self, type: Any, *, strict: bool = False, max_event_size: int = ...) -> None: ...
    def __init__(
        self, type: Any, *, strict: bool = False, max_event_size: int = DEFAULT_MAX_EVENT_SIZE
    ) -> None:
        self._sse = SSEDecoder(max_event_size=max_event_size)
        plan = _plan(type, strict)
        self._by_name, self._decode, self._native, self._after, self._plain, self._errors = plan
        self._index = 0
        self._error: APIStreamError | StreamDecodeError | None = None
        self.done = False

    def feed(self, chunk: BytesLike) -> list[T]:
        """Read ``chunk`` and return the events it completed, in order.

        When an event fails (an API error, a decode error) after others of
        the same chunk, those are returned first and the error is raised by
        the next call (:meth:`feed` or :meth:`close`); ``done`` is then True.
        """
        self._raise_pending()
        if self.done:
            return []
        items = self._sse.feed_batches(chunk)
        if len(items) == 1 and type(items[0]) is Batch:
            values = self._fast(items[0])  # the common case: one run of plain events
            if values is not None:
                return values
        out: list[T] = []
        try:
            for item in items:
                if type(item) is Batch:
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
            if not out:
                raise
            self._error = exc
            self.done = True
        return out

    def close(self) -> list[T]:
        """End the stream (an unfinished last event is dropped), raising an
        error that :meth:`feed` held back."""
        self._sse.close()
        self._raise_pending()
        return []

    def _raise_pending(self) -> None:
        error = self._error
        if error is not None:
            self._error = None
            raise error

    def _fast(self, batch: Batch) -> list[T] | None:
        """The batch decoded with one msgspec call per event and no Python
        work per event, or None if it needs a look one by one."""
        names = batch.names
        if self._by_name is not None or (names is not None and _ERROR_NAME in names):
            return None
        datas = batch.datas
        count = len(datas)
        done = datas[-1] == _DONE
        if done:  # chat's last event: decode the others, then stop
            datas = datas[:-1]
        try:
            values = list(map(self._native, datas))
        except (msgspec.DecodeError, RecursionError):
            return None  # unknown variants, API errors, bad payloads...
        after = self._after
        if after is not None:
            plain = self._plain
            if not plain.issuperset(map(type, values)):  # a few events per stream
                values = [v if type(v) in plain else after(v) for v in values]
        # An error event of the union sent without its ``event: error``
        # line must raise.
        errors = self._errors
        if errors and names is None and any(map(errors.__contains__, map(type, values))):
            return None
        self._index += count
        self.done = done
        return values

    def _one(self, event: ServerSentEvent, out: list[T]) -> None:
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
            out.append(self._named(by_name, event, index))
            return
        if name == "error":
            payload = None
            if self._errors:  # the union's own error event, if it is one
                try:
                    payload = self._decode(data)
                except DecodeError:
                    pass
            if type(payload) not in self._errors:
                payload = _error_payload(data)
            raise APIStreamError(payload, data=data, index=index, event=name)
        try:
            value = self._decode(data)
        except DecodeError as exc:
            payload = _error_object(data)
            if payload is not None:
                raise APIStreamError(payload, data=data, index=index, event=name) from None
            raise _at_event(exc, index, name) from exc
        if self._errors and type(value) in self._errors:
            raise APIStreamError(value, data=data, index=index, event=name)
        out.append(value)

    def _named(self, by_name: _ByName, event: ServerSentEvent, index: int) -> Any:
        name = event.event or ""
        data = event.data
        member = by_name.members.get(name)
        if member is not None:
            decode, cls = member
            try:
                return cls(data=decode(data))
            except DecodeError as exc:
                raise _at_event(exc, index, name) from exc
        if name in by_name.errors:
            raise APIStreamError(_error_payload(data), data=data, index=index, event=name)
        if by_name.strict:
            cause = UnknownVariantError(f"Unknown event {name!r}", path="$.event")
            raise _at_event(cause, index, name) from cause
        try:
            return _unknown_event(name, data)
        except ValueError as exc:  # JSON, but not valid UTF-8 text
            raise StreamDecodeError(
                f"event {index} ({name}): {exc}", index=index, event=name
            ) from exc


def _at_event(exc: DecodeError, index: int, name: str | None) -> StreamDecodeError:
    where = f"event {index}" if name is None else f"event {index} ({name})"
    return StreamDecodeError(f"{where}: {exc}", index=index, event=name, path=exc.path, pos=exc.pos)


def _error_object(data: bytes) -> Any:
    """The error of a ``{"error": ...}`` payload, or None if ``data`` is not one."""
    try:
        value = _any(data)
    except (msgspec.DecodeError, RecursionError):
        return None
    if isinstance(value, dict) and "error" in value:
        return _typed_error(value["error"])  # pyright: ignore[reportUnknownArgumentType]
    return None


def _error_payload(data: bytes) -> Any:
    """The payload of an ``event: error`` event: typed when it fits."""
    try:
        value = _any(data)
    except (msgspec.DecodeError, RecursionError):
        return data.decode("utf-8", "replace")
    if isinstance(value, dict) and isinstance(value.get("error"), dict):  # pyright: ignore[reportUnknownMemberType]
        value = value["error"]  # pyright: ignore[reportUnknownVariableType]
    return _typed_error(value)


def _typed_error(value: Any) -> Any:
    from .types import Error

    try:
        return msgspec.convert(value, Error)
    except msgspec.ValidationError:
        return value


_any = msgspec.json.Decoder().decode


def _unknown_event(name: str, data: bytes) -> UnknownEvent:
    """An :class:`UnknownEvent` for an event name the union does not know."""
    try:
        _any(data)
        body = data
    except (msgspec.DecodeError, RecursionError):
        body = msgspec.json.encode(data.decode("utf-8", "replace"))
    raw = b'{"event":' + msgspec.json.encode(name) + b',"data":' + body + b"}"
    return UnknownEvent.from_raw(raw)  # type: ignore[return-value]


# --------------------------------------------------------------------------
# Iterating


@overload
def iter_events(
    chunks: Iterable[BytesLike], type: type[T], *, strict: bool = ..., max_event_size: int = ...
) -> Iterator[T]: ...
@overload
def iter_events(
    chunks: Iterable[BytesLike], type: Any, *, strict: bool = ..., max_event_size: int = ...
) -> Iterator[Any]: ...
def iter_events(
    chunks: Iterable[BytesLike],
    type: Any,
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> Iterator[Any]:
    """Yield each event of an SSE stream read from ``chunks``, decoded into
    ``type``; see :class:`EventStreamDecoder`. Reading stops at ``[DONE]``.

    >>> for chunk in iter_events(response.iter_bytes(), CreateChatCompletionStreamResponse):
    ...     print(chunk.choices[0].delta.content)
    """
    dec = EventStreamDecoder(type, strict=strict, max_event_size=max_event_size)
    # A generator of the lists feed() returns, flattened by chain in C: the
    # Python frame runs once per chunk, not once per event.
    return chain.from_iterable(_lists(dec, chunks))


def _lists(dec: EventStreamDecoder[Any], chunks: Iterable[BytesLike]) -> Iterator[list[Any]]:
    feed = dec.feed
    for chunk in chunks:
        yield feed(chunk)
        if dec.done:
            break  # read no further
    yield dec.close()


@overload
def aiter_events(
    chunks: AsyncIterable[BytesLike],
    type: type[T],
    *,
    strict: bool = ...,
    max_event_size: int = ...,
) -> AsyncIterator[T]: ...
@overload
def aiter_events(
    chunks: AsyncIterable[BytesLike], type: Any, *, strict: bool = ..., max_event_size: int = ...
) -> AsyncIterator[Any]: ...
async def aiter_events(
    chunks: AsyncIterable[BytesLike],
    type: Any,
    *,
    strict: bool = False,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> AsyncIterator[Any]:
    """:func:`iter_events` over an async iterable of chunks."""
    dec = EventStreamDecoder(type, strict=strict, max_event_size=max_event_size)
    feed = dec.feed
    async for chunk in chunks:
        for event in feed(chunk):
            yield event
        if dec.done:
            break
    for event in dec.close():
        yield event


Message = str | bytes | bytearray | memoryview


def iter_messages(messages: Iterable[Message], type: Any, *, strict: bool = False) -> Iterator[Any]:
    """Decode each WebSocket message (text or binary, one JSON event each)
    into ``type``. A failing message raises :class:`StreamDecodeError`
    naming its 0-based index."""
    decode = Decoder(type, strict=strict).decode
    for index, message in enumerate(messages):
        try:
            yield decode(message)
        except DecodeError as exc:
            raise _at_event(exc, index, None) from exc


async def aiter_messages(
    messages: AsyncIterable[Message], type: Any, *, strict: bool = False
) -> AsyncIterator[Any]:
    """:func:`iter_messages` over an async iterable of messages."""
    decode = Decoder(type, strict=strict).decode
    index = 0
    async for message in messages:
        try:
            yield decode(message)
        except DecodeError as exc:
            raise _at_event(exc, index, None) from exc
        index += 1
