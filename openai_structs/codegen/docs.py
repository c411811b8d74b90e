"""Class docstrings written from the spec's structure, never from its prose.

What a user wants on hover is where a type comes from and where it goes, and
the spec's structure says that without its descriptions: the operations that
return or accept it, the unions it is a member of, its tag value, and for an
inline struct the parent and field it was written in. :func:`collect` gathers
those facts once (a :class:`Facts`); :func:`describe` turns one definition's
facts into short sentences; :func:`render` lays them out as a docstring within
the line length.

A struct that no operation returns or accepts and no union holds is
described by the fields that hold it (``Held by ``Response.usage``.``); only
what nothing in the spec mentions gets :data:`UNUSED`.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field

from .ir import AliasDef, ObjectDef, Ref, Spec, UnionT, constant, refs
from .layout import WIDTH
from .unions import UnionPlanner

#: How many operations, unions or holders a docstring names before "and N more".
MAX_LISTED = 3

#: The sentence for a struct nothing in the spec refers to.
UNUSED = "Not returned, accepted or held by any operation or schema of the spec."


@dataclass
class Facts:
    """What the spec's structure says about each definition, by name."""

    returned_by: dict[str, list[str]] = field(default_factory=dict)
    streamed_by: dict[str, list[str]] = field(default_factory=dict)
    accepted_by: dict[str, list[str]] = field(default_factory=dict)
    #: Parameter struct -> ``GET /path`` of its operation, and the operation id.
    params_of: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Definition -> the named unions it is a member of.
    unions: dict[str, list[str]] = field(default_factory=dict)
    #: Definition -> ``Owner.field`` of the fields that hold it.
    held_by: dict[str, list[str]] = field(default_factory=dict)


def collect(spec: Spec, planner: UnionPlanner) -> Facts:
    """Every fact :func:`describe` uses, in one pass over the spec."""
    facts = Facts()
    for op in spec.operations:
        where = f"{op.method.upper()} {op.path}"
        if op.params:
            facts.params_of[op.params] = (where, op.operation_id)
        if op.request:
            _add(facts.accepted_by, op.request, where)
        if isinstance(op.response, Ref):
            for n in _members(spec, planner, op.response.name):
                _add(facts.returned_by, n, where)
        if op.stream:
            for n in _members(spec, planner, op.stream):
                _add(facts.streamed_by, n, where)
    for name, d in spec.defs.items():
        if isinstance(d, AliasDef):
            if isinstance(d.type, UnionT) and d.origin != "seed":
                for m in planner.flatten(d.type):
                    if isinstance(m, Ref) and m.name != name:
                        _add(facts.unions, m.name, name)
            elif d.origin != "seed":  # any other alias (a list, a map, a name) holds its items
                for ref in refs(d.type):
                    _add(facts.held_by, ref, name)
            continue
        for f in d.fields:
            for ref in refs(f.type):
                _add(facts.held_by, ref, f"{name}.{f.json_name}")
    return facts


def _members(spec: Spec, planner: UnionPlanner, name: str) -> list[str]:
    """``name``, or the members of the union it names."""
    d = spec.defs.get(name)
    if isinstance(d, AliasDef) and isinstance(d.type, UnionT):
        return [m.name for m in planner.flatten(d.type) if isinstance(m, Ref)]
    return [name]


def _add(table: dict[str, list[str]], key: str, value: str) -> None:
    values = table.setdefault(key, [])
    if value not in values:
        values.append(value)


def _listed(items: list[str]) -> str:
    shown = ", ".join(f"``{i}``" for i in items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def describe(obj: ObjectDef, facts: Facts) -> list[str]:
    """The sentences of ``obj``'s docstring, most telling first."""
    name = obj.name
    out: list[str] = []
    if obj.origin == "params":
        where, op_id = facts.params_of.get(name, ("", ""))
        if where:
            return [f"Query and path parameters of ``{where}`` (``{op_id}``)."]
    if obj.origin == "inline" and obj.parent:
        if obj.site:
            out.append(f"The ``{obj.site}`` object of ``{obj.parent}``.")
        elif name not in facts.unions:  # a member of its parent union says it already
            out.append(f"Written inline in ``{obj.parent}``.")
    if obj.origin == "batch":
        out.append("A line of a batch file (the 2025-04-29 schema, kept beside the spec).")
    if obj.origin == "azure" and obj.doc:
        out.append(obj.doc)
    if obj.tag_field:
        tag = obj.field(obj.tag_field)
        value = constant(tag.type) if tag is not None else None
        if value is not None:
            out.append(f"Tagged ``{obj.tag_field}: {json.dumps(value)}``.")
    used = False
    verbs = (
        (facts.returned_by, "Returned by"),
        (facts.streamed_by, "Streamed by"),
        (facts.accepted_by, "Accepted by"),
    )
    for table, verb in verbs:
        if name in table:
            out.append(f"{verb} {_listed(table[name])}.")
            used = True
    if name in facts.unions:
        out.append(f"A member of {_listed(facts.unions[name])}.")
        used = True
    if not used and obj.origin != "inline":
        holders = facts.held_by.get(name, [])
        out.append(f"Held by {_listed(holders)}." if holders else UNUSED)
    return out


def render(paragraphs: list[str], indent: str = "    ", width: int = WIDTH) -> list[str]:
    """A docstring made of ``paragraphs``, wrapped to ``width``."""
    # a space inside a ``literal`` does not break: it is held as NUL while wrapping
    paragraphs = [_LITERAL.sub(_hold, p.replace("\\", "\\\\")) for p in paragraphs if p]
    if len(paragraphs) == 1 and len(indent) + len(paragraphs[0]) + 6 <= width:
        return [f'{indent}"""{paragraphs[0]}"""'.replace("\0", " ")]
    lines: list[str] = []
    for i, text in enumerate(paragraphs):
        if i:
            lines.append("")
        first = indent + '"""' if i == 0 else indent
        lines += textwrap.wrap(
            text,
            width=width,
            initial_indent=first,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return [*(line.replace("\0", " ") for line in lines), f'{indent}"""']


_LITERAL = re.compile(r"``[^`]*``")


def _hold(match: re.Match[str]) -> str:
    return match.group(0).replace(" ", "\0")
