"""Golden tests of the Azure stage: a tiny OpenAI spec and a tiny Azure spec
in, the grafted fields and the Azure definitions out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from openai_structs.codegen import run_stages
from openai_structs.codegen.azure import (
    GRAFTS,
    Graft,
    apply_azure,
    azure_name,
    load_azure,
    source_schema,
)
from openai_structs.codegen.ir import AliasDef, Array, EnumT, Field, ObjectDef, Prim, Ref
from openai_structs.codegen.normalise import normalise

OPENAI: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {"/chat/completions": {"post": {
        "operationId": "createChat",
        "tags": ["Chat"],
        "responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Chat"},
        }}}},
    }}},
    "components": {"schemas": {
        "Chat": {"type": "object", "required": ["id", "choices"], "properties": {
            "id": {"type": "string"},
            "choices": {"type": "array", "items": {
                "type": "object", "required": ["index"], "properties": {"index": {"type": "integer"}},
            }},
        }},
    }},
}  # fmt: skip

AZURE: dict[str, Any] = {
    "openapi": "3.0.0",
    "components": {"schemas": {
        "resultBase": {"type": "object", "required": ["filtered"],
                       "properties": {"filtered": {"type": "boolean"}}},
        "severityResult": {"allOf": [
            {"$ref": "#/components/schemas/resultBase"},
            {"properties": {"severity": {"type": "string", "enum": ["safe", "high"],
                                         "x-ms-enum": {"name": "Severity"}}}},
        ], "required": ["severity", "filtered"]},
        "choiceResults": {"type": "object", "description": "Not to be copied.", "properties": {
            "hate": {"$ref": "#/components/schemas/severityResult"},
            "citation": {"type": "object", "properties": {"URL": {"type": "string"}}},
        }},
        "promptResult": {"type": "object", "properties": {
            "prompt_index": {"type": "integer"},
            "content_filter_results": {"$ref": "#/components/schemas/choiceResults"},
        }},
        "promptResults": {"type": "array", "items": {"$ref": "#/components/schemas/promptResult"}},
        "chatResponse": {"type": "object", "properties": {
            "prompt_filter_results": {"$ref": "#/components/schemas/promptResults"},
            "choices": {"type": "array", "items": {"type": "object", "properties": {
                "content_filter_results": {"$ref": "#/components/schemas/choiceResults"},
            }}},
        }},
    }},
}  # fmt: skip

TINY_GRAFTS = (
    Graft("Chat.prompt_filter_results", "chatResponse.prompt_filter_results", "azure:"),
    Graft("ChatChoicesItem.content_filter_results", "chatResponse.choices[].content_filter_results", "azure:"),
)  # fmt: skip


def test_names_take_the_prefix() -> None:
    assert azure_name("contentFilterChoiceResults") == "AzureContentFilterChoiceResults"
    assert azure_name("promptFilterResults") == "AzurePromptFilterResults"


def test_source_schema_walks_fields_and_items() -> None:
    schemas = AZURE["components"]["schemas"]
    found = source_schema(schemas, "chatResponse.choices[].content_filter_results")
    assert found == {"$ref": "#/components/schemas/choiceResults"}


def test_grafted_fields_and_definitions() -> None:
    spec = normalise(OPENAI)
    assert apply_azure(spec, AZURE, TINY_GRAFTS) == []
    chat, choice = spec.defs["Chat"], spec.defs["ChatChoicesItem"]
    assert isinstance(chat, ObjectDef) and isinstance(choice, ObjectDef)
    assert chat.field("prompt_filter_results") == Field(
        "prompt_filter_results", Ref("AzurePromptResults"), False
    )
    assert choice.field("content_filter_results") == Field(
        "content_filter_results", Ref("AzureChoiceResults"), False
    )
    added = [n for n in spec.defs if n.startswith("Azure")]
    # breadth first from the fields; the allOf base is merged in, not added
    assert added == [
        "AzurePromptResults",
        "AzureChoiceResults",
        "AzurePromptResult",
        "AzureSeverityResult",
        "AzureChoiceResultsCitation",
    ]
    alias = spec.defs["AzurePromptResults"]
    assert isinstance(alias, AliasDef) and alias.type == Array(Ref("AzurePromptResult"))
    severity = spec.defs["AzureSeverityResult"]
    assert isinstance(severity, ObjectDef) and severity.origin == "azure"
    assert [(f.json_name, f.type, f.required) for f in severity.fields] == [
        ("filtered", Prim("bool"), True),
        ("severity", EnumT(("safe", "high")), True),
    ]
    assert (
        severity.doc
        == "Sent by Azure OpenAI (not OpenAI's API): Azure's ``severityResult`` schema."
    )
    citation = spec.defs["AzureChoiceResultsCitation"]
    assert isinstance(citation, ObjectDef) and citation.origin == "inline"
    assert citation.parent == "AzureChoiceResults" and citation.site == "citation"


def test_emitted() -> None:
    spec = normalise(OPENAI)
    apply_azure(spec, AZURE, TINY_GRAFTS)
    text = run_stages(spec, patches=False).files["chat.py"]
    assert "    prompt_filter_results: Union[AzurePromptResults, None, UnsetType] = UNSET\n" in text
    assert "class AzureChoiceResults(Struct, frozen=True, kw_only=True):\n" in text
    assert "Not to be copied" not in text  # Azure's descriptions are not docstrings
    assert "Azure's ``choiceResults`` schema." in text
    assert "    URL: Union[str, None, UnsetType] = UNSET\n" in text
    assert "AzurePromptResults: TypeAlias = list[AzurePromptResult]\n" in text


def test_missing_and_stale_targets_are_returned() -> None:
    spec = normalise(OPENAI)
    stale = Graft("Chat.id", "chatResponse.prompt_filter_results", "azure:")
    missing = Graft("NoSuch.x", "chatResponse.prompt_filter_results", "azure:")
    assert apply_azure(spec, AZURE, (stale, missing)) == [stale, missing]


def test_an_inline_source_or_a_collision_is_an_error() -> None:
    spec = normalise(OPENAI)
    inline = Graft("Chat.choices2", "chatResponse.choices", "azure:")
    with pytest.raises(ValueError, match="not a named schema"):
        apply_azure(spec, AZURE, (inline,))
    spec = normalise(OPENAI)
    spec.defs["AzurePromptResult"] = ObjectDef("AzurePromptResult", [])
    with pytest.raises(ValueError, match="collides"):
        apply_azure(spec, AZURE, TINY_GRAFTS)


def test_without_azure_nothing_changes() -> None:
    spec = normalise(OPENAI)
    assert apply_azure(spec, {}, TINY_GRAFTS) == []
    assert sorted(spec.defs) == ["Chat", "ChatChoicesItem"]


def test_load_azure_reads_the_newest_file(tmp_path: Path) -> None:
    assert load_azure(tmp_path / "missing") == {}
    assert load_azure(tmp_path) == {}
    (tmp_path / "inference-2024-10-21.json").write_text(json.dumps({"v": 1}), encoding="utf-8")
    (tmp_path / "inference-2025-01-01.json").write_text(json.dumps({"v": 2}), encoding="utf-8")
    assert load_azure(tmp_path) == {"v": 2}


def test_the_real_grafts_name_their_sources() -> None:
    assert {g.source.split(".", 1)[0] for g in GRAFTS} == {
        "createChatCompletionResponse",
        "createCompletionResponse",
    }
    for g in GRAFTS:
        assert g.proof.startswith(("capture:", "azure:")), g
