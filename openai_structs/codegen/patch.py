"""One spec correction: :class:`Patch` (the list is in :mod:`.patches`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Patch:
    #: ``Definition.field`` as the spec (or the generator, for inline types) names it.
    target: str
    change: str
    why: str
    #: A payload that needs the change: JSON text of type ``Definition``, or
    #: ``example:Schema`` / ``op:operationId`` for an example in the spec.
    proof: str
    #: For ``enum``: the values to add.
    values: tuple[str, ...] = ()
    #: For ``add`` and ``type``: the (new) field's type, such as ``"bool"``, ``"float | null"``,
    #: ``"list[int]"``, ``"map[any]"`` or a definition name.
    type: str = ""
