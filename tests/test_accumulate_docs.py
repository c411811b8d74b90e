"""The Python snippets of docs/accumulators.md run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "accumulators.md"
SNIPPETS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S) if DOC.is_file() else []


def test_doc_has_snippets() -> None:
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("code", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_snippet_runs(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, str(DOC), "exec"), {})
    finally:
        os.chdir(cwd)
    assert capsys.readouterr().out
