"""Where batch files come from: paths, file objects, bytes, cut into blocks of lines.

A batch file can be far larger than memory, so nothing here reads a whole file
into one Python object:

- a **path**, or a **file object with a real file behind it**, is mapped with
  :mod:`mmap`; each block is a :class:`memoryview` slice of the map, and once
  a block is done its pages are handed back to the kernel
  (``madvise(MADV_DONTNEED)``), so the resident size stays at a few megabytes
  however big the file is;
- **bytes**, a **bytearray** or a **memoryview** are sliced in place (a
  memoryview of anything but bytes, a bytearray or a map, or of part of one,
  is copied once into bytes);
- any other binary file object (a pipe, a gzip stream, ``io.BytesIO``) is read
  in chunks, and the partial line at the end of a chunk is carried over.

A block is a run of whole lines: it ends just after a newline, or at the end
of the input. :class:`Blocks` hands out ``(buf, a, b)``: the block is
``buf[a:b]``, and ``base + a`` is its offset in the file.

A byte range that does not start at 0 can also show its reader the lines
before it (``before=``), so that what the reader learns from a file's first
lines (its endpoint) is the same for a range as for the whole file.
"""

from __future__ import annotations

import glob
import io
import itertools
import mmap
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, Union

__all__ = [
    "BLOCK_SIZE",
    "Blocks",
    "Parts",
    "PathArg",
    "Source",
    "batch_ranges",
    "count_newlines",
    "expand_paths",
    "lines_in",
    "size_of",
]

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]
PathArg = Union[str, "os.PathLike[str]"]
Progress = Callable[[int, int | None], None]
#: ``before(buf, a, b)`` sees whole lines ``buf[a:b]`` of the bytes before
#: ``start``, in order; it returns True once it has seen enough.
Before = Callable[[Any, int, int], bool]

# About 60 lines of a chat completions output file. Larger blocks make fewer
# calls, but keep more young objects alive at once, and the garbage collector
# walks them: measured on the benchmark files, 1 MB blocks decode 20-60% slower
# than 64 KB ones, and 16-64 KB blocks are as fast as each other.
BLOCK_SIZE = 64 << 10
_RELEASE = 4 << 20  # hand mapped pages back to the kernel in steps this large
_COUNT_PIECE = 8 << 20
_BOM = b"\xef\xbb\xbf"
_BLANK = re.compile(rb"[ \t\r\n]*")
_DONTNEED = getattr(mmap, "MADV_DONTNEED", None)
_SEQUENTIAL = getattr(mmap, "MADV_SEQUENTIAL", None)


class Blocks:
    """The blocks of lines of one source, between byte ``start`` and ``end``.

    Iterate it for ``(buf, a, b)`` triples. ``buf`` supports ``find``,
    ``rfind`` and slicing (``bytes``, ``bytearray`` or ``mmap``); ``view`` is
    a :class:`memoryview` of the same ``buf``. ``base`` is the file offset of
    ``buf[0]``. :meth:`line_of` turns a position in the current ``buf`` into
    its 1-based line number, counting from ``start``.

    ``start`` and ``end`` must fall on line boundaries (0, the size, or just
    after a newline); :func:`batch_ranges` computes such ranges. With
    ``before``, the lines before ``start`` are shown to it first (a byte
    order mark at 0 left out), until it returns True: in one call for a
    mapped or in-memory source, piece by piece for a stream (which has to
    read them anyway to get to ``start``).
    """

    def __init__(
        self,
        source: Source,
        start: int = 0,
        end: int | None = None,
        *,
        block_size: int = BLOCK_SIZE,
        progress: Progress | None = None,
        before: Before | None = None,
    ) -> None:
        if start < 0 or (end is not None and end < start):
            raise ValueError(f"invalid byte range: start={start}, end={end}")
        self.start = start
        self.end = end
        self.block_size = max(1, block_size)
        self.progress = progress
        self.before = before if start > 0 else None
        self.buf: Any = b""
        self.view = memoryview(b"")
        self.base = 0
        self.total: int | None = None
        # line counting, done lazily: newlines before ``_counted`` in ``buf``
        self._counted = 0
        self._lines_before = 0
        self._first = 0
        self._lines_at_first = 0
        self._source = source
        self._mm: mmap.mmap | None = None
        self._file: IO[bytes] | None = None

    # -- line numbers --------------------------------------------------------

    def line_of(self, pos: int) -> int:
        """1-based line number (from ``start``) of the line holding ``buf[pos]``."""
        if pos < self._counted:  # only ever asked in order; restart if not
            self._counted, self._lines_before = self._first, self._lines_at_first
        self._lines_before += count_newlines(self.buf, self._counted, pos)
        self._counted = pos
        return self._lines_before + 1

    def _new_buf(self, buf: Any, base: int, first: int) -> None:
        if self.buf is not buf:
            self._lines_before += count_newlines(self.buf, self._counted, len(self.buf))
            self.buf, self.view, self.base = buf, memoryview(buf), base
            self._counted = first
        self._first, self._lines_at_first = self._counted, self._lines_before

    # -- iteration -----------------------------------------------------------

    def __iter__(self) -> Iterator[tuple[Any, int, int]]:
        source = self._source
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as f:
                yield from self._mapped(f)
        elif isinstance(source, (bytes, bytearray, mmap.mmap)):
            yield from self._in_memory(source)
        elif isinstance(source, memoryview):
            yield from self._in_memory(_buffer_of(source))
        elif hasattr(source, "read"):
            if _is_regular_file(source):
                yield from self._mapped(source)
            else:
                yield from self._streamed(source)
        else:
            raise TypeError(
                "source must be a path, a binary file object, bytes or a memoryview, "
                f"not {type(source).__name__}"
            )

    def _mapped(self, f: IO[bytes]) -> Iterator[tuple[Any, int, int]]:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            yield from self._in_memory(b"")
            return
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self._mm = mm
        if _SEQUENTIAL is not None:
            mm.madvise(_SEQUENTIAL)
        try:
            yield from self._in_memory(mm)
        finally:
            self.view.release()
            self.view = memoryview(b"")
            self.buf = b""
            try:
                mm.close()
            except BufferError:  # a caller still holds a slice: the GC closes it
                pass

    def _in_memory(self, buf: Any) -> Iterator[tuple[Any, int, int]]:
        size = len(buf)
        end = size if self.end is None else min(self.end, size)
        start = min(self.start, end)
        _check_boundary(buf, start, size, "start")
        _check_boundary(buf, end, size, "end")
        self.total = end - start
        if self.before is not None and start > 0:
            self.before(buf, 3 if buf[:3] == _BOM else 0, start)
        self._counted = start
        self._new_buf(buf, 0, start)
        pos = start
        if pos == 0 and buf[:3] == _BOM:
            pos = 3
        mm = self._mm
        released = start - start % mmap.PAGESIZE
        step = self.block_size
        while pos < end:
            cut = pos + step
            if cut >= end:
                cut = end
            else:
                nl = buf.find(b"\n", cut - 1, end)
                cut = end if nl < 0 else nl + 1
            yield buf, pos, cut
            pos = cut
            if mm is not None and _DONTNEED is not None:
                page = pos - pos % mmap.PAGESIZE
                if page - released >= _RELEASE:
                    mm.madvise(_DONTNEED, released, page - released)
                    released = page
            if self.progress is not None:
                self.progress(pos - start, self.total)

    def _streamed(self, f: IO[bytes]) -> Iterator[tuple[Any, int, int]]:
        skip = self.start
        offset = 0
        before = self.before
        carry: list[bytes] = []  # the start of a line not complete yet, for ``before``
        while skip > 0:  # a stream cannot seek: read up to ``start``
            piece = f.read(min(skip, _COUNT_PIECE))
            if not piece:
                break
            if before is not None:
                nl = piece.rfind(b"\n") + 1
                if nl == 0:
                    carry.append(piece)
                else:
                    at = offset - sum(map(len, carry))  # file offset of ``lines``
                    lines = b"".join([*carry, piece[:nl]]) if carry else piece[:nl]
                    carry = [piece[nl:]] if nl < len(piece) else []
                    if before(lines, 3 if at == 0 and lines[:3] == _BOM else 0, len(lines)):
                        before, carry = None, []
            skip -= len(piece)
            offset += len(piece)
            if skip == 0 and piece[-1:] != b"\n":
                raise ValueError(f"start={self.start} is not at the start of a line")
        limit = None if self.end is None else self.end - self.start
        done = 0
        pending: list[bytes] = []  # pieces of a line not complete yet
        held = 0  # their total size
        first = True
        while True:
            want = self.block_size if limit is None else min(self.block_size, limit - done)
            piece = f.read(want) if want > 0 else b""
            done += len(piece)
            if not piece:
                if pending:
                    yield from self._chunk(b"".join(pending), offset, first)
                break
            nl = piece.rfind(b"\n")
            if nl < 0:  # joined once the line ends: a long line costs linear time
                pending.append(piece)
                held += len(piece)
                continue
            pending.append(piece[: nl + 1])
            chunk = b"".join(pending) if len(pending) > 1 else pending[0]
            yield from self._chunk(chunk, offset, first)
            first = False
            offset += len(chunk)
            rest = piece[nl + 1 :]
            pending, held = ([rest], len(rest)) if rest else ([], 0)
            if self.progress is not None:
                self.progress(done - held, None)
        self.total = done
        if self.progress is not None:
            self.progress(done, done)

    def _chunk(self, chunk: bytes, offset: int, first: bool) -> Iterator[tuple[Any, int, int]]:
        self._new_buf(chunk, offset, 0)
        pos = 3 if first and offset == 0 and chunk[:3] == _BOM else 0
        if pos < len(chunk):
            yield chunk, pos, len(chunk)


def lines_in(buf: Any, a: int, b: int) -> Iterator[tuple[int, int]]:
    """The non-blank lines of ``buf[a:b]``, as ``(start, end)`` spans (``end``
    just after the line's newline, or ``b``)."""
    find, blank = buf.find, _BLANK.fullmatch
    while a < b:
        e = find(b"\n", a, b) + 1 or b
        if not blank(buf, a, e):
            yield a, e
        a = e


def _buffer_of(view: memoryview) -> Any:
    """An object with ``find`` over the bytes of ``view``, copying only if it must."""
    obj = view.obj
    if (
        isinstance(obj, (bytes, bytearray, mmap.mmap))
        and view.c_contiguous
        and view.nbytes == len(obj)
    ):
        return obj
    return view.tobytes()


def _is_regular_file(f: Any) -> bool:
    try:
        fd = f.fileno()
        f.seek(0, io.SEEK_CUR)
    except (AttributeError, OSError, io.UnsupportedOperation, ValueError):
        return False
    import stat

    return stat.S_ISREG(os.fstat(fd).st_mode)


def _check_boundary(buf: Any, pos: int, size: int, name: str) -> None:
    if 0 < pos < size and buf[pos - 1 : pos] != b"\n":
        raise ValueError(f"{name}={pos} is not at the start of a line (see batch_ranges)")


def count_newlines(buf: Any, a: int, b: int) -> int:
    if b <= a:
        return 0
    if isinstance(buf, (bytes, bytearray)):
        return buf.count(b"\n", a, b)
    n = 0
    for i in range(a, b, _COUNT_PIECE):  # mmap has no count(): copy in pieces
        n += buf[i : min(b, i + _COUNT_PIECE)].count(b"\n")
    return n


def batch_ranges(source: str | os.PathLike[str], parts: int) -> list[tuple[int, int]]:
    """Cut the file at ``source`` into ``parts`` byte ranges on line boundaries.

    Each ``(start, end)`` may be passed to ``iter_batch_output`` (or
    ``summarize_batch``) so that workers read one file side by side; together
    the ranges cover the file once, in order. A range may be empty (a file
    with fewer lines than ``parts``); empty ranges are left out.
    """
    if parts < 1:
        raise ValueError("parts must be at least 1")
    size = os.path.getsize(source)
    if size == 0:
        return []
    with open(source, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        cuts = [0]
        for i in range(1, parts):
            want = max(cuts[-1], size * i // parts)
            if want == 0:
                continue
            nl = mm.find(b"\n", want - 1)
            cut = size if nl < 0 else nl + 1
            if cut > cuts[-1]:
                cuts.append(cut)
        if cuts[-1] != size:
            cuts.append(size)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def size_of(source: Source) -> int | None:
    """The size of ``source`` in bytes, when it is known before it is read."""
    if isinstance(source, (str, os.PathLike)):
        return os.path.getsize(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return len(source)
    return None


class Parts:
    """One ``progress(done, total)`` over several sources read in turn:
    :meth:`of` gives each source's own callback, whose bytes are counted
    after those of the sources before it. ``total`` is None where a size is
    not known up front."""

    def __init__(self, sources: Sequence[Source], progress: Progress | None) -> None:
        sizes = [size_of(source) for source in sources]
        self.total = None if None in sizes else sum(s for s in sizes if s is not None)
        self._progress = progress
        self._before = 0

    def of(self, size: int | None) -> Progress | None:
        """The callback of the next source (of ``size`` bytes)."""
        progress, before, total = self._progress, self._before, self.total
        self._before += size or 0
        if progress is None:
            return None

        def done(n: int, _total: int | None) -> None:
            progress(before + n, total)

        return done


def expand_paths(paths: PathArg | Sequence[PathArg]) -> list[str]:
    """The files named by ``paths``: a path, a glob (``"out/*.jsonl"``, its
    matches in sorted order) or a list of them. Raises
    :class:`FileNotFoundError` naming the first path that is not a file, or
    the pattern that matches none."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: list[str] = []
    for path in paths:
        name = os.fspath(path)
        if glob.has_magic(name):
            matches = sorted(glob.glob(name))
            if not matches:
                raise FileNotFoundError(f"no file matches {name}")
            found.extend(matches)
        else:
            found.append(name)
    for name in found:
        if not os.path.isfile(name):
            raise FileNotFoundError(f"no such file: {name}")
    if not found:
        raise FileNotFoundError("no file given")
    return found
