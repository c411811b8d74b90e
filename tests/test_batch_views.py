"""Views: batch lines decoded into a narrower struct of the reader's own.

A view is checked against the full type once, with a clear error naming the
first field that does not fit; then it holds, for every line the full type
reads, the same values in its fields: on every bundled and generated file,
for every endpoint (the export's own views too), and for lines whose union
members the view cannot hold (projected from the full type)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import msgspec
import pytest
from _batch_lines import generated
from msgspec import UNSET, UnsetType

import openai_structs as o
from openai_structs import ENDPOINTS, BadLine, check_view, iter_batch_output
from openai_structs.batch._views import project

ROOT = Path(__file__).resolve().parents[1]
BATCH = ROOT / "data" / "batch"
OUTPUTS = sorted(p.name for p in BATCH.glob("*.jsonl") if "input" not in p.name)


class Usage(msgspec.Struct):
    prompt_tokens: int
    total_tokens: int


class ChatUsage(msgspec.Struct, frozen=True):
    """Only what a per-model token count needs."""

    model: str
    usage: Usage | None | UnsetType = UNSET


def test_a_view_reads_the_same_values(tmp_path: Path) -> None:
    path = generated("chat_output", 500, tmp_path, seed=11)
    full = list(iter_batch_output(path, endpoint="/v1/chat/completions"))
    seen = list(iter_batch_output(path, body=ChatUsage, endpoint="/v1/chat/completions"))
    inferred = list(iter_batch_output(path, body=ChatUsage))
    assert len(full) == len(seen) == len(inferred) == 500
    views = 0
    for whole, line, other in zip(full, seen, inferred):
        assert line == other and line.custom_id == whole.custom_id
        if whole.response is None:
            assert line.response is None and line.error == whole.error
            continue
        body, view = whole.response.body, line.response.body
        if isinstance(body, o.ErrorResponse):
            assert view == body  # failed requests keep their error body
            continue
        views += 1
        assert isinstance(view, ChatUsage) and view.model == body.model
        assert view.usage.prompt_tokens == body.usage.prompt_tokens
        assert view.usage.total_tokens == body.usage.total_tokens
    assert views > 400


@pytest.mark.parametrize("name", OUTPUTS)
def test_the_exports_views_hold_what_the_full_types_hold(name: str, tmp_path: Path) -> None:
    """Each endpoint's view in the registry (what the export and the summary
    read) is a view of its body type, and holds the full type's values:
    the view decoded is the full value projected onto the view."""
    files = [BATCH / name]
    if name.startswith(("chat", "responses")):
        kind = "chat_output" if name.startswith("chat") else "responses_output"
        files.append(generated(kind, 300, tmp_path, seed=11))
    for path in files:
        full = list(iter_batch_output(path))
        reader = iter_batch_output(path)
        list(reader)
        if reader.endpoint is None:
            continue  # the error file: no body to view
        record = ENDPOINTS[reader.endpoint]
        check_view(record.view, record.body)
        seen = list(iter_batch_output(path, body=record.view))
        assert len(seen) == len(full)
        for whole, line in zip(full, seen):
            if whole.response and isinstance(whole.response.body, record.body):
                assert _value(line.response.body) == _value(
                    project(whole.response.body, record.view)
                )


def _value(view: Any) -> Any:
    """A view's value, a ``Raw`` field's JSON text read (not compared as
    bytes: the full type's value is written back compact); an empty ``Raw``
    (absent) as None."""
    if isinstance(view, msgspec.Raw):
        return json.loads(bytes(view)) if len(view) else None
    if isinstance(view, list):
        return [_value(x) for x in view]
    if isinstance(view, msgspec.Struct):
        return {name: _value(getattr(view, name)) for name in view.__struct_fields__}
    return view


class Part(msgspec.Struct):
    type: str
    text: str | UnsetType = UNSET


class Item(msgspec.Struct):
    type: str
    content: list[Part] | None | UnsetType = UNSET


class Outputs(msgspec.Struct):
    output: list[Item]


def test_a_union_member_the_view_cannot_hold_is_projected() -> None:
    """An output item of a kind added after the view was written, whose
    ``content`` holds something else, is read with the full type (an
    unknown variant) and projected: the line is not bad, and its other items
    hold what they hold."""
    line = json.loads((BATCH / "responses.jsonl").read_bytes().splitlines()[0])
    output = line["response"]["body"]["output"]
    output.insert(0, {"type": "brand_new_item", "content": {"not": "a list"}})
    data = json.dumps(line).encode() + b"\n"
    full = next(iter(iter_batch_output(data)))
    seen = next(iter(iter_batch_output(data, body=Outputs)))
    assert isinstance(seen, o.BatchRequestOutput)
    first, *rest = seen.response.body.output
    assert first == Item(type="brand_new_item")
    assert rest == [project(item, Item) for item in full.response.body.output[1:]]
    assert any(part.text for item in rest for part in item.content or ())


def test_a_view_of_another_endpoint_is_refused_at_once() -> None:
    with pytest.raises(TypeError, match=r"ChatUsage is not a view of Response: .*usage"):
        iter_batch_output(BATCH / "responses.jsonl", body=ChatUsage, endpoint="/v1/responses")
    reader = iter_batch_output(BATCH / "responses.jsonl", body=ChatUsage)  # inferred: on read
    with pytest.raises(TypeError, match="not a view of Response"):
        list(reader)


class Named(msgspec.Struct):
    modle: str


class WrongType(msgspec.Struct):
    model: int


class Required(msgspec.Struct):
    usage: Usage | None | UnsetType


class NoNull(msgspec.Struct):
    usage: Usage | UnsetType = UNSET


class OtherDefault(msgspec.Struct):
    usage: Usage | None | UnsetType = None


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    model: str


class DeepWrong(msgspec.Struct):
    choices: list[Named]


class Choice(msgspec.Struct):
    finish_reason: Literal["stop", "length"]


class WithLiteral(msgspec.Struct):
    choices: list[Choice]


class ToolCall(msgspec.Struct):
    type: str
    function: Named | UnsetType = UNSET


@pytest.mark.parametrize(
    ("view", "message"),
    [
        (Named, r"Named\.modle: not a field of CreateChatCompletionResponse"),
        (WrongType, r"WrongType\.model: int where the type has str"),
        (Required, r"Required\.usage: required in the view, optional in the type"),
        (NoNull, r"NoNull\.usage: the type takes None, Usage \| UnsetType does not"),
        (OtherDefault, r"OtherDefault\.usage: the default None where the type's is UNSET"),
        (Strict, "must not forbid unknown fields"),
        (DeepWrong, r"DeepWrong\.choices\[\]\.modle: not a field of"),
        (WithLiteral, r"WithLiteral\.choices\[\]\.finish_reason: Literal"),
        (int, "a view is a msgspec.Struct class"),
    ],
)
def test_a_view_that_does_not_fit_names_its_first_mismatch(view: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        check_view(view, o.CreateChatCompletionResponse)


class Message(msgspec.Struct):
    tool_calls: list[ToolCall] | None | UnsetType = UNSET


class Calls(msgspec.Struct):
    message: Message | None | UnsetType = UNSET


class Raws(msgspec.Struct):
    choices: msgspec.Raw
    usage: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)


def test_union_views_and_raw() -> None:
    """A struct may view a tagged union (its tag as a str field, each field
    a view of that field in every member that has it); ``Raw`` views any
    field."""
    with pytest.raises(TypeError, match=r"\.function\.modle: not a field"):
        check_view(Calls, o.CreateChatCompletionResponseChoicesItem)
    check_view(Raws, o.CreateChatCompletionResponse)
    line = (BATCH / "chat_completions.jsonl").read_bytes().splitlines()[0]
    got = next(iter(iter_batch_output(line, body=Raws)))
    body = json.loads(line)["response"]["body"]
    assert json.loads(bytes(got.response.body.choices)) == body["choices"]


def test_collect_mode_with_a_view() -> None:
    data = (BATCH / "chat_completions.jsonl").read_bytes() + b"{oops\n"
    items = list(iter_batch_output(data, body=ChatUsage, errors="collect"))
    assert isinstance(items[-1], BadLine) and len(items) == 4
