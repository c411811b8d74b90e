"""Webhooks: the generated ``WebhookEvent`` union."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

import pytest

import openai_structs
from openai_structs import UnknownType, WebhookEvent, decode, encode

SPEC_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "openapi.json"
needs_spec = pytest.mark.skipif(not SPEC_PATH.exists(), reason=f"spec not found at {SPEC_PATH}")


def _webhook_examples() -> dict[str, Any]:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    out = {}
    for hook in spec["webhooks"].values():
        ref = hook["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = ref.rsplit("/", 1)[-1]
        example = spec["components"]["schemas"][name]["x-oaiMeta"]["example"]
        # two examples (the incoming calls) list their SIP headers with a trailing comma
        out[name] = re.sub(r",(\s*\])", r"\1", example)
    return out


@needs_spec
def test_webhook_event_holds_every_webhook_of_the_spec() -> None:
    examples = _webhook_examples()
    assert len(examples) == 16
    members = {m.__name__ for m in get_args(WebhookEvent)}
    assert members == {*examples, "UnknownType"}
    for name, example in examples.items():
        event = decode(example, WebhookEvent, strict=True)
        assert type(event) is getattr(openai_structs, name)
        assert json.loads(encode(event)) == json.loads(example)


def test_a_new_event_type_is_an_unknown_variant_kept_whole() -> None:
    body = b'{"id":"evt_1","type":"video.completed","created_at":1,"data":{"id":"v"}}'
    event = decode(body, WebhookEvent)
    assert isinstance(event, UnknownType) and event.tag == "video.completed"
    assert encode(event) == body
