"""The package as a newcomer and a type checker meet it: the README's first
command (``openai-structs demo``, also ``python -m openai_structs``), pyright."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_starts_with_the_demo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme[readme.index("```sh\n") :].splitlines()[1]
    assert first.endswith("&& openai-structs demo")


def test_python_m_runs_the_command() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "openai_structs", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    for command in ("batch", "sse", "audit", "demo", "bench", "codegen"):
        assert command in run.stdout


def test_demo_job_round_trips_every_sample() -> None:
    """``openai-structs demo`` (the README's first command) on data/, in a pipe:
    the table's cells come whole."""
    run = subprocess.run(
        [sys.executable, "-m", "openai_structs", "demo", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "all samples round-trip" in run.stdout
    for name in ("chat_completion.json", "response.json", "batch_output.jsonl"):
        assert name in run.stdout


def test_pyright_is_clean_on_the_package() -> None:
    """Generated and hand-written code type-check (pyright, strictness as configured)."""
    if shutil.which("pyright") is None and not _has_module("pyright"):
        pytest.skip("pyright is not installed (it comes with the dev extra)")
    run = subprocess.run(
        [sys.executable, "-m", "pyright", "--pythonpath", sys.executable, "openai_structs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 errors" in run.stdout


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def test_the_hand_written_runtime_is_checked_strictly() -> None:
    """pyproject's ``[tool.pyright] strict`` covers every hand-written module
    (all of openai_structs/ but the generated types and the generator), so ``test_pyright_is_clean_on_the_package``
    holds them to strict mode."""
    import re

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyright = text[text.index("[tool.pyright]") :]
    listed = pyright[pyright.index("strict = [") : pyright.index("]", pyright.index("strict = ["))]
    strict = {Path(p) for p in re.findall(r'"([^"]+)"', listed)}
    package = ROOT / "openai_structs"
    not_strict = {"types", "codegen", "__pycache__", "py.typed"}
    runtime = {path.relative_to(ROOT) for path in package.iterdir() if path.name not in not_strict}
    assert runtime == strict
