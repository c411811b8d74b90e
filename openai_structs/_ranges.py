"""Split files of lines into byte ranges that start and end on line boundaries.

A distributed reader gives each worker one ``(path, start, end)`` range. Every
range but the first starts just after a newline and every range but the last
ends just after one, so no line is cut in two and each line belongs to exactly
one range. Finding a boundary reads forward from the cut point only until the
next newline, so splitting costs a few small reads per range, not a pass over
the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import BinaryIO, NamedTuple

__all__ = ["ByteRange", "split_file", "split_files"]

_WINDOW = 1 << 16


class ByteRange(NamedTuple):
    """Bytes ``[start, end)`` of the file at ``path``, whole lines only."""

    path: str
    start: int
    end: int


def _next_line_start(handle: BinaryIO, offset: int, size: int) -> int:
    """The offset just past the first newline at or after ``offset - 1``.

    A cut that already sits just after a newline stays where it is."""
    position = max(offset - 1, 0)
    handle.seek(position)
    while position < size:
        window = handle.read(_WINDOW)
        if not window:
            break
        found = window.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(window)
    return size


def split_file(path: str | os.PathLike[str], blocksize: int) -> list[ByteRange]:
    """Cut the file at ``path`` into ranges of about ``blocksize`` bytes.

    A line longer than ``blocksize`` makes its range longer; an empty file
    gives no ranges."""
    if blocksize < 1:
        raise ValueError(f"blocksize must be positive, not {blocksize}")
    name = os.fspath(path)
    size = os.path.getsize(name)
    ranges: list[ByteRange] = []
    start = 0
    with open(name, "rb") as handle:
        while start < size:
            end = _next_line_start(handle, start + blocksize, size)
            ranges.append(ByteRange(name, start, end))
            start = end
    return ranges


def split_files(paths: Iterable[str | os.PathLike[str]], blocksize: int) -> list[ByteRange]:
    """:func:`split_file` over several files, in the order given."""
    return [piece for path in paths for piece in split_file(path, blocksize)]
