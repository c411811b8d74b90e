"""Measurements that need a fresh interpreter each: import time.

Import time is the wall time of ``python -c`` with the import, after one warm-up run that
writes the bytecode caches. (What decoded objects hold in memory is measured in one
process, by ``memory_kept.py``.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Both sides import their package and touch every public type name, so lazy loading cannot
# hide the cost. A bare interpreter start is the baseline.
IMPORT_CODE = {
    "bare python": "pass",
    "openai_structs": """
import openai_structs
for n in openai_structs.__all__:
    getattr(openai_structs, n)
""",
    "openai.types": """
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
""",
}


def run_code(code: str) -> float:
    """Wall time of one fresh interpreter running ``code`` from the project root (so it
    imports this checkout's package); raises ``RuntimeError`` with its stderr if it fails.

    ``PYTHONDONTWRITEBYTECODE`` is dropped from its environment: the figure is meant with
    bytecode caches written, as an installed package has them."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    took = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return took


def import_times(runs: int) -> dict[str, float]:
    """Best of ``runs`` fresh-interpreter imports for each of :data:`IMPORT_CODE`, after one
    warm-up run each (which writes the bytecode caches)."""
    out = {}
    for name, code in IMPORT_CODE.items():
        run_code(code)
        out[name] = min(run_code(code) for _ in range(runs))
    return out
