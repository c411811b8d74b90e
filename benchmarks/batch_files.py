"""Seeded generator of large Batch API files, for benchmarks and memory tests.

The files are written to a cache folder (``.cache/batch/`` at the repository
root, git-ignored) and reused while their name (kind, lines, seed) matches;
they are never committed. Run it to build the benchmark files::

    python benchmarks/batch_files.py            # the two benchmark files
    python benchmarks/batch_files.py --mb 1024  # a ~1 GB chat output file

- :func:`chat_output` writes a ``/v1/chat/completions`` output file: text
  answers and parallel tool calls, 2% of lines failed requests (HTTP 400, 429
  and 500 with an ``ErrorResponse`` body) and 0.5% error-file lines
  (``"response": null``), ~1.2 KB a line on average.
- :func:`responses_output` writes a ``/v1/responses`` output file built on
  ``data/response.json``: reasoning items with summaries, function calls, a
  web search, messages with citations, a function tool, usage.
- :func:`chat_input` writes the matching input file.

Every line uses only fields the spec defines, so the files decode strictly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("OPENAI_STRUCTS_CACHE", ROOT / ".cache")) / "batch"

_WORDS = [
    *(
        [
            "the",
            "a",
            "of",
            "to",
            "and",
            "in",
            "is",
            "it",
            "for",
            "on",
            "with",
            "as",
            "by",
            "at",
            "from",
            "this",
            "that",
            "model",
            "batch",
            "token",
        ]
    ),
    *(
        [
            "answer",
            "question",
            "request",
            "result",
            "value",
            "paris",
            "london",
            "tool",
            "call",
            "function",
        ]
    ),
    *(
        [
            "weather",
            "temperature",
            "city",
            "forecast",
            "report",
            "summary",
            "data",
            "line",
            "file",
            "output",
        ]
    ),
]


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _alnum(rng: random.Random, n: int) -> str:
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(chars) for _ in range(n))


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _usage(rng: random.Random) -> dict[str, Any]:
    prompt, completion = rng.randint(20, 3000), rng.randint(5, 800)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _chat_body(rng: random.Random, model: str) -> dict[str, Any]:
    if rng.random() < 0.3:
        calls = [
            {
                "id": f"call_{_alnum(rng, 24)}",
                "type": "function",
                "function": {
                    "name": rng.choice(["get_weather", "lookup_city", "search_docs"]),
                    "arguments": json.dumps(
                        {"city": rng.choice(_WORDS), "days": rng.randint(1, 9)}
                    ),
                },
            }
            for _ in range(rng.randint(1, 3))
        ]
        message: dict[str, Any] = {
            "role": "assistant",
            "content": None,
            "tool_calls": calls,
            "refusal": None,
            "annotations": [],
        }
        finish = "tool_calls"
    else:
        message = {
            "role": "assistant",
            "content": _text(rng, rng.randint(30, 170)),
            "refusal": None,
            "annotations": [],
        }
        finish = rng.choice(["stop", "stop", "stop", "length"])
    return {
        "id": f"chatcmpl-{_alnum(rng, 29)}",
        "object": "chat.completion",
        "created": 1758200000 + rng.randint(0, 86400),
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": _usage(rng),
        "service_tier": "default",
        "system_fingerprint": f"fp_{_hex(rng, 10)}",
    }


_FAILURES = [
    (400, "invalid_request_error", "invalid_prompt", "Invalid prompt: the message is empty."),
    (429, "rate_limit_error", "rate_limit_exceeded", "Rate limit reached for requests."),
    (500, "server_error", None, "The server had an error while processing your request."),
]


def _output_line(rng: random.Random, i: int, body: Any) -> dict[str, Any]:
    roll = rng.random()
    line: dict[str, Any] = {"id": f"batch_req_{_hex(rng, 32)}", "custom_id": f"request-{i}"}
    if roll < 0.005:
        line["response"] = None
        line["error"] = {"code": "batch_expired", "message": "The batch expired."}
        return line
    if roll < 0.025:
        status, kind, code, message = rng.choice(_FAILURES)
        err = {"message": message, "type": kind, "param": None, "code": code}
        line["response"] = {
            "status_code": status,
            "request_id": _hex(rng, 32),
            "body": {"error": err},
        }
    else:
        line["response"] = {"status_code": 200, "request_id": _hex(rng, 32), "body": body()}
    line["error"] = None
    return line


def chat_output_lines(lines: int, seed: int = 8) -> Iterator[bytes]:
    """The lines of a chat completions output file, each ending in a newline."""
    rng = random.Random(seed)
    models = ["gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06", "gpt-4.1-2025-04-14"]
    for i in range(lines):
        model = rng.choice(models)
        line = _output_line(rng, i, lambda model=model: _chat_body(rng, model))
        yield json.dumps(line, separators=(",", ":")).encode() + b"\n"
    # shuffled custom_id order, as the API writes them, is up to the caller


def responses_output_lines(lines: int, seed: int = 8) -> Iterator[bytes]:
    """The lines of a Responses output file, built on ``data/response.json``."""
    rng = random.Random(seed)
    template = json.loads((ROOT / "data" / "response.json").read_bytes())
    for i in range(lines):

        def body() -> dict[str, Any]:
            doc = json.loads(json.dumps(template))
            doc["id"] = f"resp_{_hex(rng, 48)}"
            doc["created_at"] = 1758191003 + rng.randint(0, 86400)
            doc["completed_at"] = doc["created_at"] + rng.randint(1, 60)
            for item in doc["output"]:
                item["id"] = item["id"][:3] + _hex(rng, 48)
                if item["type"] == "message":
                    item["content"][0]["text"] = _text(rng, rng.randint(20, 120))
                elif item["type"] == "reasoning" and item["summary"]:
                    item["summary"][0]["text"] = _text(rng, rng.randint(10, 40))
                elif item["type"] == "function_call":
                    item["call_id"] = f"call_{_alnum(rng, 24)}"
            if rng.random() < 0.2:
                doc["status"] = "incomplete"
                doc["incomplete_details"] = {"reason": "max_output_tokens"}
            return doc

        line = _output_line(rng, i, body)
        yield json.dumps(line, separators=(",", ":")).encode() + b"\n"


def chat_input_lines(lines: int, seed: int = 8) -> Iterator[bytes]:
    """The lines of a chat completions input file."""
    rng = random.Random(seed)
    for i in range(lines):
        body = {
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "user", "content": _text(rng, rng.randint(5, 60))},
            ],
            "max_completion_tokens": 500,
        }
        line = {
            "custom_id": f"request-{i}",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": body,
        }
        yield json.dumps(line, separators=(",", ":")).encode() + b"\n"


_KINDS = {
    "chat_output": chat_output_lines,
    "responses_output": responses_output_lines,
    "chat_input": chat_input_lines,
}


def build(kind: str, lines: int, seed: int = 8, folder: Path | None = None) -> Path:
    """Write (or reuse) the ``kind`` file of ``lines`` lines and return its path."""
    folder = folder or CACHE
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{lines}-{seed}.jsonl"
    if path.is_file() and path.stat().st_size > 0:
        return path
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.writelines(_KINDS[kind](lines, seed))
    tmp.replace(path)
    return path


def build_mb(megabytes: int, seed: int = 8, folder: Path | None = None) -> Path:
    """A chat output file of about ``megabytes`` MB, by repeating a 60,000-line one."""
    folder = folder or CACHE
    base = build("chat_output", 60_000, seed, folder)
    path = folder / f"chat_output-{megabytes}mb-{seed}.jsonl"
    if path.is_file():
        return path
    chunk = base.read_bytes()
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        written = 0
        while written < megabytes << 20:
            f.write(chunk)
            written += len(chunk)
    tmp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, help="also build a chat output file of about this size")
    args = parser.parse_args()
    for kind, lines in (("chat_output", 60_000), ("responses_output", 20_000)):
        path = build(kind, lines)
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")
    if args.mb:
        path = build_mb(args.mb)
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
