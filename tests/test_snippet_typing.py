"""What a user's type checker says of our own examples: pyright (its default
mode, as a project without a configuration runs it) on every recipe in
``examples/`` and every Python snippet of the README and of the stream,
accumulator and batch guides. A recipe that a reader copies must type-check as it stands:
an ``UnknownType`` in a union answers to ``.type``, and fields the types allow
to be absent or null are checked before use."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyright", reason="pyright comes with the dev extra")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "docs/streams.md", "docs/accumulators.md", "docs/batch.md")


def snippets() -> dict[str, str]:
    found = {}
    for doc in DOCS:
        text = (ROOT / doc).read_text(encoding="utf-8")
        for i, code in enumerate(re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)):
            found[f"{Path(doc).stem}_{i:02d}.py"] = code
    return found


def pyright_errors(folder: Path) -> list[str]:
    (folder / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "standard", "pythonVersion": "3.10"}), encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable, "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    result = json.loads(run.stdout)
    return [
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in result["generalDiagnostics"]
        if d["severity"] == "error"
    ]


def test_examples_and_snippets_type_check(tmp_path: Path) -> None:
    found = snippets()
    assert len(found) >= 20
    for name, code in found.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    for path in (ROOT / "examples").glob("*.py"):
        shutil.copy(path, tmp_path / path.name)
    assert pyright_errors(tmp_path) == []


def test_a_snippet_that_does_not_type_check_is_caught(tmp_path: Path) -> None:
    """The README's aiohttp recipe as it was: ``.delta`` read after comparing
    ``.type`` leaves ``UnknownType`` in the union."""
    (tmp_path / "control.py").write_text(
        "from openai_structs import ResponseStreamEvent\n"
        "def show(event: ResponseStreamEvent) -> None:\n"
        '    if event.type == "response.output_text.delta":\n'
        "        print(event.delta)\n",
        encoding="utf-8",
    )
    errors = pyright_errors(tmp_path)
    assert len(errors) == 1 and '"delta"' in errors[0] and "UnknownType" in errors[0]
