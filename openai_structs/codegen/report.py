"""Stage 7: what the generator emitted, for ``--report``."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .ir import ObjectDef

if TYPE_CHECKING:
    from . import Result


def report(result: Result) -> str:
    """Counts by kind, unions by how they decode, and why each dispatch union is one."""
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
    lines.append(f"  {len(result.aliases):5d}  seed names served as aliases")
    lines.append("Unions:")
    for (kind, field), count in sorted(plans.items()):
        label = f"{kind} on `{field}`" if field else kind
        lines.append(f"  {count:5d}  {label}")
    dispatch = [(u, p) for u, p in planner.plans.items() if p.kind == "dispatch"]
    lines.append(f"Unions decoded in Python (dispatch), {len(dispatch)}:")
    names = {u: name for u, (_, name) in result.dispatch.items()}
    for u, p in sorted(dispatch, key=lambda item: names.get(item[0], "")):
        lines.append(f"  {names.get(u, '?')}: {p.reason}")
    return "\n".join(lines)
