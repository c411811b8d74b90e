"""Encode speed: openai_structs.encode against orjson (on the plain dict) and pydantic."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import openai_structs

SAMPLES = {
    "chat_completion_large.json": (
        "CreateChatCompletionResponse",
        "openai.types.chat",
        "ChatCompletion",
    ),
    "response.json": ("Response", "openai.types.responses", "Response"),
}


@pytest.mark.parametrize("impl", ["openai_structs", "orjson", "pydantic"])
@pytest.mark.parametrize("name", list(SAMPLES))
def test_encode(benchmark: Any, sample: Callable[[str], bytes], name: str, impl: str) -> None:
    """Serialize one decoded payload back to JSON bytes."""
    raw = sample(name)
    type_name, sdk_module, sdk_class = SAMPLES[name]
    benchmark.group = f"encode {name}"
    if impl == "openai_structs":
        obj = openai_structs.decode(raw, getattr(openai_structs, type_name))
        out = benchmark(openai_structs.encode, obj)
    elif impl == "orjson":
        orjson = pytest.importorskip("orjson")
        out = benchmark(orjson.dumps, orjson.loads(raw))
    else:
        model = getattr(pytest.importorskip(sdk_module), sdk_class).model_validate_json(raw)
        # exclude_unset writes what the API sent, as the SDK's own to_json() does
        out = benchmark(model.model_dump_json, exclude_unset=True)
    assert json.loads(out) == json.loads(raw)
