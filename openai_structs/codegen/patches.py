"""Stage 3: corrections to the spec, in one declarative list (:data:`PATCHES`,
written in :mod:`.patches_absent` and :mod:`.patches_sent`).

The spec is wrong in places: it calls a field required that the API omits, or
leaves out a field every payload has. Each :class:`Patch` names the field, the
change, why, and a payload (``proof``) that the API sends and that the
unpatched type rejects. ``tests/test_patches.py`` decodes every proof.

Changes:

- ``optional``: the field may be absent.
- ``nullable``: the field may be ``null``.
- ``enum``: the field's enum also takes ``values`` (a named enum the field
  refers to takes them, wherever it is used).
- ``body``: the field holds the request or response body of a batch line; it
  becomes the type parameter ``BodyT`` (``BatchRequestOutput[ChatCompletion]``).
- ``add``: the API sends a field the spec does not define; it is added, never
  required, with the type written in ``type`` (see :func:`parse_type`).
- ``drop``: the spec defines a field the API never sends (a value the
  official SDKs compute on the client); it is removed, so that the type
  offers no attribute that is always ``UNSET``.

Proofs: JSON text, ``example:Schema``, ``op:operationId``, or a recorded
payload ``capture:<folder>/<file>#<n>`` under ``../shared/captures`` (``n``:
the n-th event of an ``.sse`` file, counting ``data:`` blocks from 0 and
leaving out ``[DONE]``, or the n-th line of a ``.jsonl`` file; a ``.json``
body takes no ``#n``). The tests decode a capture into the type its folder
and shape call for. A ``drop`` cannot be proved by one payload; its proof is
``absent:captures``: no object of the definition (told by its constant
``object``) anywhere in ``../shared/captures`` carries the field.
"""

from __future__ import annotations

from . import patches_absent, patches_sent
from .ir import (
    NULL,
    AliasDef,
    Array,
    EnumT,
    Field,
    Map,
    ObjectDef,
    Prim,
    Ref,
    Spec,
    Type,
    TypeVarT,
    UnionT,
)
from .patch import Patch

#: Every correction, in the order they are applied.
PATCHES: tuple[Patch, ...] = patches_absent.PATCHES + patches_sent.PATCHES


def apply_patches(spec: Spec, patches: tuple[Patch, ...] = PATCHES) -> list[Patch]:
    """Apply ``patches`` in order; returns those whose target is missing."""
    missed = []
    for patch in patches:
        def_name, field_name = patch.target.split(".", 1)
        obj = spec.defs.get(def_name)
        if not isinstance(obj, ObjectDef):
            missed.append(patch)
            continue
        f = obj.field(field_name)
        if patch.change == "add":
            if f is not None:
                missed.append(patch)  # the spec has it now: the patch is stale
            else:
                obj.fields.append(Field(field_name, parse_type(patch.type), False))
            continue
        if patch.change == "body":
            if f is None:
                f = Field(field_name, TypeVarT("BodyT"), True)
                obj.fields.append(f)
            f.type = TypeVarT("BodyT")
        elif f is None:
            missed.append(patch)
        elif patch.change == "drop":
            obj.fields.remove(f)
        elif patch.change == "optional":
            f.required = False
        elif patch.change == "enum":
            alias = spec.defs.get(f.type.name) if isinstance(f.type, Ref) else None
            if isinstance(alias, AliasDef):  # a named enum: it gains the values
                alias.type = _with_values(alias.type, patch.values)
            else:
                f.type = _with_values(f.type, patch.values)
        elif patch.change == "type":
            f.type = parse_type(patch.type)
        elif patch.change == "nullable":
            members = f.type.members if isinstance(f.type, UnionT) else (f.type,)
            if NULL not in members:
                f.type = UnionT((*members, NULL))
        else:
            raise ValueError(f"unknown patch change {patch.change!r}")
    return missed


def parse_type(text: str) -> Type:
    """The type an ``add`` patch writes: ``A | B`` unions, ``list[T]``,
    ``map[T]`` (free keys), ``str``/``int``/``float``/``bool``/``null``/``any``,
    anything else a definition name."""
    text = text.strip()
    depth, parts, start = 0, [], 0
    for i, ch in enumerate(text):
        depth += (ch == "[") - (ch == "]")
        if ch == "|" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    if len(parts) > 1:
        return UnionT(tuple(parse_type(p) for p in parts))
    if text.startswith("list[") and text.endswith("]"):
        return Array(parse_type(text[5:-1]))
    if text.startswith("map[") and text.endswith("]"):
        return Map(parse_type(text[4:-1]))
    if text in ("str", "int", "float", "bool", "null", "any"):
        return Prim(text)
    if not text.isidentifier():
        raise ValueError(f"bad patch type {text!r}")
    return Ref(text)


def _with_values(t: Type, values: tuple[str, ...]) -> Type:
    """``t`` with ``values`` added to the enum in it."""
    if isinstance(t, EnumT):
        return EnumT(t.values + tuple(v for v in values if v not in t.values))
    if isinstance(t, UnionT):
        return UnionT(tuple(_with_values(m, values) for m in t.members), t.discriminator)
    raise ValueError(f"no enum to extend in {t!r}")
