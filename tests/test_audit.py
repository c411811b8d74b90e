"""``openai_structs.audit`` and ``openai-structs audit``: what recorded payloads
hold that the types do not know, per ``$.path``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from test_captures import CAPTURES, FILES, dropped, read_file

import openai_structs as o
from openai_structs import Audit, audit, decode, encode

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def _rows(report: Audit) -> dict[tuple[str, str], tuple[int, Any]]:
    return {(f.kind, f.path): (f.count, f.example) for f in report.findings}


# --------------------------------------------------------------------------
# Every recorded payload


@pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"no captures at {CAPTURES}")
@pytest.mark.parametrize("rel", FILES)
def test_audit_agrees_with_the_round_trip_of_every_capture(rel: str) -> None:
    """Counted independently (each payload decoded into the type
    tests/test_captures.py names for it, encoded, compared): the payloads
    that do not decode, and every key lost on the way, path by path."""
    report = audit([CAPTURES / rel])
    captures = read_file(rel)
    prefix = "$.data" if rel.startswith("assistants-sse/") else "$"
    failed = 0
    lost: Counter[str] = Counter()
    for c in captures:
        try:
            value = decode(c.text, c.type)
        except ValueError:
            failed += 1
            continue
        for path in dropped(json.loads(c.text), json.loads(encode(value))):
            lost[prefix + path[1:]] += 1
    assert report.payloads == len(captures)
    assert report.payloads - report.decoded == failed
    assert report.ok == (failed == 0)
    keys = {f.path: f.count for f in report.findings if f.kind == "unknown_key"}
    assert keys == dict(lost)
    errors = sum(f.count for f in report.findings if f.kind == "error")
    assert errors == failed


@pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"no captures at {CAPTURES}")
def test_audit_of_all_captures_at_once() -> None:
    paths = [CAPTURES / rel for rel in FILES]
    report = audit(paths)
    assert report.payloads == sum(len(read_file(rel)) for rel in FILES) > 2000
    assert {f.kind for f in report.findings} <= {
        "unknown_key",
        "unknown_variant",
        "unknown_enum",
        "error",
    }
    # the Azure stream's first chunk has "object": "" and no choices: it is
    # read as the chunk its stream is made of, not refused as untyped
    rel = "chat-sse/oll-azure-content-filter.sse"
    azure = audit([CAPTURES / rel])
    assert azure.payloads == len(read_file(rel))
    assert not any(f.kind == "error" for f in azure.findings), azure.findings


# --------------------------------------------------------------------------
# Each kind of finding


def _response_with_everything() -> dict[str, Any]:
    doc = json.loads((DATA / "response.json").read_bytes())
    doc["reasoning_budget"] = 7  # a key no type defines
    doc["output"][4]["content"][0]["tone"] = "warm"  # inside a known item, inside a list
    doc["output"].append({"type": "memory_call", "id": "mem_1", "anything": {"x": 1}})
    doc["output"].append({"type": "memory_call", "id": "mem_2"})
    doc["status"] = "paused"  # outside the spec's list
    return doc


def test_each_kind_of_finding_is_counted_with_its_path_and_an_example(tmp_path: Path) -> None:
    first = _response_with_everything()
    second = _response_with_everything()
    second["status"] = "hibernating"
    bad = json.loads((DATA / "response.json").read_bytes())
    bad["output"][1]["status"] = 5
    for name, doc in (("a.json", first), ("b.json", second), ("c.json", bad)):
        (tmp_path / name).write_text(json.dumps(doc))
    malformed = b'{"object": "response", "id": ,}'
    (tmp_path / "d.json").write_bytes(malformed)
    report = audit(sorted(tmp_path.iterdir()))
    rows = _rows(report)
    assert (report.payloads, report.decoded, report.ok) == (4, 2, False)
    assert rows["unknown_key", "$.reasoning_budget"] == (2, 7)
    assert rows["unknown_key", "$.output[].content[].tone"] == (2, "warm")
    assert rows["unknown_variant", "$.output[].type"] == (4, "memory_call")
    assert rows["unknown_enum", "$.status"] == (2, "paused")
    count, message = rows["error", "$.output[].status"]
    assert count == 1 and "Expected `str`, got `int` - at `$.output[1].status`" in message
    count, message = rows["error", "$"]
    assert count == 1 and f"byte {malformed.index(b',}')}" in message
    # what an unknown variant holds is not looked at: it is unknown
    assert not any("anything" in f.path for f in report.findings)
    assert [f.kind for f in report.findings] == [
        "unknown_key",
        "unknown_key",
        "unknown_variant",
        "unknown_enum",
        "error",
        "error",
    ]


def test_a_clean_report_for_known_payloads() -> None:
    paths = [DATA / "response.json", DATA / "chat_completion.json", DATA / "batch_output.jsonl"]
    paths += sorted((DATA / "batch").glob("*.jsonl"))
    report = audit(paths)
    assert report.ok and report.payloads > 20
    assert report.findings == []


def test_streams_and_lines_are_read_payload_by_payload(tmp_path: Path) -> None:
    chunks = (DATA / "chat_completion_chunks.jsonl").read_bytes().splitlines()
    sse = b"".join(b"data: " + c + b"\n\n" for c in chunks if c.strip()) + b"data: [DONE]\n\n"
    (tmp_path / "chat.sse").write_bytes(sse)
    lines = [json.loads(c) for c in chunks if c.strip()]
    lines[0]["vendor"] = "x"
    (tmp_path / "chunks.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    report = audit([tmp_path / "chat.sse", tmp_path / "chunks.jsonl"])
    assert report.payloads == report.decoded == 2 * len(lines)
    assert _rows(report) == {("unknown_key", "$.vendor"): (1, "x")}


def test_type_given_instead_of_inferred(tmp_path: Path) -> None:
    doc = {"model": "m", "input": "x", "temprature": 0.2}
    (tmp_path / "request.json").write_text(json.dumps(doc))
    undecided = audit([tmp_path / "request.json"])
    assert not undecided.ok  # a request says nothing of its type
    report = audit([tmp_path / "request.json"], type=o.CreateResponse)
    assert report.ok and _rows(report) == {("unknown_key", "$.temprature"): (1, 0.2)}


# --------------------------------------------------------------------------
# The command


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    from openai_structs.cli import main

    try:
        code = main(["audit", *args])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    return code, capsys.readouterr().out


def test_cli_json_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.json").write_text(json.dumps(_response_with_everything()))
    code, stdout = _cli(capsys, str(tmp_path / "r.json"), "--json")
    assert code == 0
    out = json.loads(stdout)
    assert set(out) == {"payloads", "decoded", "findings"}
    assert (out["payloads"], out["decoded"]) == (1, 1)
    assert {"kind": "unknown_enum", "path": "$.status", "count": 1, "example": "paused"} in out[
        "findings"
    ]
    assert all(set(f) == {"kind", "path", "count", "example"} for f in out["findings"])
    (tmp_path / "bad.json").write_text('{"object": "response"}')
    assert _cli(capsys, str(tmp_path / "r.json"), str(tmp_path / "bad.json"))[0] == 1
    assert _cli(capsys, str(tmp_path / "missing.json"))[0] == 3
    assert _cli(capsys, "--type", "NoSuchType", str(tmp_path / "r.json"))[0] == 2
    assert _cli(capsys)[0] == 2
    code, stdout = _cli(capsys, str(tmp_path / "r.json"))
    assert code == 0 and "reasoning_budget" in stdout


def test_cli_runs_as_the_installed_command(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_bytes((DATA / "response.json").read_bytes())
    run = subprocess.run(
        [sys.executable, "-m", "openai_structs", "audit", "--json"] + [str(tmp_path / "r.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"payloads": 1, "decoded": 1, "findings": []}
