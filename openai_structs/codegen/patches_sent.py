"""Spec corrections, part two: enum values and fields the API sends that the
spec does not list, and the batch line bodies (see :mod:`.patches`)."""

from __future__ import annotations

from .patch import Patch

PATCHES: tuple[Patch, ...] = (
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
    Patch(
        "CreateChatCompletionStreamResponse.object",
        "enum",
        'Azure OpenAI\'s first stream chunk (its prompt filter report) has object: "".',
        "capture:chat-sse/oll-azure-content-filter.sse#0",
        ("",),
    ),
    Patch(
        "ResponseError.code",
        "enum",
        "A response that failed for lack of quota says so in its error code.",
        "capture:responses-sse/vercelai-error-insufficient-quota-REFRAMED.sse#3",
        ("insufficient_quota",),
    ),
    # -- what a request option makes the API send ------------------------
    Patch(
        "Embedding.embedding",
        "type",
        "With encoding_format: base64 (CreateEmbeddingRequest allows it, and the official SDK "
        "asks for it by default) each vector is one base64 string of little-endian float32s.",
        '{"object": "embedding", "index": 0, "embedding": "AACAPwAAAMA="}',
        type="list[float] | str",
    ),
    # -- what recorded payloads (../shared/captures) carry ----------------
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
    # -- the Responses stream's error event nests its fields --------------
    # The API sends {"type": "error", "sequence_number": n, "error": {"type",
    # "code", "message", "param"}}: the shape of the WebSocket mode's
    # ResponseWsError, whose ErrorPayload the field reuses. Both shapes decode.
    Patch(
        "ResponseErrorEvent.code",
        "optional",
        "The nested error event has no top-level code (it is in error.code).",
        "capture:responses-sse/vercelai-error-insufficient-quota-REFRAMED.sse#2",
    ),
    Patch(
        "ResponseErrorEvent.message",
        "optional",
        "The nested error event has no top-level message (it is in error.message).",
        "capture:responses-sse/vercelai-error-insufficient-quota-REFRAMED.sse#2",
    ),
    Patch(
        "ResponseErrorEvent.param",
        "optional",
        "The nested error event has no top-level param (it is in error.param).",
        "capture:responses-sse/vercelai-error-insufficient-quota-REFRAMED.sse#2",
    ),
    Patch(
        "ResponseErrorEvent.error",
        "add",
        "The error event carries the error as an object: type, code, message and param.",
        "capture:responses-sse/vercelai-error-insufficient-quota-REFRAMED.sse#2",
        type="ErrorPayload",
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
