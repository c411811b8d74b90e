"""What tests ask of a decoded value: the class it is read as."""

from __future__ import annotations

from typing import Any

from openai_structs.core._base import SharedTag
from openai_structs.core._views import view_of


def read_as(value: Any) -> Any:
    """The public class ``isinstance`` holds for: ``type(value)``, or for a
    member of a shared tag the one class its fields select (checking that
    ``isinstance`` holds for that one of its classes and no other)."""
    if not isinstance(value, SharedTag):
        return type(value)
    view = view_of(value)
    cls = type(value)
    targets = cls._targets() or tuple(t for _, ts in cls._groups() for t in ts)
    assert [t for t in targets if isinstance(value, t)] == ([view] if view else [])
    return view
