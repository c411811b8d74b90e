"""Server-sent events: a framer that follows the WHATWG event-stream rules.

An event stream is UTF-8 text made of lines. A line is a field (``data:``,
``event:``, ``id:``, ``retry:``), a comment (it starts with ``:``) or blank; a
blank line dispatches the event built from the fields before it. The rules
this module follows, from the HTML standard's "event stream interpretation":

- Lines end with CR, LF or CRLF (a CRLF may arrive split over two chunks).
  Nothing else ends a line: U+2028 and U+2029 are data like any other text.
- One byte-order mark at the very start of the stream is dropped.
- ``field: value`` drops one space after the colon; a line without a colon
  is a field with an empty value; unknown fields are ignored.
- Several ``data`` lines join with LF. A blank line with no ``data`` line
  before it dispatches nothing (and forgets the event name).
- ``id`` sets the last event ID, which outlives the event, unless its value
  holds a NUL; ``retry`` takes ASCII digits only, read as a base-ten number
  of milliseconds. A value of more than 18 significant digits (past 10**18
  ms, thirty million years) cannot be a delay and is ignored like any other
  value that is not a number, instead of making a huge integer.
- An event not closed by a blank line when the stream ends is dropped.

Bounded memory. An event is refused with :class:`EventTooLargeError` when one
of its lines, added to the data of its earlier ``data`` lines, holds more than
``max_event_size`` bytes (a line not ended yet counts with what has arrived of
it). The rule looks at the stream only, so it refuses the same events however
the bytes are split into chunks; the error names the event's ``index`` and the
byte offset where it starts. Events completed before the refused one are
handed out first.

The framer works on bytes: chunks may split anywhere, inside a UTF-8
sequence too, because ``data`` stays bytes (JSON decoders want bytes) and only
the short ``event`` and ``id`` values are decoded to text, with replacement
of invalid UTF-8 as the standard asks.

Speed. OpenAI streams are almost all ``data: {json}`` (chat) or ``event:
name`` + ``data: {json}`` (Responses) events. For a run of complete events of
one of these two shapes the framer does not look at lines one by one: it
cuts the whole run with one :meth:`bytes.split` (or, for named events, one
regular-expression split that also returns the names), checks its shape with
a byte search made in C (no Python bytecode runs per event), and hands the
payloads on as an :class:`EventRun`, which a typed stream decodes with one
msgspec call per payload. Anything else (comments, CR line ends, ``id``,
``retry``, several ``data`` lines, a missing space...) goes line by line
through the exact path. Both paths give the same events, which
``tests/test_sse.py`` checks on arbitrary splits of arbitrary streams.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from itertools import islice

import msgspec

from ..errors import EventTooLargeError

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "SSEDecoder",
    "ServerSentEvent",
    "aiter_sse",
    "format_sse",
    "iter_sse",
]

#: The default bound on one event: its data lines plus the line being read.
DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024

BytesLike = bytes | bytearray | memoryview

_BOM = b"\xef\xbb\xbf"
#: What separates the data of two "event: N\ndata: X\n\n" events (N captured).
_EVENT_SEPARATOR = re.compile(rb"\n\nevent: ([^\n]*)\ndata: ")
_LINE_END = re.compile(rb"\r\n|\r|\n")
#: A ``retry`` value with more significant digits than this is ignored.
_RETRY_DIGITS = 18


class ServerSentEvent(msgspec.Struct, frozen=True, gc=False):
    """One dispatched event.

    ``event`` is the ``event:`` name, or None when the event had none (a
    browser would call it ``"message"``). ``data`` holds the ``data`` lines
    joined by LF, as bytes. ``id`` is the last event ID when the event was
    dispatched (it carries over from earlier events, as the standard says),
    or None if no ``id`` line came yet. ``retry`` is the reconnection time in
    milliseconds from a ``retry`` line of this event, or None.
    """

    data: bytes
    event: str | None = None
    id: str | None = None
    retry: int | None = None

    def text(self) -> str:
        """``data`` decoded as UTF-8, invalid bytes replaced."""
        return self.data.decode("utf-8", "replace")


class EventRun(msgspec.Struct, frozen=True, gc=False):
    """A run of simple events, found without reading line by line.

    ``datas`` holds each event's ``data`` (one line each). ``names`` holds
    each event's ``event:`` name as bytes, or is None when no event of the
    run had an ``event:`` line. ``id`` is the last event ID (no event of a
    run sets it). Internal: :class:`SSEDecoder` hands these to the typed
    streams, and expands them into :class:`ServerSentEvent` for everyone
    else.
    """

    datas: list[bytes]
    names: list[bytes] | None
    id: str | None

    def events(self) -> list[ServerSentEvent]:
        """The same events one by one."""
        last_id = self.id
        if self.names is None:
            return [ServerSentEvent(d, None, last_id, None) for d in self.datas]
        return [
            ServerSentEvent(d, n.decode("utf-8", "replace") or None, last_id, None)
            for d, n in zip(self.datas, self.names)
        ]


class SSEDecoder:
    """A push decoder of an event stream: no I/O, bytes in, events out.

    >>> dec = SSEDecoder()
    >>> dec.feed(b"data: {\\"a\\"")
    []
    >>> dec.feed(b": 1}\\n\\n")
    [ServerSentEvent(data=b'{"a": 1}', event=None, id=None, retry=None)]
    >>> dec.close()  # the end of the stream: drops an unfinished event
    []

    ``max_event_size`` bounds the memory one event may hold (see the module's
    rule); past it :meth:`feed` raises :class:`EventTooLargeError` instead of
    buffering without end. When a chunk completes events before the one
    refused, :meth:`feed` returns them and the next call (:meth:`feed` or
    :meth:`close`) raises. A decoder that raised it raises it again on every
    :meth:`feed` until :meth:`close` resets it.
    """

    __slots__ = (
        "_buf",
        "_count",
        "_data",
        "_data_size",
        "_dispatched_id",
        "_error",
        "_event",
        "_failed",
        "_fed",
        "_last_id",
        "_max",
        "_parts",
        "_parts_size",
        "_retry",
        "_skip_lf",
        "_start",
        "_started",
    )

    def __init__(self, *, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        if max_event_size < 1:
            raise ValueError("max_event_size must be positive")
        self._max = max_event_size
        self._buf = bytearray()  # bytes not yet read as lines, in the exact mode
        self._parts: list[bytes] = []  # bytes after the last blank line, in the fast mode
        self._parts_size = 0
        self._data: list[bytes] = []  # data lines of the event being built
        self._data_size = 0
        self._event: bytes | None = None
        self._retry: int | None = None
        self._last_id: str | None = None  # the last event ID buffer
        self._dispatched_id: str | None = None  # its value at the last blank line
        self._skip_lf = False  # the last line ended with CR: drop a LF that follows
        self._started = False  # the BOM check is done
        self._fed = 0  # bytes fed so far
        self._count = 0  # events dispatched so far: the index of the next one
        self._start = 0  # offset of the first byte after the last blank line
        self._error: EventTooLargeError | None = None  # the decoder failed with it
        self._failed = False  # and raised it

    # -- public API ------------------------------------------------------------

    def feed(self, chunk: BytesLike) -> list[ServerSentEvent]:
        """Read ``chunk`` (any part of the stream) and return the events it
        completed, in order."""
        out: list[ServerSentEvent] = []
        for item in self.feed_runs(chunk):
            if type(item) is EventRun:
                out.extend(item.events())
            else:
                out.append(item)  # type: ignore[arg-type]
        return out

    def close(self) -> list[ServerSentEvent]:
        """End the stream. An event that no blank line closed is dropped, as
        the standard says; this returns the empty list (or raises the error
        :meth:`feed` held back) and resets the decoder for a new stream (the
        last event ID is forgotten)."""
        error = None if self._failed else self._error
        self.__init__(max_event_size=self._max)
        if error is not None:
            raise error
        return []

    @property
    def last_event_id(self) -> str | None:
        """The last event ID as of the last blank line: what a client sends
        back as ``Last-Event-ID`` when it reconnects (an ``id`` line takes
        effect at the blank line that ends its event, data or not)."""
        return self._dispatched_id

    # -- the work ----------------------------------------------------------------

    def feed_runs(self, chunk: BytesLike) -> list[ServerSentEvent | EventRun]:
        """Like :meth:`feed`, but runs of simple events come as one
        :class:`EventRun` each. For the typed streams.

        Two modes. While nothing of an event is pending (the usual case),
        bytes after the last blank line wait as a list of chunks, joined
        once when a blank line arrives; the run before that blank line is
        whole events, framed in one go. Otherwise (a CR, an event begun by
        the exact path, waiting bytes past the size bound) the bytes go
        through :meth:`_slow` line by line, until the decoder is between
        events again.
        """
        if self._error is not None:
            self._failed = True
            raise self._error
        out: list[ServerSentEvent | EventRun] = []
        try:
            if type(chunk) is not bytes:
                chunk = bytes(chunk)
            self._fed += len(chunk)
            if not self._started:
                if self._parts:
                    chunk = self._parts.pop() + chunk
                if len(chunk) < 3 and _BOM.startswith(chunk):
                    if chunk:
                        self._parts.append(chunk)  # maybe a BOM, split over chunks
                    return out
                self._started = True
                if chunk.startswith(_BOM):
                    chunk = chunk[3:]
                    self._start = 3
            if self._skip_lf and chunk:
                self._skip_lf = False
                if chunk[:1] == b"\n":
                    if self._start == self._fed - len(chunk):
                        self._start += 1  # a blank line ended there: the event starts after
                    chunk = chunk[1:]  # the LF of a CRLF split over two chunks
            parts = self._parts
            if (
                self._buf
                or b"\r" in chunk
                or self._data
                or self._event is not None
                or self._retry is not None
            ):
                buf = self._buf
                start = len(buf)
                if parts:
                    buf += b"".join(parts)
                    parts.clear()
                    self._parts_size = 0
                buf += chunk
                self._slow(start, out)
                return out
            # Between events: cut at the last blank line.
            end = chunk.rfind(b"\n\n")
            if end >= 0:
                cut = end + 2
            elif chunk[:1] == b"\n" and parts and parts[-1][-1:] == b"\n":
                cut = 1  # the blank line straddles two chunks
            else:
                if chunk:
                    parts.append(chunk)
                    self._parts_size += len(chunk)
                    if self._parts_size > self._max:
                        self._exact(out)
                return out
            if parts:
                parts.append(chunk[:cut])
                run = b"".join(parts)
            else:
                run = chunk if cut == len(chunk) else chunk[:cut]
            rest = chunk[cut:]
            self._parts = [rest] if rest else []
            self._parts_size = len(rest)
            simple = self._simple_run(run)
            if simple is not None:
                self._dispatched_id = self._last_id
                self._count += len(simple.datas)
                self._start = self._fed - len(rest)
                if len(rest) <= self._max:
                    return [simple]  # the common case
                out.append(simple)
            else:
                self._lines(run.split(b"\n")[:-1], out, run, self._fed - len(rest) - len(run))
            if len(rest) > self._max:
                self._exact(out)
        except EventTooLargeError as exc:
            self._error = exc
            if not out:
                self._failed = True
                raise
            # hand out the events before it first; the next call raises it
        return out

    def _simple_run(self, run: bytes) -> EventRun | None:
        """``run`` (whole events, LF line ends) as a :class:`EventRun`, if all
        its events have one of the two simple shapes and fit the size bound;
        else None.

        Every check is made in C, over the bytes or over the list of lines,
        so that the cost per event stays a few allocations.
        """
        if run.startswith(b"data: "):
            # "data: X\n\n" k times: cut at the separators, then no LF may
            # be left in any piece (else some event had another line).
            datas = run.split(b"\n\ndata: ")
            if len(datas) == 1:
                datas[0] = run[6:-2]
            else:
                datas[0] = datas[0][6:]
                datas[-1] = datas[-1][:-2]
            if b"\n" in b"".join(datas):
                return None
            # each event is one line: "data: " and the data
            if len(run) > self._max and max(map(len, datas)) + 6 > self._max:
                return None
            return EventRun(datas, None, self._last_id)
        if run.startswith(b"event: "):
            # "event: N\ndata: X\n\n" k times: cut at each blank line, name
            # line and "data: " together (one regular expression, in C),
            # which hands out the names between the data. The first piece
            # still holds its name line; then no LF may be left in any
            # piece, else some event had another line or another order.
            parts = _EVENT_SEPARATOR.split(run)
            datas = parts[0::2]
            first = datas[0]
            cut = first.find(b"\n")
            if first[cut : cut + 7] != b"\ndata: ":
                return None
            datas[0] = first[cut + 7 :]
            datas[-1] = datas[-1][:-2]
            if b"\n" in b"".join(datas):
                return None
            names = parts[1::2]
            names.insert(0, first[7:cut])
            if len(run) > self._max and (
                max(map(len, datas)) + 6 > self._max or max(map(len, names)) + 7 > self._max
            ):
                return None
            return EventRun(datas, names, self._last_id)
        return None

    def _exact(self, out: list[ServerSentEvent | EventRun]) -> None:
        """Move the waiting bytes of the fast mode to the exact path, which
        measures the event line by line."""
        self._buf += b"".join(self._parts)
        self._parts.clear()
        self._parts_size = 0
        self._slow(0, out)

    def _slow(self, start: int, out: list[ServerSentEvent | EventRun]) -> None:
        """Read every whole line in the buffer, one by one. Only the bytes
        from ``start`` on are new, so only they are searched for a line end
        (a long line fed byte by byte stays linear)."""
        buf = self._buf
        new = buf[start:] if start else buf
        if b"\n" not in new and b"\r" not in new:
            if len(buf) + self._data_size > self._max:
                self._too_large()
            return
        raw = data = bytes(buf)
        if data.endswith(b"\r"):
            self._skip_lf = True  # a LF may start the next chunk: same line end
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = data.split(b"\n")
        rest = lines.pop()  # not ended yet
        buf.clear()
        buf += rest
        self._lines(lines, out, raw, self._fed - len(raw))
        if len(buf) + self._data_size > self._max:
            self._too_large()
        pending = self._data or self._skip_lf or self._event is not None or self._retry is not None
        if buf and not pending:  # between events again: back to the fast mode
            self._parts.append(bytes(buf))
            self._parts_size = len(buf)
            buf.clear()

    def _lines(
        self, lines: list[bytes], out: list[ServerSentEvent | EventRun], raw: bytes, base: int
    ) -> None:
        """Interpret whole lines (without their line ends). ``raw`` holds them
        as they came, from stream offset ``base``, for the offsets of events."""
        limit = self._max
        blank = -1  # the last blank line seen
        for number, line in enumerate(lines):
            if not line:
                blank = number
                self._dispatched_id = self._last_id
                if self._data:
                    name = self._event
                    out.append(
                        ServerSentEvent(
                            b"\n".join(self._data),
                            name.decode("utf-8", "replace") if name else None,
                            self._last_id,
                            self._retry,
                        )
                    )
                    self._count += 1
                    self._data = []
                    self._data_size = 0
                self._event = None
                self._retry = None
                continue
            if self._data_size + len(line) > limit:
                if blank >= 0:
                    self._start = base + _span(raw, lines, blank + 1)
                self._too_large()
            colon = line.find(b":")
            if colon == 0:
                continue  # a comment
            if colon < 0:
                field, value = line, b""
            else:
                field = line[:colon]
                value = (
                    line[colon + 2 :] if line[colon + 1 : colon + 2] == b" " else line[colon + 1 :]
                )
            if field == b"data":
                self._data.append(value)
                self._data_size += len(value) + 1
            elif field == b"event":
                self._event = value
            elif field == b"id":
                if b"\0" not in value:
                    self._last_id = value.decode("utf-8", "replace")
            elif field == b"retry" and value.isdigit():  # bytes: ASCII digits only
                digits = value.lstrip(b"0")
                if len(digits) <= _RETRY_DIGITS:
                    self._retry = int(digits or b"0")
        if blank >= 0:
            self._start = base + _span(raw, lines, blank + 1)

    def _too_large(self) -> None:
        raise EventTooLargeError(
            f"event {self._count} (from byte {self._start}) is larger than"
            f" max_event_size={self._max} bytes",
            index=self._count,
            pos=self._start,
        )


def _span(raw: bytes, lines: list[bytes], count: int) -> int:
    """How many bytes of ``raw`` its first ``count`` lines take, line ends
    included (``lines`` is ``raw`` split at its line ends)."""
    if b"\r" not in raw:
        return sum(map(len, lines[:count])) + count
    return next(islice(_LINE_END.finditer(raw), count - 1, None)).end()


def iter_sse(
    chunks: Iterable[BytesLike], *, max_event_size: int = DEFAULT_MAX_EVENT_SIZE
) -> Iterator[ServerSentEvent]:
    """Yield the events of a stream read from ``chunks``, an iterable of
    bytes-like pieces split anywhere (``httpx.Response.iter_bytes()``, a file
    opened in binary mode...)."""
    dec = SSEDecoder(max_event_size=max_event_size)
    for chunk in chunks:
        yield from dec.feed(chunk)
    yield from dec.close()


async def aiter_sse(
    chunks: AsyncIterable[BytesLike], *, max_event_size: int = DEFAULT_MAX_EVENT_SIZE
) -> AsyncIterator[ServerSentEvent]:
    """:func:`iter_sse` over an async iterable of chunks
    (``httpx.Response.aiter_bytes()``, aiohttp's ``content.iter_any()``...)."""
    dec = SSEDecoder(max_event_size=max_event_size)
    async for chunk in chunks:
        for event in dec.feed(chunk):
            yield event
    for event in dec.close():
        yield event


def format_sse(
    data: BytesLike | str | None = None,
    *,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
    comment: str | None = None,
) -> bytes:
    """One event as bytes ready to write to a client, blank line included.

    ``data`` is split at its line ends into several ``data`` lines, which a
    reader joins back with LF (a CR or CRLF in ``data`` comes back as LF).
    ``event`` and ``id`` may not hold a line end, ``id`` no NUL either;
    ``retry`` must not be negative. ``format_sse(ev.data, event=ev.event)``
    relays an event read with :func:`iter_sse`. With no ``data`` the event
    has no data line, so a reader dispatches nothing; that suits a
    ``comment`` (a keep-alive) or a ``retry`` alone.
    """
    parts: list[bytes] = []
    if comment is not None:
        for line in _split_lines(comment.encode()):
            parts.append(b":" + line + b"\n")
    if event is not None:
        parts.append(b"event: " + _one_line(event, "event") + b"\n")
    if id is not None:
        value = _one_line(id, "id")
        if b"\0" in value:
            raise ValueError("an SSE id cannot hold NUL")
        parts.append(b"id: " + value + b"\n")
    if retry is not None:
        if retry < 0:
            raise ValueError("retry must not be negative")
        parts.append(b"retry: %d\n" % retry)
    if data is not None:
        raw = data.encode() if isinstance(data, str) else bytes(data)
        for line in _split_lines(raw):
            parts.append(b"data: " + line + b"\n")
    parts.append(b"\n")
    return b"".join(parts)


def _split_lines(raw: bytes) -> list[bytes]:
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")


def _one_line(value: str, what: str) -> bytes:
    raw = value.encode()
    if b"\n" in raw or b"\r" in raw:
        raise ValueError(f"an SSE {what} cannot hold a line end: {value!r}")
    return raw
