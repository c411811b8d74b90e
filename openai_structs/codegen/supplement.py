"""Schemas the seed crate has and the 2026-08-21 spec no longer carries.

Written from the fine-tuning data format and the Realtime connection docs;
read by :func:`openai_structs.codegen.normalise.normalise` like the batch line
schemas.
"""

from __future__ import annotations

from typing import Any

_MESSAGES: dict[str, Any] = {
    "type": "array",
    "items": {
        "oneOf": [
            {"$ref": "#/components/schemas/ChatCompletionRequestSystemMessage"},
            {"$ref": "#/components/schemas/ChatCompletionRequestUserMessage"},
            {"$ref": "#/components/schemas/FineTuneChatCompletionRequestAssistantMessage"},
            {"$ref": "#/components/schemas/ChatCompletionRequestToolMessage"},
            {"$ref": "#/components/schemas/ChatCompletionRequestFunctionMessage"},
        ]
    },
}
_TOOLS: dict[str, Any] = {
    "type": "array",
    "items": {"$ref": "#/components/schemas/ChatCompletionTool"},
}

SCHEMAS: dict[str, Any] = {
    "FineTuneChatRequestInput": {
        "type": "object",
        "properties": {
            "messages": _MESSAGES,
            "tools": _TOOLS,
            "parallel_tool_calls": {"type": "boolean"},
            "functions": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ChatCompletionFunctions"},
            },
        },
    },
    "FineTunePreferenceRequestInput": {
        "type": "object",
        "properties": {
            "input": {
                "type": "object",
                "properties": {
                    "messages": _MESSAGES,
                    "tools": _TOOLS,
                    "parallel_tool_calls": {"type": "boolean"},
                },
            },
            "preferred_output": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ChatCompletionRequestAssistantMessage"},
            },
            "non_preferred_output": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ChatCompletionRequestAssistantMessage"},
            },
        },
    },
    "FineTuneReinforcementRequestInput": {
        "type": "object",
        "required": ["messages"],
        "properties": {"messages": _MESSAGES, "tools": _TOOLS},
    },
    "RealtimeConnectParams": {
        "type": "object",
        "required": ["model"],
        "properties": {"model": {"type": "string"}},
    },
}
