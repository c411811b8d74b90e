"""Import cost, each round in a fresh interpreter: ours vs the openai SDK's types
(the snippets are ``procs.IMPORT_CODE``; ``report.py`` reports the same figures)."""

from __future__ import annotations

from typing import Any

import pytest
from procs import IMPORT_CODE, run_code


@pytest.mark.parametrize("what", list(IMPORT_CODE))
def test_import(benchmark: Any, what: str) -> None:
    """Wall time of one fresh-interpreter import (and touch) of each package."""
    if what == "openai.types":
        pytest.importorskip("openai")
    benchmark.group = "import (fresh interpreter)"
    benchmark.pedantic(run_code, args=(IMPORT_CODE[what],), rounds=3, iterations=1, warmup_rounds=1)
