"""Summaries of output files: counts checked against a plain JSON reading of the
same files, and summaries of byte ranges merged back into the whole."""

from __future__ import annotations

import json
import pickle
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import pytest
from _batch_lines import NUMBERS, in_range, lines_of, out_of_range, with_number

from openai_structs.batch import BadLine, BatchSummary, batch_ranges, summarize_batch

ROOT = Path(__file__).resolve().parents[1]
BATCH = ROOT / "data" / "batch"
CAPTURES = ROOT.parent / "shared" / "captures" / "bodies"


def _expected(data: bytes) -> dict[str, Any]:
    """The same counts, from json.loads and dict lookups."""
    status: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    finish: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    usage: dict[str, list[int]] = {}
    for raw in data.splitlines():
        if not raw.strip():
            continue
        line = json.loads(raw)
        response = line.get("response")
        if response is None:
            errors[line["error"]["code"]] += 1
            continue
        status[response["status_code"]] += 1
        body = response["body"]
        if not 200 <= response["status_code"] < 300:
            err = body["error"]
            errors[err["code"] if err["code"] is not None else err["type"]] += 1
            continue
        u = body.get("usage") or {}
        row = usage.setdefault(body.get("model"), [0, 0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += u.get("input_tokens", u.get("prompt_tokens", 0))
        row[2] += u.get("output_tokens", u.get("completion_tokens", 0))
        row[3] += u.get("total_tokens", 0)
        details = u.get("input_tokens_details", u.get("prompt_tokens_details")) or {}
        row[4] += details.get("cached_tokens", 0)
        details = u.get("output_tokens_details", u.get("completion_tokens_details")) or {}
        row[5] += details.get("reasoning_tokens", 0)
        for choice in body.get("choices", []):
            finish[choice["finish_reason"]] += 1
        if "status" in body:
            statuses[body["status"]] += 1
            reason = (body.get("incomplete_details") or {}).get("reason")
            if reason:
                statuses[f"incomplete:{reason}"] += 1
    return {
        "status_codes": dict(status),
        "error_codes": dict(errors),
        "finish_reasons": dict(finish),
        "statuses": dict(statuses),
        "usage": usage,
    }


def _check(summary: BatchSummary, data: bytes) -> None:
    want = _expected(data)
    assert summary.status_codes == want["status_codes"]
    assert summary.error_codes == want["error_codes"]
    assert summary.finish_reasons == want["finish_reasons"]
    assert summary.statuses == want["statuses"]
    fields = ("requests", "input_tokens", "output_tokens", "total_tokens", "cached_tokens",
              "reasoning_tokens")  # fmt: skip
    got = {m: [getattr(u, f) for f in fields] for m, u in summary.usage.items()}
    if summary.no_model.requests:
        got[None] = [getattr(summary.no_model, f) for f in fields]
    assert got == want["usage"]


FILES = sorted(p.name for p in BATCH.glob("*.jsonl") if "input" not in p.name)


@pytest.mark.parametrize("name", FILES)
def test_fixture_summaries(name: str) -> None:
    data = (BATCH / name).read_bytes()
    summary = summarize_batch(BATCH / name)
    assert summary.lines == summary.good == len(data.splitlines()) and summary.bad == 0
    _check(summary, data)


@pytest.mark.parametrize(
    "name",
    ["timeescaper-batch-output-chat-2024-10.jsonl", "valzaak-batch-output-responses-2025-06.jsonl"],
)
def test_real_file_summaries(name: str) -> None:
    path = CAPTURES / name
    if not path.is_file():
        pytest.skip(f"capture {path} not present")
    summary = summarize_batch(path)
    assert summary.bad == 0 and summary.lines > 0
    _check(summary, path.read_bytes())


def test_generated_file_summary_with_ranges(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import batch_files
    finally:
        sys.path.pop(0)
    path = batch_files.build("responses_output", 300, seed=3, folder=tmp_path)
    data = path.read_bytes()
    whole = summarize_batch(path)
    _check(whole, data)
    assert whole.statuses.get("incomplete", 0) > 0 and whole.error_codes
    parts = [summarize_batch(path, start=a, end=b) for a, b in batch_ranges(path, 4)]
    merged = BatchSummary()
    for part in parts:
        merged.merge(pickle.loads(pickle.dumps(part)))
    assert msgspec.to_builtins(merged) == msgspec.to_builtins(whole)


def test_bad_lines_are_counted_and_kept() -> None:
    data = (BATCH / "chat_completions.jsonl").read_bytes()
    summary = summarize_batch(data + b"{oops\n" + data)
    assert summary.bad == 1 and summary.good == 6 and summary.lines == 7
    bad = summary.bad_lines[0]
    assert isinstance(bad, BadLine) and (bad.line, bad.offset, bad.raw) == (
        4,
        len(data),
        b"{oops\n",
    )
    assert summary.to_dict()["bad_lines"] == [
        {"line": 4, "offset": len(data), "reason": bad.reason}
    ]
    with pytest.raises(ValueError):
        summarize_batch(data + b"{oops\n", errors="raise")


def test_summary_encodes_to_json() -> None:
    summary = summarize_batch(BATCH / "chat_completions.jsonl")
    doc = json.loads(json.dumps(summary.to_dict()))
    assert doc["status_codes"] == {"200": 2, "400": 1}
    assert doc["endpoints"] == {"/v1/chat/completions": 3}


@pytest.mark.parametrize("case", sorted(NUMBERS))
def test_a_number_the_export_cannot_hold_is_a_bad_line(case: str) -> None:
    """A status code past int32 or a token count past int64 (what the export's
    columns hold) is a bad line here as in the export, so that ``inspect``
    and ``export`` agree; the values at the edges of the columns are good."""
    name, index, keys, bits = NUMBERS[case]
    lines = lines_of(name)
    for value in out_of_range(bits):
        changed = with_number(name, index, keys, value)
        # between good lines and a blank line, in one block: the fast path
        data = b"\n".join([*lines, b"", changed, *lines]) + b"\n"
        summary = summarize_batch(data)
        assert (summary.good, summary.bad) == (2 * len(lines), 1), value
        bad = summary.bad_lines[0]
        line, offset, reason = bad.line, bad.offset, bad.reason
        assert (line, offset) == (len(lines) + 2, data.index(changed))
        assert str(value) in reason and "$.response." + ".".join(keys[1:]) in reason
        with pytest.raises(ValueError, match=f"line {len(lines) + 2} "):
            summarize_batch(data, errors="raise")
        alone = summarize_batch(changed + b"\n")  # the first line: the exact path
        assert (alone.good, alone.bad) == (0, 1)
    for value in in_range(bits):
        data = b"\n".join([*lines, with_number(name, index, keys, value)]) + b"\n"
        assert summarize_batch(data).bad == 0, value


def test_every_successful_request_counts_for_its_model() -> None:
    """Moderations and videos report no usage: their requests still count
    for their model. Images name no model: they count in ``no_model``, as
    the export writes them with a null model."""
    moderations = summarize_batch(BATCH / "moderations.jsonl")
    assert [(m, u.requests, u.total_tokens) for m, u in moderations.usage.items()] == [
        ("omni-moderation-2024-09-26", 2, 0)
    ]
    videos = summarize_batch(BATCH / "videos.jsonl")
    assert {m: u.requests for m, u in videos.usage.items()} == {"sora-2": 2}
    images = summarize_batch(BATCH / "images_generations.jsonl")
    assert images.usage == {} and images.no_model.requests == 2
    assert images.no_model.total_tokens > 0


def test_merging_summaries_of_different_endpoints() -> None:
    chat = summarize_batch(BATCH / "chat_completions.jsonl")
    both = summarize_batch(BATCH / "chat_completions.jsonl")
    both.merge(summarize_batch(BATCH / "embeddings.jsonl"))
    assert both.endpoint is None  # not the first one's, silently
    assert both.endpoints == {"/v1/chat/completions": 3, "/v1/embeddings": 3}
    assert both.lines == 6 and set(both.usage) > set(chat.usage)
    again = summarize_batch(BATCH / "chat_completions.jsonl").merge(chat)
    assert again.endpoint == "/v1/chat/completions"
    errors = summarize_batch(BATCH / "errors.jsonl")  # no endpoint of its own
    assert chat.merge(errors).endpoint == "/v1/chat/completions"


def test_failed_ids() -> None:
    data = (BATCH / "chat_completions.jsonl").read_bytes() + (BATCH / "errors.jsonl").read_bytes()
    want = []
    for raw in data.splitlines():
        doc = json.loads(raw)
        response = doc.get("response")
        if response is None or not 200 <= response["status_code"] < 300:
            want.append(doc["custom_id"])
    assert summarize_batch(data, failed_ids=True).failed_ids == want and len(want) > 1
    assert summarize_batch(data).failed_ids == []
