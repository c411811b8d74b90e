"""Text that arrives in fragments, joined once.

Streams send text as many small deltas. Appending each one with ``+=`` copies
everything received so far, so a long answer costs time quadratic in the
number of deltas. :class:`Fragments` keeps the pieces in a list and joins
them only when someone asks for the value; the joined string then replaces
the pieces, so asking again (a snapshot after every delta) only joins what
came since.
"""

from __future__ import annotations

__all__ = ["Fragments"]


class Fragments:
    """An append-only string kept as a list of pieces."""

    __slots__ = ("_parts",)

    def __init__(self, first: str | None = None) -> None:
        self._parts: list[str] = [] if first is None else [first]

    def add(self, piece: str) -> None:
        """Append a piece (no copy of what came before)."""
        self._parts.append(piece)

    def set(self, whole: str) -> None:
        """Replace everything with ``whole`` (a ``done`` event's full text)."""
        self._parts = [whole]

    def value(self) -> str:
        """The text so far, joined at most once per call."""
        parts = self._parts
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return ""
        whole = "".join(parts)
        self._parts = [whole]
        return whole
