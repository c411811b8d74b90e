"""The benchmark machinery: the seeded generator, the case registry, and the report's guard
(``benchmarks/report.py --check``). Timings are not tested; the logic that turns them into
ratios, tables and an exit code is."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import datagen
import report
from cases import LIMIT, OURS, PEERS, SDK, VALIDATE, cases, prepare
from peers import DECODE_ONLY, Peer, Unavailable, sse_data

import openai_structs

# --------------------------------------------------------------------------
# Generator and samples


def test_committed_samples_are_the_generators_output() -> None:
    """data/bench/ holds exactly what the seeded generator builds (rewrite them with
    ``python benchmarks/datagen.py --write-samples`` after changing it)."""
    built = datagen.samples()
    committed = {p.name for p in datagen.SAMPLES.iterdir()} - {"README.md"}
    assert committed == set(built)
    for name, data in built.items():
        assert (datagen.SAMPLES / name).read_bytes() == data, name


def test_generator_depends_on_the_seed_only() -> None:
    assert datagen.samples(7)["chat_small.json"] == datagen.samples(7)["chat_small.json"]
    assert datagen.samples(7)["chat_small.json"] != datagen.samples(8)["chat_small.json"]


TYPES = {
    "chat_small.json": "CreateChatCompletionResponse",
    "chat_text.json": "CreateChatCompletionResponse",
    "chat_logprobs.json": "CreateChatCompletionResponse",
    "response_tools.json": "Response",
    "create_response.json": "CreateResponse",
    "chat_request.json": "CreateChatCompletionRequest",
    "response_item_list.json": "ResponseItemList",
    "conversation_item_list.json": "ConversationItemList",
    "embeddings_float.json": "CreateEmbeddingResponse",
    "chat_stream.sse": "CreateChatCompletionStreamResponse",
    "responses_stream.sse": "ResponseStreamEvent",
    "batch_chat.jsonl": "BatchRequestOutput",
    "batch_responses.jsonl": "BatchRequestOutput",
}


@pytest.mark.parametrize("name", list(TYPES))
def test_samples_fit_the_spec(name: str) -> None:
    """Each document decodes with strict=True and encodes back to the same JSON value, so
    the samples hold only fields, tags and enum values the spec declares."""
    tp = getattr(openai_structs, TYPES[name])
    raw = datagen.load(name)
    if name.endswith(".sse"):
        docs = list(sse_data((raw,)))
    elif name.endswith(".jsonl"):
        docs = raw.splitlines()
    else:
        docs = [raw]
    assert docs
    for doc in docs:
        obj = openai_structs.decode(doc, tp, strict=True)
        assert json.loads(openai_structs.encode(obj)) == json.loads(doc)


def test_batch_bodies_fit_their_endpoint_types() -> None:
    for name, tp in (
        ("batch_chat.jsonl", openai_structs.CreateChatCompletionResponse),
        ("batch_responses.jsonl", openai_structs.Response),
    ):
        for line in datagen.load(name).splitlines():
            body = json.dumps(json.loads(line)["response"]["body"]).encode()
            openai_structs.decode(body, tp, strict=True)


def test_streams_are_cut_in_8_kb_pieces() -> None:
    raw = datagen.load("chat_stream.sse")
    parts = datagen.pieces(raw)
    assert b"".join(parts) == raw
    assert all(len(p) == datagen.PIECE for p in parts[:-1]) and len(parts) > 2
    assert raw.endswith(b"data: [DONE]\n\n")


# --------------------------------------------------------------------------
# Registry


def test_registry_is_well_formed() -> None:
    all_cases = cases()
    names = [c.name for c in all_cases]
    assert len(set(names)) == len(names)
    kinds = {c.kind for c in all_cases}
    assert kinds == {"decode", "encode", "stream", "batch", "structured"}
    for case in all_cases:
        peers = [p.name for p in case.peers]
        # (a structured stream has no bare-msgspec twin: PartialJSON is the work)
        lead = [OURS] if case.name.startswith("Structured chat stream") else [OURS, LIMIT]
        assert peers[: len(lead)] == lead, case.name
        assert len(set(peers)) == len(peers) and set(peers) <= set(PEERS), case.name


def test_prepare_reports_a_failing_peer_but_raises_ours() -> None:
    case = next(c for c in cases() if c.name == "ChatCompletion small")

    def broken() -> Peer:
        return Peer(SDK, lambda: lambda: {"choices": []})

    with pytest.raises(Unavailable, match="IndexError"):
        prepare(case, broken())
    wrong_ours = Peer(OURS, lambda: lambda: {"choices": [{"message": {"content": "x"}}]})
    with pytest.raises(AssertionError):
        prepare(case, wrong_ours)
    missing = Peer(OURS, lambda: __import__("openai_structs.no_such_module"))
    with pytest.raises(Unavailable, match="no_such_module"):
        prepare(case, missing)


# --------------------------------------------------------------------------
# Ratios, floors, tables


def result(name: str = "c", ours: float | None = 1.0, **peers: float) -> report.Result:
    res = report.Result(name, "decode", 1000, 1)
    if ours is None:
        res.missing[OURS] = "no reader yet"
    else:
        res.times[OURS] = ours
    res.times.update(peers)
    return res


def floor(case: str, peer: str, value: float, target: float | None = None) -> report.Floor:
    return report.Floor(case, peer, value, target, "")


def test_ratio_is_peer_time_over_ours() -> None:
    res = result(ours=2.0, orjson=3.0)
    assert res.ratio("orjson") == 1.5
    assert res.ratio("json") is None
    assert result(ours=None, orjson=3.0).ratio("orjson") is None


def test_geomean() -> None:
    assert report.geomean([2.0, 8.0]) == pytest.approx(4.0)
    assert report.geomean([]) is None
    g = report.geomeans([result("a", **{VALIDATE: 4.0}), result("b", **{VALIDATE: 9.0})])
    assert g["vs model_validate_json"] == (pytest.approx(6.0), 2)
    assert g["vs SDK default path"] == (None, 0)


def test_check_fails_below_floor_only() -> None:
    results = [result("a", orjson=0.9), result("b", orjson=1.2)]
    failures, notes = report.check(results, [floor("a", "orjson", 1.0), floor("b", "orjson", 1.0)])
    assert len(failures) == 1 and failures[0].startswith("a vs orjson: 0.900x")
    assert notes == []


def test_check_notes_unmet_targets_and_unmeasured_cases() -> None:
    results = [result("a", orjson=1.2), result("b", ours=None, orjson=1.0)]
    failures, notes = report.check(
        results, [floor("a", "orjson", 1.0, target=2.0), floor("b", "orjson", 1.0)]
    )
    assert failures == []
    assert any("target not met: a vs orjson: 1.200x < 2.0x" in n for n in notes)
    assert any("unchecked b vs orjson" in n and "no reader yet" in n for n in notes)


def test_check_says_which_targets_are_met() -> None:
    results = [result("a", orjson=2.5)]
    failures, notes = report.check(results, [floor("a", "orjson", 1.0, target=2.0)])
    assert failures == []
    assert notes == ["target met: a vs orjson: 2.500x >= 2.0x"]


def test_issue_17_targets_are_committed() -> None:
    """The ratios issue 17 set, as targets of ``--check``."""
    targets = {(f.case, f.peer): f.target for f in report.load_floors()}
    assert targets[("ResponseItemList, 40 items", LIMIT)] == 0.9
    assert targets[("Realtime server events x46", LIMIT)] == 0.9
    assert targets[("CreateResponse, 30 input items", LIMIT)] == 0.5
    assert targets[("Responses event stream, 8 KB pieces", DECODE_ONLY)] == 0.5


def test_stream_decode_only_limit_reads_the_payloads_already_cut() -> None:
    case = next(c for c in cases() if c.name == "Responses event stream, 8 KB pieces")
    peer = case.peer(DECODE_ONLY)
    assert peer is not None
    out = peer.make()()
    case.check(DECODE_ONLY, out)
    assert len(out) == case.nobjects


def test_check_fails_on_floors_naming_nothing() -> None:
    failures, _ = report.check(
        [result("a", orjson=2.0)], [floor("zzz", "orjson", 1.0), floor("a", "nope", 1.0)]
    )
    assert failures == ["zzz: no such case", "a: no peer 'nope'"]


def test_committed_floors_name_real_cases_and_peers() -> None:
    floors = report.load_floors()
    assert floors
    by_name = {c.name: c for c in cases()}
    for f in floors:
        assert f.case in by_name, f.case
        assert by_name[f.case].peer(f.peer) is not None, (f.case, f.peer)
        assert f.target is None or f.target >= f.floor


def test_load_floors_rejects_a_non_ratio(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"floors": [{"case": "a", "peer": "orjson", "floor": 0}]}))
    with pytest.raises(ValueError, match="positive ratio"):
        report.load_floors(path)


def test_render_says_not_measured_with_the_reason() -> None:
    res = result("stream", ours=None, orjson=0.002)
    text = report.render([res, result("x", orjson=2.0)], {}, True, [], [])
    assert "not measured [1]" in text and "1. stream / openai_structs: no reader yet" in text
    assert "(2,000 us)" in text  # the peer's own time, never a ratio without ours
    assert "| x | 1.0 |" in text and "2.00x" in text
    assert "nan" not in text


def test_main_check_exit_code(tmp_path: Path) -> None:
    args = ["--quick", "--check", "--only", "ChatCompletion small", "--repeat", "1"]
    impossible = tmp_path / "high.json"
    impossible.write_text(
        json.dumps({"floors": [{"case": "ChatCompletion small", "peer": "json", "floor": 1e9}]})
    )
    assert report.main([*args, "--thresholds", str(impossible)]) == 1
    easy = tmp_path / "low.json"
    easy.write_text(
        json.dumps({"floors": [{"case": "ChatCompletion small", "peer": "json", "floor": 1e-9}]})
    )
    assert report.main([*args, "--thresholds", str(easy)]) == 0
    # with --only, the floors of the cases left out are not failures
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"floors": [{"case": "Embeddings", "peer": "json", "floor": 1e9}]}))
    assert report.main([*args, "--thresholds", str(other)]) == 0


def test_chart_is_written(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "chart.png"
    report.chart([result("a", **{VALIDATE: 4.0}), result("b", ours=None)], out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------
# The stream and batch cases, against stand-in readers


def test_stream_and_batch_cases_run_once_their_readers_exist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Until the readers land, ours is "not measured"; with a reader of the announced API
    (``iter_chat_completion_chunks(chunks)``, ``iter_response_events(chunks)``,
    ``iter_batch_output(source, *, endpoint=None)``) in place, the same cases measure it.
    The stand-ins here are deliberately naive: they only check the plumbing."""
    import io
    import types

    import msgspec

    def reader(tp: Any) -> Callable[[Any], list[Any]]:
        dec = openai_structs.Decoder(tp)

        def read(chunks: Any) -> list[Any]:
            return [dec.decode(d) for d in sse_data(tuple(chunks))]

        return read

    streams = types.ModuleType("openai_structs.streams")
    streams.iter_chat_completion_chunks = reader(  # type: ignore[attr-defined]
        openai_structs.CreateChatCompletionStreamResponse
    )
    streams.iter_response_events = reader(openai_structs.ResponseStreamEvent)  # type: ignore[attr-defined]

    batch = types.ModuleType("openai_structs.batch")

    def iter_batch_output(source: io.BytesIO, *, endpoint: str | None = None) -> list[object]:
        assert endpoint in ("/v1/chat/completions", "/v1/responses")
        return openai_structs.Decoder(openai_structs.BatchRequestOutput).decode_lines(source.read())

    batch.iter_batch_output = iter_batch_output  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "openai_structs.streams", streams)
    monkeypatch.setitem(sys.modules, "openai_structs.batch", batch)
    monkeypatch.setattr(openai_structs, "streams", streams, raising=False)
    monkeypatch.setattr(openai_structs, "batch", batch, raising=False)

    measured = [c for c in cases() if c.kind in ("stream", "batch")]
    assert len(measured) == 4
    for case in measured:
        ours = case.peer(OURS)
        assert ours is not None
        out = prepare(case, ours)()
        assert len(out) == case.nobjects
        assert all(isinstance(x, msgspec.Struct) for x in out)
        res = report.measure(case, repeat=1, budget=0.001)
        assert OURS in res.times and res.ratio(SDK) is not None


def test_confirm_keeps_each_peers_best_time() -> None:
    slow = report.Result("ChatCompletion small", "decode", 1, 1, {OURS: 1.0, "orjson": 1e-9})
    other = result("untouched", orjson=5.0)
    out = report.confirm([slow, other], ["ChatCompletion small vs orjson: 0.000x"], 1, 0.001)
    assert out[1] is other
    again = out[0]
    assert again.times[OURS] < 1.0  # the second run's time, far under the fake 1 s
    assert again.times["orjson"] == 1e-9  # the first run's, which was better


def test_export_and_kept_memory_sections_measure_every_peer() -> None:
    """The report's "Batch export and views" and "Memory held per decoded object"
    tables: one row per file or body, every peer measured (a peer that fails or
    reads another number of lines fails the run)."""
    import export_speed
    import memory_kept

    table = export_speed.section(
        True, repeat=1, sizes={"chat_output": 300, "responses_output": 100}
    )
    rows = [r for r in table.splitlines() if r.startswith(("| chat", "| responses"))]
    assert [r.split(",")[0] for r in rows] == ["| chat", "| responses"]
    assert all(r.count("x") >= 4 and "nan" not in r for r in rows)

    kept = memory_kept.section(50)
    rows = [r for r in kept.splitlines() if r.startswith(("| chat", "| Response"))]
    assert len(rows) == 2
    for row in rows:
        cells = row.strip("|").split("|")[1:]
        assert len(cells) == 4
        assert all(c.strip().endswith(" KB") or c.strip() == "not measured" for c in cells)
        ours, view = (float(c.split()[0]) for c in cells[:2])
        assert 0 < view < ours  # a view keeps less than the full type


def test_a_report_run_keeps_the_sections_it_does_not_measure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "BENCHMARKS.md"
    monkeypatch.setattr(report, "OUTPUT", out)
    assert report._kept_sections() == ""  # no file yet
    out.write_text(
        "# Benchmarks\n\n### Decoding\n\nold table\n\n## Before and after\n\nB\n\n## Scale-out\n\nS\n"
    )
    kept = report._kept_sections()
    assert kept == "\n## Before and after\n\nB\n\n## Scale-out\n\nS\n"
    assert "old table" not in kept
