"""The decode core: JSON into the generated types and back, at msgspec's speed.

:class:`Decoder` (one type, held in a hot loop), :func:`decode` and
:func:`encode` (the one-shot forms) and :class:`Encoder`; the
:class:`UnknownVariant` family that keeps a union member this version of the
spec does not know; and ``UNSET``, the value of a field that was not sent.
(A hand-built ``msgspec.json.Decoder`` of the generated types reads the
native members only: no unknown variant, no member without its tag; use
:class:`Decoder`.)

How a decode goes, by module (each private, each with one job):

- ``_codec``: :class:`Decoder` and :class:`Encoder`, the native path and
  what sends a payload off it;
- ``_unknown`` and ``_spans``: unknown variants and members without their
  tag, decoded in time linear in the input, and written back as they came;
- ``_views``: members that share a tag, read as the spec's classes by
  ``isinstance``; ``_typeless``: members sent without their tag, natively;
- ``_strict``: what strict mode and the audit look for;
- ``_dispatch``: the few unions still decoded in Python;
- ``_typeinfo``: what those passes need to know of a type;
- ``_depth``: the one nesting limit;
- ``_msgspec``: the one place that reads msgspec's messages;
- ``_base``: the base classes the generated types build on;
- ``_fields``: ``present``, the one reading of a field that may be absent,
  and ``_lazy``: the generated types, imported on first use (both for the
  other subpackages).

Nothing here imports the generated types: they import this.
"""

from ._base import (
    UNSET,
    UnknownEvent,
    UnknownObject,
    UnknownRole,
    UnknownType,
    UnknownVariant,
    UnsetType,
)
from ._codec import Decoder, Encoder, decode, encode

__all__ = [
    "UNSET",
    "Decoder",
    "Encoder",
    "UnknownEvent",
    "UnknownObject",
    "UnknownRole",
    "UnknownType",
    "UnknownVariant",
    "UnsetType",
    "decode",
    "encode",
]
