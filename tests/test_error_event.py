"""The Responses stream's ``error`` event decodes typed in both shapes.

The spec's ``ResponseErrorEvent`` has ``code``, ``message`` and ``param`` at the
top level; the API sends them nested in ``error`` (as the WebSocket mode's
``ResponseWsError`` does), and the patches of
:mod:`openai_structs.codegen.patches_sent` make both decode: the top-level fields
are optional, and ``error`` is an ``ErrorPayload``.
"""

from __future__ import annotations

import json

import pytest
from test_captures import CAPTURES, capture

from openai_structs import (
    UNSET,
    ErrorPayload,
    ResponseErrorEvent,
    ResponseStreamEvent,
    decode,
    encode,
)

FLAT = '{"type": "error", "code": "ERR_X", "message": "went wrong", "param": null, "sequence_number": 1}'
NESTED = (
    '{"type": "error", "sequence_number": 2, "error": {"type": "insufficient_quota",'
    ' "code": "insufficient_quota", "message": "You exceeded your current quota.", "param": null}}'
)


@pytest.mark.parametrize("strict", [False, True])
def test_both_shapes_decode_typed(strict: bool) -> None:
    flat = decode(FLAT, ResponseStreamEvent, strict=strict)
    assert isinstance(flat, ResponseErrorEvent)
    assert (flat.code, flat.message, flat.param, flat.error) == ("ERR_X", "went wrong", None, UNSET)
    nested = decode(NESTED, ResponseStreamEvent, strict=strict)
    assert isinstance(nested, ResponseErrorEvent)
    assert (nested.code, nested.message, nested.param) == (UNSET, UNSET, UNSET)
    assert isinstance(nested.error, ErrorPayload)
    assert nested.error.code == "insufficient_quota" and nested.error.type == "insufficient_quota"
    assert nested.error.message.startswith("You exceeded") and nested.error.param is None
    for text, value in ((FLAT, flat), (NESTED, nested)):
        assert json.loads(encode(value)) == json.loads(text)


@pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"no captures at {CAPTURES}")
def test_the_recorded_error_event() -> None:
    c = capture("capture:responses-sse/vercelai-error-insufficient-quota-REFRAMED.sse#2")
    event = decode(c.text, ResponseStreamEvent, strict=True)
    assert isinstance(event, ResponseErrorEvent) and isinstance(event.error, ErrorPayload)
    assert event.error.code == "insufficient_quota" and event.sequence_number == 2
