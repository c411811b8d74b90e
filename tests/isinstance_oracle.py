"""The corpus behind ``tests/test_views.py`` and the oracle it was checked against.

Members that share a tag (``InputItem``'s three ``type: "message"`` classes,
Realtime's messages told apart by ``role``...) decode into one class per tag
value; ``isinstance`` with the spec's classes picks the one the member's
fields select. That choice must be the one the decoder made before, when it
rebuilt each member as its public class in Python. The oracle,
``tests/isinstance_oracle.json``, was written by this module on the commit
before that change (``python tests/isinstance_oracle.py --write``): for each
payload of :func:`corpus`, the ``$.path`` and class of every object whose
class was the target of a shared tag, or ``null`` for a payload that did not
decode. It is data now: the module's :func:`corpus` still builds the payloads,
and the test compares today's decoder with the classes written then.

The corpus: every capture in ``../shared/captures``, the samples in ``data/``,
the spec's schema examples, and a grid of messages built to try each rule of
the choice (role, ``id``, ``status``, ``type`` present or not, content as a
string, input parts, output parts, both, none, an unknown part) at each
union position that holds them.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
ORACLE = HERE / "isinstance_oracle.json"

Payload = tuple[str, str, bytes]  # (id, type expression, JSON text)


def _type(expr: str) -> Any:
    """The type an oracle entry names: ``Name`` or ``Outer[Inner]``."""
    import openai_structs

    if "[" in expr:
        outer, inner = expr[:-1].split("[", 1)
        return getattr(openai_structs, outer)[_type(inner)]
    return getattr(openai_structs, expr)


def _lines(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().splitlines() if line.strip()]


def _sse_data(path: Path) -> list[bytes]:
    sys.path.insert(0, str(HERE))
    from test_captures import parse_sse

    return [e.data.encode() for e in parse_sse(path.read_text(encoding="utf-8"))]


def _captures() -> Iterator[Payload]:
    sys.path.insert(0, str(HERE))
    from test_captures import ALL

    for c in ALL:
        expr = c.type_name if c.body_name is None else f"{c.type_name}[{c.body_name}]"
        yield f"capture:{c.id}", expr, c.text.encode()


def _samples() -> Iterator[Payload]:
    data = ROOT / "data"
    for name, expr in (
        ("response.json", "Response"),
        ("response_structured.json", "Response"),
        ("bench/response_tools.json", "Response"),
        ("bench/create_response.json", "CreateResponse"),
        ("bench/response_item_list.json", "ResponseItemList"),
        ("bench/conversation_item_list.json", "ConversationItemList"),
    ):
        yield f"data:{name}", expr, (data / name).read_bytes()
    for i, line in enumerate(_lines(data / "streams" / "realtime.jsonl")):
        yield f"data:streams/realtime.jsonl#{i}", "RealtimeServerEvent", line
    for i, line in enumerate(_lines(data / "bench" / "batch_responses.jsonl")):
        yield f"data:bench/batch_responses.jsonl#{i}", "BatchRequestOutput[Response]", line
    for i, text in enumerate(_sse_data(data / "bench" / "responses_stream.sse")):
        yield f"data:bench/responses_stream.sse#{i}", "ResponseStreamEvent", text


def _examples() -> Iterator[Payload]:
    import openai_structs

    spec = SHARED / "spec" / "openapi.json"
    schemas = json.loads(spec.read_text(encoding="utf-8"))["components"]["schemas"]
    for name, schema in sorted(schemas.items()):
        example = schema.get("x-oaiMeta", {}).get("example")
        if isinstance(example, str) and hasattr(openai_structs, name):
            try:
                json.loads(example)
            except ValueError:
                continue
            yield f"example:{name}", name, example.encode()


# --------------------------------------------------------------------------
# The grid

_RESPONSE_PARTS: dict[str, list[dict[str, Any]]] = {
    "input": [{"type": "input_text", "text": "hi"}],
    "output": [{"type": "output_text", "text": "hi", "annotations": []}],
    "both": [
        {"type": "input_text", "text": "hi"},
        {"type": "output_text", "text": "hi", "annotations": []},
    ],
    "refusal": [{"type": "refusal", "refusal": "no"}],
    "none": [],
    "unknown": [{"type": "brand_new_part", "x": 1}],
}


def _response_messages() -> Iterator[tuple[str, dict[str, Any]]]:
    roles = ("user", "assistant", "system", "developer", "critic")
    contents: list[tuple[str, Any]] = [("str", "hello"), *_RESPONSE_PARTS.items()]
    for role, (kind, content), has_id, has_status, has_type, has_phase in itertools.product(
        roles, contents, (False, True), (False, True), (True, False), (False, True)
    ):
        item: dict[str, Any] = {}
        if has_type:
            item["type"] = "message"
        if has_id:
            item["id"] = "msg_1"
        item["role"] = role
        item["content"] = content
        if has_status:
            item["status"] = "completed"
        if has_phase:
            item["phase"] = "final_answer"
        name = f"{role},{kind},id={has_id},status={has_status},type={has_type},phase={has_phase}"
        yield name, item


_REALTIME_PARTS: dict[str, list[dict[str, Any]]] = {
    "input_text": [{"type": "input_text", "text": "hi"}],
    "input_audio": [{"type": "input_audio", "audio": "AAAA", "transcript": "hi"}],
    "input_image": [{"type": "input_image", "image_url": "data:,", "detail": "auto"}],
    "output_text": [{"type": "output_text", "text": "hi"}],
    "output_audio": [{"type": "output_audio", "audio": "AAAA", "transcript": "hi"}],
    "text": [{"type": "text", "text": "hi"}],
    "audio": [{"type": "audio", "audio": "AAAA"}],
    "input_text+audio": [
        {"type": "input_text", "text": "hi"},
        {"type": "input_audio", "audio": "AAAA"},
    ],
    "none": [],
}


def _realtime_messages() -> Iterator[tuple[str, dict[str, Any]]]:
    for role, (kind, content), has_id, has_status in itertools.product(
        ("system", "user", "assistant", "critic"),
        _REALTIME_PARTS.items(),
        (False, True),
        (False, True),
    ):
        item: dict[str, Any] = {"type": "message"}
        if has_id:
            item["id"] = "item_1"
            item["object"] = "realtime.item"
        if has_status:
            item["status"] = "completed"
        item["role"] = role
        item["content"] = content
        yield f"{role},{kind},id={has_id},status={has_status}", item


def _grid() -> Iterator[Payload]:
    for name, item in _response_messages():
        doc = {"model": "m", "input": [item]}
        yield f"grid:CreateResponse.input:{name}", "CreateResponse", msgspec.json.encode(doc)
        listing = {"object": "list", "data": [item], "first_id": "a", "last_id": "b"}
        listing["has_more"] = False
        yield f"grid:ResponseItemList:{name}", "ResponseItemList", msgspec.json.encode(listing)
        yield f"grid:Item:{name}", "Item", msgspec.json.encode(item)
    for name, item in _realtime_messages():
        event = {"type": "conversation.item.create", "event_id": "e", "item": item}
        yield f"grid:RealtimeClientEvent:{name}", "RealtimeClientEvent", msgspec.json.encode(event)
        server = {"type": "conversation.item.added", "event_id": "e", "item": item}
        yield (
            f"grid:RealtimeServerEvent:{name}",
            "RealtimeServerEvent",
            msgspec.json.encode(server),
        )
    for fmt in (
        {"type": "audio/pcm", "rate": 24000},
        {"type": "audio/pcm"},
        {"type": "audio/pcmu"},
        {"type": "audio/pcma"},
        {"rate": 24000},
        {},
    ):
        session = {"type": "realtime", "audio": {"input": {"format": fmt}}}
        event = {"type": "session.update", "session": session}
        name = json.dumps(fmt, sort_keys=True)
        yield (
            f"grid:session.update format {name}",
            "RealtimeClientEvent",
            msgspec.json.encode(event),
        )
    for tool in (
        {"type": "function", "name": "f", "parameters": {}},
        {"name": "f"},
        {"type": "function"},
    ):
        event = {"type": "response.create", "response": {"tools": [tool]}}
        name = json.dumps(tool, sort_keys=True)
        yield f"grid:response.create tool {name}", "RealtimeClientEvent", msgspec.json.encode(event)
    for ref in ({"type": "item_reference", "id": "x"}, {"id": "x"}):
        doc = {"model": "m", "input": [ref]}
        name = json.dumps(ref, sort_keys=True)
        yield f"grid:CreateResponse.input ref {name}", "CreateResponse", msgspec.json.encode(doc)


def corpus() -> list[Payload]:
    """Every payload the oracle covers, in a fixed order."""
    out: list[Payload] = []
    if (SHARED / "captures").is_dir():
        out += _captures()
    out += _samples()
    if (SHARED / "spec" / "openapi.json").is_file():
        out += _examples()
    out += _grid()
    return out


# --------------------------------------------------------------------------
# Walking a decoded value


def objects(value: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    """Every struct inside ``value`` with its ``$.path``, outermost first."""
    stack = [(path, value)]
    while stack:
        path, obj = stack.pop()
        if isinstance(obj, msgspec.Struct):
            yield path, obj
            names = obj.__struct_fields__
            encode = obj.__struct_encode_fields__
            children = [(f"{path}.{e}", getattr(obj, n)) for n, e in zip(names, encode)]
        elif isinstance(obj, list):
            children = [(f"{path}[{i}]", x) for i, x in enumerate(obj)]
        elif isinstance(obj, dict):
            children = [(f"{path}.{k}", x) for k, x in obj.items()]
        else:
            children = []
        stack.extend(reversed(children))


def _write() -> None:  # pragma: no cover - run once, on the commit before the change
    import importlib

    import openai_structs
    from openai_structs.core._base import VariantProxy
    from openai_structs.types import INDEX

    targets: set[type] = set()
    for module, attr in INDEX.values():
        cls = getattr(importlib.import_module(f"openai_structs.types.{module}"), attr)
        if isinstance(cls, type) and issubclass(cls, VariantProxy):
            targets.update(cls._targets())  # pyright: ignore[reportPrivateUsage]
    out: dict[str, Any] = {"targets": sorted(t.__name__ for t in targets), "payloads": {}}
    for pid, expr, text in corpus():
        try:
            value = openai_structs.decode(text, _type(expr))
        except ValueError as exc:
            out["payloads"][pid] = {"error": str(exc).split(" - at ")[0]}
            continue
        found = {p: type(o).__name__ for p, o in objects(value) if type(o) in targets}
        out["payloads"][pid] = found
    ORACLE.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    n = sum(len(v) for v in out["payloads"].values() if "error" not in v)
    print(f"{len(out['payloads'])} payloads, {n} objects -> {ORACLE}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        sys.path.insert(0, str(ROOT))
        _write()
