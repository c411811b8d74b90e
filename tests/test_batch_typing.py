"""What users see of the batch readers in their editor:
``tests/typing/batch_api.py`` under pyright (as ``tests/test_typing.py``
checks the rest of the public API): each endpoint's lines are typed by its
body, with ``ErrorResponse`` for failed requests, and ``BadLine`` records
with ``errors="collect"``."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyright", reason="pyright comes with the dev extra")

from test_typing import check, expected_reveals

CHECKED = Path(__file__).resolve().parent / "typing" / "batch_api.py"


def test_each_endpoint_has_its_types() -> None:
    errors, revealed = check(CHECKED)
    assert errors == []
    assert revealed == expected_reveals(CHECKED) and len(revealed) == 2
    assert CHECKED.read_text(encoding="utf-8").count("assert_type(") >= 20
