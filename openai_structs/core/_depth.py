"""How deep a document may nest, and room on the stack to decode that deep.

msgspec decodes nested JSON by recursion, counting each level against the
interpreter's recursion limit, which the caller's own frames use up too: by
itself it would accept a document 997 levels deep at the top of a script and
fewer inside a deep call stack. This package keeps one limit instead,
:func:`depth_limit` levels (1000 by default), in both modes and from any
caller: a decode that runs out of stack first checks how deep the document
really nests (:func:`deepest`), refuses it if it passes the limit
(:func:`too_deep`), and else runs again inside :data:`room`, with the
recursion limit raised for it. The good path never pays for any of this.
"""

from __future__ import annotations

import re
import sys
import threading

from ..errors import MalformedJSONError

__all__ = ["deepest", "depth_limit", "room", "too_deep"]

_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def deepest(raw: bytes, limit: int) -> int:
    """Offset of the bracket where nesting first passes ``limit`` levels, or
    -1 when it never does (strings are skipped whole)."""
    depth = 0
    for m in _TOKENS.finditer(raw):
        c = raw[m.start()]
        if c == 0x5B or c == 0x7B:  # [ {
            depth += 1
            if depth > limit:
                return m.start()
        elif c != 0x22:  # ] }
            depth -= 1
    return -1


def depth_limit() -> int:
    """How many levels a document may nest: the interpreter's recursion limit
    as the caller set it (inside :data:`room`, as it was before)."""
    return room.base if room.busy else sys.getrecursionlimit()


def too_deep(raw: bytes) -> MalformedJSONError:
    """The error for a document nested past :func:`depth_limit` (or, when it
    is not, for a caller whose own stack left no room to decode it)."""
    limit = depth_limit()
    pos = deepest(raw, limit)
    if pos < 0:
        return MalformedJSONError("no stack left to decode this document (the caller's is full)")
    return MalformedJSONError(f"JSON nested deeper than {limit} levels (at byte {pos})", pos=pos)


class _Room:
    """A context in which the recursion limit is raised by :func:`depth_limit`.

    The limit is the interpreter's, shared by every thread, so it is raised
    under a lock and put back on the way out; a thread already inside does
    not enter again (``held``).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local = threading.local()
        self.base = sys.getrecursionlimit()

    @property
    def held(self) -> bool:
        """Whether this thread is inside."""
        return getattr(self._local, "held", False)

    @property
    def busy(self) -> bool:
        """Whether any thread is inside (the limit is then raised)."""
        return self._lock.locked()

    def __enter__(self) -> None:
        self._lock.acquire()
        self._local.held = True
        self.base = sys.getrecursionlimit()
        sys.setrecursionlimit(2 * self.base + 100)

    def __exit__(self, *exc: object) -> None:
        sys.setrecursionlimit(self.base)
        self._local.held = False
        self._lock.release()


#: The one :class:`_Room` of the process.
room = _Room()
