"""Recorded ``.sse`` files read into typed chunks and events, by the typed
streams of :mod:`openai_structs.streams` (the accumulator tests feed them
in)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openai_structs.streams import iter_chat_completion_chunks, iter_response_events, iter_sse

CAPTURES = Path(__file__).resolve().parents[1].parent / "shared" / "captures"


def sse_data(raw: bytes) -> Iterator[bytes]:
    """The ``data`` of each event of an SSE stream, ``[DONE]`` left out."""
    for event in iter_sse([raw]):
        if event.data.strip() != b"[DONE]":
            yield event.data


def chat_chunks(raw: bytes) -> list[Any]:
    """Typed ``CreateChatCompletionStreamResponse`` chunks of a chat stream."""
    return list(iter_chat_completion_chunks([raw]))


def response_events(raw: bytes) -> list[Any]:
    """Typed ``ResponseStreamEvent`` members of a Responses stream, its error
    events included (read with ``api_errors="yield"``)."""
    return list(iter_response_events([raw], api_errors="yield"))


def captures(kind: str) -> list[Path]:
    """The recorded ``.sse`` files of ``kind`` (``chat-sse``...), sorted."""
    folder = CAPTURES / kind
    return sorted(folder.glob("*.sse")) if folder.is_dir() else []
