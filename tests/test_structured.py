"""The ``openai_structs.structured`` package as users meet it: every name also at the
top level, imported only when first used, and its errors all ``ValueError``s."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openai_structs
from openai_structs import structured

ROOT = Path(__file__).resolve().parents[1]


def test_every_name_is_also_at_the_top_level() -> None:
    for name in structured.__all__:
        assert getattr(openai_structs, name) is getattr(structured, name), name
        assert name in openai_structs.__all__


def test_errors_are_value_errors() -> None:
    for name in ("SchemaError", "OutputError", "RefusalError", "IncompleteOutputError"):
        assert issubclass(getattr(openai_structs, name), ValueError)
    assert issubclass(openai_structs.RefusalError, openai_structs.OutputError)
    assert issubclass(openai_structs.IncompleteOutputError, openai_structs.OutputError)


def test_imported_on_first_use_and_without_the_types() -> None:
    code = (
        "import sys, openai_structs\n"
        "print('openai_structs.structured' in sys.modules)\n"
        "openai_structs.PartialJSON\n"
        "print('openai_structs.structured' in sys.modules)\n"
        "print(sorted(m for m in sys.modules if m.startswith('openai_structs.types.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["False", "True", "[]"]
