"""How a typed stream fails, and how it reads the API's error payloads.

Two errors, which are not related:

- :class:`APIStreamError`: the API reported an error inside the stream. The
  bytes were fine, the request failed. Not a :class:`ValueError`.
- :class:`StreamDecodeError`: an event's bytes could not be decoded. A
  :class:`~openai_structs.DecodeError` (so a :class:`ValueError`).

The API writes its errors in several shapes, all read here:

- chat and legacy completions: ``data: {"error": {"message", "type", "param",
  "code"}}``, an event of no type of the stream;
- an ``event: error`` event, whose data is such an object, or the bare
  ``{"message", ...}`` inside it, or plain text;
- the Responses API's ``error`` event, a member of ``ResponseStreamEvent``,
  which the spec draws with ``code``, ``message`` and ``param`` at its top
  level, and which the servers send nested: ``{"type": "error",
  "sequence_number": 2, "error": {"type", "code", "message", "param"}}``.

:attr:`APIStreamError.code` and :attr:`APIStreamError.message` read either
shape, typed or not.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ._errors import DecodeError

__all__ = ["APIStreamError", "StreamDecodeError"]


class APIStreamError(Exception):
    """The API reported an error inside a stream.

    Not a decode error: the bytes were fine, the request failed. By default
    a typed stream raises it, which ends the stream. Read with
    ``api_errors="yield"``, a stream hands it out as a value instead, where
    the stream's own type has no member for the error (chat's
    ``data: {"error": ...}``), and goes on.

    ``error`` is the error payload, typed when it fits
    (:class:`~openai_structs.Error` for ``{"error": {...}}`` and
    ``event: error`` payloads, the union's own error event such as
    :class:`~openai_structs.ResponseErrorEvent`), else the decoded JSON value,
    else the text. ``data`` holds the event's raw bytes, ``event`` its SSE
    name and ``index`` its 0-based position in the stream.
    """

    def __init__(self, error: Any, *, data: bytes, index: int, event: str | None) -> None:
        self.error = error
        self.data = data
        self.index = index
        self.event = event
        super().__init__(f"API error in stream (event {index}): {self.message}")

    @property
    def message(self) -> str:
        """The error's ``message`` (at the payload's top level or inside its
        ``error`` object), or the raw payload when it has none."""
        return str(_field(self.error, "message") or self.data.decode("utf-8", "replace"))

    @property
    def code(self) -> Any:
        """The error's ``code`` (at the payload's top level or inside its
        ``error`` object): a string, or None."""
        return _field(self.error, "code")


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        value: Any = obj.get(name)  # pyright: ignore[reportUnknownMemberType]
    elif isinstance(obj, msgspec.Struct):
        value = getattr(obj, name, None)
    else:
        return None
    return None if value is msgspec.UNSET else value


def _field(error: Any, name: str) -> Any:
    """``error``'s field ``name``, or that of the object in its ``error``
    field (the nested shape), or None."""
    value = _get(error, name)
    if value is None:
        inner = _get(error, "error")
        if inner is not None:
            value = _get(inner, name)
    return value


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


def at_event(exc: DecodeError, index: int, name: str | None) -> StreamDecodeError:
    """``exc`` (an event's decode error) named with the event; raise it
    ``from exc``."""
    where = f"event {index}" if name is None else f"event {index} ({name})"
    return StreamDecodeError(f"{where}: {exc}", index=index, event=name, path=exc.path, pos=exc.pos)


_any = msgspec.json.Decoder().decode


def error_object(data: bytes) -> Any:
    """The error of a ``{"error": ...}`` payload, or None if ``data`` is not one."""
    try:
        value = _any(data)
    except (msgspec.DecodeError, UnicodeError, RecursionError):
        return None
    if isinstance(value, dict) and "error" in value:
        return _typed_error(value["error"])  # pyright: ignore[reportUnknownArgumentType]
    return None


def error_payload(data: bytes) -> Any:
    """The payload of an ``event: error`` event: typed when it fits."""
    try:
        value = _any(data)
    except (msgspec.DecodeError, UnicodeError, RecursionError):
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
