"""Stage 4, second half: the proxy classes of unions whose members share a tag value.

Where members of a tagged union share a tag value, or may omit it, msgspec
cannot pick the class from the tag alone. For each such value the union holds
one *proxy*: a :class:`openai_structs.core._base.VariantProxy` tagged on the value
whose fields are the union of its targets' fields. The decoder refines a
proxy into the public class that fits (:mod:`openai_structs.core._refine`).

- :func:`name_unions` names every union that needs a class or alias of its
  own (dispatch or proxied), asking :mod:`.naming` for the name;
- :func:`make_proxies` makes the proxies of named unions that have none yet
  (their fields may hold new unions: name and make again until nothing
  changes);
- :func:`merge` types a proxy field that its targets type differently;
- :func:`settle_proxies`, after tags are assigned, turns a proxy field that
  would not decode natively into ``Any`` (the target checks it).

These functions add definitions to the spec and fill the planner's tables:
proxies refer to each other and to the unions being planned, so they are
built in place, in a loop, rather than returned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .ir import ANY, STR, AliasDef, EnumT, Field, ObjectDef, Ref, Type, UnionT
from .naming import proxy_name, union_name

if TYPE_CHECKING:
    from .unions import UnionPlanner


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
            planner.spec.defs[name] = _proxy(planner, name, owner, plan.tag_field, value, targets)
            plan.proxies[value] = name
            planner.proxy_names.append(name)
            made = True
    return made


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
    names: list[str] = []
    for o in objs:
        assert isinstance(o, ObjectDef)
        names += [f.json_name for f in o.fields if f.json_name not in names]
    fields = [Field(prop, EnumT((value,)), True)]
    for json_name in names:
        if json_name == prop:
            continue
        found = [o.field(json_name) for o in objs if isinstance(o, ObjectDef)]
        present = [f for f in found if f is not None]
        required = len(present) == len(found) and all(f.required for f in present)
        merged = merge(planner, [f.type for f in present])
        nullable = any(f.nullable for f in present)
        fields.append(Field(json_name, merged, required, nullable=nullable))
    return ObjectDef(
        name,
        fields,
        f"Stands in for {', '.join(ranked)} while decoding (`{prop}: {value}`).",
        origin="proxy",
        parent=owner,
        tag_field=prop,
        targets=ranked,
    )


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
    """After tags are assigned: a proxy field whose merged type msgspec
    cannot decode natively becomes ``Any`` (the target re-checks it)."""
    for name in planner.proxy_names:
        obj = planner.spec.defs[name]
        assert isinstance(obj, ObjectDef)
        for f in obj.fields:
            if not planner.native(f.type):
                f.type = ANY
