"""Stage 4: decide how each union is decoded.

msgspec decodes a union natively when it has at most one member of each JSON
kind (string, number, array, object...) or when all its object members are
Structs tagged on one property with distinct values. For every union in the
spec this module picks one of:

- ``plain``: native, at most one object-like member;
- ``tagged``: native tagged union on ``type``, ``event``, ``object`` or
  ``role``, plus the matching ``Unknown*`` variant for tags added later;
- ``dispatch``: decoded in Python by :class:`openai_structs._base.DispatchUnion`,
  with the reason msgspec cannot do it (a shared tag value, a member whose tag
  may be absent or has several values, a struct beside a map).

Members that msgspec would reject side by side are merged first: several
enums into one, several arrays into one array of the union of their items.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .ir import (
    ANY,
    NULL,
    AliasDef,
    Array,
    EnumT,
    Map,
    ObjectDef,
    Prim,
    Ref,
    Spec,
    Type,
    TypeVarT,
    UnionT,
)

TAG_FIELDS = ("type", "event", "object", "role")


@dataclass
class Plan:
    kind: str  # plain | tagged | dispatch
    members: list[Type]
    nullable: bool
    tag_field: str = ""
    reason: str = ""
    #: dispatch: tag value -> struct names carrying it
    by_tag: dict[str, list[str]] = field(default_factory=dict)
    #: dispatch: structs that may come without the tag
    untagged: list[str] = field(default_factory=list)
    #: dispatch: non-object members
    other: list[Type] = field(default_factory=list)


class UnionPlanner:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.plans: dict[UnionT, Plan] = {}

    # -- type helpers ---------------------------------------------------------

    def resolve(self, t: Type) -> Type:
        """Follow references to non-object definitions."""
        seen = set()
        while isinstance(t, Ref) and t.name not in seen:
            seen.add(t.name)
            d = self.spec.defs.get(t.name)
            if isinstance(d, AliasDef):
                t = d.type
            else:
                break
        return t

    def flatten(self, u: UnionT) -> list[Type]:
        """Members with union aliases spliced in."""
        out: list[Type] = []
        for m in u.members:
            r = self.resolve(m)
            subs = self.flatten(r) if isinstance(r, UnionT) else [m]
            for s in subs:
                if s not in out:
                    out.append(s)
        return out

    def kind(self, t: Type) -> str:
        r = self.resolve(t)
        if isinstance(r, Ref):
            return "struct"
        if isinstance(r, (Map,)):
            return "dict"
        if isinstance(r, EnumT) or r == Prim("str"):
            return "str"
        if isinstance(r, Array):
            return "array"
        if isinstance(r, TypeVarT) or r == ANY:
            return "any"
        assert isinstance(r, Prim)
        return r.kind

    def struct(self, t: Type) -> ObjectDef:
        r = self.resolve(t)
        assert isinstance(r, Ref)
        d = self.spec.defs[r.name]
        assert isinstance(d, ObjectDef)
        return d

    def tag_values(self, obj: ObjectDef, prop: str) -> tuple[tuple[str, ...], bool] | None:
        """Enum values of ``obj.prop`` and whether it is required."""
        f = obj.field(prop)
        if f is None:
            return None
        t = self.resolve(f.type)
        if isinstance(t, UnionT):  # e.g. anyOf [enum, null]
            enums = [self.resolve(m) for m in t.members if self.resolve(m) != NULL]
            if len(enums) != 1:
                return None
            t = enums[0]
        if not isinstance(t, EnumT):
            return None
        nullable = isinstance(self.resolve(f.type), UnionT)
        return t.values, f.required and not nullable

    # -- planning -------------------------------------------------------------

    def plan(self, u: UnionT) -> Plan:
        if u in self.plans:
            return self.plans[u]
        members = self.flatten(u)
        nullable = any(self.kind(m) == "null" for m in members)
        members = [m for m in members if self.kind(m) != "null"]
        kinds = [self.kind(m) for m in members]
        if "any" in kinds:
            plan = Plan("plain", [ANY], False)
        else:
            members = self._merge_arrays(members)
            kinds = [self.kind(m) for m in members]
            structs = [m for m, k in zip(members, kinds) if k == "struct"]
            dicts = [m for m, k in zip(members, kinds) if k == "dict"]
            others = [m for m, k in zip(members, kinds) if k not in ("struct", "dict")]
            if len(dicts) > 1:
                members = [m for m in members if self.kind(m) != "dict"] + [Map(ANY)]
                dicts = [Map(ANY)]
            if len(structs) + len(dicts) <= 1:
                plan = Plan("plain", members, nullable)
            elif dicts:
                plan = self._dispatch(
                    u, structs, others + dicts, nullable, "", "a struct beside a free-form object"
                )
            else:
                plan = self._by_tag(u, structs, others, nullable)
        self.plans[u] = plan
        return plan

    def _merge_arrays(self, members: list[Type]) -> list[Type]:
        arrays = [m for m in members if self.kind(m) == "array"]
        if len(arrays) <= 1:
            return members
        items: list[Type] = []
        for a in arrays:
            r = self.resolve(a)
            assert isinstance(r, Array)
            item = r.item
            for sub in item.members if isinstance(item, UnionT) else (item,):
                if sub not in items:
                    items.append(sub)
        merged = Array(items[0] if len(items) == 1 else UnionT(tuple(items)))
        if isinstance(merged.item, UnionT):
            self.plan(merged.item)
        out = [m for m in members if self.kind(m) != "array"]
        return out + [merged]

    def _by_tag(self, u: UnionT, structs: list[Type], others: list[Type], nullable: bool) -> Plan:
        objs = [self.struct(s) for s in structs]
        props = [p for p in (u.discriminator, *TAG_FIELDS) if p]
        for prop in dict.fromkeys(props):
            infos = [self.tag_values(o, prop) for o in objs]
            if not any(infos):
                continue
            problems = []
            seen: dict[str, str] = {}
            for o, info in zip(objs, infos):
                if info is None:
                    problems.append(f"{o.name} has no `{prop}`")
                    continue
                values, required = info
                if not required:
                    problems.append(f"{o.name} may omit `{prop}`")
                if len(values) > 1:
                    problems.append(f"{o.name} allows {len(values)} `{prop}` values")
                for v in values:
                    if v in seen:
                        problems.append(f"`{prop}: {v}` on {seen[v]} and {o.name}")
                    seen.setdefault(v, o.name)
            if not problems:
                return Plan("tagged", structs + others, nullable, tag_field=prop)
            return self._dispatch(u, structs, others, nullable, prop, "; ".join(problems))
        return self._dispatch(u, structs, others, nullable, "", "no shared tag property")

    def _dispatch(
        self,
        u: UnionT,
        structs: list[Type],
        others: list[Type],
        nullable: bool,
        prop: str,
        reason: str,
    ) -> Plan:
        plan = Plan(
            "dispatch", structs + others, nullable, tag_field=prop, reason=reason, other=others
        )
        for s in structs:
            o = self.struct(s)
            info = self.tag_values(o, prop) if prop else None
            if info is None or not info[1]:
                plan.untagged.append(o.name)
            for v in info[0] if info else ():
                plan.by_tag.setdefault(v, []).append(o.name)
        return plan

    def assign_tags(self) -> None:
        """Tag each struct of a native tagged union on that union's property.

        A struct can carry one msgspec tag; when two unions want it tagged on
        different properties, the property most unions use wins and the other
        unions fall back to dispatch.
        """
        wants: dict[str, Counter[str]] = {}
        for plan in self.plans.values():
            if plan.kind == "tagged":
                for m in plan.members:
                    if self.kind(m) == "struct":
                        wants.setdefault(self.struct(m).name, Counter())[plan.tag_field] += 1
        chosen = {name: _most_common(c) for name, c in wants.items()}
        for u, plan in self.plans.items():
            if plan.kind != "tagged":
                continue
            clash = [
                self.struct(m).name
                for m in plan.members
                if self.kind(m) == "struct" and chosen[self.struct(m).name] != plan.tag_field
            ]
            if clash:
                structs = [m for m in plan.members if self.kind(m) == "struct"]
                others = [m for m in plan.members if self.kind(m) != "struct"]
                reason = f"{', '.join(clash)} tagged on another property elsewhere"
                self.plans[u] = self._dispatch(
                    u, structs, others, plan.nullable, plan.tag_field, reason
                )
        for name, prop in chosen.items():
            obj = self.spec.defs[name]
            assert isinstance(obj, ObjectDef)
            obj.tag_field = prop


def _most_common(c: Counter[str]) -> str:
    best = max(c.values())
    return next(p for p in TAG_FIELDS if c.get(p) == best)


def walk_unions(t: Type) -> list[UnionT]:
    """Every union inside ``t``, outermost first."""
    out: list[UnionT] = []
    if isinstance(t, UnionT):
        out.append(t)
        for m in t.members:
            out += walk_unions(m)
    elif isinstance(t, Array):
        out += walk_unions(t.item)
    elif isinstance(t, Map):
        out += walk_unions(t.value)
    return out


def plan_unions(spec: Spec) -> UnionPlanner:
    """Plan every union found in the definitions and operation responses."""
    planner = UnionPlanner(spec)
    for d in list(spec.defs.values()):
        types = [f.type for f in d.fields] if isinstance(d, ObjectDef) else [d.type]
        for t in types:
            for u in walk_unions(t):
                planner.plan(u)
    for op in spec.operations:
        if op.response is not None:
            for u in walk_unions(op.response):
                planner.plan(u)
    planner.assign_tags()
    return planner
