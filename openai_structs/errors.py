"""Every exception openai_structs raises, in one tree.

``except OpenAIStructsError`` catches anything this package raised about your
data, a stream, a file or a type; wrong arguments raise Python's own
``TypeError`` or ``ValueError``, as any function does. Errors about input are
``ValueError`` subclasses, and the decode errors are msgspec's too (``except
msgspec.DecodeError`` and ``except msgspec.ValidationError`` keep working)::

    OpenAIStructsError
    ├── DecodeError                  input that did not decode: .path .pos .line
    │   │                            (a ValueError and a msgspec.DecodeError)
    │   ├── MalformedJSONError       not JSON: .pos, the byte
    │   ├── ValidationError          JSON of the wrong shape: .path (a msgspec.ValidationError)
    │   │   ├── UnknownVariantError  strict mode: a tag no member has
    │   │   ├── UnknownEnumValueError  strict mode: a string outside the enum
    │   │   └── UnknownKeyError      strict mode: a key the type does not define
    │   ├── StreamDecodeError        one event of a stream: .index .event
    │   └── BatchLineError           one line of a batch file: .offset .reason
    ├── SSEError                     bytes that cannot be framed into events: .pos (a ValueError)
    │   └── EventTooLargeError       one event past max_event_size: .index
    ├── APIStreamError               the API reported an error inside a stream: .error
    │                                .code .message .data .index .event (not a ValueError)
    ├── BatchInputError              a request the Batch API would refuse: .line (a ValueError)
    ├── SchemaError                  a type strict mode cannot express: .path .reason (a ValueError)
    ├── OutputError                  a response with no value to parse (a ValueError)
    │   ├── RefusalError             the model refused: .refusal
    │   └── IncompleteOutputError    the output was cut short: .reason
    └── WebhookVerificationError     a webhook that is not genuine or not timely (a ValueError)

Locations: ``pos`` is a byte offset, ``path`` a ``$.path`` in msgspec's
notation (``$`` the document, ``.name`` a field, ``[2]`` a list index), and
``line`` a 1-based line number of newline-delimited input.
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = [
    "APIStreamError",
    "BatchInputError",
    "BatchLineError",
    "DecodeError",
    "EventTooLargeError",
    "IncompleteOutputError",
    "MalformedJSONError",
    "OpenAIStructsError",
    "OutputError",
    "RefusalError",
    "SSEError",
    "SchemaError",
    "StreamDecodeError",
    "UnknownEnumValueError",
    "UnknownKeyError",
    "UnknownVariantError",
    "ValidationError",
    "WebhookVerificationError",
]


class OpenAIStructsError(Exception):
    """The root of every error this package raises."""


# --------------------------------------------------------------------------
# Decoding


class DecodeError(OpenAIStructsError, msgspec.DecodeError, ValueError):
    """Input could not be decoded. A :class:`ValueError`.

    (msgspec's own error is a ``ValueError`` at run time, but its stubs do
    not say so; naming the base here lets type checkers see it too.)
    """

    path: str | None
    """The ``$.path`` of the offending value, or None."""
    pos: int | None
    """The byte offset of the problem in malformed input, or None."""
    line: int | None
    """The 1-based line number when the input was newline-delimited, or None."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        pos: int | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.pos = pos
        self.line = line

    def at_line(self, line: int, offset: int) -> DecodeError:
        """The same error, located in line ``line`` that starts at byte ``offset``."""
        pos = None if self.pos is None else offset + self.pos
        return type(self)(f"line {line}: {self}", path=self.path, pos=pos, line=line)


class MalformedJSONError(DecodeError):
    """Not JSON: bad syntax, truncated input, invalid UTF-8, nesting too deep."""


class ValidationError(DecodeError, msgspec.ValidationError):
    """Valid JSON that does not fit the type; ``path`` says where."""


class UnknownVariantError(ValidationError):
    """Strict mode: a tag value (``type``, ``role``...) the spec does not define."""


class UnknownEnumValueError(ValidationError):
    """Strict mode: a string outside an enum's known values."""


class UnknownKeyError(ValidationError):
    """Strict mode: an object key its type does not define (the default mode
    skips it, and it is not written back)."""


class StreamDecodeError(DecodeError):
    """One event of a stream could not be decoded. A :class:`ValueError`.

    ``path`` and ``pos`` locate the problem inside the event's data, as
    :class:`DecodeError` does; the event's own error is the ``__cause__``.
    """

    index: int
    """The event's 0-based position in the stream."""
    event: str | None
    """The event's SSE ``event:`` name, or None."""

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


class BatchLineError(DecodeError):
    """A line of a batch file that could not be decoded. A :class:`ValueError`.

    ``line`` is the 1-based line number (counted from the start of the file,
    or of the byte range read); ``pos`` the file offset of the offending byte
    when the line is not JSON; ``path`` the ``$.path`` inside the line when it
    is JSON of the wrong shape.
    """

    offset: int
    """The file offset of the line's first byte."""
    reason: DecodeError
    """The error from decoding the line alone (a :class:`MalformedJSONError`,
    :class:`ValidationError`...), also chained as ``__cause__``."""

    def __init__(self, reason: DecodeError, *, line: int, offset: int) -> None:
        pos = None if reason.pos is None else offset + reason.pos
        where = f"line {line} (byte {offset})"
        super().__init__(f"{where}: {reason}", path=reason.path, pos=pos, line=line)
        self.offset = offset
        self.reason = reason
        self.__cause__ = reason

    def __reduce__(self) -> Any:  # picklable, for process pools and Dask
        return (_rebuild_line_error, (self.reason, self.line, self.offset))


def _rebuild_line_error(reason: DecodeError, line: int, offset: int) -> BatchLineError:
    return BatchLineError(reason, line=line, offset=offset)


# --------------------------------------------------------------------------
# Streams


class SSEError(OpenAIStructsError, ValueError):
    """The byte stream cannot be framed into events. A :class:`ValueError`."""

    pos: int | None
    """The byte offset in the stream where the problem was found."""

    def __init__(self, message: str, *, pos: int | None = None) -> None:
        super().__init__(message)
        self.pos = pos


class EventTooLargeError(SSEError):
    """One event outgrew ``max_event_size``: one of its lines, with the data of
    the ``data`` lines before it, holds more bytes than that.

    ``pos`` is the byte offset in the stream where the event starts. It and
    ``index`` depend on the stream only, not on how it was split into chunks.
    """

    index: int
    """The 0-based index of the event among those with data (the numbering
    of the typed streams)."""

    def __init__(self, message: str, *, index: int, pos: int) -> None:
        super().__init__(message, pos=pos)
        self.index = index


class APIStreamError(OpenAIStructsError):
    """The API reported an error inside a stream.

    Not a decode error: the bytes were fine, the request failed. By default
    a typed stream raises it, which ends the stream. Read with
    ``api_errors="yield"``, a stream hands it out as a value instead, where
    the stream's own type has no member for the error (chat's
    ``data: {"error": ...}``), and goes on.
    """

    error: Any
    """The error payload: typed when it fits (:class:`~openai_structs.Error`
    for ``{"error": {...}}`` and ``event: error`` payloads, the union's own
    error event such as :class:`~openai_structs.ResponseErrorEvent`), else
    the decoded JSON value, else the text."""
    code: str | None
    """The error's ``code``, read from whichever shape the API wrote it in
    (see :mod:`openai_structs.streams`), or None."""
    message: str
    """The error's ``message``, or the event's data as text when it has none."""
    data: bytes
    """The event's data as it arrived."""
    index: int
    """The event's 0-based position in the stream."""
    event: str | None
    """The event's SSE ``event:`` name, or None."""

    def __init__(
        self,
        error: Any,
        *,
        data: bytes,
        index: int,
        event: str | None,
        code: str | None = None,
        message: str | None = None,
    ) -> None:
        self.error = error
        self.code = code
        self.message = data.decode("utf-8", "replace") if message is None else message
        self.data = data
        self.index = index
        self.event = event
        super().__init__(f"API error in stream (event {index}): {self.message}")


# --------------------------------------------------------------------------
# Batch files


class BatchInputError(OpenAIStructsError, ValueError):
    """A request that the Batch API would reject. A :class:`ValueError`."""

    line: int
    """The request's 1-based line."""

    def __init__(self, message: str, *, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


# --------------------------------------------------------------------------
# Structured outputs
#
# Bad JSON in the model's answer is not among these: the parsers raise the
# decoder's own ValidationError (with the $.path) or MalformedJSONError.


class SchemaError(OpenAIStructsError, ValueError):
    """A type that strict mode cannot express, or a schema past the API's
    limits. A :class:`ValueError`."""

    path: str
    """The ``$.path`` of the value in the JSON the schema describes
    (``$.steps[*].output``; ``[*]`` stands for every item of an array)."""
    reason: str
    """What strict mode lacks, or which limit was passed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{reason} - at `{path}`")
        self.path = path
        self.reason = reason


class OutputError(OpenAIStructsError, ValueError):
    """The response or completion holds no structured value to parse: no
    output message, no content, or one of the two cases below. A
    :class:`ValueError`."""


class RefusalError(OutputError):
    """The model refused to answer."""

    refusal: str
    """The model's explanation."""

    def __init__(self, refusal: str) -> None:
        super().__init__(f"the model refused: {refusal}")
        self.refusal = refusal


class IncompleteOutputError(OutputError):
    """The output was cut short, so it is not a whole value."""

    reason: str
    """Why: for a ``Response``, ``incomplete_details.reason``
    (``max_output_tokens``, ``content_filter``) or its status (``failed``,
    ``cancelled``, ``in_progress``...); for a chat choice, its
    ``finish_reason`` (``length``, ``content_filter``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the output is incomplete ({reason})")
        self.reason = reason


# --------------------------------------------------------------------------
# Webhooks


class WebhookVerificationError(OpenAIStructsError, ValueError):
    """The request is not a genuine, timely webhook from OpenAI: a header is
    missing or malformed, the timestamp is outside the tolerance, no
    signature matches, or the secret itself is unusable. A :class:`ValueError`."""
