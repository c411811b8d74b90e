"""Generate :mod:`openai_structs.types` from the OpenAI OpenAPI spec.

The stages, each a module: :mod:`.load` reads the files, :mod:`.normalise`
turns JSON Schema into :mod:`.ir`, :mod:`.patches` corrects the spec,
:mod:`.history` relaxes it to accept what older versions of the API sent,
:mod:`.unions` decides how each union decodes, :mod:`.naming` places every
definition in a module, :mod:`.emit` writes Python and :mod:`.report` counts
what came out. :func:`generate` runs them in that order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import supplement
from .emit import HEADER, Emitter
from .history import HistoryLog, apply_history, load_snapshots
from .ir import Ref, Spec, UnionT
from .load import load_batch_schemas, load_spec
from .naming import AREAS, assign_modules, name_inline_seed_types, seed_aliases
from .normalise import normalise
from .patches import apply_patches
from .unions import UnionPlanner, plan_unions


@dataclass
class Result:
    spec: Spec
    planner: UnionPlanner
    modules: dict[str, str]
    aliases: dict[str, str]
    #: dispatch union -> (module, class name)
    dispatch: dict[UnionT, tuple[str, str]]
    files: dict[str, str]
    #: What the history stage relaxed.
    history: HistoryLog = field(default_factory=HistoryLog)


def generate(
    spec_path: Path,
    seed_path: Path | None = None,
    unknown_variants: bool = True,
    history: Path | None = None,
) -> Result:
    """Run every stage on the spec at ``spec_path``; ``files`` maps file
    names (relative to the output folder) to their text.

    ``history`` is the folder of older snapshots of the spec (``*.json``);
    by default the ``history`` folder beside the spec. A missing folder means
    no snapshots.

    ``unknown_variants=False`` leaves the ``Unknown*`` members out of tagged
    unions; the benchmarks use it as the baseline that costs nothing extra."""
    spec = normalise(load_spec(spec_path), load_batch_schemas(spec_path), supplement.SCHEMAS)
    missed = apply_patches(spec)
    if missed:
        raise ValueError(f"patches whose target is missing: {[p.target for p in missed]}")
    if history is None:
        history = spec_path.parent / "history"
    log = apply_history(spec, load_snapshots(history))
    name_inline_seed_types(spec)
    planner = plan_unions(spec)
    modules = assign_modules(spec)
    seed: dict[str, Any] = {}
    if seed_path is not None and seed_path.exists():
        seed = json.loads(seed_path.read_text(encoding="utf-8"))
    aliases = seed_aliases(spec, seed)
    emitter = Emitter(spec, planner, modules, unknown_variants)
    files = {}
    for area in AREAS:
        if area in modules.values():
            files[f"{area}.py"] = emitter.module(area)
    files["__init__.py"] = index_module(emitter, aliases)
    return Result(spec, planner, modules, aliases, emitter.dispatch, files, log)


def index_module(emitter: Emitter, aliases: dict[str, str]) -> str:
    """``types/__init__.py``: a lazy name -> module index for every type."""
    where: dict[str, tuple[str, str]] = {}
    for name, module in emitter.modules.items():
        where[name] = (module, name)
    for module, name in [*emitter.dispatch.values(), *emitter.proxied.values()]:
        where.setdefault(name, (module, name))
    for py, spec_name in emitter.spec.spec_names.items():
        where[spec_name] = (emitter.modules[py], py)
    for seed_name, target in sorted(aliases.items()):
        where.setdefault(seed_name, (emitter.modules[target], target))
    names = sorted(where)
    lines = [
        HEADER,
        '"""Every generated type, imported on first use.',
        "",
        "``INDEX`` maps each exported name to its module and the name there (seed",
        'spellings such as ``McpTool`` point at the spec\'s ``MCPTool``)."""',
        "",
        "from __future__ import annotations",
        "",
        "import importlib",
        "from typing import TYPE_CHECKING, Any",
        "",
        "INDEX: dict[str, tuple[str, str]] = {",
    ]
    lines += [f"    {n!r}: {where[n]!r}," for n in names]
    lines += ["}", ""]
    lines += [
        "#: operationId -> (parameters struct, 200 response type), by name in INDEX.",
        "OPERATIONS: dict[str, tuple[str | None, str | None]] = {",
    ]
    for op in sorted(emitter.spec.operations, key=lambda o: o.operation_id):
        response = op.response.name if isinstance(op.response, Ref) else None
        lines.append(f"    {op.operation_id!r}: ({op.params!r}, {response!r}),")
    lines += ["}", "", "__all__ = ["]
    lines += [f"    {n!r}," for n in names if n.isidentifier()]
    lines += ["]", "", "if TYPE_CHECKING:"]
    for n in names:
        module, target = where[n]
        if n.isidentifier():
            lines.append(f"    from .{module} import {target} as {n}")
    lines += [
        "",
        "",
        "def __getattr__(name: str) -> Any:",
        "    try:",
        "        module, target = INDEX[name]",
        "    except KeyError:",
        '        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None',
        '    value = getattr(importlib.import_module(f".{module}", __name__), target)',
        "    globals()[name] = value",
        "    return value",
        "",
    ]
    return "\n".join(lines)


def write(result: Result, out: Path) -> list[Path]:
    """Write the generated files under ``out``; stale modules are removed."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for old in out.glob("*.py"):
        if old.name not in result.files:
            old.unlink()
    for name, text in result.files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


__all__ = ["Result", "generate", "write"]
