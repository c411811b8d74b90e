"""The null rule on the generated types (the stage is :mod:`openai_structs.codegen.nulls`;
its golden tests are in ``tests/codegen/test_nulls.py``).

In every type the API sends, an optional field also accepts ``null``: it
decodes to ``None``, is written back as ``null``, and an absent field stays
``UNSET``. Types only ever sent *to* the API keep the spec's letter.

The figure of merit runs on real payloads: for every recorded payload in
``../shared/captures``, each optional field that is present (and not null
already) is set to ``null``, one at a time; every such document must decode
and re-encode to itself, ``null`` included.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from test_captures import ALL, CAPTURES, Capture
from test_patches import SPEC_PATH, proof_of

import openai_structs
from openai_structs import UNSET, decode, encode
from openai_structs.codegen.patches import Patch
from openai_structs.core._base import UnknownVariant

Path = list[str | int]


def optional_present(value: Any, doc: Any, path: Path) -> Iterator[tuple[tuple[str, str], Path]]:
    """``((type name, JSON field), path)`` of each optional field of a decoded
    struct that the JSON document ``doc`` holds with a value other than null,
    walking the decoded value and the document side by side."""
    if isinstance(value, UnknownVariant):  # kept as bytes: no fields to speak of
        return
    if isinstance(value, msgspec.Struct):
        if not isinstance(doc, dict):
            return
        for f in msgspec.structs.fields(value):
            v = getattr(value, f.name)
            if v is UNSET or f.encode_name not in doc:
                continue
            here = [*path, f.encode_name]
            if not f.required and v is not None:
                yield (type(value).__name__, f.encode_name), here
            yield from optional_present(v, doc[f.encode_name], here)
    elif isinstance(value, (list, tuple)) and isinstance(doc, list):
        for i, (item, raw) in enumerate(zip(value, doc)):
            yield from optional_present(item, raw, [*path, i])
    elif isinstance(value, dict) and isinstance(doc, dict):
        for key, raw in doc.items():
            if key in value:
                yield from optional_present(value[key], raw, [*path, key])


def with_null(doc: Any, path: Path) -> Any:
    """A copy of ``doc`` with the value at ``path`` replaced by null."""
    out = copy.deepcopy(doc)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = None
    return out


def nulled(c: Capture) -> Iterator[tuple[tuple[str, str], Path, str | None]]:
    """For each optional field present in capture ``c``: its (type, field), its
    path, and why the document with that field set to null does not come back
    as itself (None when it does)."""
    doc = json.loads(c.text)
    for key, path in optional_present(decode(c.text, c.type), doc, []):
        mutated = with_null(doc, path)
        try:
            back = json.loads(encode(decode(json.dumps(mutated), c.type)))
        except ValueError as exc:
            yield key, path, str(exc)
            continue
        yield key, path, None if back == mutated else "re-encoded differently"


def test_walk_finds_optional_fields() -> None:
    raw = '{"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null, "message": {"role": "assistant", "content": "hi", "refusal": null}}], "system_fingerprint": "fp"}'
    doc = json.loads(raw)
    found = list(
        optional_present(decode(raw, openai_structs.CreateChatCompletionResponse), doc, [])
    )
    # content is required (and nullable), refusal is null already: neither counts
    assert found == [
        (("CreateChatCompletionResponseChoicesItem", "message"), ["choices", 0, "message"]),
        (("CreateChatCompletionResponse", "system_fingerprint"), ["system_fingerprint"]),
    ]
    assert with_null(doc, ["choices", 0, "message"])["choices"][0]["message"] is None
    assert doc["choices"][0]["message"] is not None


@pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"no captures at {CAPTURES}")
def test_every_optional_field_of_real_payloads_takes_null() -> None:
    positions: list[tuple[str, str]] = []
    failed: dict[tuple[str, str], str] = {}
    for c in ALL:
        for key, path, problem in nulled(c):
            positions.append(key)
            if problem is not None:
                failed.setdefault(key, f"{c.id} at {path}: {problem}")
    pairs = set(positions)
    # the recorded payloads exercise many fields: a walk that found few is broken
    assert len(pairs) >= 150 and len(positions) >= 7000, (len(pairs), len(positions))
    assert failed == {}, f"{len(failed)} of {len(pairs)} (type, field) fail:\n" + "\n".join(
        f"{k}: {v}" for k, v in sorted(failed.items())
    )


@pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"no captures at {CAPTURES}")
def test_structured_output_text_format_with_null_description() -> None:
    """The issue's example: ``text.format.description: null`` in a real
    ``Response``; it used to fail the whole body (and every event of its stream)."""
    c = next(c for c in ALL if c.id == "bodies/mira-response-refusal.json")
    assert json.loads(c.text)["text"]["format"]["description"] is None
    response = decode(c.text, openai_structs.Response)
    assert response.text.format.description is None  # type: ignore[union-attr]
    assert json.loads(encode(response)) == json.loads(c.text)


def test_null_and_absent_stay_apart() -> None:
    base = {"type": "json_schema", "name": "answer", "schema": {"type": "object"}}
    fmt = openai_structs.TextResponseFormatJsonSchema
    with_null_ = decode(json.dumps({**base, "description": None}), fmt)
    absent = decode(json.dumps(base), fmt)
    assert with_null_.description is None and absent.description is UNSET
    assert json.loads(encode(with_null_)) == {**base, "description": None}
    assert json.loads(encode(absent)) == base


def test_strict_mode_takes_the_nulls_too() -> None:
    raw = '{"type": "json_schema", "name": "a", "schema": {}, "description": null, "strict": null}'
    value = decode(raw, openai_structs.TextResponseFormatJsonSchema, strict=True)
    assert value.description is None and value.strict is None


def test_a_type_sent_both_ways_accepts_null_in_requests_too() -> None:
    """The text format object is in ``CreateResponse.text`` and ``Response.text``:
    the API sends it, so it takes null wherever it is."""
    raw = (
        '{"model": "m", "input": "x", "text": {"format": {"type": "json_schema",'
        ' "name": "a", "schema": {}, "description": null}}}'
    )
    request = decode(raw, openai_structs.CreateResponse)
    assert request.text.format.description is None  # type: ignore[union-attr]


def test_request_only_types_keep_the_spec() -> None:
    with pytest.raises(openai_structs.ValidationError, match=r"\$\.encoding_format"):
        decode(
            '{"model": "m", "input": "x", "encoding_format": null}',
            openai_structs.CreateEmbeddingRequest,
        )
    # and the same field sent by the API would: a response's optional field takes it
    decode(
        '{"object": "list", "data": [], "model": "m",'
        ' "usage": {"prompt_tokens": 0, "total_tokens": 0}, "extra": null}',
        openai_structs.CreateEmbeddingResponse,
    )


#: Patches that made one optional field nullable each, now covered by the rule:
#: (target, proof). Each proof must still decode, and the field take null.
FORMER_PATCHES: tuple[tuple[str, str], ...] = (
    ("Response.usage", "example:ResponseCreatedEvent"),
    ("BetaResponse.usage", "example:BetaResponseCreatedEvent"),
    ("ChatCompletionResponseMessage.tool_calls", "op:getChatCompletion"),
    ("FineTuningJobEvent.data", "op:listFineTuningEvents"),
    ("RealtimeResponse.status_details", "example:RealtimeServerEventResponseDone"),
    ("RealtimeBetaResponse.status_details", "example:RealtimeBetaServerEventResponseCreated"),
    (
        "RealtimeServerEventConversationItemInputAudioTranscriptionFailedError.param",
        "example:RealtimeServerEventConversationItemInputAudioTranscriptionFailed",
    ),
    (
        "RealtimeBetaServerEventConversationItemInputAudioTranscriptionFailedError.param",
        "example:RealtimeBetaServerEventConversationItemInputAudioTranscriptionFailed",
    ),
    ("RealtimeSessionCreateResponse.turn_detection", "op:create-realtime-session"),
    (
        "RealtimeSessionCreateResponseAudioInput.noise_reduction",
        "example:RealtimeSessionCreateResponse",
    ),
    (
        "RealtimeSessionCreateResponseGAAudioInput.transcription",
        "example:RealtimeCreateClientSecretResponse",
    ),
    ("AudioTranscriptionResponse.language", "op:create-realtime-transcription-session"),
    ("CreateEvalCompletionsRunDataSource.sampling_params", "op:getEvalRuns"),
    (
        "CreateChatCompletionResponse.system_fingerprint",
        (
            '{"id": "chatcmpl-1", "object": "chat.completion", "created": 1711475054,'
            ' "model": "gpt-4o-mini", "choices": [{"index": 0, "message": {"role": "assistant",'
            ' "content": "4", "refusal": null}, "logprobs": null, "finish_reason": "stop"}],'
            ' "system_fingerprint": null}'
        ),
    ),
    (
        "CreateChatCompletionStreamResponse.system_fingerprint",
        (
            '{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1711475054,'
            ' "model": "gpt-4o-mini", "choices": [], "system_fingerprint": null}'
        ),
    ),
    ("BetaResponse.user", "example:BetaResponseInProgressEvent"),
    ("ChatCompletionResponseMessage.function_call", "example:ChatCompletionList"),
    ("RealtimeBetaResponse.usage", "example:RealtimeBetaServerEventResponseCreated"),
    (
        "RealtimeSessionCreateResponseAudioInput.turn_detection",
        "example:RealtimeSessionCreateResponse",
    ),
    (
        "RealtimeSessionCreateResponseGAAudioInput.noise_reduction",
        "example:RealtimeCreateClientSecretResponse",
    ),
    (
        "RealtimeTranscriptionSessionCreateResponse.client_secret",
        "example:RealtimeTranscriptionSessionCreateResponse",
    ),
    ("Response.user", "example:ResponseCreatedEvent"),
    ("RealtimeSessionCreateResponseGA.include", "example:RealtimeCreateClientSecretResponse"),
    ("MCPTool.server_description", "capture:responses-sse/pai-mcp-server-tool-o4mini.sse#0"),
)


@pytest.mark.skipif(not SPEC_PATH.exists(), reason=f"spec not found at {SPEC_PATH}")
@pytest.mark.parametrize(("target", "proof"), FORMER_PATCHES, ids=[t for t, _ in FORMER_PATCHES])
def test_former_nullable_patches_are_covered(target: str, proof: str) -> None:
    found = proof_of(Patch(target, "nullable", "-", proof))
    decode(found.text, getattr(openai_structs, found.type_name))
    def_name, json_name = target.split(".")
    info = msgspec.inspect.type_info(getattr(openai_structs, def_name))
    assert isinstance(info, msgspec.inspect.StructType)
    (f,) = [f for f in info.fields if f.encode_name == json_name]
    assert not f.required
    assert isinstance(f.type, msgspec.inspect.UnionType)
    assert any(isinstance(t, msgspec.inspect.NoneType) for t in f.type.types)
