"""Test-local stand-in for the typed streams: recorded ``.sse`` files read
into typed chunks and events.

Splits a stream on blank lines, takes the ``data:`` lines of each event,
skips ``[DONE]`` and decodes the data with :func:`openai_structs.decode`.
Good enough for the recorded captures, which are plain ``data:`` events; the
full WHATWG rules live in ``openai_structs.sse``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai_structs

CAPTURES = Path(__file__).resolve().parents[1].parent / "shared" / "captures"


def sse_data(raw: bytes) -> Iterator[bytes]:
    """The ``data`` of each event of an SSE stream, ``[DONE]`` left out."""
    text = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    for block in text.split(b"\n\n"):
        lines = []
        for line in block.split(b"\n"):
            if line.startswith(b"data:"):
                value = line[5:]
                lines.append(value[1:] if value.startswith(b" ") else value)
        if lines:
            data = b"\n".join(lines)
            if data.strip() != b"[DONE]":
                yield data


def chat_chunks(raw: bytes) -> list[Any]:
    """Typed ``CreateChatCompletionStreamResponse`` chunks of a chat stream."""
    t = openai_structs.CreateChatCompletionStreamResponse
    return [openai_structs.decode(data, t) for data in sse_data(raw)]


def response_events(raw: bytes) -> list[Any]:
    """Typed ``ResponseStreamEvent`` members of a Responses stream."""
    t = openai_structs.ResponseStreamEvent
    return [openai_structs.decode(data, t) for data in sse_data(raw)]


def captures(kind: str) -> list[Path]:
    """The recorded ``.sse`` files of ``kind`` (``chat-sse``...), sorted."""
    folder = CAPTURES / kind
    return sorted(folder.glob("*.sse")) if folder.is_dir() else []
