"""The unions reachable from the hot types decode natively: msgspec never
calls a ``dec_hook`` for them.

Members that share a tag value, or whose tag is optional, decode into one
``SharedTag`` class per tag value, which ``isinstance`` reads as the public
class its fields select (``openai_structs.core._views``).
Members with several tag values decode into one subclass per value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import msgspec
import msgspec.inspect as mi
import pytest

import openai_structs as o
from openai_structs.codegen.ir import EnumT, ObjectDef, Ref, UnionT
from openai_structs.codegen.normalise import normalise
from openai_structs.codegen.unions import plan_unions
from openai_structs.core._base import SharedTag
from openai_structs.core._views import view_of

DATA = Path(__file__).resolve().parents[1] / "data"

HOT_ROOTS = (
    o.Response,
    o.ResponseStreamEvent,
    o.CreateResponse,
    o.ResponseItemList,
    o.ConversationItemList,
    o.RealtimeServerEvent,
    o.RealtimeClientEvent,
    o.CreateChatCompletionRequest,
    o.CreateChatCompletionResponse,
    o.CreateChatCompletionStreamResponse,
    o.BatchRequestInput,
    o.BatchRequestOutput,
)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, type: Any, obj: Any) -> Any:
        self.calls += 1
        raise NotImplementedError(type)


def _decode(doc: Any, T: Any) -> Any:
    """Decode with a hook that counts its calls; there must be none."""
    hook = Counter()
    value = msgspec.json.Decoder(T, dec_hook=hook).decode(json.dumps(doc))
    assert hook.calls == 0
    return value


def _refine(value: Any, expected: type) -> Any:
    """A decoded member is read as ``expected`` (and as no other target)."""
    if isinstance(value, SharedTag):
        targets = type(value)._targets()
        assert expected in targets
        assert view_of(value) is expected
        assert [t for t in targets if isinstance(value, t)] == [expected]
    else:
        assert type(value) is expected
    return value


def _custom_types(*roots: Any) -> set[Any]:
    """Classes msgspec can only decode through a ``dec_hook``."""
    seen: set[int] = set()
    found: set[Any] = set()

    def walk(t: Any) -> None:
        if id(t) in seen:
            return
        seen.add(id(t))
        if isinstance(t, mi.CustomType):
            found.add(t.cls)
            return
        if isinstance(t, (mi.StructType, mi.DataclassType)):
            for f in t.fields:
                walk(f.type)
        if isinstance(t, mi.UnionType):
            for m in t.types:
                walk(m)
        for attr in ("item_type", "key_type", "value_type"):
            if hasattr(t, attr):
                walk(getattr(t, attr))
        for m in getattr(t, "item_types", ()):
            walk(m)

    for info in mi.multi_type_info(roots):
        walk(info)
    return found


# ---------------------------------------------------------------------------
# Whole types


def test_no_hot_type_reaches_a_dispatch_union() -> None:
    assert _custom_types(*HOT_ROOTS) == set()


def test_a_remaining_dispatch_union_is_seen() -> None:
    """The check above finds dispatch unions where they remain."""
    assert _custom_types(o.CreateEvalItem)


@pytest.mark.parametrize(
    "name, T",
    [
        ("response.json", o.Response),
        ("chat_completion.json", o.CreateChatCompletionResponse),
    ],
)
def test_samples_decode_without_the_hook(name: str, T: Any) -> None:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    _decode(json.loads(path.read_bytes()), T)


# ---------------------------------------------------------------------------
# InputItem / Item / ItemResource

OUTPUT_MESSAGE = {
    "type": "message",
    "id": "msg_1",
    "role": "assistant",
    "status": "completed",
    "content": [{"type": "output_text", "text": "29 May", "annotations": []}],
}
EASY_MESSAGE = {"type": "message", "role": "user", "content": "When is the fair?"}
INPUT_MESSAGE = {
    "type": "message",
    "role": "developer",
    "status": "completed",
    "content": [{"type": "input_text", "text": "Be brief."}],
}
FUNCTION_CALL = {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"}
FUNCTION_OUTPUT = {"type": "function_call_output", "call_id": "c1", "output": "ok"}
REASONING = {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "x"}]}
ITEM_REFERENCE = {"type": "item_reference", "id": "msg_0"}
NEW_ITEM = {"type": "memory_write", "id": "mw_1"}


def test_input_item_every_kind() -> None:
    docs = [
        EASY_MESSAGE,
        INPUT_MESSAGE,
        OUTPUT_MESSAGE,
        FUNCTION_CALL,
        FUNCTION_OUTPUT,
        REASONING,
        ITEM_REFERENCE,
        o.UnknownType.from_object(NEW_ITEM).data,
    ]
    items = _decode(docs[:-1], list[o.InputItem])
    assert [type(i) for i in items] == [
        o.InputItemMessage,
        o.InputItemMessage,
        o.InputItemMessage,
        o.FunctionToolCall,
        o.FunctionCallOutputItemParam,
        o.ReasoningItem,
        o.InputItemItemReference,
    ]
    # a new item type is an unknown variant (the decoder's fallback)
    assert type(o.decode(json.dumps(docs), list[o.InputItem])[-1]) is o.UnknownType
    easy = _refine(items[0], o.EasyInputMessage)
    assert (easy.role, easy.content, easy.type) == ("user", "When is the fair?", "message")
    message = _refine(items[1], o.InputMessage)
    assert message.status == "completed"
    assert type(message.content[0]) is o.InputTextContent
    output = _refine(items[2], o.OutputMessage)
    assert output.id == "msg_1"
    assert type(output.content[0]) is o.OutputTextContent
    assert _refine(items[6], o.ItemReferenceParam).type == "item_reference"
    assert type(items[5].summary[0]) is o.SummaryTextContent
    assert json.loads(msgspec.json.encode(items)) == docs[:-1]


def test_input_item_proxy_targets() -> None:
    assert o.InputItemMessage._targets() == (o.OutputMessage, o.EasyInputMessage, o.InputMessage)
    assert o.InputItemItemReference._targets() == (o.ItemReferenceParam,)


def test_input_item_proxy_keeps_absent_fields_absent() -> None:
    (item,) = _decode([EASY_MESSAGE], list[o.InputItem])
    easy = _refine(item, o.EasyInputMessage)
    assert easy.phase is msgspec.UNSET
    assert json.loads(msgspec.json.encode(easy)) == EASY_MESSAGE


def test_item_and_item_resource() -> None:
    items = _decode([INPUT_MESSAGE, OUTPUT_MESSAGE, FUNCTION_CALL], list[o.Item])
    assert [type(i) for i in items] == [o.ItemMessage, o.ItemMessage, o.FunctionToolCall]
    _refine(items[0], o.InputMessage)
    _refine(items[1], o.OutputMessage)
    resource = dict(INPUT_MESSAGE, id="msg_0", role="user")
    items = _decode([resource, OUTPUT_MESSAGE], list[o.ItemResource])
    assert [type(i) for i in items] == [o.ItemResourceMessage, o.ItemResourceMessage]
    assert _refine(items[0], o.InputMessageResource).id == "msg_0"
    _refine(items[1], o.OutputMessage)


def test_create_response_and_item_lists_decode_natively() -> None:
    docs = [EASY_MESSAGE, OUTPUT_MESSAGE, FUNCTION_CALL, ITEM_REFERENCE]
    request = _decode({"model": "gpt-5", "input": docs}, o.CreateResponse)
    assert type(request.input[0]) is o.InputItemMessage
    listing = {
        "object": "list",
        "data": [dict(INPUT_MESSAGE, id="msg_0", role="user"), OUTPUT_MESSAGE],
        "first_id": "msg_0",
        "last_id": "msg_1",
        "has_more": False,
    }
    value = _decode(listing, o.ResponseItemList)
    assert [type(i) for i in value.data] == [o.ItemResourceMessage, o.ItemResourceMessage]


# ---------------------------------------------------------------------------
# Tool / ToolChoiceParam / Filters: several tag values on one member


def test_tool_every_kind() -> None:
    docs = [
        {"type": "function", "name": "f", "parameters": {}, "strict": True},
        {
            "type": "file_search",
            "vector_store_ids": ["vs_1"],
            "filters": {
                "type": "or",
                "filters": [
                    {"type": "eq", "key": "lang", "value": "pt"},
                    {"type": "and", "filters": [{"type": "gte", "key": "y", "value": 2020}]},
                ],
            },
        },
        {"type": "web_search"},
        {"type": "web_search_2025_08_26", "search_context_size": "high"},
        {"type": "web_search_preview"},
        {"type": "web_search_preview_2025_03_11"},
        {"type": "mcp", "server_label": "docs"},
    ]
    tools = _decode(docs, list[o.Tool])
    assert [type(t) for t in tools] == [
        o.FunctionTool,
        o.FileSearchTool,
        o.WebSearchTool,
        o.WebSearchTool20250826,
        o.WebSearchPreviewTool,
        o.WebSearchPreviewTool20250311,
        o.MCPTool,
    ]
    assert isinstance(tools[3], o.WebSearchTool)
    assert tools[3].type == "web_search_2025_08_26"
    filters = tools[1].filters
    assert type(filters) is o.CompoundFilterOr
    assert [type(f) for f in filters.filters] == [o.ComparisonFilter, o.CompoundFilter]
    assert type(filters.filters[1].filters[0]) is o.ComparisonFilterGte
    assert json.loads(msgspec.json.encode(tools)) == docs


@pytest.mark.parametrize("value", ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"])
def test_comparison_filter_variants(value: str) -> None:
    cls = o.ComparisonFilter.variant(value)
    assert issubclass(cls, o.ComparisonFilter)
    assert cls.type == value
    built = cls(key="a", value=1)
    assert json.loads(msgspec.json.encode(built)) == {"type": value, "key": "a", "value": 1}
    assert type(_decode({"type": value, "key": "a", "value": 1}, o.Filters)) is cls


def test_standalone_multi_tag_position_takes_every_value() -> None:
    """``FileSearchTool.filters`` names the union, so every value decodes."""
    doc = {
        "type": "file_search",
        "vector_store_ids": [],
        "filters": {"type": "nin", "key": "k", "value": ["x"]},
    }
    tool = _decode(doc, o.FileSearchTool)
    assert type(tool.filters) is o.ComparisonFilterNin


def test_tool_choice_every_kind() -> None:
    values = [
        "file_search",
        "web_search_preview",
        "computer",
        "computer_use_preview",
        "computer_use",
        "web_search_preview_2025_03_11",
        "image_generation",
        "code_interpreter",
    ]
    docs: list[Any] = [{"type": v} for v in values]
    docs += ["auto", {"type": "function", "name": "f"}, {"type": "mcp", "server_label": "s"}]
    choices = _decode(docs, list[o.ToolChoiceParam])
    for value, choice in zip(values, choices):
        assert type(choice) is o.ToolChoiceTypes.variant(value)
        assert isinstance(choice, o.ToolChoiceTypes)
    assert choices[len(values)] == "auto"
    assert type(choices[-2]) is o.ToolChoiceFunction
    assert type(choices[-1]) is o.ToolChoiceMCP
    assert json.loads(msgspec.json.encode(choices)) == docs


# ---------------------------------------------------------------------------
# Realtime


def test_realtime_conversation_item_every_kind() -> None:
    docs = [
        {
            "type": "message",
            "role": "system",
            "content": [{"type": "input_text", "text": "Be brief."}],
        },
        {"type": "message", "role": "user", "content": [{"type": "input_audio", "audio": "AAA="}]},
        {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Hi"}],
        },
        {"type": "function_call", "name": "f", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "ok"},
    ]
    items = _decode(docs, list[o.RealtimeConversationItem])
    assert [type(i) for i in items[:3]] == [o.RealtimeConversationItemMessage] * 3
    assert type(items[3]) is o.RealtimeConversationItemFunctionCall
    assert type(items[4]) is o.RealtimeConversationItemFunctionCallOutput
    for item, target in zip(
        items,
        [
            o.RealtimeConversationItemMessageSystem,
            o.RealtimeConversationItemMessageUser,
            o.RealtimeConversationItemMessageAssistant,
        ],
    ):
        refined = _refine(item, target)
        assert refined.role == target.__name__.rsplit("Message", 1)[1].lower()
    assert json.loads(msgspec.json.encode(items)) == docs


def test_realtime_audio_formats_and_tools() -> None:
    docs = [{"type": "audio/pcm", "rate": 24000}, {"type": "audio/pcmu"}, {"type": "audio/pcma"}]
    formats = _decode(docs, list[o.RealtimeAudioFormats])
    targets = [
        o.RealtimeAudioFormatsAudioPcm,
        o.RealtimeAudioFormatsAudioPcmu,
        o.RealtimeAudioFormatsAudioPcma,
    ]
    for value, target in zip(formats, targets):
        assert type(value)._targets() == (target,)
        _refine(value, target)
    assert _refine(formats[0], targets[0]).rate == 24000
    tools = _decode(
        [{"type": "function", "name": "f"}, {"type": "mcp", "server_label": "s"}],
        list[o.RealtimeResponseCreateParamsTools],
    )
    assert type(tools[0]) is o.RealtimeResponseCreateParamsToolsFunction
    assert _refine(tools[0], o.RealtimeFunctionTool).name == "f"
    assert type(tools[1]) is o.MCPTool


# ---------------------------------------------------------------------------
# Standalone tagged positions


def test_tagged_struct_alone_needs_its_tag() -> None:
    doc = {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "x"}]}
    assert type(_decode(doc, o.ReasoningItem).summary[0]) is o.SummaryTextContent
    with pytest.raises(msgspec.ValidationError, match=r"\$\.summary\[0\]"):
        _decode(dict(doc, summary=[{"text": "x"}]), o.ReasoningItem)
    new_part = {"type": "summary_html", "html": "<b>x</b>"}
    with pytest.raises(msgspec.ValidationError, match="summary_html"):
        _decode(dict(doc, summary=[new_part]), o.ReasoningItem)
    # through openai_structs.decode a new tag value is an unknown variant
    new = o.decode(json.dumps(dict(doc, summary=[new_part])), o.ReasoningItem)
    assert type(new.summary[0]) is o.UnknownType


# ---------------------------------------------------------------------------
# The planner on a small spec


def _spec(schemas: dict[str, Any]) -> Any:
    doc = {"openapi": "3.1.0", "paths": {}, "components": {"schemas": schemas}}
    spec = normalise(doc)
    return spec, plan_unions(spec)


def _obj(props: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(required)}


def _enum(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _refs(*names: str) -> list[dict[str, str]]:
    return [{"$ref": f"#/components/schemas/{n}"} for n in names]


SMALL = {
    "Easy": _obj(
        {
            "type": _enum("message"),
            "role": _enum("user", "assistant"),
            "content": {"type": "string"},
        },
        ("role", "content"),
    ),
    "Out": _obj(
        {
            "type": _enum("message"),
            "id": {"type": "string"},
            "role": _enum("assistant"),
            "content": {"type": "array", "items": {"$ref": "#/components/schemas/Text"}},
        },
        ("type", "id", "role", "content"),
    ),
    "Text": _obj({"type": _enum("output_text"), "text": {"type": "string"}}, ("type", "text")),
    "Cmp": _obj({"type": _enum("eq", "ne"), "key": {"type": "string"}}, ("type", "key")),
    "Call": _obj({"type": _enum("call")}, ("type",)),
    "Holder": _obj({"filter": {"$ref": "#/components/schemas/Cmp"}}),
    "U": {"oneOf": _refs("Easy", "Out", "Cmp", "Call")},
}


def test_planner_proxy_fields_and_targets() -> None:
    spec, planner = _spec(SMALL)
    u = spec.defs["U"].type
    plan = planner.plan(u)
    assert (plan.kind, plan.tag_field) == ("tagged", "type")
    assert plan.groups == {"message": ["Easy", "Out"]}
    assert plan.proxies == {"message": "UMessage"}
    proxy = spec.defs["UMessage"]
    assert isinstance(proxy, ObjectDef)
    assert (proxy.origin, proxy.tag_field) == ("proxy", "type")
    # the target requiring more fields first
    assert proxy.targets == ["Out", "Easy"]
    fields = {f.json_name: (f.type, f.required) for f in proxy.fields}
    assert fields["type"] == (EnumT(("message",)), True)
    assert fields["role"] == (EnumT(("user", "assistant")), True)
    assert fields["id"][1] is False
    content, required = fields["content"]
    assert required
    assert isinstance(content, UnionT)
    assert planner.plan(content).kind == "plain"
    assert planner.runtime_structs(plan) == ["UMessage", "Cmp", "CmpNe", "Call"]
    assert planner.public_structs(plan) == ["Easy", "Out", "Cmp", "CmpNe", "Call"]


def test_planner_split_and_standalone_count() -> None:
    spec, planner = _spec(SMALL)
    assert planner.variants == {"Cmp": {"eq": "Cmp", "ne": "CmpNe"}}
    assert planner.expand("Cmp") == ["Cmp", "CmpNe"]
    assert planner.variant("Cmp", "ne") == "CmpNe"
    # Holder.filter (Text is tagged nowhere, so Out.content does not count)
    assert planner.standalone_positions() == 1
    assert planner.reachable(("Holder",)) == set()
    u = spec.defs["U"].type
    assert u in planner.reachable(("U",))
    assert planner.reachable((Ref("U").name,)) == planner.reachable(("U",))


def test_planner_proxy_field_falls_back_to_any() -> None:
    """Targets whose field types cannot share one native union: ``Any``."""
    schemas = {
        "A": _obj({"type": _enum("m"), "v": {"$ref": "#/components/schemas/X"}}, ("type",)),
        "B": _obj(
            {
                "type": _enum("m"),
                "v": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            ("type",),
        ),
        "X": _obj({"x": {"type": "string"}}),
        "U": {"oneOf": _refs("A", "B")},
    }
    spec, _ = _spec(schemas)
    proxy = spec.defs["UM"]
    assert isinstance(proxy, ObjectDef)
    assert proxy.field("v") is not None
    assert proxy.field("v").type.kind == "any"  # type: ignore[union-attr]


def test_generated_union_is_native_at_run_time() -> None:
    assert o.InputItemMessage in get_args(o.InputItem)
    assert o.EasyInputMessage not in get_args(o.InputItem)


# ---------------------------------------------------------------------------
# Every proxy, every target


def _proxies() -> list[type[SharedTag]]:
    import importlib

    from openai_structs.types import INDEX

    found: dict[str, type[SharedTag]] = {}
    for name, (module, attr) in sorted(INDEX.items()):
        cls = getattr(importlib.import_module(f"openai_structs.types.{module}"), attr)
        if isinstance(cls, type) and issubclass(cls, SharedTag) and cls._targets():
            found[name] = cls
    return list(found.values())


def test_every_proxy_holds_every_target_field() -> None:
    """A member is read as any of its targets: the shared-tag class must
    define every target field or carry it as its tag; each target is a plain
    generated class (a decoded member is read as it through ``__class__``)."""
    proxies = _proxies()
    assert len(proxies) >= 12
    for proxy in proxies:
        tag_field = proxy.__struct_config__.tag_field
        assert tag_field is not None
        held = set(proxy.__struct_fields__) | {tag_field}
        targets = proxy._targets()
        assert targets, proxy
        for target in targets:
            assert not issubclass(target, SharedTag), target
            missing = set(target.__struct_fields__) - held
            assert not missing, (proxy.__name__, target.__name__, missing)
            tag = getattr(proxy, tag_field)
            if target.__struct_config__.tag_field == tag_field:
                assert target.__struct_config__.tag == tag


def _examples() -> dict[str, str]:
    path = Path(__file__).resolve().parents[2] / "shared" / "spec" / "openapi.json"
    if not path.exists():
        pytest.skip(f"spec not found at {path}")
    spec = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for name, schema in spec["components"]["schemas"].items():
        example = schema.get("x-oaiMeta", {}).get("example")
        if isinstance(example, str) and hasattr(o, name):
            out[name] = example
    return out


def _find_shared(value: Any, out: list[SharedTag]) -> None:
    if isinstance(value, SharedTag):
        out.append(value)
    if isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            _find_shared(object.__getattribute__(value, name), out)
    elif isinstance(value, list):
        for item in value:
            _find_shared(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _find_shared(item, out)


def test_shared_tag_members_in_spec_examples_are_each_read_as_one_class() -> None:
    """The decoder and a bare msgspec decoder give the same objects, and each
    member of a shared tag in the spec's examples is read as one class."""
    found: list[SharedTag] = []
    for name, text in sorted(_examples().items()):
        T = getattr(o, name)
        try:
            bare = msgspec.json.Decoder(T).decode(text)
        except (msgspec.ValidationError, msgspec.DecodeError, NotImplementedError):
            continue  # a wrong example (test_examples lists them), or a union decoded in Python
        assert o.decode(text, T) == bare, name
        _find_shared(bare, found)
    assert len(found) > 20
    for value in found:
        view = view_of(value)
        assert view is not None, value
        assert [t for t in type(value)._targets() if isinstance(value, t)] == [view]
