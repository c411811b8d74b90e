"""The runtime's shape, read from its source: who imports whom, and how big
each module is.

Every import statement of the hand-written package counts, at module level
or inside a function (those run too, only later); imports under ``if
TYPE_CHECKING:`` do not. Dependencies point one way::

    errors <- core <- (types) <- streams, batch, structured, webhooks <- _audit, cli

and nothing imports the package root, whose ``__init__`` only gathers names.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "openai_structs"
MAX_LINES = 600

#: What each part of the runtime may import, besides itself.
ALLOWED = {
    "errors": set(),
    "core": {"errors"},
    "streams": {"errors", "core", "types", "structured"},  # output_text of a Response
    "batch": {"errors", "core", "types"},
    "structured": {"errors", "core", "types"},
    "webhooks": {"errors", "core", "types"},
    "_audit": {"errors", "core", "types", "streams", "batch"},
    "dask": {"batch"},
    "cli": {"errors", "core", "types", "streams", "batch", "_audit", "codegen"},
    "__main__": {"cli"},
}


def modules() -> dict[str, Path]:
    """Dotted name -> file, for every hand-written module."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[1] in ("types", "codegen"):
            continue
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def imports() -> dict[str, set[str]]:
    """Dotted name -> the modules of the package it imports (a package's
    ``__init__`` as the package's name; ``openai_structs`` is the root)."""
    known = modules()
    out: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_nodes(tree)
        here = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("openai_structs"))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    source = ".".join([*base, node.module] if node.module else base)
                else:
                    source = node.module or ""
                if not source.startswith("openai_structs"):
                    continue
                submodules = [f"{source}.{a.name}" for a in node.names]
                if all(s in known or s.split(".")[1] in ("types", "codegen") for s in submodules):
                    targets.update(submodules)  # `from . import x`: the modules only
                else:
                    targets.add(source)
        out[name] = {_owner(t, known) for t in targets} - {name}
    return out


def _owner(target: str, known: dict[str, Path]) -> str:
    """The module an import of ``target`` loads (generated ones as ``types``)."""
    parts = target.split(".")
    if len(parts) > 1 and parts[1] in ("types", "codegen"):
        return ".".join(parts[:2])
    while target not in known and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def test_no_module_imports_the_package_root() -> None:
    assert sorted(m for m, targets in imports().items() if "openai_structs" in targets) == []


def test_no_import_cycle() -> None:
    graph = imports()
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    cycles.append(" -> ".join([*path, nxt]))
                elif nxt not in path and nxt in graph:
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


def test_dependencies_point_one_way() -> None:
    wrong = []
    for module, targets in imports().items():
        part = _part(module)
        if not part:
            continue  # the root gathers every part's names
        for target in targets:
            other = _part(target)
            if other != part and other not in ALLOWED[part]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_graph_is_read() -> None:
    """The reader above sees the imports it must (so the tests above can fail)."""
    graph = imports()
    assert "openai_structs.core._codec" in graph["openai_structs.core"]
    assert "openai_structs.errors" in graph["openai_structs.core._msgspec"]
    assert "openai_structs.types" in graph["openai_structs.streams._api_errors"]  # in a function
    assert "openai_structs.types" not in graph["openai_structs.streams._apis"]  # TYPE_CHECKING


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_module_is_too_long(module: str) -> None:
    lines = modules()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines; split it"


def test_subcommands_share_through_common_only() -> None:
    """Each ``cli/_X.py`` subcommand imports no other subcommand: what they
    share is in ``cli/_common.py`` (only ``cli/__init__`` gathers them)."""
    sideways = []
    for module, targets in imports().items():
        if module.startswith("openai_structs.cli."):
            for target in targets:
                if (
                    target.startswith("openai_structs.cli")
                    and target != "openai_structs.cli._common"
                ):
                    sideways.append(f"{module} imports {target}")
    assert sideways == []


#: The ways of reading a struct's or a union's metadata, which only
#: ``core/_typeinfo.py`` uses (the generated types and the generator aside).
METADATA_READS = re.compile(
    r"__struct_fields__|__struct_config__|__struct_encode_fields__|msgspec\.inspect"
    r"|structs\.fields\(|get_type_hints|__annotations__"
)
#: Modules that still read it themselves, each with the reason.
READS_ELSEWHERE = {
    # the base class reads its own config, in the module _typeinfo imports
    "openai_structs.core._base",
    # JSON Schema from a user's own types: msgspec.inspect is the schema's source
    "openai_structs.structured._schema",
}


def test_struct_metadata_is_read_in_typeinfo_only() -> None:
    readers = {
        name
        for name, path in modules().items()
        if METADATA_READS.search(path.read_text(encoding="utf-8"))
    }
    assert readers - READS_ELSEWHERE == {"openai_structs.core._typeinfo"}
