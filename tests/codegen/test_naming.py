"""Golden tests of the naming stage: its rules one by one, and its result
(modules, attributes, seed aliases) for a tiny spec."""

from __future__ import annotations

from typing import Any

import pytest

from openai_structs.codegen import run_stages
from openai_structs.codegen.ir import Operation
from openai_structs.codegen.naming import (
    fresh,
    identifier,
    member_hints,
    member_name,
    proxy_name,
    variant_name,
)
from openai_structs.codegen.normalise import normalise
from openai_structs.codegen.placement import UnplacedOperation, operation_area


def test_member_hints_best_first() -> None:
    tagged = {"title": "Server VAD", "properties": {"type": {"enum": ["server_vad"]}}}
    assert member_hints(tagged, 0) == ["ServerVad", "ServerVAD", "Object", "0"]
    by_object = {"type": "object", "properties": {"object": {"const": "list"}}}
    assert member_hints(by_object, 1)[0] == "List"
    by_role = {"properties": {"role": {"enum": ["assistant"]}}}
    assert member_hints(by_role, 2)[0] == "Assistant"
    # two inline objects: the kind tells nothing, the position is all that is left
    bare = {"type": "object", "properties": {"a": {}}}
    assert member_hints(bare, 1, [bare, bare]) == ["1"]
    assert member_hints({"type": "array"}, 0, [{"type": "array"}, bare]) == ["List", "0"]


def test_member_name_drops_the_shared_words() -> None:
    hint = "DataSourceInputMessages"
    assert member_name(hint, "InputMessagesTemplate") == "DataSourceInputMessagesTemplate"
    assert member_name("SessionTracing", "TracingConfiguration") == "SessionTracingConfiguration"
    assert member_name("Session", "Tracing") == "SessionTracing"
    # a suffix that the hint ends with entirely is kept whole (it must add something)
    assert member_name("FooTracing", "Tracing") == "FooTracingTracing"


def test_fresh_numbers_only_on_collision() -> None:
    taken = {"A", "A2"}
    assert fresh("B", taken.__contains__) == "B"
    assert fresh("A", taken.__contains__) == "A3"


def test_variant_and_proxy_names() -> None:
    taken: set[str] = {"WebSearchTool", "InputItemMessage"}
    assert variant_name("WebSearchTool", "web_search", "web_search_2025_08_26", taken.__contains__) == (
        "WebSearchTool20250826"
    )  # fmt: skip
    assert variant_name("Filter", "eq", "ne", taken.__contains__) == "FilterNe"
    assert proxy_name("InputItem", "reasoning", taken.__contains__) == "InputItemReasoning"
    # a member already has the natural name: the proxy says what it is
    assert proxy_name("InputItem", "message", taken.__contains__) == "InputItemMessageProxy"


def _op(tag: str, path: str) -> Operation:
    return Operation("doIt", tag, path, "get", None, None, None)


def test_operation_area_by_tag_then_path() -> None:
    assert operation_area(_op("Chat", "/anything")) == "chat"
    assert operation_area(_op("", "/containers/{id}/files")) == "containers"
    assert operation_area(_op("", "/responses/compact?beta=true")) == "responses"
    assert operation_area(_op("Projects", "/organization/projects")) == "admin"
    assert operation_area(_op("", "/conversations")) == "conversations"
    # a prefix is a whole path segment
    with pytest.raises(UnplacedOperation, match=r"doIt \(GET /containersX"):
        operation_area(_op("", "/containersX"))


def test_an_unplaced_operation_is_a_generator_error() -> None:
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {"/nowhere": {"get": {"operationId": "lost", "responses": {}}}},
        "components": {"schemas": {}},
    }
    with pytest.raises(UnplacedOperation, match=r"lost \(GET /nowhere, tag ''\)"):
        run_stages(normalise(spec), patches=False)


def test_naming_result_for_a_tiny_spec() -> None:
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {
            "/containers": {
                "get": {
                    "operationId": "ListContainers",
                    "parameters": [{"in": "query", "name": "limit", "schema": {"type": "integer"}}],
                    "responses": {"200": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Box"}
                    }}}},
                }
            }
        },
        "components": {"schemas": {
            "Box": {"type": "object", "properties": {
                "self-harm": {"type": "string"},
                "from": {"type": "string"},
                "lid": {"type": "object", "properties": {"x": {"type": "integer"}}},
            }},
        }},
    }  # fmt: skip
    result = run_stages(normalise(spec), seed={"s": ["BOX", "Lid"]}, patches=False)
    naming = result.naming
    assert naming.modules == {
        "Box": "containers",
        "BoxLid": "containers",
        "ListContainersParams": "containers",
    }
    assert naming.attrs["Box"] == {"self-harm": "self_harm", "from": "from_", "lid": "lid"}
    # a seed name is served case-insensitively; one with no target is not invented
    assert naming.aliases == {"BOX": "Box"}


@pytest.mark.parametrize(
    ("json_name", "expected"),
    [
        ("id", "id"),
        ("from", "from_"),
        ("class", "class_"),
        ("None", "None_"),
        ("self-harm", "self_harm"),
        ("self-harm/intent", "self_harm_intent"),
        ("harassment/threatening", "harassment_threatening"),
        ("3d", "f_3d"),
        ("_private", "private"),
        ("Struct", "Struct_"),
        ("UNSET", "UNSET_"),
    ],
)
def test_identifier(json_name: str, expected: str) -> None:
    assert identifier(json_name, set()) == expected


def test_identifier_collisions() -> None:
    taken: set[str] = set()
    assert identifier("self-harm", taken) == "self_harm"
    assert identifier("self_harm", taken) == "self_harm_2"
    assert identifier("self/harm", taken) == "self_harm_3"
    assert taken == {"self_harm", "self_harm_2", "self_harm_3"}
    taken = set()
    assert identifier("from", taken) == "from_"
    assert identifier("from_", taken) == "from__2"
