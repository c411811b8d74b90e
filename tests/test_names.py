"""Every name a user may look for is importable from ``openai_structs``.

- every component schema of the spec, under its spec name (``Error-2`` too,
  through ``getattr``) and, for identifiers, with ``from openai_structs import``;
- every struct, enum and type alias name of the Rust crate this project ports
  (``seed/names.json`` groups ``s``, ``e``, ``a``);
- ``import openai_structs`` loads none of the generated modules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

import openai_structs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SPEC_PATH = SHARED / "spec" / "openapi.json"
SEED_PATH = SHARED / "seed" / "names.json"


def _schema_names() -> list[str]:
    if not SPEC_PATH.exists():
        return []
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return list(spec.get("components", {}).get("schemas", {}))


def _seed_names() -> list[str]:
    if not SEED_PATH.exists():
        return []
    seed = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    return sorted({n for group in ("s", "e", "a") for n in seed.get(group, [])})


SCHEMA_NAMES = _schema_names()
SEED_NAMES = _seed_names()

needs_spec = pytest.mark.skipif(not SPEC_PATH.exists(), reason=f"spec not found at {SPEC_PATH}")
needs_seed = pytest.mark.skipif(
    not SEED_PATH.exists(), reason=f"seed names not found at {SEED_PATH}"
)


def _missing(names: list[str]) -> list[str]:
    out = []
    for name in names:
        try:
            getattr(openai_structs, name)
        except AttributeError:
            out.append(name)
    return out


@needs_spec
def test_schema_count() -> None:
    assert len(SCHEMA_NAMES) == 1422
    assert "Error-2" in SCHEMA_NAMES and "Response" in SCHEMA_NAMES


@needs_spec
def test_every_schema_name_is_an_attribute() -> None:
    assert _missing(SCHEMA_NAMES) == []


@needs_spec
def test_every_schema_name_is_exported() -> None:
    # ``__all__`` and dir() are identifiers only; ``Error-2`` and the like
    # are reached with getattr.
    exported = set(openai_structs.__all__)
    identifiers = {n for n in SCHEMA_NAMES if n.isidentifier()}
    assert sorted(identifiers - exported) == []
    assert all(n.isidentifier() for n in exported)
    assert sorted(identifiers - set(dir(openai_structs))) == []


def test_star_import_resolves_every_name() -> None:
    namespace: dict[str, object] = {}
    exec("from openai_structs import *", namespace)  # noqa: S102
    missing = sorted(set(openai_structs.__all__) - set(namespace))
    assert missing == []
    assert namespace["Response"] is openai_structs.Response


@needs_spec
def test_from_import_of_identifiers() -> None:
    failed = []
    for name in SCHEMA_NAMES:
        if not name.isidentifier():
            continue
        namespace: dict[str, object] = {}
        try:
            exec(f"from openai_structs import {name}", namespace)  # noqa: S102
        except ImportError:
            failed.append(name)
            continue
        assert namespace[name] is getattr(openai_structs, name)
    assert failed == []


@needs_spec
def test_dashed_names_point_at_their_python_twin() -> None:
    from openai_structs.types import INDEX

    dashed = [n for n in SCHEMA_NAMES if not n.isidentifier()]
    assert "Error-2" in dashed
    for name in dashed:
        _, target = INDEX[name]
        assert target.isidentifier(), name
        assert getattr(openai_structs, name) is getattr(openai_structs, target)


def test_known_types_are_structs() -> None:
    from openai_structs import CreateChatCompletionResponse, Model, Response

    for tp in (CreateChatCompletionResponse, Model, Response):
        assert isinstance(tp, type) and issubclass(tp, msgspec.Struct), tp
    assert Model.__name__ == "Model"


def test_unknown_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchTypeAnywhere"):
        openai_structs.NoSuchTypeAnywhere  # noqa: B018
    with pytest.raises(ImportError):
        exec("from openai_structs import NoSuchTypeAnywhere", {})  # noqa: S102


@needs_seed
def test_seed_count() -> None:
    assert len(SEED_NAMES) == 559 + 67 + 12


@needs_seed
def test_every_seed_name_is_importable() -> None:
    missing = _missing(SEED_NAMES)
    assert not missing, f"{len(missing)} seed names not importable: {missing}"


@needs_seed
def test_every_seed_name_is_exported() -> None:
    missing = sorted(set(SEED_NAMES) - set(openai_structs.__all__))
    assert not missing, f"{len(missing)} seed names not in __all__: {missing}"


def test_seed_aliases_point_at_spec_types() -> None:
    from openai_structs import MCPTool, McpTool

    assert McpTool is MCPTool


def test_import_does_not_load_type_modules() -> None:
    code = (
        "import sys, openai_structs\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('openai_structs.types.'))\n"
        "print(repr(loaded))\n"
        "openai_structs.__all__\n"
        "from openai_structs import decode, encode, UNSET\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('openai_structs.types.'))\n"
        "print(repr(loaded))\n"
        "from openai_structs import Model\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('openai_structs.types.'))\n"
        "print(repr(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "[]"
    assert out[1] == "[]"
    # Importing one type loads its module (and what it depends on), not all of them.
    after_model = eval(out[2])
    assert "openai_structs.types.models" in after_model
    assert "openai_structs.types.responses" not in after_model


def test_api_names_in_all() -> None:
    for name in ("decode", "encode", "DecodeError", "ValidationError", "UNSET", "UnknownVariant"):
        assert name in openai_structs.__all__
        assert getattr(openai_structs, name) is not None
    assert len(openai_structs.__all__) == len(set(openai_structs.__all__))
