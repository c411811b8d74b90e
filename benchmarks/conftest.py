"""Shared fixtures for the benchmark suites: the sample payloads in data/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


def load(name: str) -> bytes:
    """Raw bytes of one sample file; skips the test if it is missing."""
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"sample {path} not found")
    return path.read_bytes()


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """A loader for any sample file by name."""
    return load


@pytest.fixture(params=["chat_completion.json", "chat_completion_large.json"])
def chat_bytes(request: pytest.FixtureRequest) -> bytes:
    """Each chat completion sample in turn."""
    return load(request.param)


@pytest.fixture
def response_bytes() -> bytes:
    """The Responses API sample."""
    return load("response.json")
