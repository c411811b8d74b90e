"""Stage 3: corrections to the spec, in one declarative list.

The spec is wrong in places: it calls a field required that the API omits, or
leaves out a field every payload has. Each :class:`Patch` names the field, the
change, why, and a payload (``proof``) that the API sends and that the
unpatched type rejects. ``tests/test_patches.py`` decodes every proof.

Changes:

- ``optional``: the field may be absent.
- ``nullable``: the field may be ``null``.
- ``enum``: the field's enum also takes ``values``.
- ``body``: the field holds the request or response body of a batch line; it
  becomes the type parameter ``BodyT`` (``BatchRequestOutput[ChatCompletion]``).
- ``add``: the API sends a field the spec does not define; it is added, never
  required, with the type written in ``type`` (see :func:`parse_type`).

Proofs: JSON text, ``example:Schema``, ``op:operationId``, or a recorded
payload ``capture:<folder>/<file>#<n>`` under ``../shared/captures`` (``n``:
the n-th event of an ``.sse`` file, counting ``data:`` blocks from 0 and
leaving out ``[DONE]``, or the n-th line of a ``.jsonl`` file; a ``.json``
body takes no ``#n``). The tests decode a capture into the type its folder
and shape call for.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ir import NULL, Array, EnumT, Field, Map, ObjectDef, Prim, Ref, Spec, Type, TypeVarT, UnionT


@dataclass(frozen=True)
class Patch:
    #: ``Definition.field`` as the spec (or the generator, for inline types) names it.
    target: str
    change: str
    why: str
    #: A payload that needs the change: JSON text of type ``Definition``, or
    #: ``example:Schema`` / ``op:operationId`` for an example in the spec.
    proof: str
    #: For ``enum``: the values to add.
    values: tuple[str, ...] = ()
    #: For ``add``: the new field's type, such as ``"bool"``, ``"float | null"``,
    #: ``"list[int]"``, ``"map[any]"`` or a definition name.
    type: str = ""


PATCHES: tuple[Patch, ...] = (
    # -- null where the spec allows no null: the API sends it -------------
    Patch(
        "Response.usage",
        "nullable",
        "The response.created / in_progress / failed events carry a response whose usage is still null.",
        "example:ResponseCreatedEvent",
    ),
    Patch(
        "BetaResponse.usage", "nullable", "As Response.usage.", "example:BetaResponseCreatedEvent"
    ),
    Patch(
        "ChatCompletionResponseMessage.tool_calls",
        "nullable",
        "Stored completions return tool_calls: null when no tool was called.",
        "op:getChatCompletion",
    ),
    Patch(
        "EvalRun.per_model_usage",
        "nullable",
        "Null until the run has usage to report.",
        "example:EvalRun",
    ),
    Patch(
        "EvalRunOutputItemSample.error",
        "nullable",
        "Null when the sample did not fail.",
        "op:getEvalRunOutputItem",
    ),
    Patch(
        "FineTuningJobEvent.data",
        "nullable",
        "Null for events without a payload.",
        "op:listFineTuningEvents",
    ),
    Patch(
        "RealtimeResponse.status_details",
        "nullable",
        "Null while a response is in progress or when it completed normally.",
        "example:RealtimeServerEventResponseDone",
    ),
    Patch(
        "RealtimeBetaResponse.status_details",
        "nullable",
        "As RealtimeResponse.status_details.",
        "example:RealtimeBetaServerEventResponseCreated",
    ),
    Patch(
        "RealtimeServerEventConversationItemInputAudioTranscriptionFailedError.param",
        "nullable",
        "Null when the error concerns no parameter.",
        "example:RealtimeServerEventConversationItemInputAudioTranscriptionFailed",
    ),
    Patch(
        "RealtimeBetaServerEventConversationItemInputAudioTranscriptionFailedError.param",
        "nullable",
        "As the GA event.",
        "example:RealtimeBetaServerEventConversationItemInputAudioTranscriptionFailed",
    ),
    Patch(
        "RealtimeSessionCreateRequest.turn_detection",
        "nullable",
        "null turns voice activity detection off.",
        "example:RealtimeSessionCreateRequest",
    ),
    Patch(
        "RealtimeSessionCreateResponse.turn_detection",
        "nullable",
        "As in the request: null means no turn detection.",
        "op:create-realtime-session",
    ),
    Patch(
        "RealtimeSessionCreateResponseAudioInput.noise_reduction",
        "nullable",
        "null turns noise reduction off.",
        "example:RealtimeSessionCreateResponse",
    ),
    Patch(
        "RealtimeSessionCreateResponseGAAudioInput.transcription",
        "nullable",
        "null when input transcription is off.",
        "example:RealtimeCreateClientSecretResponse",
    ),
    Patch(
        "AudioTranscriptionResponse.language",
        "nullable",
        "null when no language was set.",
        "op:create-realtime-transcription-session",
    ),
    Patch(
        "RunObject.instructions",
        "nullable",
        "null when the run uses no instructions.",
        "example:RunObject",
    ),
    Patch(
        "CreateEvalCompletionsRunDataSource.sampling_params",
        "nullable",
        "null when the run uses default sampling.",
        "op:getEvalRuns",
    ),
    Patch(
        "CreateChatCompletionResponse.system_fingerprint",
        "nullable",
        "Completions of some models carry system_fingerprint: null (see the batch output example).",
        '{"id": "chatcmpl-1", "object": "chat.completion", "created": 1711475054, "model": "gpt-4o-mini",'
        ' "choices": [{"index": 0, "message": {"role": "assistant", "content": "4", "refusal": null},'
        ' "logprobs": null, "finish_reason": "stop"}], "system_fingerprint": null}',
    ),
    Patch(
        "CreateChatCompletionStreamResponse.system_fingerprint",
        "nullable",
        "Stream chunks carry system_fingerprint: null like the full completion.",
        '{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1711475054,'
        ' "model": "gpt-4o-mini", "choices": [], "system_fingerprint": null}',
    ),
    # -- required in the spec, absent from what the API sends ------------
    Patch(
        "BetaOutputTextContent.logprobs",
        "optional",
        "Text parts omit logprobs unless they were asked for (the GA type is relaxed by history).",
        "op:beta_getResponse",
    ),
    Patch(
        "BetaResponseTextDeltaEvent.logprobs",
        "optional",
        "Listed as required; streams without logprobs omit it (the GA event is relaxed by history).",
        "example:BetaResponseTextDeltaEvent",
    ),
    Patch(
        "BetaResponseTextDoneEvent.logprobs",
        "optional",
        "As the beta delta event.",
        "example:BetaResponseTextDoneEvent",
    ),
    Patch(
        "FineTuningJob.error",
        "optional",
        "Absent on jobs that did not fail.",
        "example:FineTuningJob",
    ),
    Patch(
        "ChatCompletionMessageListDataItem.refusal",
        "optional",
        "Stored messages without a refusal omit it.",
        "example:ChatCompletionMessageList",
    ),
    Patch(
        "RunStepObject.metadata",
        "optional",
        "Run steps listed without metadata omit it.",
        "example:RunStepObject",
    ),
    Patch(
        "ThreadObject.tool_resources",
        "optional",
        "Threads without tool resources omit it.",
        "example:ThreadObject",
    ),
    Patch(
        "VectorStoreObject.metadata",
        "optional",
        "Absent when no metadata was set.",
        "example:VectorStoreObject",
    ),
    Patch(
        "VectorStoreObject.name",
        "optional",
        "Absent on unnamed vector stores.",
        "op:getVectorStore",
    ),
    Patch(
        "VectorStoreObject.usage_bytes",
        "optional",
        "Absent from vector stores returned right after creation.",
        "op:createVectorStore",
    ),
    Patch(
        "VectorStoreFileObject.usage_bytes",
        "optional",
        "Absent while the file is still being processed.",
        "op:getVectorStoreFile",
    ),
    Patch(
        "MessageObject.status",
        "optional",
        "Absent on messages of older threads.",
        "example:MessageObject",
    ),
    Patch(
        "GroupResponse.group_type",
        "optional",
        "Absent on groups made before group types existed.",
        "op:create-group",
    ),
    Patch(
        "ProjectGroup.group_type",
        "optional",
        "As GroupResponse.group_type.",
        "op:add-project-group",
    ),
    Patch(
        "AssignedRoleDetails.assignment_sources",
        "optional",
        "Absent on direct role assignments.",
        "op:list-user-role-assignments",
    ),
    Patch(
        "ThreadResource.created_at",
        "optional",
        "Absent in ChatKit thread listings.",
        "op:GetThreadMethod",
    ),
    Patch(
        "ThreadItemListResource.first_id",
        "optional",
        "Absent when the page is empty or not yet known.",
        "op:ListThreadItemsMethod",
    ),
    Patch(
        "RealtimeTranscriptionSessionCreateResponse.client_secret",
        "optional",
        "transcription_session.created events carry the session without one.",
        "example:RealtimeBetaServerEventTranscriptionSessionCreated",
    ),
    Patch(
        "ResponseCustomToolCallInputDeltaEvent.sequence_number",
        "optional",
        "The spec's example of this event has none.",
        "example:ResponseCustomToolCallInputDeltaEvent",
    ),
    Patch(
        "ResponseCustomToolCallInputDoneEvent.sequence_number",
        "optional",
        "As the delta event.",
        "example:ResponseCustomToolCallInputDoneEvent",
    ),
    Patch(
        "BetaResponseCustomToolCallInputDeltaEvent.sequence_number",
        "optional",
        "As ResponseCustomToolCallInputDeltaEvent.",
        "example:BetaResponseCustomToolCallInputDeltaEvent",
    ),
    Patch(
        "BetaResponseCustomToolCallInputDoneEvent.sequence_number",
        "optional",
        "As ResponseCustomToolCallInputDoneEvent.",
        "example:BetaResponseCustomToolCallInputDoneEvent",
    ),
    Patch(
        "BetaOutputMessage.status",
        "optional",
        "The spec's example (BetaResponseCompletedEvent) leaves it out.",
        "example:BetaResponseCompletedEvent",
    ),
    Patch(
        "BetaResponse.user",
        "nullable",
        "The spec's example (BetaResponseInProgressEvent) sends null here.",
        "example:BetaResponseInProgressEvent",
    ),
    Patch(
        "ChatCompletionResponseMessage.function_call",
        "nullable",
        "The spec's example (ChatCompletionList) sends null here.",
        "example:ChatCompletionList",
    ),
    Patch(
        "EvalRun.error",
        "nullable",
        "The spec's example (EvalRunList) sends null here.",
        "example:EvalRunList",
    ),
    Patch(
        "EvalRun.per_testing_criteria_results",
        "nullable",
        "The spec's example (EvalRun) sends null here.",
        "example:EvalRun",
    ),
    Patch(
        "FineTuningJob.finished_at",
        "optional",
        "The spec's example (cancelFineTuningJob) leaves it out.",
        "op:cancelFineTuningJob",
    ),
    Patch(
        "MessageObject.incomplete_details",
        "optional",
        "The spec's example (MessageObject) leaves it out.",
        "example:MessageObject",
    ),
    Patch(
        "OutputMessage.status",
        "optional",
        "The spec's example (ResponseCompletedEvent) leaves it out.",
        "example:ResponseCompletedEvent",
    ),
    Patch(
        "RealtimeBetaResponse.usage",
        "nullable",
        "The spec's example (RealtimeBetaServerEventResponseCreated) sends null here.",
        "example:RealtimeBetaServerEventResponseCreated",
    ),
    Patch(
        "RealtimeSessionCreateResponseAudioInput.turn_detection",
        "nullable",
        "The spec's example (RealtimeSessionCreateResponse) sends null here.",
        "example:RealtimeSessionCreateResponse",
    ),
    Patch(
        "RealtimeSessionCreateResponseGAAudioInput.noise_reduction",
        "nullable",
        "The spec's example (RealtimeCreateClientSecretResponse) sends null here.",
        "example:RealtimeCreateClientSecretResponse",
    ),
    Patch(
        "RealtimeTranscriptionSessionCreateResponse.client_secret",
        "nullable",
        "The spec's example (RealtimeTranscriptionSessionCreateResponse) sends null here.",
        "example:RealtimeTranscriptionSessionCreateResponse",
    ),
    Patch(
        "Response.user",
        "nullable",
        "The spec's example (ResponseCreatedEvent) sends null here.",
        "example:ResponseCreatedEvent",
    ),
    Patch(
        "ThreadItemListResource.last_id",
        "optional",
        "The spec's example (ListThreadItemsMethod) leaves it out.",
        "op:ListThreadItemsMethod",
    ),
    Patch(
        "ThreadResource.status",
        "optional",
        "The spec's example (GetThreadMethod) leaves it out.",
        "op:GetThreadMethod",
    ),
    Patch(
        "VectorStoreFileObject.status",
        "optional",
        "The spec's example (listFilesInVectorStoreBatch) leaves it out.",
        "op:listFilesInVectorStoreBatch",
    ),
    Patch(
        "VectorStoreObject.file_counts",
        "optional",
        "The spec's example (getVectorStore) leaves it out.",
        "op:getVectorStore",
    ),
    Patch(
        "VectorStoreObject.status",
        "optional",
        "The spec's example (createVectorStore) leaves it out.",
        "op:createVectorStore",
    ),
    Patch(
        "BetaResponse.parallel_tool_calls",
        "optional",
        "The spec's example (BetaResponseIncompleteEvent) leaves it out.",
        "example:BetaResponseIncompleteEvent",
    ),
    Patch(
        "BetaResponseUsage.input_tokens_details",
        "optional",
        "The spec's example (BetaResponseCompletedEvent) leaves it out.",
        "example:BetaResponseCompletedEvent",
    ),
    Patch(
        "ChatCompletionResponseMessage.refusal",
        "optional",
        "The spec's example (ChatCompletionList) leaves it out.",
        "example:ChatCompletionList",
    ),
    Patch(
        "EvalRun.data_source",
        "optional",
        "The spec's example (EvalRunList) leaves it out.",
        "example:EvalRunList",
    ),
    Patch(
        "FineTuningJob.hyperparameters",
        "optional",
        "The spec's example (cancelFineTuningJob) leaves it out.",
        "op:cancelFineTuningJob",
    ),
    Patch(
        "MessageObject.completed_at",
        "optional",
        "The spec's example (MessageObject) leaves it out.",
        "example:MessageObject",
    ),
    Patch(
        "RealtimeSessionCreateResponseGA.include",
        "nullable",
        "The spec's example (RealtimeCreateClientSecretResponse) sends null here.",
        "example:RealtimeCreateClientSecretResponse",
    ),
    Patch(
        "Response.parallel_tool_calls",
        "optional",
        "The spec's example (ResponseFailedEvent) leaves it out.",
        "example:ResponseFailedEvent",
    ),
    Patch(
        "ResponseUsage.input_tokens_details",
        "optional",
        "The spec's example (ResponseCompletedEvent) leaves it out.",
        "example:ResponseCompletedEvent",
    ),
    Patch(
        "ThreadResource.user",
        "optional",
        "The spec's example (GetThreadMethod) leaves it out.",
        "op:GetThreadMethod",
    ),
    Patch(
        "VectorStoreFileObject.last_error",
        "optional",
        "The spec's example (listFilesInVectorStoreBatch) leaves it out.",
        "op:listFilesInVectorStoreBatch",
    ),
    Patch(
        "VectorStoreObject.last_active_at",
        "optional",
        "The spec's example (createVectorStore) leaves it out.",
        "op:createVectorStore",
    ),
    Patch(
        "BetaResponseFailedEvent.sequence_number",
        "optional",
        "The spec's example (BetaResponseFailedEvent) leaves it out.",
        "example:BetaResponseFailedEvent",
    ),
    Patch(
        "FineTuningJob.trained_tokens",
        "optional",
        "The spec's example (cancelFineTuningJob) leaves it out.",
        "op:cancelFineTuningJob",
    ),
    Patch(
        "MessageObject.incomplete_at",
        "optional",
        "The spec's example (MessageObject) leaves it out.",
        "example:MessageObject",
    ),
    Patch(
        "ThreadListResource.first_id",
        "optional",
        "The spec's example (ListThreadsMethod) leaves it out.",
        "op:ListThreadsMethod",
    ),
    Patch(
        "FineTuningJob.seed",
        "optional",
        "The spec's example (cancelFineTuningJob) leaves it out.",
        "op:cancelFineTuningJob",
    ),
    Patch(
        "MessageObject.attachments",
        "optional",
        "The spec's example (modifyMessage) leaves it out.",
        "op:modifyMessage",
    ),
    Patch(
        "ThreadListResource.last_id",
        "optional",
        "The spec's example (ListThreadsMethod) leaves it out.",
        "op:ListThreadsMethod",
    ),
    Patch(
        "RunObject.required_action",
        "optional",
        "The spec's example (RunObject) leaves it out.",
        "example:RunObject",
    ),
    Patch(
        "RunObject.incomplete_details",
        "optional",
        "The spec's example (cancelRun) leaves it out.",
        "op:cancelRun",
    ),
    Patch(
        "RunObject.max_prompt_tokens",
        "optional",
        "The spec's example (cancelRun) leaves it out.",
        "op:cancelRun",
    ),
    Patch(
        "RunObject.max_completion_tokens",
        "optional",
        "The spec's example (cancelRun) leaves it out.",
        "op:cancelRun",
    ),
    Patch(
        "RunObject.truncation_strategy",
        "optional",
        "The spec's example (cancelRun) leaves it out.",
        "op:cancelRun",
    ),
    # -- enum values the API sends that the spec does not list ----------
    Patch(
        "ChatCompletionMessageListDataItem.role",
        "enum",
        "Stored completions list the request's messages too, so roles other than assistant occur.",
        "op:getChatCompletionMessages",
        ("user", "system", "developer", "tool"),
    ),
    Patch(
        "FineTuningJob.status",
        "enum",
        "pauseFineTuningJob returns a job whose status is paused.",
        "op:pauseFineTuningJob",
        ("paused",),
    ),
    Patch(
        "RealtimeConversationItemMessageAssistantContentItem.type",
        "enum",
        "Beta realtime events carry assistant content parts of type text.",
        "example:RealtimeBetaServerEventResponseDone",
        ("text", "audio"),
    ),
    # -- what recorded payloads (../shared/captures) carry ----------------
    Patch(
        "MCPTool.server_description",
        "nullable",
        "Hosted MCP tools echoed in a response carry server_description: null when none was given.",
        "capture:responses-sse/pai-mcp-server-tool-o4mini.sse#0",
    ),
    Patch(
        "Response.store",
        "add",
        "Every response says whether it is stored.",
        "capture:bodies/llm-response-basic-gpt55.json",
        type="bool",
    ),
    Patch(
        "Response.frequency_penalty",
        "add",
        "Responses echo the sampling penalties.",
        "capture:bodies/llm-response-basic-gpt55.json",
        type="float",
    ),
    Patch(
        "Response.presence_penalty",
        "add",
        "Responses echo the sampling penalties.",
        "capture:bodies/llm-response-basic-gpt55.json",
        type="float",
    ),
    Patch(
        "Response.billing",
        "add",
        "Responses say who pays ({payer: developer}).",
        "capture:bodies/llm-response-basic-gpt55.json",
        type="map[str]",
    ),
    Patch(
        "Response.tool_usage",
        "add",
        "Newer responses count tokens spent by hosted tools, per tool.",
        "capture:responses-sse/pai-phase-reasoning-text-function-gpt55.sse#0",
        type="map[any]",
    ),
    Patch(
        "ResponseTextDeltaEvent.obfuscation",
        "add",
        "Stream deltas carry random padding that hides the length of the text.",
        "capture:responses-sse/pai-code-interpreter-reasoning-gpt5.sse#146",
        type="str",
    ),
    Patch(
        "ResponseFunctionCallArgumentsDeltaEvent.obfuscation",
        "add",
        "As ResponseTextDeltaEvent.obfuscation.",
        "capture:responses-sse/pai-phase-reasoning-text-function-gpt55.sse#23",
        type="str",
    ),
    Patch(
        "ResponseReasoningSummaryTextDeltaEvent.obfuscation",
        "add",
        "As ResponseTextDeltaEvent.obfuscation.",
        "capture:responses-sse/pai-code-interpreter-reasoning-gpt5.sse#4",
        type="str",
    ),
    Patch(
        "ResponseCodeInterpreterCallCodeDeltaEvent.obfuscation",
        "add",
        "As ResponseTextDeltaEvent.obfuscation.",
        "capture:responses-sse/pai-code-interpreter-reasoning-gpt5.sse#101",
        type="str",
    ),
    Patch(
        "ResponseMCPCallArgumentsDeltaEvent.obfuscation",
        "add",
        "As ResponseTextDeltaEvent.obfuscation.",
        "capture:responses-sse/pai-mcp-server-tool-o4mini.sse#10",
        type="str",
    ),
    Patch(
        "ResponseLogProb.bytes",
        "add",
        "Each token's log probability comes with the token's UTF-8 bytes.",
        "capture:responses-sse/pai-output-text-logprobs.sse#4",
        type="list[int]",
    ),
    Patch(
        "WebSearchActionSearchSourcesItem.type",
        "enum",
        "Searches answered by an OpenAI data source list it as {type: api, name}.",
        "capture:responses-sse/pai-web-search-reasoning-gpt5.sse#8",
        ("api",),
    ),
    Patch(
        "WebSearchActionSearchSourcesItem.url",
        "optional",
        "api sources have a name, no url.",
        "capture:responses-sse/pai-web-search-reasoning-gpt5.sse#8",
    ),
    Patch(
        "WebSearchActionSearchSourcesItem.name",
        "add",
        "The name of an api source (oai-weather...).",
        "capture:responses-sse/pai-web-search-reasoning-gpt5.sse#8",
        type="str",
    ),
    Patch(
        "RunObject.reasoning_effort",
        "add",
        "Runs echo the reasoning effort (null for models without reasoning).",
        "capture:assistants-sse/oll-assistant-run-new-code-interpreter.sse#0",
        type="ReasoningEffort",
    ),
    Patch(
        "RunObject.tool_resources",
        "add",
        "Runs echo the tool resources they were given.",
        "capture:assistants-sse/oll-assistant-run-new-code-interpreter.sse#0",
        type="map[any] | null",
    ),
    Patch(
        "RunCompletionUsage.prompt_token_details",
        "add",
        "Run usage breaks prompt tokens down (cached_tokens).",
        "capture:assistants-sse/oll-assistant-run-new-code-interpreter.sse#93",
        type="map[int]",
    ),
    Patch(
        "RunCompletionUsage.completion_tokens_details",
        "add",
        "Run usage breaks completion tokens down (reasoning_tokens).",
        "capture:assistants-sse/oll-assistant-run-new-code-interpreter.sse#93",
        type="map[int]",
    ),
    Patch(
        "RunStepCompletionUsage.prompt_token_details",
        "add",
        "As RunCompletionUsage.prompt_token_details, for one step.",
        "capture:assistants-sse/oll-assistant-run-new-code-interpreter.sse#62",
        type="map[int]",
    ),
    Patch(
        "RunStepCompletionUsage.completion_tokens_details",
        "add",
        "As RunCompletionUsage.completion_tokens_details, for one step.",
        "capture:assistants-sse/oll-assistant-run-new-code-interpreter.sse#62",
        type="map[int]",
    ),
    Patch(
        "RunStepObject.expired_at",
        "optional",
        "Run steps do not send expired_at; they send expires_at.",
        "capture:assistants-sse/oll-assistant-run-new-code-interpreter.sse#3",
    ),
    Patch(
        "RunStepObject.expires_at",
        "add",
        "When the step expires (null once it is done).",
        "capture:assistants-sse/oll-assistant-run-new-code-interpreter.sse#3",
        type="int | null",
    ),
    Patch(
        "CreateChatCompletionResponseChoicesItem.message",
        "optional",
        "A choice stopped by a content filter (finish_reason content_filter) has no message.",
        "capture:bodies/oll-azure-chat-content-filter-2024-04.json",
    ),
    # -- the batch line's body is the endpoint's type ---------------------
    Patch(
        "BatchRequestInput.body",
        "body",
        "The 2025-04-29 schema leaves the body out; every input line carries one, typed by its url.",
        '{"custom_id": "request-1", "method": "POST", "url": "/v1/chat/completions",'
        ' "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}}',
    ),
    Patch(
        "BatchRequestOutputResponse.body",
        "body",
        "The body is the endpoint's own response type (a chat completion, an embedding list...).",
        '{"status_code": 200, "request_id": "req_1", "body": {"object": "list", "data": [],'
        ' "model": "text-embedding-3-small", "usage": {"prompt_tokens": 0, "total_tokens": 0}}}',
    ),
)


def apply_patches(spec: Spec, patches: tuple[Patch, ...] = PATCHES) -> list[Patch]:
    """Apply ``patches`` in order; returns those whose target is missing."""
    missed = []
    for patch in patches:
        def_name, field_name = patch.target.split(".", 1)
        obj = spec.defs.get(def_name)
        if not isinstance(obj, ObjectDef):
            missed.append(patch)
            continue
        f = obj.field(field_name)
        if patch.change == "add":
            if f is not None:
                missed.append(patch)  # the spec has it now: the patch is stale
            else:
                obj.fields.append(Field(field_name, parse_type(patch.type), False))
            continue
        if patch.change == "body":
            if f is None:
                f = Field(field_name, TypeVarT("BodyT"), True)
                obj.fields.append(f)
            f.type = TypeVarT("BodyT")
        elif f is None:
            missed.append(patch)
        elif patch.change == "optional":
            f.required = False
        elif patch.change == "enum":
            f.type = _with_values(f.type, patch.values)
        elif patch.change == "nullable":
            members = f.type.members if isinstance(f.type, UnionT) else (f.type,)
            if NULL not in members:
                f.type = UnionT((*members, NULL))
        else:
            raise ValueError(f"unknown patch change {patch.change!r}")
    return missed


def parse_type(text: str) -> Type:
    """The type an ``add`` patch writes: ``A | B`` unions, ``list[T]``,
    ``map[T]`` (free keys), ``str``/``int``/``float``/``bool``/``null``/``any``,
    anything else a definition name."""
    text = text.strip()
    depth, parts, start = 0, [], 0
    for i, ch in enumerate(text):
        depth += (ch == "[") - (ch == "]")
        if ch == "|" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    if len(parts) > 1:
        return UnionT(tuple(parse_type(p) for p in parts))
    if text.startswith("list[") and text.endswith("]"):
        return Array(parse_type(text[5:-1]))
    if text.startswith("map[") and text.endswith("]"):
        return Map(parse_type(text[4:-1]))
    if text in ("str", "int", "float", "bool", "null", "any"):
        return Prim(text)
    if not text.isidentifier():
        raise ValueError(f"bad patch type {text!r}")
    return Ref(text)


def _with_values(t: Type, values: tuple[str, ...]) -> Type:
    """``t`` with ``values`` added to the enum in it."""
    if isinstance(t, EnumT):
        return EnumT(t.values + tuple(v for v in values if v not in t.values))
    if isinstance(t, UnionT):
        return UnionT(tuple(_with_values(m, values) for m in t.members), t.discriminator)
    raise ValueError(f"no enum to extend in {t!r}")
