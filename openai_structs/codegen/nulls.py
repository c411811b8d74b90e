"""Stage 3c: an optional field of what the API sends also accepts ``null``.

OpenAI's servers write ``null`` for optional fields that the spec types as
non-nullable (``text.format.description: null`` in a structured-output
``Response``), and they do it across the surface, faster than one patch per
field could follow. So the rule is general: in every definition the API
*sends*, an optional field also accepts ``null``. A ``null`` decodes to
``None`` and is written back as ``null``; an absent field stays ``UNSET``.
Required fields keep the spec's letter (a required field that may be null is a
patch, with its proof). A field that the union planner makes a struct's msgspec
tag is a class variable, not a field, and takes no ``null``: the tag picks the
class, and ``null`` would pick none.

What the API sends (:func:`sent_definitions`): everything reachable, through
fields, lists, maps, aliases and union members, from

- each operation's 200 response and the events it streams;
- each webhook's payload (:attr:`~.ir.Spec.webhooks`);
- the definitions of :data:`SENT_ROOTS` and those matching
  :data:`SENT_PATTERNS`: batch output lines, error bodies, and the server
  events of the WebSocket APIs (Realtime, Responses), which the spec lists as
  schemas but no operation returns.

A definition that is both sent and accepted (the text format object sits in
``CreateResponse.text`` and ``Response.text``) is sent, so it accepts ``null``
in requests too. Definitions only ever accepted keep the spec's letter.

The stage runs after the patches and the history stage, so fields those made
optional are covered; it returns a :class:`NullLog` for ``--report``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .ir import ANY, NULL, AliasDef, ObjectDef, Ref, Spec, Type, UnionT, refs

#: Definitions the API sends that no operation or webhook of the spec names.
SENT_ROOTS = ("BatchRequestOutput", "ErrorResponse")

#: Names of definitions the API sends: the server events of the WebSocket APIs,
#: and every stream's event union (some streaming operations do not declare
#: their ``text/event-stream`` body, such as the Assistants runs).
SENT_PATTERNS = (r"ServerEvent", r"StreamEvent$")


@dataclass
class NullLog:
    """What :func:`apply_nulls` did."""

    #: How many definitions the API sends (objects and aliases).
    sent: int = 0
    #: ``(definition, field)`` made to accept ``null``, in the order of the spec.
    made: list[tuple[str, str]] = field(default_factory=list)
    #: Optional fields of sent definitions that accepted ``null`` already.
    already: int = 0


def sent_roots(spec: Spec) -> list[str]:
    """The definitions the API sends, before following their fields."""
    roots: list[str] = []
    for op in spec.operations:
        if op.response is not None:
            roots += refs(op.response)
        if op.stream:
            roots.append(op.stream)
    roots += spec.webhooks
    roots += [n for n in SENT_ROOTS if n in spec.defs]
    roots += [n for n in spec.defs if any(re.search(p, n) for p in SENT_PATTERNS)]
    return list(dict.fromkeys(r for r in roots if r in spec.defs))


def sent_definitions(spec: Spec) -> set[str]:
    """Every definition reachable from :func:`sent_roots`."""
    seen: set[str] = set()
    todo = sent_roots(spec)
    while todo:
        name = todo.pop()
        if name in seen or name not in spec.defs:
            continue
        seen.add(name)
        d = spec.defs[name]
        types = [f.type for f in d.fields] if isinstance(d, ObjectDef) else [d.type]
        for t in types:
            todo += refs(t)
    return seen


def accepts_null(spec: Spec, t: Type, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a value of type ``t`` may be ``null`` already (free JSON
    included; aliases followed)."""
    if t in (NULL, ANY):
        return True
    if isinstance(t, UnionT):
        return any(accepts_null(spec, m, seen) for m in t.members)
    if isinstance(t, Ref) and t.name not in seen:
        d = spec.defs.get(t.name)
        if isinstance(d, AliasDef):
            return accepts_null(spec, d.type, seen | {t.name})
    return False


def apply_nulls(spec: Spec) -> NullLog:
    """Make every optional field of every sent definition accept ``null``
    (:attr:`~.ir.Field.nullable`)."""
    sent = sent_definitions(spec)
    log = NullLog(sent=len(sent))
    for name, d in spec.defs.items():
        if name not in sent or not isinstance(d, ObjectDef):
            continue
        for f in d.fields:
            if f.required:
                continue
            if f.nullable or accepts_null(spec, f.type):
                log.already += 1
            else:
                f.nullable = True
                log.made.append((name, f.json_name))
    return log
