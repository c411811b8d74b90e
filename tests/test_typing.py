"""What users see in their editor: ``tests/typing/public_api.py`` under pyright.

The file pins the public API's types with ``assert_type`` (an error when the
type differs) and ``reveal_type`` (compared with the ``# revealed:`` comment on
its line). A control file with a wrong assertion proves the check can fail.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ROOT / "tests" / "typing" / "public_api.py"

pytest.importorskip("pyright", reason="pyright comes with the dev extra")


def pyright(path: Path) -> dict:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pyright",
            "--outputjson",
            "--pythonpath",
            sys.executable,
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return json.loads(run.stdout)


def expected_reveals(path: Path) -> dict[int, str]:
    """1-based line -> the type its ``# revealed:`` comment names."""
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = re.search(r"reveal_type\(.*#\s*revealed:\s*(.+?)\s*$", line)
        if match:
            found[number] = match.group(1)
    return found


def check(path: Path) -> tuple[list[str], dict[int, str]]:
    """pyright on ``path``: its errors, and the types its ``reveal_type`` calls
    reveal (1-based line -> type), to compare with :func:`expected_reveals`."""
    result = pyright(path)
    errors = [
        f"line {d['range']['start']['line'] + 1}: {d['message']}"
        for d in result["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    revealed = {
        d["range"]["start"]["line"] + 1: re.sub(r'^Type of ".*" is "(.*)"$', r"\1", d["message"])
        for d in result["generalDiagnostics"]
        if d["severity"] == "information" and d["message"].startswith("Type of")
    }
    return errors, revealed


def test_public_api_types_hold() -> None:
    errors, revealed = check(CHECKED)
    assert errors == []
    expected = expected_reveals(CHECKED)
    assert len(expected) >= 4
    assert revealed == expected
    assert CHECKED.read_text(encoding="utf-8").count("assert_type(") >= 20


def test_a_wrong_assertion_is_caught(tmp_path: Path) -> None:
    control = tmp_path / "control.py"
    control.write_text(
        "from typing_extensions import assert_type\n"
        "from openai_structs import Decoder, Response, decode\n"
        "assert_type(decode(b'{}', Response), Decoder[Response])\n"
        "reveal_type(Decoder(Response))  # revealed: Decoder[Response]\n",
        encoding="utf-8",
    )
    result = pyright(control)
    messages = [d["message"] for d in result["generalDiagnostics"] if d["severity"] == "error"]
    assert len(messages) == 1 and "assert_type" in messages[0]
    assert expected_reveals(control) == {4: "Decoder[Response]"}
