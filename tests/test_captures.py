"""Every payload recorded from the API (``../shared/captures``) decodes into its
type, in the default mode and in strict mode, and encodes back without losing
a key.

What each file decodes into:

- ``responses-sse/*.sse``: each event is a ``ResponseStreamEvent``;
- ``chat-sse/*.sse``: each chunk is a ``CreateChatCompletionStreamResponse``;
- ``assistants-sse/*.sse``: by the ``event:`` name (``thread.run.*`` is a
  ``RunObject``, ``thread.message.delta`` a ``MessageDeltaObject``...);
- ``bodies/*.json``: a ``Response`` or a ``CreateChatCompletionResponse`` by
  its ``object``;
- ``bodies/*.jsonl``: batch output lines, ``BatchRequestOutput[Response]`` or
  ``BatchRequestOutput[CreateChatCompletionResponse]`` by the body's ``object``.

A key present in the payload and missing after the round trip is *dropped*:
the types do not define it. None may be: each key the spec lacks is added by a
patch (:mod:`openai_structs.codegen.patches`) or, for Azure OpenAI's, from
Azure's spec (:mod:`openai_structs.codegen.azure`); :data:`DROPPED_ALLOWED`
stays empty.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import openai_structs
from openai_structs import decode, encode

CAPTURES = Path(__file__).resolve().parents[1].parent / "shared" / "captures"

pytestmark = pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"no captures at {CAPTURES}")


# ---------------------------------------------------------------------------
# Reading the files


@dataclass(frozen=True)
class Event:
    """One block of a server-sent event stream."""

    event: str | None
    data: str


def parse_sse(text: str) -> list[Event]:
    """The events of an SSE stream: blocks separated by blank lines, each with
    an optional ``event:`` line and ``data:`` lines (joined by newlines);
    ``data: [DONE]`` and blocks without data are left out."""
    events = []
    for block in re.split(r"\r?\n\r?\n", text):
        name, data = None, []
        for line in block.splitlines():
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        if data and "\n".join(data).strip() != "[DONE]":
            events.append(Event(name, "\n".join(data)))
    return events


#: Assistants stream event name (less the status suffix) -> the object it carries.
ASSISTANT_OBJECTS = {
    "thread": "ThreadObject",
    "thread.run": "RunObject",
    "thread.run.step": "RunStepObject",
    "thread.run.step.delta": "RunStepDeltaObject",
    "thread.message": "MessageObject",
    "thread.message.delta": "MessageDeltaObject",
    "error": "Error",
}


def assistant_type(event: str) -> str:
    """The type an Assistants stream event's data decodes into, by its name
    (``thread.run.completed`` -> ``RunObject``)."""
    name = event if event in ASSISTANT_OBJECTS else event.rsplit(".", 1)[0]
    return ASSISTANT_OBJECTS[name]


def body_type(doc: dict[str, Any]) -> str:
    """A response body's type by its ``object``."""
    names = {"response": "Response", "chat.completion": "CreateChatCompletionResponse"}
    return names[doc["object"]]


@dataclass(frozen=True)
class Capture:
    """One payload: its id (``folder/file#n``), its JSON text and the name of
    its type (for a batch line, also the name of the body's type)."""

    id: str
    text: str
    type_name: str
    body_name: str | None = None

    @property
    def type(self) -> Any:
        tp = getattr(openai_structs, self.type_name)
        return tp if self.body_name is None else tp[getattr(openai_structs, self.body_name)]


def read_file(rel: str) -> list[Capture]:
    """Every payload in the capture file ``rel`` (``folder/name``)."""
    path = CAPTURES / rel
    text = path.read_text(encoding="utf-8")
    folder = rel.split("/", 1)[0]
    out = []
    if path.suffix == ".sse":
        for i, event in enumerate(parse_sse(text)):
            if folder == "responses-sse":
                tp = "ResponseStreamEvent"
            elif folder == "chat-sse":
                tp = "CreateChatCompletionStreamResponse"
            else:
                assert event.event is not None, f"{rel}#{i} has no event name"
                tp = assistant_type(event.event)
            out.append(Capture(f"{rel}#{i}", event.data, tp))
    elif path.suffix == ".jsonl":
        lines = [line for line in text.splitlines() if line.strip()]
        for i, line in enumerate(lines):
            body = body_type(json.loads(line)["response"]["body"])
            out.append(Capture(f"{rel}#{i}", line, "BatchRequestOutput", body))
    else:
        out.append(Capture(rel, text, body_type(json.loads(text))))
    return out


def capture(proof: str) -> Capture:
    """The payload a ``capture:folder/file#n`` proof names."""
    ref = proof.removeprefix("capture:")
    rel = ref.split("#", 1)[0]
    for c in read_file(rel):
        if c.id == ref:
            return c
    raise KeyError(f"no payload {ref}")


def _files() -> list[str]:
    if not CAPTURES.is_dir():
        return []
    return sorted(
        p.relative_to(CAPTURES).as_posix()
        for p in CAPTURES.glob("*/*")
        if p.suffix in (".sse", ".json", ".jsonl")
    )


FILES = _files()
ALL = [c for rel in FILES for c in read_file(rel)]


# ---------------------------------------------------------------------------
# Dropped keys


def dropped(before: Any, after: Any, path: str = "$") -> list[str]:
    """Paths (``$.a[].b``, array indices left out) of keys in ``before`` that
    ``after`` lacks."""
    out = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            if key not in after:
                out.append(f"{path}.{key}")
            else:
                out += dropped(value, after[key], f"{path}.{key}")
    elif isinstance(before, list) and isinstance(after, list):
        for x, y in zip(before, after):
            out += dropped(x, y, f"{path}[]")
    return out


#: Keys that no type defines: (file, path) -> why. Empty, and it stays empty:
#: a payload the API sends that loses a key on the round trip is a bug (Azure's
#: content filter reports, once listed here, are typed fields now).
DROPPED_ALLOWED: dict[tuple[str, str], str] = {}


def round_trip(c: Capture) -> list[str]:
    """Decode ``c`` in the default mode, encode it and return the dropped keys."""
    obj = decode(c.text, c.type)
    return dropped(json.loads(c.text), json.loads(encode(obj)))


# ---------------------------------------------------------------------------
# Tests


def test_sse_parser() -> None:
    text = (
        'event: a\ndata: {"x": 1}\n\n'
        ': a comment\r\ndata:{"y":\r\ndata: 2}\r\n\r\n'
        "\n\nevent: done\ndata: [DONE]\n\n"
    )
    assert parse_sse(text) == [Event("a", '{"x": 1}'), Event(None, '{"y":\n2}')]


def test_every_capture_file_is_read() -> None:
    counts = {folder: 0 for folder in ("responses-sse", "chat-sse", "assistants-sse", "bodies")}
    for c in ALL:
        counts[c.id.split("/", 1)[0]] += 1
    assert all(counts.values()), counts
    assert assistant_type("thread.run.step.delta") == "RunStepDeltaObject"
    assert assistant_type("thread.run.requires_action") == "RunObject"


@pytest.mark.parametrize("rel", FILES)
def test_capture_decodes_and_round_trips(rel: str) -> None:
    problems = []
    for c in read_file(rel):
        try:
            lost = round_trip(c)
        except ValueError as exc:
            problems.append(f"{c.id}: {exc}")
            continue
        problems += [f"{c.id}: dropped {p}" for p in lost if (rel, p) not in DROPPED_ALLOWED]
    assert problems == [], "\n".join(problems[:20]) + f"\n({len(problems)} in all)"


@pytest.mark.parametrize("rel", FILES)
def test_capture_decodes_strictly(rel: str) -> None:
    """What the API really sends is what the types know: strict mode takes
    every capture too (no unknown variant, enum value or tag)."""
    problems = []
    for c in read_file(rel):
        try:
            decode(c.text, c.type, strict=True)
        except ValueError as exc:
            problems.append(f"{c.id}: {exc}")
    assert problems == [], "\n".join(problems[:20]) + f"\n({len(problems)} in all)"


def test_nothing_is_allowed_to_drop() -> None:
    """No capture may lose a key: the allow-list stays empty."""
    assert DROPPED_ALLOWED == {}


def test_dropped_key_report() -> None:
    """The checker itself: keys lost anywhere are reported, extra keys are not."""
    before = {"a": 1, "b": {"c": 2, "d": 3}, "e": [{"f": 1}, {"f": 2, "g": 3}]}
    after = {"a": 1, "b": {"c": 2}, "e": [{"f": 1}, {"f": 2}], "z": 0}
    assert dropped(before, after) == ["$.b.d", "$.e[].g"]
