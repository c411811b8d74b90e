"""Azure OpenAI's content filter reports decode typed and round-trip whole.

The fields come from Azure's own spec (``../shared/spec/azure/``) through the
generator's Azure stage (:mod:`openai_structs.codegen.azure`; its golden tests
are in ``tests/codegen/test_azure.py``). Here: the generated types on Azure's
recorded payloads, and each graft's proof.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from test_captures import CAPTURES, capture
from test_patches import SEED_PATH, SPEC_PATH, _load_package

import openai_structs
from openai_structs import (
    AzureContentFilterChoiceResults,
    AzureContentFilterPromptResults,
    AzureContentFilterSeverityResult,
    AzurePromptFilterResult,
    CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse,
    CreateCompletionResponse,
    decode,
    encode,
)
from openai_structs.codegen import generate
from openai_structs.codegen.azure import GRAFTS
from openai_structs.streams import iter_completion_chunks

AZURE = SPEC_PATH.parent / "azure"

needs_captures = pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"no captures at {CAPTURES}")


def _round_trip(text: str, tp: Any) -> Any:
    value = decode(text, tp, strict=True)
    assert json.loads(encode(value)) == json.loads(text)
    return value


@needs_captures
def test_azure_chat_body() -> None:
    c = capture("capture:bodies/oll-azure-chat-content-filter-2024-04.json")
    body = _round_trip(c.text, CreateChatCompletionResponse)
    (prompt,) = body.prompt_filter_results
    assert isinstance(prompt, AzurePromptFilterResult) and prompt.prompt_index == 0
    assert isinstance(prompt.content_filter_results, AzureContentFilterPromptResults)
    assert prompt.content_filter_results.violence.severity == "safe"
    choice = body.choices[0].content_filter_results
    assert isinstance(choice, AzureContentFilterChoiceResults)
    assert isinstance(choice.hate, AzureContentFilterSeverityResult)
    assert choice.hate.filtered is True and choice.hate.severity == "high"
    assert body.choices[0].finish_reason == "content_filter"


@needs_captures
def test_azure_chat_stream() -> None:
    rel = "chat-sse/oll-azure-content-filter.sse"
    first = _round_trip(capture(f"capture:{rel}#0").text, CreateChatCompletionStreamResponse)
    # Azure's first chunk: only the prompt's filter report
    assert (first.object, first.created, first.choices, first.id) == ("", 0, [], "")
    assert isinstance(first.prompt_filter_results[0], AzurePromptFilterResult)
    second = _round_trip(capture(f"capture:{rel}#1").text, CreateChatCompletionStreamResponse)
    assert second.choices[0].content_filter_results == AzureContentFilterChoiceResults()
    third = _round_trip(capture(f"capture:{rel}#2").text, CreateChatCompletionStreamResponse)
    assert third.choices[0].content_filter_results.sexual.filtered is False


#: A completions body as Azure's spec describes it (``createCompletionResponse``).
AZURE_COMPLETION = {
    "id": "cmpl-1",
    "object": "text_completion",
    "created": 1714038380,
    "model": "gpt-35-turbo-instruct",
    "choices": [
        {
            "text": "Hello",
            "index": 0,
            "logprobs": None,
            "finish_reason": "stop",
            "content_filter_results": {
                "hate": {"filtered": False, "severity": "safe"},
                "protected_material_code": {
                    "filtered": False,
                    "detected": True,
                    "citation": {"URL": "https://example.com/x", "license": "MIT"},
                },
            },
        }
    ],
    "prompt_filter_results": [
        {
            "prompt_index": 0,
            "content_filter_results": {"jailbreak": {"filtered": False, "detected": False}},
        }
    ],
}


def test_azure_completions_body_and_stream() -> None:
    text = json.dumps(AZURE_COMPLETION)
    body = _round_trip(text, CreateCompletionResponse)
    code = body.choices[0].content_filter_results.protected_material_code
    assert code.citation.URL == "https://example.com/x"
    assert body.prompt_filter_results[0].content_filter_results.jailbreak.detected is False
    # the legacy stream's chunks are subclasses of the same types
    chunk = {
        **AZURE_COMPLETION,
        "choices": [{**AZURE_COMPLETION["choices"][0], "finish_reason": None}],
    }
    stream = b"data: " + json.dumps(chunk).encode() + b"\n\ndata: [DONE]\n\n"
    (event,) = list(iter_completion_chunks([stream]))
    assert isinstance(event.choices[0].content_filter_results, AzureContentFilterChoiceResults)
    assert json.loads(encode(event)) == chunk


@needs_captures
@pytest.mark.parametrize("graft", [g for g in GRAFTS if g.proof.startswith("capture:")],
                         ids=lambda g: g.target)  # fmt: skip
def test_graft_proofs_carry_the_field_typed(graft: Any) -> None:
    c = capture(graft.proof)
    value = decode(c.text, c.type, strict=True)
    owner, field = graft.target.split(".")
    holders = [value] if type(value).__name__ == owner else [*value.choices]
    assert [type(h).__name__ for h in holders] == [owner] * len(holders)
    held = [getattr(h, field) for h in holders]
    items = [i for v in held for i in (v if isinstance(v, list) else [v])]
    assert items and all(type(i).__name__.startswith("Azure") for i in items), held


@pytest.mark.skipif(not AZURE.is_dir(), reason=f"no Azure spec at {AZURE}")
def test_without_azures_spec_the_fields_are_lost(tmp_path: Path) -> None:
    """The fields come from Azure's spec: generated without it, the types drop
    them (as they did before the stage)."""
    (tmp_path / "none").mkdir()
    files = generate(SPEC_PATH, SEED_PATH, azure=tmp_path / "none").files
    assert "Azure" not in files["chat.py"]
    name = "openai_structs._without_azure"
    try:
        package = _load_package(files, tmp_path / "types", name)
        value = decode(json.dumps(AZURE_COMPLETION), package.CreateCompletionResponse)
        back = json.loads(encode(value))
    finally:
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]
    assert "prompt_filter_results" not in back
    assert "content_filter_results" not in back["choices"][0]
    assert hasattr(openai_structs, "AzurePromptFilterResults")
