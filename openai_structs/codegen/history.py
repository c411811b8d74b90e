"""Stage 3b: accept what older versions of the API sent.

The API does not move in step with its spec: payloads recorded months ago (and
servers still answering the old way) lack fields that today's spec requires,
and carry enum values that it has since dropped. This stage reads every older
snapshot of the spec kept in a history folder, normalises it like today's,
and relaxes today's definitions where a snapshot disagrees:

- a field required today that the snapshot's same definition lacks, or does
  not require, becomes optional (``UNSET`` when absent);
- a multi-valued enum gains the values the snapshot listed and today's spec
  no longer does (constants, such as union tags, are left alone: a renamed tag
  decodes as an unknown variant instead).

Component schemas are matched by name and fields by JSON name; inline types,
whose generated names may differ between snapshots, are matched through the
field (and union member) that holds them in an already matched parent.
Operation parameter structs are not payloads and are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .ir import AliasDef, Array, EnumT, Map, ObjectDef, Ref, Spec, Type, TypeVarT, UnionT, constant
from .load import load_batch_schemas, load_spec
from .normalise import normalise


@dataclass(frozen=True)
class Loosened:
    """One field made optional: ``definition.field`` and the snapshot that lacks it."""

    definition: str
    field: str
    snapshot: str
    #: "absent" (the snapshot has no such field) or "optional" (it has it, not required).
    why: str


@dataclass(frozen=True)
class EnumAdded:
    """Enum values a snapshot had and today's spec dropped, at ``definition.field``
    (``field`` is empty for a named enum)."""

    definition: str
    field: str
    snapshot: str
    values: tuple[str, ...]


@dataclass
class HistoryLog:
    """What :func:`apply_history` changed, in the order it changed it."""

    snapshots: list[str] = field(default_factory=list)
    loosened: list[Loosened] = field(default_factory=list)
    enums: list[EnumAdded] = field(default_factory=list)


def snapshot_paths(folder: Path | None) -> list[Path]:
    """The ``*.json`` snapshots in ``folder``, oldest name first (none if it is missing)."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"))


def load_snapshots(folder: Path | None) -> list[tuple[str, Spec]]:
    """Each snapshot in ``folder`` normalised: (file stem, spec)."""
    return [
        (path.stem, normalise(load_spec(path), load_batch_schemas(path)))
        for path in snapshot_paths(folder)
    ]


def apply_history(spec: Spec, snapshots: list[tuple[str, Spec]]) -> HistoryLog:
    """Relax ``spec`` (today's, already patched) wherever a snapshot disagrees."""
    log = HistoryLog(snapshots=[name for name, _ in snapshots])
    for snap_name, old in snapshots:
        _Walk(spec, old, snap_name, log).run()
    return log


class _Walk:
    """Pairs today's definitions with one snapshot's and relaxes the differences."""

    def __init__(self, today: Spec, old: Spec, snapshot: str, log: HistoryLog) -> None:
        self.today = today
        self.old = old
        self.snapshot = snapshot
        self.log = log
        self.seen: set[tuple[str, str]] = set()

    def run(self) -> None:
        for name, new in self.today.defs.items():
            if new.origin in ("inline", "params"):
                continue  # inline: reached through its parent; params: not a payload
            before = self.old.defs.get(name)
            if before is not None and before.origin != "inline":
                self.pair(new, before)
        # An operation whose response schema was renamed: its old payloads are
        # documents of the old schema.
        old_ops = {op.operation_id: op for op in self.old.operations}
        for op in self.today.operations:
            before_op = old_ops.get(op.operation_id)
            if before_op is not None and op.response is not None and before_op.response is not None:
                self.types(op.response, before_op.response, renamed=True)

    def pair(
        self, new: ObjectDef | AliasDef, old: ObjectDef | AliasDef, renamed: bool = False
    ) -> None:
        """Relax ``new`` where ``old`` disagrees. ``renamed``: the two were
        matched by place, not by name; their constant tags are then kept."""
        key = (new.name, old.name)
        if key in self.seen:
            return
        self.seen.add(key)
        if isinstance(new, AliasDef) and isinstance(old, AliasDef):
            new.type = self.merge_enum(new.type, old.type, new.name, "")
            self.types(new.type, old.type)
            return
        if not (isinstance(new, ObjectDef) and isinstance(old, ObjectDef)):
            return
        for f in new.fields:
            if isinstance(f.type, TypeVarT):
                continue  # a batch line's body: typed by a patch, always sent
            before = old.field(f.json_name)
            if renamed and constant(f.type) is not None:
                continue
            if f.required and (before is None or not before.required):
                f.required = False
                why = "absent" if before is None else "optional"
                self.log.loosened.append(Loosened(new.name, f.json_name, self.snapshot, why))
            if before is not None:
                f.type = self.merge_enum(f.type, before.type, new.name, f.json_name)
                self.types(f.type, before.type, renamed=True)

    def merge_enum(self, new: Type, old: Type, where: str, field_name: str) -> Type:
        """``new`` with the values of ``old``'s enums that it lacks, when ``new``
        holds exactly one enum and that enum is not a constant."""
        enums = [m for m in _members(new) if isinstance(m, EnumT)]
        if len(enums) != 1 or len(enums[0].values) < 2:
            return new
        had = [v for m in _members(old) if isinstance(m, EnumT) for v in m.values]
        extra = tuple(v for v in dict.fromkeys(had) if v not in enums[0].values)
        if not extra:
            return new
        self.log.enums.append(EnumAdded(where, field_name, self.snapshot, extra))
        wider = EnumT(enums[0].values + extra)
        if isinstance(new, UnionT):
            members = tuple(wider if m == enums[0] else m for m in new.members)
            return UnionT(members, new.discriminator)
        return wider

    def types(self, new: Type, old: Type, renamed: bool = False) -> None:
        """Descend into the inline definitions that ``new`` and ``old`` hold at
        the same place; with ``renamed``, also into two differently named
        components that are each the only definition there (a schema renamed
        or replaced since the snapshot)."""
        if isinstance(new, Array) and isinstance(old, Array):
            self.types(new.item, old.item, renamed)
        elif isinstance(new, Map) and isinstance(old, Map):
            self.types(new.value, old.value, renamed)
        elif isinstance(new, (UnionT, Ref)) or isinstance(old, (UnionT, Ref)):
            new_refs = [m for m in _members(new) if isinstance(m, Ref)]
            old_refs = [m for m in _members(old) if isinstance(m, Ref)]
            if renamed and len(new_refs) == 1 and len(old_refs) == 1:
                a, b = self.today.defs.get(new_refs[0].name), self.old.defs.get(old_refs[0].name)
                if (
                    a is not None
                    and b is not None
                    and a.name != b.name
                    and "inline" not in (a.origin, b.origin)
                ):
                    self.pair(a, b, renamed=True)
                    return
            olds = [m for m in _members(old) if isinstance(m, Ref)]
            for m in _members(new):
                if isinstance(m, Ref):
                    match = self.counterpart(m, olds)
                    if match is not None:
                        self.pair(self.today.defs[m.name], self.old.defs[match.name])
            for m in _members(new):
                for o in _members(old):
                    if type(m) is type(o) and isinstance(m, (Array, Map)):
                        self.types(m, o, renamed)

    def counterpart(self, new: Ref, olds: list[Ref]) -> Ref | None:
        """The snapshot's member at the same place as the inline ``new``: the only
        inline one, or the one with the same constant tag or the same name."""
        target = self.today.defs.get(new.name)
        if target is None or target.origin != "inline":
            return None
        inline = [
            o for o in olds if o.name in self.old.defs and self.old.defs[o.name].origin == "inline"
        ]
        if len(inline) == 1:
            return inline[0]
        tag = _tag(target)
        for o in inline:
            if tag is not None and _tag(self.old.defs[o.name]) == tag:
                return o
        return next((o for o in inline if o.name == new.name), None)


def _members(t: Type) -> tuple[Type, ...]:
    return t.members if isinstance(t, UnionT) else (t,)


def _tag(d: ObjectDef | AliasDef) -> tuple[str, str] | None:
    """The first ``(field, value)`` of ``d`` whose type is a one-value enum."""
    if not isinstance(d, ObjectDef):
        return None
    for f in d.fields:
        value = constant(f.type)
        if value is not None:
            return f.json_name, value
    return None
