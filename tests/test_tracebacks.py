"""A decode error's traceback ends at the public call: the one frame of this
package it shows is the function the caller called (``decode``,
``Decoder.decode``, ``decode_lines``), whichever path the input took inside
(the native pass, the unknown-variant fallback, refinement, strict checks, the
nesting limit). Before, the fallback's errors came out a dozen frames deep."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import openai_structs as o

DATA = Path(__file__).resolve().parents[1] / "data"
RESPONSE = json.loads((DATA / "response.json").read_bytes())


def ours(exc: BaseException) -> list[str]:
    """The names of the frames of this package in ``exc``'s traceback."""
    return [
        frame.name
        for frame in traceback.extract_tb(exc.__traceback__)
        if "openai_structs" in frame.filename
    ]


def response_with(*items: dict[str, Any]) -> bytes:
    return json.dumps({**RESPONSE, "output": [*RESPONSE["output"], *items]}).encode()


UNKNOWN = {"type": "brand_new", "x": 1}
BAD_MESSAGE = {
    "type": "message",
    "id": "m",
    "role": "assistant",
    "status": "completed",
    "content": 3,
}

CASES: dict[str, tuple[bytes, Any, bool]] = {
    # the fallback (an unknown variant beside a wrong value)
    "fallback": (response_with(UNKNOWN, BAD_MESSAGE), o.Response, False),
    # the native pass alone
    "native": (b'{"id": 1}', o.CreateChatCompletionResponse, False),
    "malformed": (b'{"id": "x"', o.CreateChatCompletionResponse, False),
    "too deep": (b"[" * 5000 + b"]" * 5000, o.CreateChatCompletionResponse, False),
    # strict mode: an unknown tag, an unknown key
    "strict tag": (response_with(UNKNOWN), o.Response, True),
    "strict key": (json.dumps({**RESPONSE, "surprise": 1}).encode(), o.Response, True),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("api", ["decode", "Decoder.decode"])
def test_the_traceback_ends_at_the_call(case: str, api: str) -> None:
    data, tp, strict = CASES[case]
    call: Callable[[bytes], Any]
    if api == "decode":
        call = lambda b: o.decode(b, tp, strict=strict)
    else:
        call = o.Decoder(tp, strict=strict).decode
    with pytest.raises(o.DecodeError) as info:
        call(data)
    assert ours(info.value) == ["decode"], info.value
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_decode_lines_traceback_ends_at_the_call() -> None:
    lines = response_with() + b"\n" + response_with(UNKNOWN, BAD_MESSAGE) + b"\n"
    with pytest.raises(o.DecodeError) as info:
        o.Decoder(o.Response).decode_lines(lines)
    assert info.value.line == 2
    assert ours(info.value) == ["decode_lines"]
