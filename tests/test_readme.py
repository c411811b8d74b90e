"""Every Python snippet in the README (and in docs/streams.md) runs, each in a
fresh interpreter. The batch and accumulator guides have their own tests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
STREAMS_GUIDE = (ROOT / "docs" / "streams.md").read_text(encoding="utf-8")
SNIPPETS = re.findall(r"```python\n(.*?)```", README + STREAMS_GUIDE, flags=re.DOTALL)


def test_the_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 12


@pytest.mark.parametrize("number", range(len(SNIPPETS)))
def test_snippet_runs(number: int) -> None:
    code = SNIPPETS[number]
    for module in ("aiohttp", "starlette", "httpx", "distributed", "polars", "duckdb"):
        if f"import {module}" in code or f"from {module}" in code:
            pytest.importorskip(module)
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, f"snippet {number}:\n{code}\n{run.stderr[-3000:]}"
