"""line_usage: one reading of a line's tokens for every endpoint, checked
against a plain JSON reading of the bundled files, and equal to what the
summary counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from msgspec import UNSET, UnsetType

from openai_structs.batch import LineUsage, iter_batch_output, line_usage, summarize_batch

BATCH = Path(__file__).resolve().parents[1] / "data" / "batch"
OUTPUTS = sorted(
    p.name for p in BATCH.glob("*.jsonl") if "input" not in p.name and p.name != "errors.jsonl"
)


def _expected(doc: dict[str, Any]) -> LineUsage:
    """The tokens by json.loads, the endpoints' two spellings taken by hand."""
    response = doc.get("response") or {}
    body = response.get("body") if 200 <= response.get("status_code", 0) < 300 else None
    usage = (body or {}).get("usage") or {}
    details_in = usage.get("prompt_tokens_details") or usage.get("input_tokens_details") or {}
    details_out = usage.get("completion_tokens_details") or usage.get("output_tokens_details") or {}
    return LineUsage(
        usage.get("prompt_tokens", usage.get("input_tokens")),
        usage.get("completion_tokens", usage.get("output_tokens")),
        usage.get("total_tokens"),
        details_in.get("cached_tokens"),
        details_out.get("reasoning_tokens"),
    )


@pytest.mark.parametrize("name", [*OUTPUTS, "errors.jsonl"])
def test_line_usage_evens_out_the_names(name: str) -> None:
    path = BATCH / name
    docs = [json.loads(raw) for raw in path.read_bytes().splitlines() if raw.strip()]
    got = [line_usage(line) for line in iter_batch_output(path)]
    assert got == [_expected(doc) for doc in docs]


def test_chat_and_responses_spell_input_tokens_differently() -> None:
    chat = [line_usage(x) for x in iter_batch_output(BATCH / "chat_completions.jsonl")]
    responses = [line_usage(x) for x in iter_batch_output(BATCH / "responses.jsonl")]
    assert any(u.input_tokens for u in chat) and any(u.input_tokens for u in responses)
    assert any(u.cached_tokens is not None for u in chat + responses)


@pytest.mark.parametrize("name", OUTPUTS)
def test_line_usage_adds_up_to_the_summary(name: str) -> None:
    """Per model, the lines' tokens add up to the summary's."""
    summary = summarize_batch(BATCH / name)
    sums: dict[str, list[int]] = {}
    for line in iter_batch_output(BATCH / name):
        response = line.response
        if response is None or not 200 <= response.status_code < 300:
            continue
        model = getattr(response.body, "model", None)
        if model is None:  # images name no model: the summary's no_model
            continue
        u = line_usage(line)
        total = sums.setdefault(model, [0, 0, 0])
        total[0] += u.input_tokens or 0
        total[1] += u.output_tokens or 0
        total[2] += u.total_tokens or 0
    want = {m: [u.input_tokens, u.output_tokens, u.total_tokens] for m, u in summary.usage.items()}
    assert sums == want


class Usage(msgspec.Struct):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class UsageView(msgspec.Struct):
    usage: Usage | None | UnsetType = UNSET


def test_a_view_that_keeps_usage_reads_alike() -> None:
    path = BATCH / "chat_completions.jsonl"
    full = [line_usage(x) for x in iter_batch_output(path)]
    viewed = [line_usage(x) for x in iter_batch_output(path, body=UsageView)]
    assert [u[:3] for u in viewed] == [u[:3] for u in full]
    assert all(u.cached_tokens is None for u in viewed)  # the view dropped the details


_BIG = 1 << 63


@pytest.mark.parametrize(
    "usage",
    [
        {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
        {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12,
         "prompt_tokens_details": None, "completion_tokens_details": None},
        {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12,
         "prompt_tokens_details": {"cached_tokens": 3},
         "completion_tokens_details": {"reasoning_tokens": 2}},
        {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12,
         "prompt_tokens_details": {}, "completion_tokens_details": {"reasoning_tokens": None}},
        {"prompt_tokens": -5, "completion_tokens": 7, "total_tokens": -1,
         "prompt_tokens_details": {"cached_tokens": -3}},
        {"prompt_tokens": _BIG, "completion_tokens": 7, "total_tokens": 12},
        {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": _BIG},
        {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12,
         "prompt_tokens_details": {"cached_tokens": _BIG - 1},
         "completion_tokens_details": {"reasoning_tokens": _BIG}},
        {"prompt_tokens": 5, "completion_tokens": -_BIG - 1, "total_tokens": 12},
    ],
)  # fmt: skip
def test_the_export_views_usage_reads_as_the_full_types(usage: dict[str, Any]) -> None:
    # the usage of the export's chat view has a reader of its own (one
    # attrgetter for the five counts): the same tokens, the same errors
    from openai_structs import ValidationError
    from openai_structs.batch._bodies import CompletionUsage as View
    from openai_structs.batch._usage import tokens_of
    from openai_structs.types import CompletionUsage

    raw = json.dumps(usage)
    got = []
    for cls in (CompletionUsage, View):
        value = msgspec.json.decode(raw, type=cls)
        try:
            got.append(tokens_of(value))
        except ValidationError as exc:
            got.append(str(exc))
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens")
    reasoning = (usage.get("completion_tokens_details") or {}).get("reasoning_tokens")
    names = ["prompt_tokens", "completion_tokens", "total_tokens"]
    counts = [*(usage[name] for name in names), cached, reasoning]
    paths = [
        *names,
        "prompt_tokens_details.cached_tokens",
        "completion_tokens_details.reasoning_tokens",
    ]
    past = [p for n, p in zip(counts, paths) if n is not None and not -_BIG <= n < _BIG]
    if past:  # the first count past int64 is named
        assert got == [f"{got[0].split(' - ')[0]} - at `$.response.body.usage.{past[0]}`"] * 2
    else:
        assert got == [tuple(counts)] * 2
