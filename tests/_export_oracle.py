"""The Parquet export's rows, computed from ``json.loads`` of each line and the
documented schema alone: an oracle that shares no code with the export.

:data:`COLUMNS` pins each endpoint's columns in their documented order
(columns are only ever appended: a reordering fails the tests that use it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BASE = ["custom_id", "request_id", "status_code", "error_code", "error_message", "model"]
TEXT = ["finish_reason", "output_text", "tool_calls", "input_tokens", "output_tokens",
        "total_tokens"]  # fmt: skip
DETAILS = ["cached_tokens", "reasoning_tokens"]
TAIL = ["endpoint", "source_file"]

#: endpoint -> its own columns, in the documented order
OWN = {
    "/v1/chat/completions": [*TEXT, "choices", *DETAILS],
    "/v1/completions": [*TEXT, "choices", *DETAILS],
    "/v1/responses": [*TEXT, *DETAILS],
    "/v1/embeddings": ["embeddings", "input_tokens", "total_tokens"],
    "/v1/moderations": ["flagged", "categories"],
    "/v1/images/generations": ["images", "input_tokens", "output_tokens", "total_tokens"],
    "/v1/images/edits": ["images", "input_tokens", "output_tokens", "total_tokens"],
    "/v1/videos": ["status", "progress"],
}

# the moderation categories in the order of the spec's schema
CATEGORIES = [
    "hate", "hate/threatening", "harassment", "harassment/threatening", "illicit",
    "illicit/violent", "self-harm", "self-harm/intent", "self-harm/instructions", "sexual",
    "sexual/minors", "violence", "violence/graphic",
]  # fmt: skip


def columns(endpoint: str | None) -> list[str]:
    return [*BASE, *OWN.get(endpoint or "", []), *TAIL]


def _tokens(usage: dict[str, Any] | None) -> dict[str, Any]:
    if usage is None:
        return {}
    first = "input" if "input_tokens" in usage else "prompt"
    second = "output" if first == "input" else "completion"
    return {
        "input_tokens": usage.get(f"{first}_tokens"),
        "output_tokens": usage.get(f"{second}_tokens"),
        "total_tokens": usage.get("total_tokens"),
        "cached_tokens": (usage.get(f"{first}_tokens_details") or {}).get("cached_tokens"),
        "reasoning_tokens": (usage.get(f"{second}_tokens_details") or {}).get("reasoning_tokens"),
    }


def _chat_calls(message: dict[str, Any] | None) -> list[dict[str, Any]]:
    calls = []
    for call in (message or {}).get("tool_calls") or []:
        if call.get("type") == "function":
            calls.append(
                {"name": call["function"]["name"], "arguments": call["function"]["arguments"]}
            )
        elif call.get("type") == "custom":
            calls.append({"name": call["custom"]["name"], "arguments": call["custom"]["input"]})
    return calls


def _own(endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = _tokens(body.get("usage"))
    if endpoint in ("/v1/chat/completions", "/v1/completions"):
        choices = body["choices"]
        out["choices"] = len(choices)
        if choices:
            first = choices[0]
            out["finish_reason"] = first["finish_reason"]
            if endpoint == "/v1/completions":
                out["output_text"], out["tool_calls"] = first["text"], []
            else:
                out["output_text"] = (first.get("message") or {}).get("content")
                out["tool_calls"] = _chat_calls(first.get("message"))
    elif endpoint == "/v1/responses":
        texts, calls = [], []
        for item in body["output"]:
            if item["type"] == "message":
                texts += [p["text"] for p in item["content"] if p["type"] == "output_text"]
            elif item["type"] == "function_call":
                calls.append({"name": item["name"], "arguments": item["arguments"]})
            elif item["type"] == "custom_tool_call":
                calls.append({"name": item["name"], "arguments": item["input"]})
        out.update(finish_reason=body.get("status"), tool_calls=calls)
        out["output_text"] = "".join(texts) if texts else None
    elif endpoint == "/v1/embeddings":
        out["embeddings"] = len(body["data"])
    elif endpoint == "/v1/moderations":
        results = body["results"]
        out["flagged"] = any(r["flagged"] for r in results)
        out["categories"] = [
            c for c in CATEGORIES if any(r["categories"].get(c) is True for r in results)
        ]
    elif endpoint.startswith("/v1/images/"):
        out["images"] = len(body.get("data") or [])
    elif endpoint == "/v1/videos":
        out.update(status=body["status"], progress=body["progress"])
    return out


def expected_row(doc: dict[str, Any], endpoint: str | None, source: str) -> dict[str, Any]:
    """The export row of the output line ``doc`` in a file whose export is of
    ``endpoint``, read from ``source``."""
    names = columns(endpoint)
    row: dict[str, Any] = dict.fromkeys(names)
    row.update(custom_id=doc.get("custom_id"), endpoint=endpoint, source_file=source)
    response = doc.get("response")
    if response is None:
        error = doc.get("error") or {}
        row.update(error_code=error.get("code"), error_message=error.get("message"))
        return row
    status = response.get("status_code")
    row.update(request_id=response.get("request_id"), status_code=status)
    body = response.get("body")
    if body is None:
        return row
    if isinstance(status, int) and not 200 <= status < 300:
        error = body["error"]
        code = error["code"] if error.get("code") is not None else error["type"]
        row.update(error_code=code, error_message=error.get("message"))
        return row
    row["model"] = body.get("model")
    if endpoint is not None:
        row.update({k: v for k, v in _own(endpoint, body).items() if k in row})
    return row


def expected_rows(path: Path, endpoint: str | None) -> list[dict[str, Any]]:
    """The rows of the export of the file at ``path`` with ``endpoint``'s columns."""
    return [
        expected_row(json.loads(line), endpoint, str(path))
        for line in path.read_bytes().splitlines()
        if line.strip()
    ]
