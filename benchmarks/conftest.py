"""Shared fixtures for the benchmark suites: the sample payloads in data/, and
the types regenerated without unknown variants as a baseline (``bench_unknown.py``)."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

import openai_structs

DATA = Path(__file__).resolve().parent.parent / "data"


def load(name: str) -> bytes:
    """Raw bytes of one sample file; skips the test if it is missing."""
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"sample {path} not found")
    return path.read_bytes()


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """A loader for any sample file by name."""
    return load


SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "openapi.json"


@pytest.fixture(scope="session")
def baseline_types(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The package regenerated without the ``Unknown*`` union members: what
    decoding costs when nothing is spent on unknown variants."""
    if not SPEC.is_file():
        pytest.skip(f"spec {SPEC} not found")
    from openai_structs.codegen import generate, write

    package = Path(openai_structs.__file__).resolve().parent
    root = tmp_path_factory.mktemp("baseline")
    target = root / "openai_structs_baseline"
    target.mkdir()
    for path in package.iterdir():  # the runtime; not the generator, not the types
        if path.suffix == ".py":
            shutil.copy(path, target / path.name)
        elif (path / "__init__.py").is_file() and path.name not in ("codegen", "types"):
            shutil.copytree(path, target / path.name, ignore=shutil.ignore_patterns("__pycache__"))
    write(generate(SPEC, unknown_variants=False), target / "types")
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module("openai_structs_baseline")
    finally:
        sys.path.remove(str(root))
