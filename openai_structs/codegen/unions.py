"""Stage 4: decide how each union is decoded.

msgspec decodes a union natively when it has at most one member of each JSON
kind (string, number, array, object...) or when all its object members are
Structs tagged on one property with distinct values. This module makes as
many unions as it can fit that rule, and plans each as one of:

- ``plain``: native, at most one object-like member;
- ``tagged``: native tagged union on ``type``, ``event``, ``object`` or
  ``role`` (the discriminator first), plus the matching ``Unknown*`` member
  that catches tag values added after this spec;
- ``dispatch``: decoded in Python by :class:`openai_structs.core._base.DispatchUnion`,
  only where the rest cannot help: a member without the tag property at all,
  no tag property shared by the members, or a struct beside a free-form
  object. The report says which of them a hot type reaches (none today).

Three devices turn what used to be dispatch unions into tagged ones:

1. **Several tag values on one member** (``ComparisonFilter``'s eq ... nin,
   ``WebSearchTool``'s two types): the struct keeps its name and is tagged on
   its first value; each other value gets a generated subclass tagged on it
   (:meth:`UnionPlanner.split`), named by :func:`.naming.variant_name` after
   the struct and the value (``WebSearchTool20250826``, ``ComparisonFilterNe``). Unions list every variant, and ``Base.variant(v)``
   picks the class for a value.
2. **Members sharing a tag value, or allowed to omit it** (``InputItem``'s
   three ``message`` classes, ``EasyInputMessage`` whose ``type`` is
   optional): for each such value the union holds one *proxy*, a
   :class:`openai_structs.core._base.VariantProxy` tagged on the value whose fields
   are the union of its targets' fields (:func:`.proxies.make_proxies`),
   named after the union and the value (``InputItemMessage``). A field is
   required in the proxy only if every target requires it. Where targets
   type a field differently the types are merged (:func:`.proxies.merge`):
   enums into one enum, arrays into one array of the union of their items,
   and the result planned like any union (it may hold proxies of its own);
   if that union would still need dispatch, the proxy field is ``Any`` and
   the target checks the value when the proxy is converted. ``_targets()``
   lists the targets by how many fields they require, most first, then in
   the union's order: a payload that satisfies more requirements is the more
   specific match, and the decoder ranks by fit before it uses this order.
   The targets keep their own tag as an ordinary (optional) field unless
   another union tags them. Type checkers see the union of the public classes
   (``if TYPE_CHECKING``), the run time the union of proxies.
3. **A tagged struct outside a tagged union** (``ReasoningItem.summary:
   list[SummaryTextContent]``): msgspec would accept it without its tag and
   reject a new tag value outright. It is written as the tagged union of the
   struct's variants and its ``Unknown*`` member, as in every other union, so
   a missing tag is an error with a ``$`` path and a new value an unknown
   variant. In the current spec that is 23 positions
   (:meth:`UnionPlanner.standalone_positions`; ``--report`` prints the count).

Members that msgspec would reject side by side are merged first: several
arrays into one array of the union of their items. A struct can carry one
msgspec tag; when unions want it tagged on different properties, the most
wanted wins and the others fall back to dispatch (:meth:`assign_tags`).

Order of the work (:func:`plan_unions`): plan every union, name the ones that
need a name (dispatch and proxied: after their alias, else after the
definition and field they first appear in), make the proxies (whose fields
may hold new unions, so name and make again until nothing changes), assign
tags, replace proxy fields that did not come out native by ``Any``, and
forget plans no definition holds any more.
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
from .naming import TAG_FIELDS, variant_name
from .proxies import make_proxies, name_unions, settle_proxies

#: The types whose decoding must stay native (no ``dec_hook`` call); the
#: report lists which dispatch unions they reach. The batch lines reach the
#: chat and responses bodies through these.
HOT_ROOTS = (
    "Response",
    "ResponseStreamEvent",
    "CreateResponse",
    "ResponseItemList",
    "ConversationItemList",
    "RealtimeServerEvent",
    "RealtimeClientEvent",
    "CreateChatCompletionRequest",
    "CreateChatCompletionResponse",
    "CreateChatCompletionStreamResponse",
    "BatchRequestInput",
    "BatchRequestOutput",
)


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
    #: tagged: tag value -> the members sharing it, or carrying it optionally;
    #: each such value decodes into one proxy class.
    groups: dict[str, list[str]] = field(default_factory=dict)
    #: tagged: tag value -> name of its proxy class (filled by ``make_proxies``).
    proxies: dict[str, str] = field(default_factory=dict)
    #: tagged: the class of members sent without the tag, or "".
    untagged_class: str = ""

    @property
    def proxied(self) -> bool:
        return bool(self.groups)


class UnionPlanner:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.plans: dict[UnionT, Plan] = {}
        #: multi-valued tagged struct -> {tag value: class carrying it}; the
        #: first value stays on the struct itself.
        self.variants: dict[str, dict[str, str]] = {}
        #: unions that need a name (dispatch and proxied) -> (name, owner def)
        self.names: dict[UnionT, tuple[str, str]] = {}
        #: proxy class names, in the order they were made
        self.proxy_names: list[str] = []
        #: untagged class names, in the order they were made
        self.untagged_names: list[str] = []

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
            missing = [o.name for o, info in zip(objs, infos) if info is None]
            if missing:
                reason = "; ".join(f"{name} has no `{prop}`" for name in missing)
                return self._dispatch(u, structs, others, nullable, prop, reason)
            carriers: dict[str, list[tuple[str, bool]]] = {}
            for o, info in zip(objs, infos):
                assert info is not None
                values, required = info
                for v in values:
                    carriers.setdefault(v, []).append((o.name, required))
            plan = Plan("tagged", structs + others, nullable, tag_field=prop)
            for v, found in carriers.items():
                if len(found) > 1 or not found[0][1]:
                    plan.groups[v] = [name for name, _ in found]
            for o, info in zip(objs, infos):
                assert info is not None
                values, required = info
                if len(values) > 1 and required:
                    self.split(o, prop, values)
            return plan
        return self._dispatch(u, structs, others, nullable, "", "no shared tag property")

    def split(self, obj: ObjectDef, prop: str, values: tuple[str, ...]) -> None:
        """Give each value of ``obj``'s multi-valued tag after the first a
        subclass of ``obj`` tagged on it (``WebSearchTool20250826``)."""
        if obj.name in self.variants:
            return
        by_value = {values[0]: obj.name}
        for v in values[1:]:
            name = variant_name(obj.name, values[0], v, self.spec.defs.__contains__)
            fields = [
                Field(f.json_name, EnumT((v,)), True, f.doc) if f.json_name == prop else f
                for f in obj.fields
            ]
            self.spec.defs[name] = ObjectDef(
                name, fields, obj.doc, origin="variant", parent=obj.name, variant_of=obj.name
            )
            by_value[v] = name
        self.variants[obj.name] = by_value

    def variant(self, name: str, value: str) -> str:
        """The class that carries tag ``value`` of struct ``name``."""
        return self.variants.get(name, {}).get(value, name)

    def expand(self, name: str) -> list[str]:
        """``name`` and its generated variant subclasses."""
        return list(self.variants.get(name, {name: name}).values())

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

    # -- queries ------------------------------------------------------------

    def unions_in(self, t: Type) -> list[UnionT]:
        """Unions in ``t``, with those the planner made by merging arrays."""
        out: list[UnionT] = []
        for u in walk_unions(t):
            out.append(u)
            for m in self.plan(u).members:
                if isinstance(m, Array):
                    out += self.unions_in(m.item)
        return out

    def native(self, t: Type, seen: frozenset[str] = frozenset()) -> bool:
        """Whether msgspec decodes ``t`` without calling the dispatch hook
        (structs count as native: their own fields are checked on their own)."""
        if isinstance(t, Ref):
            d = self.spec.defs.get(t.name)
            if isinstance(d, AliasDef) and t.name not in seen:
                return self.native(d.type, seen | {t.name})
            return True
        if isinstance(t, Array):
            return self.native(t.item, seen)
        if isinstance(t, Map):
            return self.native(t.value, seen)
        if isinstance(t, UnionT):
            plan = self.plan(t)
            if plan.kind == "dispatch":
                return False
            return all(self.native(m, seen) for m in plan.members)
        return True

    def runtime_structs(self, plan: Plan) -> list[str]:
        """The classes a tagged union holds at run time: its members, each
        split into its variants, with the values of ``plan.groups`` replaced
        by their proxies (in order of first appearance)."""
        out: list[str] = []
        for m in plan.members:
            if self.kind(m) != "struct":
                continue
            obj = self.struct(m)
            info = self.tag_values(obj, plan.tag_field)
            values = info[0] if info else ()
            for v in values:
                name = plan.proxies.get(v, "") if v in plan.groups else self.variant(obj.name, v)
                if name and name not in out:
                    out.append(name)
        return out

    def public_structs(self, plan: Plan) -> list[str]:
        """The classes type checkers see in a union: members and their variants."""
        out: list[str] = []
        for m in plan.members:
            if self.kind(m) == "struct":
                out += [n for n in self.expand(self.struct(m).name) if n not in out]
        return out

    def assign_tags(self) -> None:
        """Tag each struct of a native tagged union on that union's property.

        A struct can carry one msgspec tag; when two unions want it tagged on
        different properties, the property most unions use wins and the other
        unions fall back to dispatch. Variant subclasses follow their base.
        """

        def base(name: str) -> str:
            obj = self.spec.defs[name]
            assert isinstance(obj, ObjectDef)
            return obj.variant_of or name

        wants: dict[str, Counter[str]] = {}
        for plan in self.plans.values():
            if plan.kind == "tagged":
                for name in dict.fromkeys(map(base, self.runtime_structs(plan))):
                    wants.setdefault(name, Counter())[plan.tag_field] += 1
        chosen = {name: _most_common(c) for name, c in wants.items()}
        for u, plan in self.plans.items():
            if plan.kind != "tagged":
                continue
            clash = [
                name
                for name in dict.fromkeys(map(base, self.runtime_structs(plan)))
                if chosen[name] != plan.tag_field
            ]
            if clash:
                structs = [m for m in plan.members if self.kind(m) == "struct"]
                others = [m for m in plan.members if self.kind(m) != "struct"]
                reason = f"{', '.join(clash)} tagged on another property elsewhere"
                self.plans[u] = self._dispatch(
                    u, structs, others, plan.nullable, plan.tag_field, reason
                )
        for name, prop in chosen.items():
            for cls in self.expand(name):
                obj = self.spec.defs[cls]
                assert isinstance(obj, ObjectDef)
                obj.tag_field = prop

    def reachable(self, roots: tuple[str, ...]) -> set[UnionT]:
        """Unions a decode of any of ``roots`` can meet: through fields,
        arrays, maps, aliases, union members, proxies and their targets."""
        found: set[UnionT] = set()
        seen: set[str] = set()
        todo: list[Type] = [Ref(r) for r in roots if r in self.spec.defs]
        while todo:
            t = todo.pop()
            if isinstance(t, Ref):
                if t.name in seen or t.name not in self.spec.defs:
                    continue
                seen.add(t.name)
                d = self.spec.defs[t.name]
                if isinstance(d, AliasDef):
                    todo.append(d.type)
                    continue
                todo += [f.type for f in d.fields]
                todo += [Ref(n) for n in (*d.targets, *self.expand(d.name))]
                todo += [Ref(n) for n in (d.untagged, *(p for p, _ in d.groups)) if n]
            elif isinstance(t, Array):
                todo.append(t.item)
            elif isinstance(t, Map):
                todo.append(t.value)
            elif isinstance(t, UnionT) and t not in found:
                found.add(t)
                plan = self.plan(t)
                todo += plan.members
                todo += [Ref(n) for n in plan.proxies.values()]
        return found

    def standalone_positions(self) -> int:
        """How many places hold a tagged struct outside a tagged union (a
        field ``list[SummaryText]``, a nullable ``X | None``, an alias of one
        struct); each is written as the tagged union of the struct's variants
        and its ``Unknown*`` member."""

        def count(t: Type) -> int:
            if isinstance(t, Ref):
                d = self.spec.defs.get(t.name)
                return int(isinstance(d, ObjectDef) and d.tag_field is not None)
            if isinstance(t, Array):
                return count(t.item)
            if isinstance(t, Map):
                return count(t.value)
            if isinstance(t, UnionT):
                plan = self.plan(t)
                if plan.kind == "plain":
                    return sum(count(m) for m in plan.members)
                return sum(count(m) for m in plan.members if self.kind(m) != "struct")
            return 0

        total = 0
        for d in self.spec.defs.values():
            if isinstance(d, ObjectDef):
                total += sum(count(f.type) for f in d.fields)
            else:
                total += count(d.type)
        return total

    def prune(self) -> None:
        """Forget the plans and names of unions no definition holds any more."""
        reachable: set[UnionT] = set()
        for d in self.spec.defs.values():
            types = [f.type for f in d.fields] if isinstance(d, ObjectDef) else [d.type]
            for t in types:
                reachable.update(self.unions_in(t))
        for op in self.spec.operations:
            if op.response is not None:
                reachable.update(self.unions_in(op.response))
        self.plans = {u: p for u, p in self.plans.items() if u in reachable}
        self.names = {u: n for u, n in self.names.items() if u in reachable}


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
    name_unions(planner)
    while make_proxies(planner):
        name_unions(planner)
    planner.assign_tags()
    settle_proxies(planner)
    planner.prune()
    return planner
