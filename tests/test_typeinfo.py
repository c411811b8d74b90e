"""core/_typeinfo: the one reader of struct and union metadata."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

import openai_structs as o
from openai_structs.core import _typeinfo as ti

DOC: dict[str, Any] = {
    "model": "gpt-5",
    "input": [
        {"role": "user", "content": "hi"},
        {"type": "message", "role": "assistant", "content": [{"type": "output_text"}]},
        {"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"},
        {"type": "brand_new"},
    ],
    "metadata": {"k": "v"},
}


def test_at_path_follows_fields_items_and_tags() -> None:
    doc = json.loads(json.dumps(DOC))
    assert ti.at_path(o.CreateResponse, doc, "$") == (o.CreateResponse, doc)
    assert ti.at_path(o.CreateResponse, doc, "$.input[0]")[0] is o.InputItemWithoutType
    assert ti.at_path(o.CreateResponse, doc, "$.input[1]")[0] is o.InputItemMessage
    tp, value = ti.at_path(o.CreateResponse, doc, "$.input[2]")
    assert tp is o.FunctionToolCall and value is doc["input"][2]
    assert ti.at_path(o.CreateResponse, doc, "$.input[3]")[0] is o.UnknownType
    # where the walk stops: past the end, a key the struct lacks, a free-form key
    assert ti.at_path(o.CreateResponse, doc, "$.input[9]") == (None, None)
    assert ti.at_path(o.CreateResponse, doc, "$.nope") == (None, None)
    assert ti.at_path(o.CreateResponse, doc, "$.metadata[...]") == (None, None)


def test_fields_and_tags() -> None:
    assert "role" in ti.field_names(o.OutputMessage)
    assert ti.field_names(int) == ()
    field = ti.field(o.OutputMessage, "content")
    assert field is not None and field.encode_name == "content"
    assert ti.field(o.OutputMessage, "nope") is None
    assert ti.tag_config(o.OutputMessage) == ("type", "message")
    assert ti.tag_config(o.CreateResponse) == (None, None)


def test_a_member_without_role_in_a_request_says_what_it_was_read_as() -> None:
    """The error of a member that shares a tag, found under a union of an
    array and a string (``CreateResponse.input``)."""
    doc = {"model": "m", "input": [{"type": "message", "content": "no role"}]}
    with pytest.raises(o.ValidationError) as info:
        o.decode(json.dumps(doc), o.CreateResponse)
    assert info.value.path == "$.input[0]"
    assert str(info.value).startswith("InputItemMessage: fits none of ")
    assert "which requires the field `role`" in str(info.value)


def test_mirror_struct_keeps_names_defaults_and_tag_under_other_types() -> None:
    class S(msgspec.Struct, tag_field="kind", tag="s", rename={"a": "A"}):
        a: int
        b: int = 2
        c: list[int] = msgspec.field(default_factory=list)

    Mirror = ti.mirror_struct(S, "Mirror", [str, str, list[str]])
    m = msgspec.json.decode(b'{"kind": "s", "A": "x"}', type=Mirror)
    assert (m.a, m.b, m.c) == ("x", 2, [])
    assert msgspec.json.decode(b'{"kind": "s", "A": "y"}', type=Mirror).c is not m.c
    assert msgspec.json.encode(m) == b'{"kind":"s","A":"x","b":2,"c":[]}'
    with pytest.raises(msgspec.ValidationError, match="kind"):
        msgspec.json.decode(b'{"kind": "t", "A": "x"}', type=Mirror)
