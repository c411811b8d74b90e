"""Every JSON example in the spec decodes into its type and encodes back unchanged.

Two sources of examples:

- component schemas: ``x-oaiMeta.example`` (case id = the schema name);
- operations: ``x-oaiMeta.examples.response`` of operations with a 200
  ``application/json`` schema, decoded into ``OPERATIONS[operationId][1]``
  (case id ``op:operationId``; operations with several examples, given as a
  list, get ``op:operationId#i``).

An example that is itself wrong (it contradicts the spec and the API) is listed
in :data:`WRONG_EXAMPLES` with the reason. Those cases are not skipped: they
must still fail, so that the list is pruned when the types change.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

import openai_structs
from openai_structs import decode, encode

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SPEC_PATH = SHARED / "spec" / "openapi.json"

pytestmark = pytest.mark.skipif(not SPEC_PATH.exists(), reason=f"spec not found at {SPEC_PATH}")

#: Examples that contradict the spec (and the API): case id -> why. They must
#: still fail (decode, strict decode or round trip), or the entry is stale.
WRONG_EXAMPLES: dict[str, str] = {
    "CreateEvalCompletionsRunDataSource": (
        "the example is a whole create-run request ({name, data_source}) wrapping the data source,"
        " not a data source: no `type`, no `source`"
    ),
    "CreateEvalResponsesRunDataSource": (
        "the example is a whole create-run request ({name, data_source}) wrapping the data source,"
        " not a data source: no `type`, no `source`"
    ),
    "GraderMulti": "`graders` is a list in the example; the spec has one grader object (oneOf)",
    "RealtimeTranscriptionSessionCreateResponseGA": (
        "audio.input.format is the string 'pcm16'; the spec's RealtimeAudioFormats is an object"
        " ({type: 'audio/pcm', rate})"
    ),
    "ResponseQueuedEvent": (
        "response.created_at is a date string ('2021-01-01T00:00:00Z'); spec and API use unix seconds"
    ),
    "BetaResponseQueuedEvent": "as ResponseQueuedEvent: response.created_at is a date string",
    "ResponseIncompleteEvent": (
        "incomplete_details.reason is 'max_tokens'; the spec's values are max_output_tokens and"
        " content_filter"
    ),
    "BetaResponseIncompleteEvent": "as ResponseIncompleteEvent: reason 'max_tokens'",
    "RealtimeBetaServerEventConversationItemRetrieved": (
        "the example's type is 'conversation.item.created', not 'conversation.item.retrieved'"
    ),
    "op:searchVectorStore": "search_query is a string; the spec has an array of strings",
    "op:ListThreadItemsMethod": (
        "item type is 'user_message' (spec: 'chatkit.user_message') and lacks created_at,"
        " thread_id, inference_options: decodes only as an unknown variant"
    ),
    "op:CreateChatSessionMethod": (
        "omits the required constant `object: chatkit.session`, which encoding writes back"
    ),
    "op:CancelChatSessionMethod": "predates required session fields: workflow.state_variables and tracing are missing",
    "op:createVideo": "predates required video fields: completed_at, expires_at, progress are missing",
    "op:CreateVideoRemix": "as op:createVideo: completed_at and other required fields are missing",
    "op:ListVideos": "as op:createVideo: progress and other required fields are missing",
    "op:createResponse#3": "web_search_call without the required `action` (the example predates it)",
    "op:beta_createResponse#3": "as op:createResponse#3: web_search_call without `action`",
    "op:createChatCompletion#4": "logprobs without the required `refusal` (the example predates it)",
    "op:createFineTuningJob#1": "error has null code and message, and shared_with_openai is not in the spec",
    "op:createFineTuningJob#2": "hyperparameters is null; the spec's hyperparameters object is not nullable",
    "op:createFineTuningJob#3": "error is {} without the required code/message/param",
    "op:createModeration#0": "categories lack the required `illicit` (the example predates it)",
    "op:runGrader#0": "metadata.token_usage is an object; the spec says integer or null",
}

#: Keys the examples carry that the spec does not define (decoding ignores
#: them, so the round trip drops them): case id -> ``$.paths`` of those keys.
#: The re-encoded JSON must equal the example with exactly these keys removed.
EXTRA_KEYS: dict[str, tuple[str, ...]] = {
    "AuditLog": ("$.actor.session.user_agent",),
    "BetaResponseAudioDeltaEvent": ("$.response_id",),
    "BetaResponseAudioDoneEvent": ("$.response_id",),
    "BetaResponseAudioTranscriptDeltaEvent": ("$.response_id",),
    "BetaResponseAudioTranscriptDoneEvent": ("$.response_id",),
    "BetaResponseCompletedEvent": (
        "$.response.input",
        "$.response.reasoning_effort",
        "$.response.store",
    ),
    "BetaResponseCreatedEvent": ("$.response.store",),
    "BetaResponseFailedEvent": (
        "$.response.reasoning_effort",
        "$.response.store",
    ),
    "BetaResponseInProgressEvent": ("$.response.store",),
    "BetaResponseIncompleteEvent": (
        "$.response.reasoning_effort",
        "$.response.store",
    ),
    "ChatCompletionList": (
        "$.data[0].request_id",
        "$.data[0].tool_choice",
        "$.data[0].seed",
        "$.data[0].top_p",
        "$.data[0].temperature",
        "$.data[0].presence_penalty",
        "$.data[0].frequency_penalty",
        "$.data[0].input_user",
        "$.data[0].tools",
        "$.data[0].response_format",
    ),
    "ChatCompletionMessageList": ("$.data[0].name",),
    "EvalRun": ("$.data_source.sampling_params.max_completions_tokens",),
    "EvalRunList": ("$.data[0].run_data_source",),
    "RealtimeBetaServerEventConversationItemRetrieved": ("$.previous_item_id",),
    "RealtimeBetaServerEventResponseCreated": (
        "$.response.output_modalities",
        "$.response.audio",
        "$.timestamp",
    ),
    "RealtimeBetaServerEventTranscriptionSessionCreated": (
        "$.session.id",
        "$.session.object",
        "$.session.input_audio_noise_reduction",
        "$.session.include",
    ),
    "RealtimeServerEventConversationItemInputAudioTranscriptionDelta": ("$.obfuscation",),
    "RealtimeServerEventConversationItemRetrieved": ("$.item.content[0].format",),
    "RealtimeSessionCreateRequest": (
        "$.id",
        "$.object",
        "$.model",
    ),
    "RealtimeSessionCreateResponse": (
        "$.truncation",
        "$.prompt",
    ),
    "RealtimeTranscriptionSessionCreateResponse": (
        "$.id",
        "$.object",
        "$.expires_at",
    ),
    "RealtimeTranslationServerEventSessionCreated": (
        "$.session.audio.input.transcription.language",
    ),
    "RealtimeTranslationServerEventSessionUpdated": (
        "$.session.audio.input.transcription.language",
    ),
    "ResponseAudioDeltaEvent": ("$.response_id",),
    "ResponseAudioDoneEvent": ("$.response_id",),
    "ResponseAudioTranscriptDeltaEvent": ("$.response_id",),
    "ResponseAudioTranscriptDoneEvent": ("$.response_id",),
    "ResponseCompletedEvent": (
        "$.response.input",
        "$.response.reasoning_effort",
    ),
    "ResponseFailedEvent": ("$.response.reasoning_effort",),
    "ResponseIncompleteEvent": ("$.response.reasoning_effort",),
    "VectorStoreObject": ("$.last_used_at",),
    "op:CreateChatSessionMethod": (
        "$.scope",
        "$.max_requests_per_session",
    ),
    "op:GetThreadMethod": ("$.items",),
    "op:beta_cancelResponse": ("$.store",),
    "op:beta_createResponse#0": ("$.store",),
    "op:beta_createResponse#1": ("$.store",),
    "op:beta_createResponse#2": ("$.store",),
    "op:beta_createResponse#4": ("$.store",),
    "op:beta_createResponse#6": ("$.store",),
    "op:beta_createResponse#7": ("$.store",),
    "op:beta_getResponse": ("$.store",),
    "op:cancelEvalRun": ("$.data_source.sampling_params.max_completions_tokens",),
    "op:create-group": ("$.object",),
    "op:create-realtime-session": (
        "$.modalities",
        "$.voice",
        "$.input_audio_format",
        "$.output_audio_format",
        "$.input_audio_transcription",
        "$.temperature",
        "$.max_response_output_tokens",
        "$.speed",
        "$.client_secret",
    ),
    "op:create-realtime-transcription-session": (
        "$.id",
        "$.object",
    ),
    "op:createVectorStore": (
        "$.description",
        "$.bytes",
    ),
    "op:getChatCompletion": (
        "$.request_id",
        "$.tool_choice",
        "$.seed",
        "$.top_p",
        "$.temperature",
        "$.presence_penalty",
        "$.frequency_penalty",
        "$.input_user",
        "$.tools",
        "$.response_format",
    ),
    "op:getChatCompletionMessages": ("$.data[0].name",),
    "op:getEvalRun": ("$.data_source.sampling_params.max_completions_tokens",),
    "op:getEvalRunOutputItem": (
        "$.sample.input[0].tool_call_id",
        "$.sample.input[0].tool_calls",
        "$.sample.input[0].function_call",
        "$.sample.input[1].tool_call_id",
        "$.sample.input[1].tool_calls",
        "$.sample.input[1].function_call",
        "$.sample.output[0].tool_call_id",
        "$.sample.output[0].tool_calls",
        "$.sample.output[0].function_call",
    ),
    "op:getEvalRunOutputItems": (
        "$.data[0].sample.input[0].tool_call_id",
        "$.data[0].sample.input[0].tool_calls",
        "$.data[0].sample.input[0].function_call",
        "$.data[0].sample.input[1].tool_call_id",
        "$.data[0].sample.input[1].tool_calls",
        "$.data[0].sample.input[1].function_call",
        "$.data[0].sample.output[0].tool_call_id",
        "$.data[0].sample.output[0].tool_calls",
        "$.data[0].sample.output[0].function_call",
    ),
    "op:list-groups": ("$.data[0].object",),
    "op:listChatCompletions": (
        "$.data[0].request_id",
        "$.data[0].tool_choice",
        "$.data[0].seed",
        "$.data[0].top_p",
        "$.data[0].temperature",
        "$.data[0].presence_penalty",
        "$.data[0].frequency_penalty",
        "$.data[0].input_user",
        "$.data[0].tools",
        "$.data[0].response_format",
    ),
    "op:listEvals": (
        "$.data[0].testing_criteria[0].id",
        "$.data[0].testing_criteria[0].sampling_params",
    ),
    "op:listVectorStores": (
        "$.data[0].description",
        "$.data[0].bytes",
        "$.data[1].description",
        "$.data[1].bytes",
    ),
    "op:modifyMessage": ("$.file_ids",),
    "op:modifyVectorStore": (
        "$.description",
        "$.bytes",
    ),
    "op:updateChatCompletion": (
        "$.request_id",
        "$.tool_choice",
        "$.seed",
        "$.top_p",
        "$.temperature",
        "$.presence_penalty",
        "$.frequency_penalty",
        "$.input_user",
        "$.tools",
        "$.response_format",
    ),
}


# ---------------------------------------------------------------------------
# Collecting the examples


def _load_spec() -> dict[str, Any]:
    if not SPEC_PATH.exists():
        return {}
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def schema_examples(spec: dict[str, Any]) -> dict[str, str]:
    """Schema name -> example text, for examples that are valid JSON."""
    out = {}
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        meta = schema.get("x-oaiMeta") if isinstance(schema, dict) else None
        example = meta.get("example") if isinstance(meta, dict) else None
        if isinstance(example, str) and _parses(example):
            out[name] = example
    return out


def operation_examples(spec: dict[str, Any]) -> dict[str, tuple[str, str, bool]]:
    """Case id -> (operationId, example text, whether the 200 schema is a ``$ref``)."""
    out = {}
    for item in spec.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            ok = (op.get("responses") or {}).get("200") or {}
            content = (ok.get("content") or {}).get("application/json") or {}
            if "schema" not in content:
                continue
            is_ref = "$ref" in content["schema"]
            examples = (op.get("x-oaiMeta") or {}).get("examples")
            op_id = op["operationId"]
            if isinstance(examples, dict):
                listed = [(f"op:{op_id}", examples)]
            elif isinstance(examples, list):
                listed = [(f"op:{op_id}#{i}", e) for i, e in enumerate(examples)]
            else:
                listed = []
            for case, example in listed:
                text = example.get("response") if isinstance(example, dict) else None
                if isinstance(text, str) and _parses(text):
                    out[case] = (op_id, text, is_ref)
    return out


SPEC = _load_spec()
SCHEMA_EXAMPLES = schema_examples(SPEC)
OPERATION_EXAMPLES = operation_examples(SPEC)


# ---------------------------------------------------------------------------
# Checking one example


def _difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where two JSON values differ (bool is not a number here), or None."""
    if isinstance(a, bool) or isinstance(b, bool):
        return None if type(a) is type(b) and a == b else f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            if key not in a:
                return f"{path}.{key}: added by the round trip ({b[key]!r:.80})"
            if key not in b:
                return f"{path}.{key}: lost in the round trip ({a[key]!r:.80})"
            found = _difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items became {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = _difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return None if a == b else f"{path}: {a!r} != {b!r}"
    return None if type(a) is type(b) and a == b else f"{path}: {a!r:.80} != {b!r:.80}"


_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def without_keys(value: Any, paths: tuple[str, ...]) -> Any:
    """``value`` with the object keys at ``paths`` (``$.a[0].b``) removed;
    every path must exist."""
    value = copy.deepcopy(value)
    for path in paths:
        steps = [(m.group(1), m.group(2)) for m in _STEP.finditer(path)]
        assert (
            path.startswith("$") and "".join(m.group(0) for m in _STEP.finditer(path)) == path[1:]
        ), path
        node = value
        for key, index in steps[:-1]:
            node = node[key] if key is not None else node[int(index)]
        last = steps[-1][0]
        assert isinstance(node, dict) and last in node, f"{path} is not in the example"
        del node[last]
    return value


def problem(text: str, type_name: str, extra_keys: tuple[str, ...] = ()) -> str | None:
    """What goes wrong decoding ``text`` into ``type_name`` and back, or None.

    The example must decode (lenient and strict: no unknown variants, no enum
    values the spec does not list, no keys the type does not define but those
    at ``extra_keys``) and encode to the same JSON value, less those keys.
    """
    tp = getattr(openai_structs, type_name)
    try:
        obj = decode(text, tp)
    except ValueError as exc:
        return f"decode: {type(exc).__name__}: {exc}"
    expected = without_keys(json.loads(text), extra_keys)
    diff = _difference(expected, json.loads(encode(obj)))
    if diff:
        return f"round trip differs at {diff}"
    try:  # strict mode refuses keys the type does not define: the listed ones go
        decode(json.dumps(without_keys(json.loads(text), extra_keys)), tp, strict=True)
    except ValueError as exc:
        return f"strict decode: {type(exc).__name__}: {exc}"
    return None


def _check(case: str, text: str, type_name: str) -> None:
    found = problem(text, type_name, EXTRA_KEYS.get(case, ()))
    if case in WRONG_EXAMPLES:
        assert found is not None, (
            f"{case} is listed in WRONG_EXAMPLES ({WRONG_EXAMPLES[case]}) "
            f"but now round-trips through {type_name}: remove it from the list"
        )
    else:
        assert found is None, f"{case} -> {type_name}: {found}"


# ---------------------------------------------------------------------------
# Tests


def test_example_counts() -> None:
    assert len(SCHEMA_EXAMPLES) == 351
    with_ref = [c for c, (_, _, is_ref) in OPERATION_EXAMPLES.items() if is_ref]
    inline = [c for c, (_, _, is_ref) in OPERATION_EXAMPLES.items() if not is_ref]
    # 232 examples of operations whose 200 schema is a named component (some
    # operations, such as createResponse, list several), and 7 more whose
    # schema is inline (createTranscription, deleteEval...).
    assert len(with_ref) == 232
    assert len(inline) == 7
    assert "op:createResponse#0" in with_ref and "op:retrieveModel" in with_ref


def test_listed_examples_are_cases() -> None:
    cases = set(SCHEMA_EXAMPLES) | set(OPERATION_EXAMPLES)
    assert sorted(set(WRONG_EXAMPLES) - cases) == []
    assert sorted(set(EXTRA_KEYS) - cases) == []
    assert all(reason.strip() for reason in WRONG_EXAMPLES.values())
    assert all(paths for paths in EXTRA_KEYS.values())


@pytest.mark.parametrize("name", sorted(SCHEMA_EXAMPLES))
def test_schema_example(name: str) -> None:
    _check(name, SCHEMA_EXAMPLES[name], name)


@pytest.mark.parametrize("case", sorted(OPERATION_EXAMPLES))
def test_operation_example(case: str) -> None:
    from openai_structs.types import OPERATIONS

    op_id, text, _ = OPERATION_EXAMPLES[case]
    _, response = OPERATIONS[op_id]
    assert response is not None, f"{op_id} has a 200 JSON schema but no response type"
    _check(case, text, response)


def test_round_trip_detects_changes() -> None:
    """The checker itself: a lost field, a changed value and a bool for a
    number are all reported."""
    assert _difference({"a": 1}, {"a": 1.0}) is None
    assert _difference({"a": 1, "b": None}, {"a": 1}) == "$.b: lost in the round trip (None)"
    assert _difference({"a": [1, 2]}, {"a": [1, 3]}) == "$.a[1]: 2 != 3"
    assert _difference({"a": True}, {"a": 1}) is not None
    assert problem('{"object": "model"}', "Model") is not None  # id, created, owned_by missing
    model = '{"id": "m", "object": "model", "created": 1, "owned_by": "o", "color": "red"}'
    assert (
        problem(model, "Model") == "round trip differs at $.color: lost in the round trip ('red')"
    )
    assert problem(model, "Model", ("$.color",)) is None
    assert without_keys({"a": [{"b": 1, "c": 2}]}, ("$.a[0].b",)) == {"a": [{"c": 2}]}
    with pytest.raises(AssertionError):
        without_keys({"a": 1}, ("$.b",))
