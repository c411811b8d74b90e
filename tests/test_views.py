"""Members that share a tag decode natively into one class per tag value, and
``isinstance`` with the spec's classes holds for exactly the members it held
for when the decoder rebuilt each of them as its public class.

The oracle (``tests/isinstance_oracle.json``) was written on the commit before
that change, over the captures, the samples, the spec's examples and a grid of
messages: for each payload, the class of every object that was the target of a
shared tag. Here each payload is decoded again and every such object is asked
``isinstance`` against every class that shared tags are read as.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import msgspec
import pytest
from isinstance_oracle import ORACLE, _type, corpus, objects

import openai_structs as o
from openai_structs.core._base import SharedTag
from openai_structs.core._views import view_of

ORACLE_DATA: dict[str, Any] = json.loads(ORACLE.read_text(encoding="utf-8"))
CORPUS = corpus()

#: The content parts of a Realtime message: the rebuilding decoder made each
#: the part class of its message's role; a part decoded natively cannot see
#: its message, so it is read as the part class its own ``type`` and fields
#: select (an ``input_text`` part, which a system and a user message both
#: take, is a user message's part).
PARTS = {
    "RealtimeConversationItemMessageSystemContentItem",
    "RealtimeConversationItemMessageUserContentItem",
    "RealtimeConversationItemMessageAssistantContentItem",
}
PART_BY_TYPE = {
    "input_text": "RealtimeConversationItemMessageUserContentItem",
    "input_audio": "RealtimeConversationItemMessageUserContentItem",
    "input_image": "RealtimeConversationItemMessageUserContentItem",
    "output_text": "RealtimeConversationItemMessageAssistantContentItem",
    "output_audio": "RealtimeConversationItemMessageAssistantContentItem",
    "text": "RealtimeConversationItemMessageAssistantContentItem",
    "audio": "RealtimeConversationItemMessageAssistantContentItem",
}


#: Where the rebuilding decoder's answer depended on an unknown variant
#: inside the member (its README says an answer never may): an assistant
#: message sent without ``type``, with ``status`` and a part no class knows.
#: Decoded through the message proxy it failed on the unknown part, and the
#: fallback made it an ``EasyInputMessage`` (dropping ``status``); the same
#: message with a known part was read as an ``InputMessage``, as it is now.
CHANGED = {
    "grid:CreateResponse.input:assistant,unknown,id=False,status=True,type=False,phase=False": (
        "InputMessage"
    ),
}


def _targets_of(obj: Any) -> tuple[type, ...]:
    if isinstance(obj, type) and issubclass(obj, SharedTag):
        return obj._targets()
    return ()


@cache
def _views() -> dict[str, type]:
    out = {name: getattr(o, name) for name in ORACLE_DATA["targets"]}
    targets = {t for name in dir(o) for t in _targets_of(getattr(o, name))}
    assert set(out.values()) <= targets  # each is a class some shared tag is read as
    return out


def _expected(pid: str, recorded: str, obj: Any) -> str:
    if pid in CHANGED:
        return CHANGED[pid]
    if recorded in PARTS:
        return PART_BY_TYPE[obj.type]
    return recorded


def _check(pid: str, expr: str, text: bytes) -> list[str]:
    want = ORACLE_DATA["payloads"][pid]
    problems: list[str] = []
    if "error" in want:
        try:
            value = o.decode(text, _type(expr))
        except ValueError:
            return []
        # the default mode no longer checks a member fits a class: it is kept,
        # an instance of none of them; strict mode rejects it
        for path, obj in objects(value):
            if isinstance(obj, SharedTag) and view_of(obj) is not None:
                problems.append(f"{pid} {path}: decodes as {view_of(obj).__name__}")
        with pytest.raises(o.ValidationError):
            o.decode(text, _type(expr), strict=True)
        if not any(isinstance(x, SharedTag) for _, x in objects(value)):
            problems.append(f"{pid}: decodes, and holds no shared-tag member")
        return problems
    value = o.decode(text, _type(expr))
    found = dict(objects(value))
    for path, obj in found.items():
        if isinstance(obj, SharedTag) and path not in want:
            problems.append(f"{pid} {path}: {type(obj).__name__}, not in the oracle")
    for path, recorded in want.items():
        obj = found[path]
        expected = _expected(pid, recorded, obj)
        holds = sorted(n for n, cls in _views().items() if isinstance(obj, cls))
        if holds != [expected]:
            problems.append(f"{pid} {path}: isinstance holds for {holds}, was {expected}")
    return problems


@pytest.mark.parametrize("kind", ["capture", "data", "example", "grid"])
def test_isinstance_holds_as_on_the_oracle(kind: str) -> None:
    payloads = [p for p in CORPUS if p[0].split(":", 1)[0] == kind]
    assert payloads, kind
    assert all(pid in ORACLE_DATA["payloads"] for pid, _, _ in payloads)
    problems: list[str] = []
    for pid, expr, text in payloads:
        problems += _check(pid, expr, text)
    assert problems == [], "\n".join(problems[:30]) + f"\n({len(problems)} in all)"


def test_the_oracle_covers_every_class_shared_tags_are_read_as() -> None:
    counts: dict[str, int] = {}
    for found in ORACLE_DATA["payloads"].values():
        for name in found.values() if "error" not in found else ():
            counts[name] = counts.get(name, 0) + 1
    assert set(counts) >= {
        "OutputMessage",
        "EasyInputMessage",
        "InputMessage",
        "InputMessageResource",
        "ItemReferenceParam",
        "RealtimeConversationItemMessageSystem",
        "RealtimeConversationItemMessageUser",
        "RealtimeConversationItemMessageAssistant",
    }


def test_grid_round_trips() -> None:
    """Every grid payload that decodes is written back as it came: a member
    that fits no class too."""
    problems = []
    for pid, expr, text in CORPUS:
        if not pid.startswith("grid:"):
            continue
        try:
            value = o.decode(text, _type(expr))
        except ValueError:
            continue
        if msgspec.json.decode(o.encode(value)) != msgspec.json.decode(text):
            problems.append(pid)
    assert problems == []


ASSISTANT_WITHOUT_ID = {
    "type": "message",
    "role": "assistant",
    "status": "completed",
    "content": [{"type": "output_text", "text": "x", "annotations": []}],
}


@pytest.mark.parametrize("strict", [False, True])
def test_a_member_lacking_a_field_says_which_class_it_was_read_as(strict: bool) -> None:
    """msgspec alone says only "missing required field `id`"; the error
    names the shared class, the class the member was read as and why."""
    listing = {"object": "list", "data": [ASSISTANT_WITHOUT_ID], "has_more": False}
    listing |= {"first_id": "a", "last_id": "b"}
    with pytest.raises(o.ValidationError) as info:
        o.decode(json.dumps(listing), o.ResponseItemList, strict=strict)
    assert info.value.path == "$.data[0]"
    assert str(info.value) == (
        "ItemResourceMessage: fits none of OutputMessage, InputMessageResource: read as"
        " OutputMessage, which requires the field `id` - at `$.data[0]`"
    )
    user = dict(ASSISTANT_WITHOUT_ID, role="user")
    user["content"] = [{"type": "input_text", "text": "hi"}]
    with pytest.raises(o.ValidationError, match="read as InputMessageResource, which requires"):
        o.decode(json.dumps(user), o.ItemResource, strict=strict)
    # any other error, and a class that shares no tag, keep msgspec's words
    with pytest.raises(o.ValidationError, match=r"^Object missing required field `id` - at `\$`$"):
        o.decode(json.dumps(ASSISTANT_WITHOUT_ID), o.OutputItem, strict=strict)


def test_help_shows_no_internal_class() -> None:
    """``help(CreateResponse)`` names, at the union positions of members
    that share a tag, public documented classes: each importable from the
    package and none saying it is never seen by users."""
    import pydoc
    import re

    text = pydoc.render_doc(o.CreateResponse, renderer=pydoc.plaintext)
    signature = next(line for line in text.splitlines() if "CreateResponse(*," in line)
    named = set(re.findall(r"openai_structs\.[\w.]+\.([A-Z]\w*)", signature))
    assert "InputItemMessage" in named
    for name in named:
        cls = getattr(o, name, None)
        assert cls is not None, f"{name} is not public"
        doc = cls.__doc__ or ""
        assert doc and "never seen" not in doc and "proxy" not in doc.lower(), name
    assert "docs/shared-tags.md" in (o.InputItemMessage.__doc__ or "")


def test_no_public_dec_hook() -> None:
    """A hand-built msgspec decoder with a hook could not give what
    ``decode`` gives (no unknown variant, no member without its tag), so
    there is none to hand it; the README and docs do not offer one."""
    from pathlib import Path

    assert not hasattr(o, "dec_hook") and "dec_hook" not in o.__all__
    root = Path(__file__).resolve().parents[1]
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        if doc.name == "benchmarks-history.md":  # the record of earlier designs
            continue
        assert "openai_structs.dec_hook" not in doc.read_text(encoding="utf-8"), doc.name


def test_the_view_is_the_objects_class_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """``x.__class__`` is the class ``x`` is read as (``isinstance`` asks it),
    worked out on the first question and kept; ``type(x)`` is the decoded
    class. Objects that share no tag never ask the views anything."""
    from openai_structs.core import _base

    listing = {"object": "list", "data": [], "has_more": False, "first_id": "a", "last_id": "b"}
    listing["data"] = [
        dict(ASSISTANT_WITHOUT_ID, id="msg_0"),
        {"type": "function_call", "id": "fc", "call_id": "c", "name": "f", "arguments": "{}"},
    ]
    message, call = o.decode(json.dumps(listing), o.ResponseItemList).data
    assert type(message) is o.ItemResourceMessage and message.__class__ is o.OutputMessage
    assert vars(message) == {"view": o.OutputMessage}
    asked: list[Any] = []
    real = _base.VIEW_OF[0]
    monkeypatch.setattr(_base, "VIEW_OF", [lambda x: asked.append(x) or real(x)])
    assert isinstance(message, o.OutputMessage) and not isinstance(message, o.InputMessageResource)
    assert not isinstance(call, o.OutputMessage) and isinstance(call, o.FunctionToolCallResource)
    fresh = o.decode(json.dumps(listing), o.ResponseItemList).data[0]
    assert isinstance(fresh, o.OutputMessage) and isinstance(fresh, o.OutputMessage)
    assert asked == [fresh]  # once, for the one object not asked before
    request = {"model": "gpt-5", "input": [{"content": "no role, no type"}]}
    unfit = o.decode(json.dumps(request), o.CreateResponse).input[0]
    assert unfit.__class__ is type(unfit)  # it fits none: read as its own class
