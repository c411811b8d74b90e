"""Unknown-variant overhead: ``openai_structs.decode`` against a plain msgspec Decoder on the
types generated without ``Unknown*`` union members, on payloads that hold no unknown variant
(the budget is 5%)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec
import pytest

import openai_structs


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
        dec = msgspec.json.Decoder(tp)
        out = benchmark(dec.decode, raw)
    assert isinstance(out, tp)
    assert json.loads(package.encode(out)) == json.loads(raw)
