"""Measurements that need a fresh interpreter each: import time and peak memory.

``python benchmarks/procs.py memory <impl> <file> <endpoint>`` streams a batch output file
with one implementation and prints its peak RSS as JSON; ``report.py`` starts one process per
implementation so that each peak is its own. Import time is the wall time of ``python -c`` with
the import, after one warm-up run that writes the bytecode caches.
"""

from __future__ import annotations

import json
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


MEMORY_IMPLS = ("baseline", "openai_structs", "SDK default")


def peak_rss(impl: str, path: Path, endpoint: str) -> dict[str, int]:
    """Run :func:`_stream` in a child process; its peak RSS (KiB) and lines read."""
    proc = subprocess.run(
        [sys.executable, __file__, "memory", impl, str(path), endpoint],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed")
    return json.loads(proc.stdout)


def _stream(impl: str, path: str, endpoint: str) -> int:
    """Read the whole batch file with ``impl``, holding one line's result at a time.

    ``baseline`` imports both packages and reads the lines without decoding; ``SDK default``
    is what a user of the SDK writes (it has no batch reader): ``json.loads`` per line and the
    body built with ``construct_type`` as its client builds responses.
    """
    import openai_structs

    if endpoint == "/v1/responses":
        from openai.types.responses import Response as Body
    else:
        from openai.types.chat import ChatCompletion as Body
    from openai._models import construct_type

    n = 0
    with open(path, "rb") as f:
        if impl == "openai_structs":
            from openai_structs.batch import iter_batch_output

            for _ in iter_batch_output(f, endpoint=endpoint):
                n += 1
        elif impl == "SDK default":
            for line in f:
                d = json.loads(line)
                if d["response"] is not None:
                    d["response"]["body"] = construct_type(type_=Body, value=d["response"]["body"])
                n += 1
        elif impl == "baseline":
            assert openai_structs.Decoder
            for _ in f:
                n += 1
        else:
            raise SystemExit(f"unknown implementation {impl!r}")
    return n


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "memory":
        sys.path.insert(0, str(ROOT))
        import resource

        lines = _stream(sys.argv[2], sys.argv[3], sys.argv[4])
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        print(json.dumps({"peak_rss_kib": rss, "lines": lines}))
    else:
        raise SystemExit("usage: procs.py memory <impl> <file> <endpoint>")
