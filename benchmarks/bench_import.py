"""Import cost, each round in a fresh interpreter: ours vs the openai SDK's types.

Both sides import their package and then touch every public type name, so lazy
loading cannot hide the cost. A bare interpreter start is the baseline.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import openai_structs

OURS = """
import openai_structs
for n in openai_structs.__all__:
    getattr(openai_structs, n)
"""

# every sub-package of openai.types, then every public name in each of them
OPENAI = """
import importlib, pkgutil
import openai.types
mods, todo = [], [openai.types]
while todo:
    m = todo.pop()
    mods.append(m)
    for info in pkgutil.iter_modules(m.__path__):
        if info.ispkg:
            todo.append(importlib.import_module(m.__name__ + "." + info.name))
for m in mods:
    for n in dir(m):
        if not n.startswith("_"):
            getattr(m, n)
"""

CODE = {"bare python": "pass", "openai_structs": OURS, "openai.types": OPENAI}


def _run(code: str, cwd: Path) -> None:
    """Run code in a new interpreter; fail loudly if it errors."""
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.parametrize("what", list(CODE))
def test_import(benchmark: Any, what: str) -> None:
    """Wall time of one fresh-interpreter import (and touch) of each package."""
    if what == "openai.types":
        pytest.importorskip("openai")
    # run from the folder that holds the imported package, so the child finds the same one
    cwd = Path(openai_structs.__file__).resolve().parent.parent
    benchmark.group = "import (fresh interpreter)"
    benchmark.pedantic(_run, args=(CODE[what], cwd), rounds=3, iterations=1, warmup_rounds=1)
