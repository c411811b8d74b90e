"""Fixtures shared by the codec tests: the sample payloads in ``data/``.

Each fixture hands out a fresh copy, so a test may edit the document it gets
(insert an unknown item, break a field) without touching the others.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


def _read(name: str) -> bytes:
    path = DATA / name
    if not path.is_file():
        pytest.fail(f"sample payload {path} is missing")
    return path.read_bytes()


@pytest.fixture
def chat_bytes() -> bytes:
    """``data/chat_completion.json`` as bytes (pretty printed)."""
    return _read("chat_completion.json")


@pytest.fixture
def chat_doc(chat_bytes: bytes) -> dict[str, Any]:
    """``data/chat_completion.json`` as a fresh dict."""
    return json.loads(chat_bytes)


@pytest.fixture
def chat_large_bytes() -> bytes:
    """``data/chat_completion_large.json``: four choices with logprobs and tool calls."""
    return _read("chat_completion_large.json")


@pytest.fixture
def response_bytes() -> bytes:
    """``data/response.json``: a Responses API ``Response``."""
    return _read("response.json")


@pytest.fixture
def response_doc(response_bytes: bytes) -> dict[str, Any]:
    """``data/response.json`` as a fresh dict.

    ``output`` holds: 0 reasoning, 1 web_search_call, 2 reasoning,
    3 function_call, 4 message (one output_text with two url_citations).
    """
    doc = json.loads(response_bytes)
    assert [item["type"] for item in doc["output"]] == [
        "reasoning",
        "web_search_call",
        "reasoning",
        "function_call",
        "message",
    ]
    return doc


@pytest.fixture
def chunk_lines() -> list[bytes]:
    """The lines of ``data/chat_completion_chunks.jsonl``."""
    return [line for line in _read("chat_completion_chunks.jsonl").splitlines() if line.strip()]
