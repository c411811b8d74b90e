"""Stage 4, second half: the shared-tag classes of unions whose members share a tag value.

Where members of a tagged union share a tag value, or may omit it, msgspec
cannot pick the class from the tag alone. For each such value the union holds
one *shared-tag class* (called a proxy here): a
:class:`openai_structs.core._views.SharedTag` tagged on the value whose fields
are the union of its targets' fields. msgspec decodes such members into it;
the targets are views of it: ``isinstance(x, OutputMessage)`` holds for the
one target its fields select (:mod:`openai_structs.core._views`). Where some
targets may omit the tag, the union also gets an *untagged class*, holding
the fields of those targets, for the members sent without it.

- :func:`name_unions` names every union that needs a class or alias of its
  own (dispatch or proxied), asking :mod:`.naming` for the name;
- :func:`make_proxies` makes the proxies of named unions that have none yet,
  and their untagged class (their fields may hold new unions: name and make
  again until nothing changes);
- :func:`merge` types a proxy field that its targets type differently;
- :func:`settle_proxies`, after tags are assigned, turns a proxy field that
  would not decode natively into ``Any`` (the target checks it).

These functions add definitions to the spec and fill the planner's tables:
proxies refer to each other and to the unions being planned, so they are
built in place, in a loop, rather than returned.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .ir import ANY, STR, AliasDef, EnumT, Field, ObjectDef, Ref, Type, UnionT
from .naming import proxy_name, union_name, untagged_name

if TYPE_CHECKING:
    from .unions import Plan, UnionPlanner


def name_unions(planner: UnionPlanner) -> None:
    """Name each union that needs a class or alias of its own (dispatch,
    proxied): after its alias, else after the first field it appears in
    (``CompoundFilterFilters``)."""
    taken = set(planner.spec.defs) | {n for n, _ in planner.names.values()}
    for name, d in list(planner.spec.defs.items()):
        if (
            isinstance(d, AliasDef)
            and isinstance(d.type, UnionT)
            and d.type not in planner.names
            and _needs_name(planner, d.type)
        ):
            planner.names[d.type] = (name, name)
    for name, d in list(planner.spec.defs.items()):
        found = (
            [(f.json_name, f.type) for f in d.fields]
            if isinstance(d, ObjectDef)
            else [("", d.type)]
        )
        for json_name, t in found:
            for u in planner.unions_in(t):
                if u in planner.names or not _needs_name(planner, u):
                    continue
                new = union_name(name, json_name, taken.__contains__)
                taken.add(new)
                planner.names[u] = (new, name)


def _needs_name(planner: UnionPlanner, u: UnionT) -> bool:
    plan = planner.plan(u)
    return plan.kind == "dispatch" or plan.proxied


def make_proxies(planner: UnionPlanner) -> bool:
    """Create the proxy classes of every named proxied union that has none
    yet; True if any was made (their fields may hold new unions)."""
    made = False
    for u, (union, owner) in list(planner.names.items()):
        plan = planner.plan(u)
        for value, members in plan.groups.items():
            if value in plan.proxies:
                continue
            name = proxy_name(union, value, planner.spec.defs.__contains__)
            targets = [planner.variant(m, value) for m in members]
            proxy = _proxy(planner, name, owner, plan.tag_field, value, targets)
            what = f"``{union}`` members tagged ``{plan.tag_field}: {json.dumps(value)}``"
            proxy.doc = _doc(what, proxy.targets)
            planner.spec.defs[name] = proxy
            plan.proxies[value] = name
            planner.proxy_names.append(name)
            made = True
        if plan.proxies and not plan.untagged_class:
            made = _make_untagged(planner, plan, union, owner) or made
    return made


def _make_untagged(planner: UnionPlanner, plan: Plan, union: str, owner: str) -> bool:
    """The untagged class of ``plan``'s union, if some of its proxies' targets
    may omit the tag: it holds the fields of those proxies (a member without
    its tag is read as one of them would read it), the tag an ordinary
    optional field. False if no target may omit it."""
    groups: list[tuple[str, list[str]]] = []
    for proxy in plan.proxies.values():
        obj = planner.spec.defs[proxy]
        assert isinstance(obj, ObjectDef)
        optional = [t for t in obj.targets if not _tag_required(planner, t, plan.tag_field)]
        if optional:
            groups.append((proxy, optional))
    if not groups:
        return False
    name = untagged_name(union, plan.tag_field, planner.spec.defs.__contains__)
    targets = list(dict.fromkeys(t for _, ts in groups for t in ts))
    tags = [planner.spec.defs[t] for t in targets]
    fields = _merged_fields(planner, [planner.spec.defs[p] for p, _ in groups], plan.tag_field)
    tag = [f for f in _merged_fields(planner, tags, "") if f.json_name == plan.tag_field]
    tag[0].required = False
    doc = _doc(f"``{union}`` members sent without ``{plan.tag_field}``", targets)
    planner.spec.defs[name] = ObjectDef(
        name, [*fields, *tag], doc, origin="untagged", parent=owner, groups=groups
    )
    for proxy, _ in groups:
        obj = planner.spec.defs[proxy]
        assert isinstance(obj, ObjectDef)
        obj.untagged = name
    plan.untagged_class = name
    planner.untagged_names.append(name)
    return True


def _doc(what: str, targets: list[str]) -> str:
    """The docstring of a shared-tag or untagged class."""
    if len(targets) == 1:
        read = f"read as ``{targets[0]}`` when its fields fit that class"
    else:
        read = "read as one of " + ", ".join(f"``{t}``" for t in targets)
    return (
        f"What {what} decode into, {read}: ``isinstance(x, {targets[0]})`` holds for the one"
        " its fields select (see docs/shared-tags.md)."
    )


def _tag_required(planner: UnionPlanner, target: str, prop: str) -> bool:
    obj = planner.spec.defs[target]
    assert isinstance(obj, ObjectDef)
    info = planner.tag_values(obj, prop)
    return info is not None and info[1]


def _proxy(
    planner: UnionPlanner, name: str, owner: str, prop: str, value: str, targets: list[str]
) -> ObjectDef:
    """A struct tagged ``prop: value`` holding every field of ``targets``."""
    objs = [planner.spec.defs[t] for t in targets]
    assert all(isinstance(o, ObjectDef) for o in objs)
    order = {t: i for i, t in enumerate(targets)}
    ranked = sorted(
        targets,
        key=lambda t: (-sum(f.required for f in planner.struct(Ref(t)).fields), order[t]),
    )
    fields = [Field(prop, EnumT((value,)), True), *_merged_fields(planner, objs, prop)]
    return ObjectDef(
        name,
        fields,
        "",
        origin="proxy",
        parent=owner,
        tag_field=prop,
        targets=ranked,
    )


def _merged_fields(planner: UnionPlanner, objs: list[Any], skip: str) -> list[Field]:
    """The fields of all of ``objs`` (but ``skip``), in order of first
    appearance: required where every one of them requires it, typed to
    accept what each of them accepts."""
    names: list[str] = []
    for o in objs:
        assert isinstance(o, ObjectDef)
        names += [f.json_name for f in o.fields if f.json_name not in names]
    fields: list[Field] = []
    for json_name in names:
        if json_name == skip:
            continue
        found = [o.field(json_name) for o in objs if isinstance(o, ObjectDef)]
        present = [f for f in found if f is not None]
        required = len(present) == len(found) and all(f.required for f in present)
        merged = merge(planner, [f.type for f in present])
        nullable = any(f.nullable for f in present)
        fields.append(Field(json_name, merged, required, nullable=nullable))
    return fields


def merge(planner: UnionPlanner, types: list[Type]) -> Type:
    """One type that accepts every one of ``types``: enums merged into
    one, arrays into one array of the union of their items (planned),
    anything else into a union the planner decides."""
    unique = list(dict.fromkeys(types))
    if len(unique) == 1:
        return unique[0]
    members: list[Type] = []
    for t in unique:
        r = planner.resolve(t)
        subs = planner.flatten(r) if isinstance(r, UnionT) else [t]
        members += [m for m in subs if m not in members]
    enums = [planner.resolve(m) for m in members if isinstance(planner.resolve(m), EnumT)]
    if enums:
        rest = [m for m in members if not isinstance(planner.resolve(m), EnumT)]
        if STR not in [planner.resolve(m) for m in rest]:
            values: list[str] = []
            for e in enums:
                assert isinstance(e, EnumT)
                values += [v for v in e.values if v not in values]
            rest.insert(0, EnumT(tuple(values)))
        members = rest
    if len(members) == 1:
        return members[0]
    merged = UnionT(tuple(members))
    planner.plan(merged)
    return merged


def settle_proxies(planner: UnionPlanner) -> None:
    """After tags are assigned: a field of a proxy or untagged class whose
    merged type msgspec cannot decode natively becomes ``Any``."""
    for name in (*planner.proxy_names, *planner.untagged_names):
        obj = planner.spec.defs[name]
        assert isinstance(obj, ObjectDef)
        for f in obj.fields:
            if not planner.native(f.type):
                f.type = ANY
