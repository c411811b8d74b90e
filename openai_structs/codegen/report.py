"""Stage 7: what the generator emitted, for ``--report``."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .history import HistoryLog
from .ir import ObjectDef
from .unions import HOT_ROOTS

if TYPE_CHECKING:
    from . import Result


def report(result: Result) -> str:
    """Counts by kind, unions by how they decode, why each dispatch union is
    one, and what the history stage relaxed."""
    spec, planner = result.spec, result.planner
    kinds = Counter(
        f"struct ({d.origin})" if isinstance(d, ObjectDef) else f"alias ({d.origin})"
        for d in spec.defs.values()
    )
    plans = Counter((p.kind, p.tag_field) for p in planner.plans.values())
    tagged_structs = sum(1 for d in spec.defs.values() if isinstance(d, ObjectDef) and d.tag_field)
    lines = ["Definitions emitted:"]
    lines += [f"  {count:5d}  {kind}" for kind, count in sorted(kinds.items())]
    lines.append(f"  {len(spec.defs):5d}  total, in {len(result.files) - 1} modules")
    lines.append(f"  {tagged_structs:5d}  structs carry a msgspec tag")
    lines.append(f"  {len(result.naming.aliases):5d}  seed names served as aliases")
    lines.append("Unions:")
    for (kind, field), count in sorted(plans.items()):
        label = f"{kind} on `{field}`" if field else kind
        lines.append(f"  {count:5d}  {label}")
    hot = planner.reachable(HOT_ROOTS)
    dispatch = [(u, p) for u, p in planner.plans.items() if p.kind == "dispatch"]
    names = {u: name for u, (_, name) in result.dispatch.items()}
    hot_dispatch = [u for u, _ in dispatch if u in hot]
    lines.append(
        f"Unions decoded in Python (dispatch), {len(dispatch)};"
        f" reached from the hot types: {len(hot_dispatch)}:"
    )
    for u, p in sorted(dispatch, key=lambda item: names.get(item[0], "")):
        where = "HOT" if u in hot else "not hot"
        lines.append(f"  {names.get(u, '?')} ({where}): {p.reason}")
    proxied = [(name, planner.plan(u)) for u, (name, _) in planner.names.items()]
    proxied = [(name, p) for name, p in proxied if p.kind == "tagged" and p.proxied]
    lines.append(f"Unions holding proxies, {len(proxied)}:")
    for name, p in sorted(proxied, key=lambda item: item[0]):
        for value, proxy in p.proxies.items():
            obj = spec.defs[proxy]
            assert isinstance(obj, ObjectDef)
            lines.append(f"  {name} `{p.tag_field}: {value}` -> {proxy}: {', '.join(obj.targets)}")
    variants = sorted(planner.variants.items())
    lines.append(f"Structs with several tag values, {len(variants)}, as subclasses:")
    for base, by_value in variants:
        subs = [f"{v} -> {n}" for v, n in by_value.items() if n != base]
        lines.append(f"  {base}: {'; '.join(subs)}")
    lines.append(
        f"Tagged structs outside a tagged union, written as one with their Unknown* member:"
        f" {planner.standalone_positions()} positions"
    )
    lines += numbered_lines(result)
    lines += history_lines(result.history)
    lines += null_lines(result)
    return "\n".join(lines)


def numbered_lines(result: Result) -> list[str]:
    """Generated names that end in a number, and why: the spec's own name, a
    tag value (variant subclasses), or a collision (:func:`.naming.fresh`)."""
    why: dict[str, list[str]] = {}
    for name, d in result.spec.defs.items():
        if not name[-1:].isdigit():
            continue
        if d.origin in ("component", "batch", "supplement", "seed", "azure"):
            reason = "the spec's (or seed's) name"
        elif d.origin == "variant":
            reason = "named after its tag value"
        else:
            reason = "a collision numbered by the namer"
        why.setdefault(reason, []).append(name)
    total = sum(len(v) for v in why.values())
    lines = [f"Generated names ending in a number, {total}:"]
    for reason in sorted(why):
        lines.append(f"  {reason}, {len(why[reason])}: {', '.join(why[reason])}")
    return lines


def history_lines(log: HistoryLog) -> list[str]:
    """The fields made optional and the enum values added by the history stage."""
    snapshots = ", ".join(log.snapshots) or "none"
    by_def: dict[str, list[str]] = {}
    for item in log.loosened:
        by_def.setdefault(item.definition, []).append(
            f"{item.field} ({item.why} in {item.snapshot})"
        )
    head = f"History (snapshots: {snapshots}): {len(log.loosened)} fields made optional"
    lines = [f"{head} in {len(by_def)} definitions:"]
    for name in sorted(by_def):
        lines.append(f"  {name}: {', '.join(by_def[name])}")
    added = sum(len(e.values) for e in log.enums)
    lines.append(f"History: {added} enum values added in {len(log.enums)} enums:")
    for e in sorted(log.enums, key=lambda e: (e.definition, e.field)):
        where = f"{e.definition}.{e.field}" if e.field else e.definition
        lines.append(f"  {where}: {', '.join(e.values)} (from {e.snapshot})")
    return lines


def null_lines(result: Result) -> list[str]:
    """What the null stage did, in counts. A field it marked that the union
    planner then made a msgspec tag is a class variable and takes no null."""
    log = result.nulls
    tags = 0
    for name, json_name in log.made:
        d = result.spec.defs[name]
        tags += isinstance(d, ObjectDef) and d.tag_field == json_name
    touched = len({name for name, _ in log.made})
    text = (
        f"Nulls: {log.sent} definitions are sent by the API; {len(log.made) - tags} optional"
        f" fields in {touched} of them now also accept null ({log.already} did already;"
        f" {tags} more are msgspec tags, which take none)"
    )
    return [text]
