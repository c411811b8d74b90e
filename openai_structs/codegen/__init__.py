"""Generate :mod:`openai_structs.types` from the OpenAI OpenAPI spec.

The stages, each a module, run by :func:`generate` in this order:

1. :mod:`.load` reads the files;
2. :mod:`.normalise` turns JSON Schema into :mod:`.ir` (a :class:`~.ir.Spec`),
   and :mod:`.azure` adds the fields Azure OpenAI sends, typed from its spec;
3. :mod:`.patches` corrects the spec where it is wrong;
4. :mod:`.history` relaxes it to accept what older versions of the API sent;
5. :mod:`.nulls` lets every optional field of what the API sends be ``null``;
6. :mod:`.unions` (with :mod:`.proxies`) decides how each union decodes;
7. :mod:`.naming` owns every Python name, and places each definition in a
   module (:mod:`.placement`); it returns a :class:`~.naming.Naming`;
8. :mod:`.emit` writes Python (with :mod:`.docs` for the docstrings);
9. :mod:`.report` counts what came out.

Names are decided in one place: the earlier stages ask :mod:`.naming` for the
name of what they create (an inline object, a variant subclass, a proxy),
the later ones read its result. What still changes the spec in place, and
why: the patches, the history and the null stages edit the definitions they
correct (small, declarative edits, each tested against the spec it edits);
the union planner adds variant subclasses and proxies, and sets each struct's
msgspec tag, because proxies are planned in a loop with the unions they hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import supplement
from .azure import apply_azure, load_azure
from .emit import HEADER, Emitter
from .history import HistoryLog, apply_history, load_snapshots
from .ir import Ref, Spec, UnionT
from .layout import WIDTH, fit
from .load import load_batch_schemas, load_spec
from .naming import Naming, assign_names, seed_inline_types
from .normalise import normalise
from .nulls import NullLog, apply_nulls
from .patches import apply_patches
from .placement import AREAS
from .unions import UnionPlanner, plan_unions


@dataclass
class Result:
    spec: Spec
    planner: UnionPlanner
    naming: Naming
    #: dispatch union -> (module, class name)
    dispatch: dict[UnionT, tuple[str, str]]
    files: dict[str, str]
    #: What the history stage relaxed.
    history: HistoryLog = field(default_factory=HistoryLog)
    #: What the null stage made nullable.
    nulls: NullLog = field(default_factory=NullLog)


def generate(
    spec_path: Path,
    seed_path: Path | None = None,
    unknown_variants: bool = True,
    history: Path | None = None,
    azure: Path | None = None,
) -> Result:
    """Run every stage on the spec at ``spec_path``; ``files`` maps file
    names (relative to the output folder) to their text.

    ``history`` is the folder of older snapshots of the spec (``*.json``);
    by default the ``history`` folder beside the spec. A missing folder means
    no snapshots. ``azure`` is the folder of Azure OpenAI's spec (the newest
    ``*.json`` by name is read); by default the ``azure`` folder beside the
    spec. A missing folder means no Azure fields.

    ``unknown_variants=False`` leaves the ``Unknown*`` members out of tagged
    unions; the benchmarks use it as the baseline that costs nothing extra."""
    if history is None:
        history = spec_path.parent / "history"
    if azure is None:
        azure = spec_path.parent / "azure"
    seed: dict[str, Any] = {}
    if seed_path is not None and seed_path.exists():
        seed = json.loads(seed_path.read_text(encoding="utf-8"))
    spec = normalise(load_spec(spec_path), load_batch_schemas(spec_path), supplement.SCHEMAS)
    missed = apply_azure(spec, load_azure(azure))
    if missed:
        raise ValueError(f"Azure fields whose target is missing: {[g.target for g in missed]}")
    return run_stages(spec, load_snapshots(history), seed, unknown_variants)


def run_stages(
    spec: Spec,
    snapshots: list[tuple[str, Spec]] | None = None,
    seed: dict[str, Any] | None = None,
    unknown_variants: bool = True,
    patches: bool = True,
) -> Result:
    """The stages after :func:`~.normalise.normalise`, on an already
    normalised spec. The golden tests run them on tiny specs with
    ``patches=False``: the patches (and the seed's inline names) name
    definitions only the real spec has."""
    if patches:
        missed = apply_patches(spec)
        if missed:
            raise ValueError(f"patches whose target is missing: {[p.target for p in missed]}")
    log = apply_history(spec, snapshots or [])
    nulls = apply_nulls(spec)
    if patches:
        spec.defs.update(seed_inline_types(spec))
    planner = plan_unions(spec)
    naming = assign_names(spec, {n: owner for n, owner in planner.names.values()}, seed or {})
    emitter = Emitter(spec, planner, naming, unknown_variants)
    files = {}
    for area in AREAS:
        if area in naming.modules.values():
            files[f"{area}.py"] = emitter.module(area)
    files["__init__.py"] = index_module(emitter, naming.aliases)
    return Result(spec, planner, naming, emitter.dispatch, files, log, nulls)


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
            # ``__all__`` makes each one a re-export; an alias only where the names differ
            alias = f" as {n}" if n != target else ""
            line = f"    from .{module} import {target}{alias}"
            if len(line) > WIDTH:  # in brackets, so that the layout can break it
                line = f"    from .{module} import ({target}{alias})"
            lines.append(line)
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
    return fit("\n".join(lines))


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


__all__ = ["Result", "generate", "run_stages", "write"]
