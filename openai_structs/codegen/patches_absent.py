"""Spec corrections, part one: ``null`` and absence the API sends where the
spec allows neither, and fields it never sends (see :mod:`.patches` for what
each change means)."""

from __future__ import annotations

from .patch import Patch

PATCHES: tuple[Patch, ...] = (
    # -- null in a required field, or in a request (the null stage covers the
    # optional fields of what the API sends: codegen/nulls.py) ------------
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
        "RealtimeSessionCreateRequest.turn_detection",
        "nullable",
        "null turns voice activity detection off.",
        "example:RealtimeSessionCreateRequest",
    ),
    Patch(
        "RunObject.instructions",
        "nullable",
        "null when the run uses no instructions.",
        "example:RunObject",
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
    # -- fields the API never sends: the SDKs compute them -------------------
    Patch(
        "Response.output_text",
        "drop",
        "The spec marks it an SDK-only convenience (x-oaiSupportedSDKs: python, javascript): the"
        " SDKs join the output_text parts on the client, the API never sends it, so the field"
        " was always UNSET. openai_structs.output_text(response) gives the joined text.",
        "absent:captures",
    ),
    Patch("BetaResponse.output_text", "drop", "As Response.output_text.", "absent:captures"),
)
