"""One nesting limit (``openai_structs.core._depth``): a document nested up to
``depth_limit()`` levels decodes and re-encodes, in both modes and however deep
the caller's own stack; one level more is a ``MalformedJSONError`` naming the
byte where it passes the limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import openai_structs as o
from openai_structs import MalformedJSONError, decode, encode
from openai_structs.core._depth import deepest, depth_limit

# the request's own levels above the free-form value: root, tools, the tool,
# parameters
OUTER = 4


def _request(depth: int) -> bytes:
    """A CreateResponse whose tool parameters nest ``depth`` levels in all."""
    inner = depth - OUTER
    return (
        b'{"model":"m","input":"hi","tools":[{"type":"function","name":"f","strict":true,'
        b'"parameters":{"x":' + b"[" * inner + b"]" * inner + b"}}]}"
    )


def _same_request(out: bytes, raw: bytes) -> bool:
    """``out`` holds what ``raw`` held (fields may come in another order;
    ``json.loads`` cannot read 1000 levels)."""
    k = raw.count(b"[") - 1  # the tools list aside
    return sorted(out) == sorted(raw) and b'{"x":' + b"[" * k + b"]" * k + b"}" in out


def _at_stack_depth(frames: int, fn: Callable[[], Any]) -> Any:
    if frames <= 0:
        return fn()
    return _at_stack_depth(frames - 1, fn)


def test_the_request_nests_as_counted() -> None:
    raw = _request(50)
    assert deepest(raw, 50) == -1
    assert deepest(raw, 49) >= 0


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("frames", [0, 300, 800])
def test_one_limit_whatever_the_mode_and_the_callers_stack(strict: bool, frames: int) -> None:
    limit = depth_limit()
    deepest_ok = _request(limit)
    value = _at_stack_depth(frames, lambda: decode(deepest_ok, o.CreateResponse, strict=strict))
    assert _same_request(_at_stack_depth(frames, lambda: encode(value)), deepest_ok)
    too_deep = _request(limit + 1)
    with pytest.raises(MalformedJSONError) as info:
        _at_stack_depth(frames, lambda: decode(too_deep, o.CreateResponse, strict=strict))
    assert info.value.pos == deepest(too_deep, limit)
    assert f"deeper than {limit} levels" in str(info.value)


def test_the_limit_follows_the_recursion_limit() -> None:
    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1500)
    try:
        assert depth_limit() == 1500
        value = _at_stack_depth(900, lambda: decode(_request(1500), o.CreateResponse))
        assert _same_request(encode(value), _request(1500))
        with pytest.raises(MalformedJSONError):
            decode(_request(1501), o.CreateResponse)
    finally:
        sys.setrecursionlimit(old)
    assert sys.getrecursionlimit() == old
