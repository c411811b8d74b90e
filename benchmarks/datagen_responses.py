"""Seeded Responses API, Realtime and request payloads (the chat side is in ``datagen.py``).

Shapes follow the real recordings in ``../shared/captures/`` (key order, id formats, which
fields are null) and the examples the spec carries (``x-oaiMeta.example``, read from
``../shared/spec/openapi.json`` at run time for the Realtime events). Only fields the spec
declares are used, so each document decodes with ``strict=True`` and encodes back to the same
JSON value (``tests/test_benchmarks.py`` checks it).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from typing import Any

from datagen import SPEC, WORDS, _alnum, _args, _call_id, _hex_id, _schema, _text

# --------------------------------------------------------------------------
# Responses API pieces


def _tools_every_kind(rng: random.Random) -> list[dict[str, Any]]:
    """One tool of each kind a Response can carry (the members of ``Tool``)."""
    return [
        {
            "type": "function",
            "name": "get_weather",
            "description": "Current weather and forecast for a city.",
            "parameters": _schema(rng, 4),
            "strict": True,
        },
        {
            "type": "function",
            "name": "create_calendar_event",
            "description": "Adds an event to the user's calendar.",
            "parameters": _schema(rng, 5),
            "strict": False,
        },
        {
            "type": "file_search",
            "vector_store_ids": [_hex_id(rng, "vs", 32), _hex_id(rng, "vs", 32)],
            "max_num_results": 8,
            "ranking_options": {"ranker": "auto", "score_threshold": 0.25},
            "filters": {
                "type": "and",
                "filters": [
                    {"type": "eq", "key": "region", "value": "eu"},
                    {"type": "gte", "key": "year", "value": 2024},
                    {
                        "type": "or",
                        "filters": [
                            {"type": "in", "key": "doc_type", "value": ["invoice", "receipt"]},
                            {"type": "ne", "key": "archived", "value": True},
                        ],
                    },
                ],
            },
        },
        {
            "type": "web_search",
            "search_context_size": "medium",
            "filters": {"allowed_domains": ["visitlisboa.com", "cp.pt"]},
            "user_location": {
                "type": "approximate",
                "country": "PT",
                "city": "Lisbon",
                "region": None,
                "timezone": "Europe/Lisbon",
            },
        },
        {
            "type": "web_search_preview",
            "search_context_size": "low",
            "user_location": {
                "type": "approximate",
                "country": "PT",
                "city": None,
                "region": None,
                "timezone": None,
            },
        },
        {
            "type": "mcp",
            "server_label": "deepwiki",
            "server_url": "https://mcp.deepwiki.com/mcp",
            "server_description": "Docs of public repositories.",
            "headers": None,
            "allowed_tools": ["ask_question", "read_wiki_structure"],
            "require_approval": "never",
        },
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": []}},
        {
            "type": "image_generation",
            "model": "gpt-image-1",
            "quality": "auto",
            "size": "auto",
            "output_format": "png",
            "background": "auto",
            "moderation": "auto",
            "partial_images": 0,
        },
        {
            "type": "computer_use_preview",
            "environment": "browser",
            "display_width": 1280,
            "display_height": 800,
        },
        {"type": "local_shell"},
        {"type": "shell", "environment": {"type": "local"}},
        {
            "type": "custom",
            "name": "sql_query",
            "description": "Runs a read-only SQL query.",
            "format": {
                "type": "grammar",
                "syntax": "lark",
                "definition": 'start: "SELECT " cols " FROM " NAME\ncols: NAME ("," NAME)*\n'
                "%import common.CNAME -> NAME",
            },
        },
        {"type": "custom", "name": "free_text", "format": {"type": "text"}},
        {"type": "apply_patch"},
        {
            "type": "namespace",
            "name": "billing",
            "description": "Billing helpers.",
            "tools": [
                {
                    "type": "function",
                    "name": "refund",
                    "description": "Refund an order.",
                    "strict": True,
                }
            ],
        },
        {"type": "tool_search", "execution": "server"},
    ]


def _output_message(rng: random.Random, *, citations: int = 0) -> dict[str, Any]:
    text = _text(rng, 40, 90)
    annotations = []
    for _ in range(citations):
        start = rng.randrange(0, max(1, len(text) - 40))
        annotations.append(
            {
                "type": "url_citation",
                "start_index": start,
                "end_index": start + 30,
                "url": f"https://example.org/{rng.choice(WORDS)}?utm_source=openai",
                "title": _text(rng, 3, 6),
            }
        )
    return {
        "id": _hex_id(rng, "msg"),
        "type": "message",
        "status": "completed",
        "content": [
            {"type": "output_text", "annotations": annotations, "logprobs": [], "text": text}
        ],
        "role": "assistant",
    }


def _reasoning(rng: random.Random, parts: int) -> dict[str, Any]:
    return {
        "id": _hex_id(rng, "rs"),
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": _text(rng, 20, 50)} for _ in range(parts)],
    }


def _web_search_call(rng: random.Random) -> dict[str, Any]:
    q = _text(rng, 3, 6)
    return {
        "id": _hex_id(rng, "ws"),
        "type": "web_search_call",
        "status": "completed",
        "action": {"type": "search", "query": q, "queries": [q, _text(rng, 3, 6)]},
    }


def _function_call(rng: random.Random, name: str = "get_weather") -> dict[str, Any]:
    return {
        "id": _hex_id(rng, "fc"),
        "type": "function_call",
        "status": "completed",
        "arguments": _args(rng),
        "call_id": _call_id(rng),
        "name": name,
    }


def _usage(rng: random.Random) -> dict[str, Any]:
    i, o = rng.randint(500, 4000), rng.randint(200, 2000)
    # today's spec requires cache_write_tokens, which the 2026 captures do not send yet
    return {
        "input_tokens": i,
        "input_tokens_details": {"cached_tokens": rng.choice([0, 384]), "cache_write_tokens": 0},
        "output_tokens": o,
        "output_tokens_details": {"reasoning_tokens": o // 2},
        "total_tokens": i + o,
    }


def response_all_tools(rng: random.Random) -> dict[str, Any]:
    """A Response as in ``captures/bodies/oll-response-reasoning-gpt5nano.json`` (key order,
    nulls), with a tool of every kind, a ``tool_choice`` object, and output items of the
    kinds the ``responses-sse`` captures hold."""
    created = 1774963686 + rng.randint(0, 10**6)
    output = [
        _reasoning(rng, 2),
        _web_search_call(rng),
        {
            "id": _hex_id(rng, "fs"),
            "type": "file_search_call",
            "status": "completed",
            "queries": [_text(rng, 3, 5)],
            "results": [
                {
                    "file_id": _hex_id(rng, "file", 22),
                    "filename": f"{rng.choice(WORDS)}.pdf",
                    "score": round(rng.random(), 4),
                    "text": _text(rng, 20, 40),
                    "attributes": {"region": "eu", "year": 2025},
                }
                for _ in range(3)
            ],
        },
        {
            "id": _hex_id(rng, "mcpl"),
            "type": "mcp_list_tools",
            "server_label": "deepwiki",
            "tools": [
                {
                    "name": "ask_question",
                    "description": _text(rng, 5, 10),
                    "input_schema": _schema(rng, 2),
                    "annotations": None,
                },
                {
                    "name": "read_wiki_structure",
                    "description": _text(rng, 5, 10),
                    "input_schema": _schema(rng, 1),
                    "annotations": {"read_only": True},
                },
            ],
        },
        {
            "id": _hex_id(rng, "mcp"),
            "type": "mcp_call",
            "server_label": "deepwiki",
            "name": "ask_question",
            "arguments": '{"repoName":"openai/openai-python"}',
            "output": _text(rng, 20, 40),
            "error": None,
            "status": "completed",
            "approval_request_id": None,
        },
        {
            "id": _hex_id(rng, "ci"),
            "type": "code_interpreter_call",
            "status": "completed",
            "container_id": _hex_id(rng, "cntr", 32),
            "code": "import math\nprint(math.pi * 2)",
            "outputs": [{"type": "logs", "logs": "6.283185307179586\n"}],
        },
        _reasoning(rng, 0),
        _function_call(rng),
        {
            "id": _hex_id(rng, "ctc"),
            "type": "custom_tool_call",
            "call_id": _call_id(rng),
            "name": "sql_query",
            "input": "SELECT city, temp FROM forecasts",
        },
        _output_message(rng, citations=3),
    ]
    return {
        "id": _hex_id(rng, "resp"),
        "object": "response",
        "created_at": created,
        "status": "completed",
        "background": False,
        "completed_at": created + 17,
        "error": None,
        "incomplete_details": None,
        "instructions": "You are a concise travel assistant. Cite sources for facts.",
        "max_output_tokens": None,
        "max_tool_calls": None,
        "model": "gpt-5-2025-08-07",
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "prompt_cache_key": None,
        "prompt_cache_retention": None,
        "reasoning": {"effort": "medium", "summary": "detailed"},
        "safety_identifier": None,
        "service_tier": "default",
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": {
            "type": "allowed_tools",
            "mode": "auto",
            "tools": [
                {"type": "function", "name": "get_weather"},
                {"type": "mcp", "server_label": "deepwiki"},
                {"type": "web_search"},
            ],
        },
        "tools": _tools_every_kind(rng),
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": _usage(rng),
        "user": None,
        "metadata": {},
    }


def _input_item(rng: random.Random, kind: str) -> dict[str, Any]:
    if kind == "easy":  # what SDK users write: no "type", content a plain string
        return {"role": rng.choice(["user", "user", "developer"]), "content": _text(rng, 5, 30)}
    if kind == "easy_assistant":
        return {"role": "assistant", "content": _text(rng, 10, 40)}
    if kind == "typed":
        return {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": _text(rng, 5, 30)}],
        }
    if kind == "typed_image":
        return {
            "type": "message",
            "role": "user",
            "content": [
                {"type": "input_text", "text": _text(rng, 4, 10)},
                {
                    "type": "input_image",
                    "detail": "auto",
                    "image_url": f"https://example.org/img/{rng.getrandbits(32):08x}.png",
                },
            ],
        }
    if kind == "function_call":
        return _function_call(rng)
    if kind == "function_call_output":
        return {
            "type": "function_call_output",
            "call_id": _call_id(rng),
            "output": json.dumps({"temp_c": rng.randint(5, 35), "summary": _text(rng, 3, 8)}),
        }
    if kind == "output_message":
        return _output_message(rng, citations=rng.choice([0, 0, 1]))
    raise ValueError(kind)


def create_response(rng: random.Random, n_items: int = 30) -> dict[str, Any]:
    """A CreateResponse body replaying a conversation as input (what a stateless client
    sends): easy messages, typed messages, function calls and outputs, assistant messages."""
    kinds = [
        "easy",
        "easy",
        "easy_assistant",
        "typed",
        "typed_image",
        "function_call",
        "function_call_output",
        "output_message",
    ]
    items = [{"role": "developer", "content": "You are a concise travel assistant."}]
    while len(items) < n_items:
        kind = rng.choice(kinds)
        if kind == "function_call":  # a call is followed by its output, as the API requires
            call = _input_item(rng, "function_call")
            out = _input_item(rng, "function_call_output")
            out["call_id"] = call["call_id"]
            items += [call, out][: n_items - len(items)]
        else:
            items.append(_input_item(rng, kind))
    tools = _tools_every_kind(rng)
    pick = [tools[0], tools[1], tools[2], tools[3], tools[5], tools[6], tools[11]]
    return {
        "model": "gpt-5.5",
        "instructions": "Answer briefly and cite sources.",
        "input": items,
        "tools": pick,
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        "reasoning": {"effort": "low", "summary": "auto"},
        "text": {"format": {"type": "text"}, "verbosity": "low"},
        "include": ["reasoning.encrypted_content", "web_search_call.action.sources"],
        "store": False,
        "stream": False,
        "max_output_tokens": 2048,
        "metadata": {"session": f"{rng.getrandbits(64):016x}"},
    }


def _resource_item(rng: random.Random, kind: str) -> dict[str, Any]:
    """Items as ``GET /responses/{id}/input_items`` and ``GET /conversations/{id}/items``
    return them: every item has an id and a status."""
    if kind == "user":
        content = [{"type": "input_text", "text": _text(rng, 5, 30)}]
        return {
            "id": _hex_id(rng, "msg"),
            "type": "message",
            "status": "completed",
            "role": "user",
            "content": content,
        }
    if kind == "assistant":
        return _output_message(rng, citations=rng.choice([0, 1]))
    if kind == "function_call":
        return {
            "id": _hex_id(rng, "fc"),
            "type": "function_call",
            "status": "completed",
            "arguments": _args(rng),
            "call_id": _call_id(rng),
            "name": "get_weather",
        }
    if kind == "function_call_output":
        return {
            "id": _hex_id(rng, "fco"),
            "type": "function_call_output",
            "call_id": _call_id(rng),
            "status": "completed",
            "output": json.dumps({"temp_c": rng.randint(5, 35)}),
        }
    if kind == "reasoning":
        return _reasoning(rng, rng.choice([0, 1]))
    if kind == "web_search_call":
        return _web_search_call(rng)
    raise ValueError(kind)


def item_list(rng: random.Random, n: int) -> dict[str, Any]:
    """A page of items (ResponseItemList and ConversationItemList have the same shape)."""
    kinds = [
        "user",
        "assistant",
        "assistant",
        "function_call",
        "function_call_output",
        "reasoning",
        "web_search_call",
    ]
    data = [_resource_item(rng, rng.choice(kinds)) for _ in range(n)]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"],
        "last_id": data[-1]["id"],
        "has_more": False,
    }


# --------------------------------------------------------------------------
# Realtime server events (the spec's examples)

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _spec_schemas() -> dict[str, Any]:
    return json.loads(SPEC.read_bytes())["components"]["schemas"]


def _drop(*path: str) -> Callable[[dict[str, Any]], None]:
    def mend(event: dict[str, Any]) -> None:
        node: Any = event
        for step in path[:-1]:
            node = node[int(step)] if isinstance(node, list) else node[step]
        node.pop(path[-1], None)

    return mend


# Examples that do not fit their own schema; the key each drops is one the schema does not
# declare, or declares as a non-null object.
_MENDS: dict[str, Callable[[dict[str, Any]], None]] = {
    # "obfuscation" is not among the event's properties
    "conversation.item.input_audio_transcription.delta": _drop("obfuscation"),
    # an output_audio content part has no "format"
    "conversation.item.retrieved": _drop("item", "content", "0", "format"),
    # RealtimeResponse.usage is an object, not nullable: leave it out as a response in progress
    "response.created": _drop("response", "usage"),
}


def realtime_events(rng: random.Random) -> list[dict[str, Any]]:
    """One event of each ``RealtimeServerEvent`` member, from its ``x-oaiMeta.example``.

    Four examples are not valid JSON as the spec writes them (a trailing comma), one has a
    leading space in its tag (``" input_audio_buffer.dtmf_event_received"``), and three
    carry a key their schema does not allow (``_MENDS``): those slips are mended here. Event
    ids are re-drawn from the seed.
    """
    schemas = _spec_schemas()
    out = []
    for member in schemas["RealtimeServerEvent"]["anyOf"]:
        example = schemas[member["$ref"].rsplit("/", 1)[-1]]["x-oaiMeta"]["example"]
        event = json.loads(_TRAILING_COMMA.sub(r"\1", example))
        event["type"] = event["type"].strip()
        _MENDS.get(event["type"], lambda e: None)(event)
        if "event_id" in event:
            event["event_id"] = "event_" + _alnum(rng, 21)
        out.append(event)
    return out


# --------------------------------------------------------------------------
# Chat Completions request


def chat_request(rng: random.Random, n_messages: int = 40) -> dict[str, Any]:
    """A CreateChatCompletionRequest replaying a tool-using conversation."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": "You are a helpful assistant."}]
    while len(messages) < n_messages:
        r = rng.random()
        if r < 0.4:
            messages.append({"role": "user", "content": _text(rng, 5, 40)})
        elif r < 0.7:
            messages.append({"role": "assistant", "content": _text(rng, 10, 60)})
        else:
            call_id = _call_id(rng)
            messages.append(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": call_id,
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": _args(rng)},
                        }
                    ],
                }
            )
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": call_id,
                    "content": json.dumps({"temp_c": rng.randint(5, 35)}),
                }
            )
    messages = messages[:n_messages]
    if "tool_calls" in messages[-1]:
        messages[-1] = {"role": "user", "content": _text(rng, 5, 20)}
    return {
        "model": "gpt-4.1",
        "messages": messages,
        "temperature": 0.2,
        "max_completion_tokens": 1024,
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "description": "Current weather for a city.",
                    "parameters": _schema(rng, 3),
                    "strict": True,
                },
            }
        ],
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        "stream": False,
    }
