"""Decode speed: openai_structs against its peers on the same bytes.

Each group holds one payload, so pytest-benchmark compares peers side by side.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec
import pytest

import openai_structs


def _name(request: pytest.FixtureRequest) -> str:
    """The sample file a parametrized fixture picked."""
    return str(request.node.callspec.params["chat_bytes"])


def _chat_decoder(impl: str) -> Callable[..., Any]:
    """A function decoding a chat completion, per implementation; ours takes
    the type as its second argument (see test_decode_chat)."""
    if impl == "openai_structs":
        return openai_structs.decode
    if impl == "orjson":
        return pytest.importorskip("orjson").loads
    if impl == "json":
        return json.loads
    chat = pytest.importorskip("openai.types.chat")
    return chat.ChatCompletion.model_validate_json


@pytest.mark.parametrize("impl", ["openai_structs", "orjson", "json", "openai"])
def test_decode_chat(
    benchmark: Any, request: pytest.FixtureRequest, chat_bytes: bytes, impl: str
) -> None:
    """Chat completion, typed (ours, openai) and untyped (orjson, json)."""
    benchmark.group = f"decode {_name(request)}"
    fn = _chat_decoder(impl)
    if impl == "openai_structs":  # called as users call it, no wrapper in between
        out = benchmark(fn, chat_bytes, openai_structs.CreateChatCompletionResponse)
    else:
        out = benchmark(fn, chat_bytes)
    assert out is not None


@pytest.mark.parametrize("impl", ["openai_structs", "openai"])
def test_decode_response(benchmark: Any, response_bytes: bytes, impl: str) -> None:
    """Responses API object, ours against the openai SDK model."""
    benchmark.group = "decode response.json"
    if impl == "openai_structs":
        tp = openai_structs.Response
        out = benchmark(openai_structs.decode, response_bytes, tp)
    else:
        model = pytest.importorskip("openai.types.responses").Response
        out = benchmark(model.model_validate_json, response_bytes)
    assert out is not None


@pytest.mark.parametrize("impl", ["openai_structs.decode", "baseline: no unknown variants"])
@pytest.mark.parametrize("name", ["chat_completion_large.json", "response.json"])
def test_unknown_variant_overhead(
    benchmark: Any, sample: Callable[[str], bytes], baseline_types: Any, name: str, impl: str
) -> None:
    """openai_structs.decode against a plain msgspec Decoder on types generated
    without Unknown* members, on payloads that hold no unknown variant."""
    raw = sample(name)
    type_name = "Response" if name == "response.json" else "CreateChatCompletionResponse"
    benchmark.group = f"unknown-variant overhead {name}"
    package = openai_structs if impl == "openai_structs.decode" else baseline_types
    tp = getattr(package, type_name)
    if package is openai_structs:
        out = benchmark(openai_structs.decode, raw, tp)
    else:
        dec = msgspec.json.Decoder(tp, dec_hook=baseline_types.dec_hook)
        out = benchmark(dec.decode, raw)
    assert isinstance(out, tp)
    assert json.loads(package.encode(out)) == json.loads(raw)
