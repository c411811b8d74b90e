"""The reader of one batch file: :class:`BatchReader`, and :class:`BadLine`.

A reader walks a file block by block (:class:`~._source.Blocks`) and decodes
it in runs of lines, one :meth:`Decoder.decode_lines` call per run; what
makes a line of an output file differ from one of an input file (which type
decodes it, how a block is cut into runs, what a good line must hold) is its
*kind*, an object of the :class:`Kind` protocol (``_read.OutputLines`` and
``_read.InputLines``). The reader itself knows nothing of either.

A run that fails to decode is split: the good lines before the failing one are
decoded again in one call, the failing line takes the *exact path* (its kind
picks its type from a cheap probe of the line, then it is decoded alone; if
that fails too, it is a bad line), and the lines after it are taken one at a
time, so that a block full of bad lines costs time linear in its size.
"""

from __future__ import annotations

import gc
import os
import re
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any, Generic, Literal, Protocol, TypeVar

import msgspec

from ..core._codec import Decoder
from ..errors import BatchLineError, DecodeError
from ._source import Blocks, Progress, Source, lines_in
from ._views import ViewDecoder

__all__ = [
    "BadLine",
    "BatchReader",
    "Convert",
    "Errors",
    "Kind",
    "LineDecoder",
    "fewer_collections",
    "note_file",
]

T = TypeVar("T")
Errors = Literal["raise", "skip", "collect"]
#: ``convert(line)``: what the reader hands out for a decoded line; a
#: :class:`DecodeError` it raises makes the line a bad line
Convert = Callable[[Any], Any]

_BLANK = re.compile(rb"[ \t\r\n]*")
_BRACE = ord("{")


class BadLine(msgspec.Struct, frozen=True):
    """A line that did not decode, as ``errors="collect"`` yields it.

    ``line`` and ``offset`` locate it as in :class:`BatchLineError`; ``raw``
    holds its bytes exactly as read (so nothing is lost: fix and re-read
    them); ``error`` is the :class:`BatchLineError` that ``errors="raise"``
    would have raised.
    """

    line: int
    offset: int
    raw: bytes
    error: BatchLineError

    @property
    def reason(self) -> str:
        """The error message, without the location prefix."""
        return str(self.error.reason)


#: what decodes a kind's lines: a :class:`Decoder` of a line type, or a
#: :class:`~._views.ViewDecoder`
LineDecoder = Decoder[Any] | ViewDecoder


class Kind(Protocol):
    """How the lines of one kind of file (output or input) are read.

    ``endpoint`` and ``fast`` are None until the kind has learnt the file's
    endpoint (given, or inferred from the lines read so far); ``fast`` then
    decodes runs of the file's lines.
    """

    endpoint: str | None
    fast: LineDecoder | None

    def runs(self, buf: Any, a: int, b: int) -> Iterator[tuple[int, int, bool]]:
        """Cut the block ``buf[a:b]`` into ``(start, end, alone)`` pieces: runs
        of lines for ``fast``, or one line for the exact path (``alone``)."""
        ...

    def exact(self, line: memoryview) -> LineDecoder:
        """The decoder of the one line ``line`` (raises :class:`DecodeError`
        if none fits); may learn the endpoint from it."""
        ...

    def check(self, value: Any) -> None:
        """Raise :class:`DecodeError` if a decoded ``value`` is not a good line."""
        ...

    def fits(self, values: list[Any]) -> bool:
        """Whether every one of ``values``, decoded by ``fast``, is a good
        line of this file (else they are taken one at a time)."""
        ...

    def misfits(self, values: list[Any]) -> list[int]:
        """The positions in ``values`` (decoded by ``fast``, and that
        :meth:`fits`) of the lines to take by the exact path instead."""
        ...

    def endpoint_of(self, line: memoryview) -> str | None:
        """The endpoint ``line`` tells, if any (probed, not decoded)."""
        ...

    def learn(self, endpoint: str) -> None:
        """Take ``endpoint`` as the file's: set ``endpoint`` and ``fast``."""
        ...


class BatchReader(Generic[T]):
    """An iterator over the lines of one batch file, that counts as it goes.

    Returned by :func:`iter_batch_output` and :func:`iter_batch_input`.
    Iterate it for the decoded lines (and, with ``errors="collect"``,
    :class:`BadLine` records in their place). Its counters are kept up to date
    block by block, and are final once the iterator is exhausted:

    - ``good``: lines decoded; ``bad``: lines that were not; every non-blank
      line of the input is one or the other (``lines == good + bad``);
    - ``endpoint``: the endpoint the lines were typed by (given or inferred;
      None until inferred);
    - ``bytes_done`` and ``bytes_total`` (None for a stream until it ends).
    """

    def __init__(
        self,
        source: Source,
        kind: Kind,
        *,
        errors: Errors,
        start: int,
        end: int | None,
        progress: Progress | None,
        block_size: int,
        convert: Convert | None = None,
    ) -> None:
        if errors not in ("raise", "skip", "collect"):
            raise ValueError(f"errors must be 'raise', 'skip' or 'collect', not {errors!r}")
        self.errors: Errors = errors
        self.good = 0
        self.bad = 0
        self._kind = kind
        self._convert = convert
        self._blocks = Blocks(
            source,
            start,
            end,
            block_size=block_size,
            progress=progress,
            before=None if kind.fast is not None else self._learn_before,
        )
        self._out: list[Any] = []
        self._done = 0
        self._gen = self._run()

    @property
    def convert(self) -> Convert | None:
        """What the reader hands out for each decoded line (None: the line)."""
        return self._convert

    @property
    def endpoint(self) -> str | None:
        """The endpoint the lines are typed by: given, or inferred (None until then)."""
        return self._kind.endpoint

    @property
    def lines(self) -> int:
        """Non-blank lines read so far: ``good + bad``."""
        return self.good + self.bad

    @property
    def bytes_done(self) -> int:
        """Bytes of the input read so far (from ``start``)."""
        return self._done

    @property
    def bytes_total(self) -> int | None:
        """Bytes in the input (from ``start`` to ``end``), None if not known yet."""
        return self._blocks.total

    def __iter__(self) -> Iterator[T]:
        # The generator itself, not ``self``: a ``for`` loop then costs no
        # Python-level ``__next__`` call per line.
        return self._gen

    def __next__(self) -> T:
        return next(self._gen)

    # -- the loop ------------------------------------------------------------

    def _run(self) -> Iterator[Any]:
        for chunk in self._chunks():
            yield from chunk

    def chunks(self) -> Iterator[list[Any]]:
        """What iterating the reader hands out, a list per block of the file
        (for the package's own loops, which take lines by the thousand: one
        step of the loop a block, not a line). Iterate either the reader or
        this, not both."""
        return self._chunks()

    def _chunks(self) -> Iterator[list[Any]]:
        blocks = self._blocks
        for buf, a, b in blocks:
            try:
                self._block(buf, a, b)
            except BatchLineError:  # errors="raise": first hand out the lines before it
                if self._out:
                    yield self._take_out()
                raise
            self._done = blocks.base + b - blocks.start
            if self._out:
                yield self._take_out()

    def _take_out(self) -> list[Any]:
        out, self._out = self._out, []
        return out

    def _block(self, buf: Any, a: int, b: int) -> None:
        kind = self._kind
        while a < b and kind.fast is None:  # not known yet: a line at a time
            e = buf.find(b"\n", a, b) + 1 or b
            self._one(buf, a, e)
            a = e
        for x, y, alone in kind.runs(buf, a, b):
            if alone:
                self._one(buf, x, y)
            else:
                self._run_lines(buf, x, y)

    def _run_lines(self, buf: Any, a: int, b: int) -> None:
        """Decode the lines of ``buf[a:b]`` in one call, splitting where one fails."""
        kind = self._kind
        assert kind.fast is not None
        try:
            values = kind.fast.decode_lines(self._blocks.view[a:b])
        except DecodeError as exc:
            ls = _line_start(buf, a, b, exc.line or 1)
            if ls > a:
                self._run_lines(buf, a, ls)
            le = buf.find(b"\n", ls, b) + 1 or b
            self._one(buf, ls, le)
            self._each_line(buf, le, b)
            return
        if not kind.fits(values):
            self._each_line(buf, a, b)
            return
        misfits = kind.misfits(values)
        if misfits:
            self._split(buf, a, b, values, misfits)
            return
        self._hand_out(buf, a, b, values)

    def _split(self, buf: Any, a: int, b: int, values: list[Any], misfits: list[int]) -> None:
        """Hand out ``values``, the lines of ``buf[a:b]``, but take those at
        the positions ``misfits`` by the exact path."""
        pos, done = a, 0
        x, n, find = (
            a,
            0,
            buf.find,
        )  # x: the start of the n-th line (0-based, blank ones not counted)
        for i in misfits:
            while True:
                y = find(b"\n", x, b) + 1 or b
                if buf[x] == _BRACE or not _BLANK.fullmatch(buf, x, y):  # not blank
                    if n == i:
                        break
                    n += 1
                x = y
            self._hand_out(buf, pos, x, values[done:i])
            self._one(buf, x, y)
            pos, done, x, n = y, i + 1, y, n + 1
        self._hand_out(buf, pos, b, values[done:])

    def _hand_out(self, buf: Any, a: int, b: int, values: list[Any]) -> None:
        """Hand out ``values``, the lines of ``buf[a:b]``, converted."""
        if not values:
            return
        convert = self._convert
        if convert is not None:
            try:
                values = list(map(convert, values))
            except DecodeError:
                self._converted(buf, a, b, values)
                return
        self._out.extend(values)
        self.good += len(values)

    def _converted(self, buf: Any, a: int, b: int, values: list[Any]) -> None:
        """Hand out ``values``, the lines of ``buf[a:b]``, one by one, where
        ``convert`` failed on some: those are bad lines."""
        for value, (x, y) in zip(values, lines_in(buf, a, b)):
            self._keep(buf, x, y, value)

    def _each_line(self, buf: Any, a: int, b: int) -> None:
        """Decode the lines of ``buf[a:b]`` one by one: with the fast path's
        type first, and by the exact path if that fails."""
        kind = self._kind
        assert kind.fast is not None
        view = self._blocks.view
        for x, y in lines_in(buf, a, b):
            try:
                value = kind.fast.decode(view[x:y])
            except DecodeError:
                self._one(buf, x, y)
                continue
            if kind.fits([value]) and not kind.misfits([value]):
                self._keep(buf, x, y, value)
            else:
                self._one(buf, x, y)

    def _one(self, buf: Any, a: int, b: int) -> None:
        """The exact path for the one line ``buf[a:b]``."""
        if _BLANK.fullmatch(buf, a, b):
            return
        line = self._blocks.view[a:b]
        try:
            value = self._kind.exact(line).decode(line)
            self._kind.check(value)
        except DecodeError as exc:
            self._bad(buf, a, b, exc)
            return
        self._keep(buf, a, b, value)

    def _keep(self, buf: Any, a: int, b: int, value: Any) -> None:
        """Hand out ``value``, decoded from the line ``buf[a:b]``, converted."""
        if self._convert is not None:
            try:
                value = self._convert(value)
            except DecodeError as exc:
                self._bad(buf, a, b, exc)
                return
        self._out.append(value)
        self.good += 1

    def _learn_before(self, buf: Any, a: int, b: int) -> bool:
        """``Blocks``' ``before``: probe the lines before ``start`` for the
        endpoint, as a whole-file read would have inferred it by ``start``
        (the first line whose probe names one)."""
        view = memoryview(buf)
        for x, y in lines_in(buf, a, b):
            try:
                endpoint = self._kind.endpoint_of(view[x:y])
            except DecodeError:
                continue
            if endpoint is not None:
                self._kind.learn(endpoint)
                return True
        return False

    def _bad(self, buf: Any, a: int, b: int, exc: DecodeError) -> None:
        blocks = self._blocks
        err = BatchLineError(exc, line=blocks.line_of(a), offset=blocks.base + a)
        if self.errors == "raise":
            raise err
        self.bad += 1
        if self.errors == "collect":
            self._out.append(BadLine(err.line or 0, err.offset, bytes(buf[a:b]), err))


def _line_start(buf: Any, a: int, b: int, line: int) -> int:
    """Offset of the ``line``-th (1-based) line of ``buf[a:b]``."""
    pos = a
    for _ in range(line - 1):
        nl = buf.find(b"\n", pos, b)
        if nl < 0:
            break
        pos = nl + 1
    return pos


def note_file(exc: BatchLineError, source: object) -> BatchLineError:
    """``exc``, with a note naming the file its line is in when ``source`` is
    a path (``in <path>``, as ``add_note`` of Python 3.11 writes it): its
    ``line`` and ``offset`` count within that file."""
    if isinstance(source, (str, os.PathLike)):
        note = f"in {os.fspath(source)}"
        notes: list[str] = getattr(exc, "__notes__", [])
        if note not in notes:
            setattr(exc, "__notes__", [*notes, note])  # noqa: B010 (no add_note on 3.10)
    return exc


class _Pause:
    """Who is in :func:`fewer_collections`, and the thresholds before."""

    lock = threading.Lock()
    inside = 0
    before: tuple[int, int, int] = (0, 0, 0)


@contextmanager
def fewer_collections() -> Generator[None, None, None]:
    """Collect cyclic garbage less often while the block runs: the first
    generation every 50,000 allocations instead of 700.

    For the package's own loops over a file (export, summary), which make no
    reference cycles but hold a batch of lines: Python's collector would walk
    them again every few hundred allocations. Measured on the 60,000-line chat
    file, the export spends about a quarter of its time in the collector
    otherwise. The thresholds are put back when the last such block ends,
    in whatever thread; other threads' garbage is still collected, later.
    """
    with _Pause.lock:
        if _Pause.inside == 0:
            _Pause.before = first, second, third = gc.get_threshold()
            gc.set_threshold(max(first, 50_000), second, third)
        _Pause.inside += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.inside -= 1
            if _Pause.inside == 0:
                gc.set_threshold(*_Pause.before)
