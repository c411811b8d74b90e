"""``openai-structs``: each subcommand on the bundled data and on generated files.

Most cases call :func:`openai_structs.cli.main` in-process (fast); one runs the
installed console script to check the entry point itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _export_oracle import expected_rows

from openai_structs import iter_batch_output
from openai_structs.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
BATCH = DATA / "batch"
CAPTURES = ROOT.parent / "shared" / "captures"
sys.path.insert(0, str(ROOT / "benchmarks"))

pq = pytest.importorskip("pyarrow.parquet")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def corrupt(tmp_path: Path, number: int) -> Path:
    """A copy of the chat sample whose line ``number`` (1-based) is cut short."""
    lines = (BATCH / "chat_completions.jsonl").read_bytes().splitlines(keepends=True)
    lines[number - 1] = lines[number - 1][:40] + b"\n"
    path = tmp_path / "corrupt.jsonl"
    path.write_bytes(b"".join(lines))
    return path


@pytest.mark.parametrize(
    "name", sorted(p.name for p in BATCH.glob("*.jsonl") if "input" not in p.name)
)
def test_inspect_every_sample(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, "batch", "inspect", str(BATCH / name), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["lines"] == summary["good"] > 0 and summary["bad"] == 0
    lines = [line for line in (BATCH / name).read_bytes().splitlines() if line.strip()]
    assert summary["lines"] == len(lines)
    if name != "errors.jsonl":
        assert summary["endpoint"].startswith("/v1/")
        assert summary["status_codes"] == {"200": 2, "400": 1}


def test_inspect_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "batch", "inspect", str(DATA / "batch_output.jsonl"))
    assert code == 0
    assert "5 lines, 5 good, 0 bad" in out and "/v1/chat/completions" in out
    assert "batch_expired" in out and "gpt-4o-mini-2024-07-18" in out


def test_inspect_reports_a_corrupt_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "batch", "inspect", str(corrupt(tmp_path, 2)), "--json")
    assert code == 1
    assert json.loads(out)["bad"] == 1
    assert "line 2 (byte" in err


def test_bad_usage_and_missing_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "batch", "inspect", str(tmp_path / "nope.jsonl"))[0] == 3
    code, _, err = run(
        capsys, "batch", "inspect", str(BATCH / "responses.jsonl"), "--endpoint", "/v1/x"
    )
    assert code == 2 and "unknown endpoint" in err
    with pytest.raises(SystemExit) as exit_:
        main(["batch", "frobnicate"])
    assert exit_.value.code == 2


def test_help_of_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        [],
        ["batch"],
        ["batch", "inspect"],
        ["batch", "export"],
        ["batch", "join"],
        ["batch", "validate"],
        ["sse"],
        ["sse", "decode"],
        ["bench"],
        ["codegen"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main([*argv, "--help"])
        assert exit_.value.code == 0
        assert "usage: openai-structs" in capsys.readouterr().out


def rows_of(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()


@pytest.mark.parametrize("name", ["chat_completions.jsonl", "responses.jsonl", "embeddings.jsonl"])
def test_export_matches_the_rows_of_the_typed_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    dest = tmp_path / "out.parquet"
    code, out, _ = run(capsys, "batch", "export", str(BATCH / name), "--to", str(dest))
    assert code == 0 and "wrote 3 rows" in out
    reader = iter_batch_output(BATCH / name)
    list(reader)
    assert rows_of(dest) == expected_rows(BATCH / name, reader.endpoint)


def test_export_stops_at_a_corrupt_line_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = corrupt(tmp_path, 3)
    dest = tmp_path / "out.parquet"
    code, _, err = run(capsys, "batch", "export", str(source), "--to", str(dest))
    assert code == 1 and "line 3" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.jsonl"]
    code, _, _ = run(capsys, "batch", "export", str(source), "--to", str(dest), "--errors", "skip")
    assert code == 0 and len(rows_of(dest)) == 2


def test_export_interrupted_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openai_structs.batch._export as export

    def put(*args: Any) -> Any:  # once the file is open and its writer thread runs
        raise KeyboardInterrupt

    monkeypatch.setattr(export.Background, "put", put)
    dest = tmp_path / "out.parquet"
    code, _, err = run(capsys, "batch", "export", str(BATCH / "responses.jsonl"), "--to", str(dest))
    assert code == 130 and "interrupted" in err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def big_chat_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import batch_files

    return batch_files.build("chat_output", 3000, folder=tmp_path_factory.mktemp("big"))


def test_export_with_jobs_equals_one_process(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, big_chat_file: Path
) -> None:
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    assert run(capsys, "batch", "export", str(big_chat_file), "--to", str(one))[0] == 0
    assert (
        run(capsys, "batch", "export", str(big_chat_file), "--to", str(two), "--jobs", "2")[0] == 0
    )
    first = rows_of(one)
    assert len(first) == 3000
    assert rows_of(two) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.parquet", "two.parquet"]


def test_export_with_jobs_names_the_file_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, big_chat_file: Path
) -> None:
    lines = big_chat_file.read_bytes().splitlines(keepends=True)
    lines[2499] = b'{"custom_id": 5,\n'
    source = tmp_path / "bad.jsonl"
    source.write_bytes(b"".join(lines))
    dest = tmp_path / "out.parquet"
    code, _, err = run(capsys, "batch", "export", str(source), "--to", str(dest), "--jobs", "2")
    assert code == 1 and "line 2500 " in err
    assert not dest.exists()


def test_join_and_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    requests = BATCH / "chat_completions_input.jsonl"
    code, out, _ = run(capsys, "batch", "validate", str(requests), "--json")
    assert code == 0 and json.loads(out)["lines"] == 3
    dest = tmp_path / "joined.parquet"
    code, out, _ = run(
        capsys, "batch", "join", str(requests), str(BATCH / "chat_completions.jsonl"),
        "--to", str(dest), "--json",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out.split("\n", 1)[1])
    assert report["matched"] == 3 and report["unmatched_requests"] == []
    rows = rows_of(dest)
    assert [json.loads(r["request"])["model"] for r in rows] and len(rows) == 3
    # one request too many, and a duplicate custom_id that the API would reject
    lines = requests.read_bytes().splitlines(keepends=True)
    extra = tmp_path / "input.jsonl"
    extra.write_bytes(b"".join(lines) + lines[0].replace(b'"chat_completions-0"', b'"extra"'))
    code, out, _ = run(
        capsys, "batch", "join", str(extra), str(BATCH / "chat_completions.jsonl"), "--json"
    )
    assert json.loads(out)["unmatched_requests"] == ["extra"]
    dup = tmp_path / "dup.jsonl"
    dup.write_bytes(b"".join(lines) + lines[0])
    code, _, err = run(capsys, "batch", "validate", str(dup))
    assert code == 1 and "line 4" in err


@pytest.mark.skipif(not CAPTURES.exists(), reason="../shared/captures is not beside the project")
def test_sse_decode_prints_every_event(capsys: pytest.CaptureFixture[str]) -> None:
    path = CAPTURES / "chat-sse" / "otel-two-tool-calls-usage.sse"
    code, out, _ = run(capsys, "sse", "decode", str(path), "--kind", "chat")
    assert code == 0
    events = [json.loads(line) for line in out.splitlines()]
    data_lines = [
        l for l in path.read_text().splitlines() if l.startswith("data:") and "[DONE]" not in l
    ]
    assert len(events) == len(data_lines)
    assert all(e["object"] == "chat.completion.chunk" for e in events)
    code, out, _ = run(capsys, "sse", "decode", str(path), "--kind", "chat", "--accumulate")
    final = json.loads(out)
    calls = final["choices"][0]["message"]["tool_calls"]
    assert [json.loads(c["function"]["arguments"]) for c in calls] == [
        {"location": "Seattle, WA"},
        {"location": "San Francisco, CA"},
    ]


def test_sse_decode_fixtures_and_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "sse", "decode", str(DATA / "streams" / "realtime.jsonl"), "--kind", "realtime"
    )
    assert code == 0 and all(json.loads(line)["type"] for line in out.splitlines())
    broken = tmp_path / "broken.sse"
    first = (DATA / "chat_completion_chunks.jsonl").read_bytes().splitlines()[0]
    broken.write_bytes(b"data: " + first + b"\n\ndata: {oops\n\n")
    code, _, err = run(capsys, "sse", "decode", str(broken), "--kind", "chat")
    assert code == 1 and "event 1" in err
    api_error = tmp_path / "error.sse"
    api_error.write_bytes(b'data: {"error": {"message": "overloaded", "type": "server_error"}}\n\n')
    code, _, err = run(capsys, "sse", "decode", str(api_error), "--kind", "chat")
    assert code == 1 and "overloaded" in err
    code, _, err = run(capsys, "sse", "decode", str(broken), "--kind", "speech", "--accumulate")
    assert code == 2


def test_console_script_runs(tmp_path: Path) -> None:
    script = shutil.which("openai-structs", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the console script is not installed in this environment")
    run_ = subprocess.run(
        [script, "batch", "inspect", str(BATCH / "responses.jsonl")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run_.returncode == 0, run_.stderr
    assert "/v1/responses" in run_.stdout


def test_bench_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("orjson")
    code, out, _ = run(capsys, "bench", "--quick", "--only", "ChatCompletion small")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("| ChatCompletion small"))
    assert row.count("|") > 8 and "x |" in row


def test_inspect_a_generated_large_file(
    capsys: pytest.CaptureFixture[str], big_chat_file: Path
) -> None:
    code, out, _ = run(capsys, "batch", "inspect", str(big_chat_file), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["lines"] == summary["good"] == 3000
    assert summary["endpoint"] == "/v1/chat/completions"
    assert (
        sum(summary["status_codes"].values()) + summary["error_codes"].get("batch_expired", 0)
        >= 2900
    )


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from openai_structs.cli._common import progress_bar

    update, close = progress_bar(1 << 30, "x")  # stderr is not a terminal under pytest
    update(1, 2)
    close()
    pytest.importorskip("rich")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    update, close = progress_bar(1 << 30, "reading")
    update(1 << 29, 1 << 30)
    close()
    update, close = progress_bar(100, "small")  # small inputs get no bar
    assert update(1, 100) is None


def test_join_and_validate_generated_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, big_chat_file: Path
) -> None:
    import batch_files

    requests = batch_files.build("chat_input", 3000, folder=big_chat_file.parent)
    code, out, _ = run(capsys, "batch", "validate", str(requests), "--json")
    assert code == 0 and json.loads(out)["lines"] == 3000
    dest = tmp_path / "joined.parquet"
    code, out, _ = run(
        capsys, "batch", "join", str(requests), str(big_chat_file), "--to", str(dest), "--json"
    )
    assert code == 0
    report = json.loads(out.split("\n", 1)[1])
    assert report["matched"] == 3000 and report["unmatched_results"] == []
    assert pq.read_table(dest).num_rows == 3000


def test_sse_decode_a_generated_stream(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from streams import chat_stream, responses_stream

    for kind, make in (("chat", chat_stream), ("responses", responses_stream)):
        body, payloads = make()
        path = tmp_path / f"{kind}.sse"
        path.write_bytes(body)
        code, out, _ = run(capsys, "sse", "decode", str(path), "--kind", kind)
        assert code == 0
        assert [json.loads(line) for line in out.splitlines()] == [json.loads(p) for p in payloads]


def test_join_writes_requests_back_as_they_came(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A request item of a type this version does not know is written back
    exactly, not as the decoder's stand-in."""
    body = {"model": "gpt-4o", "input": [{"type": "brand_new_item", "x": [1, 2]}]}
    request = {"custom_id": "a", "method": "POST", "url": "/v1/responses", "body": body}
    result = json.loads((BATCH / "responses.jsonl").read_bytes().splitlines()[0])
    result["custom_id"] = "a"
    missing = {**request, "custom_id": "b"}
    (tmp_path / "in.jsonl").write_text(json.dumps(request) + "\n" + json.dumps(missing) + "\n")
    (tmp_path / "out.jsonl").write_text(json.dumps(result) + "\n")
    dest = tmp_path / "joined.parquet"
    code, _, _ = run(
        capsys, "batch", "join", str(tmp_path / "in.jsonl"), str(tmp_path / "out.jsonl"),
        "--to", str(dest),
    )  # fmt: skip
    assert code == 0
    rows = rows_of(dest)
    assert [json.loads(r["request"]) for r in rows] == [body, body]
    assert rows[1]["custom_id"] == "b" and rows[1]["status_code"] is None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_export_and_inspect_agree_on_a_number_out_of_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, big_chat_file: Path, jobs: str
) -> None:
    """A token count no int64 column holds is a bad line for both commands,
    named by its line and byte: exit 1 and no file, or skipped and counted."""
    lines = big_chat_file.read_bytes().splitlines(keepends=True)
    doc = json.loads(lines[2499])
    doc["response"]["body"]["usage"]["total_tokens"] = 2**63
    lines[2499] = json.dumps(doc).encode() + b"\n"
    source = tmp_path / "big.jsonl"
    source.write_bytes(b"".join(lines))
    offset = len(b"".join(lines[:2499]))
    code, out, err = run(capsys, "batch", "inspect", str(source), "--json")
    assert code == 1 and json.loads(out)["bad"] == 1
    assert f"line 2500 (byte {offset})" in err
    dest = tmp_path / "out.parquet"
    code, _, err = run(capsys, "batch", "export", str(source), "--to", str(dest), "--jobs", jobs)
    assert code == 1 and f"line 2500 (byte {offset})" in err and "int64" in err
    assert err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]
    code, out, _ = run(
        capsys,
        "batch",
        "export",
        str(source),
        "--to",
        str(dest),
        "--jobs",
        jobs,
        "--errors",
        "skip",
    )
    assert code == 0 and "wrote 2999 rows" in out and "skipped 1 bad line" in out
    assert pq.read_table(dest).num_rows == 2999


def test_join_without_custom_ids(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A request without ``custom_id`` is a bad line of the input file (exit
    1, named); a result without one is never paired, and ``--json`` reports
    it as an unmatched result with a null id."""
    requests = (BATCH / "chat_completions_input.jsonl").read_bytes().splitlines(keepends=True)
    results = (BATCH / "chat_completions.jsonl").read_bytes().splitlines(keepends=True)

    def without_id(line: bytes) -> bytes:
        doc = json.loads(line)
        del doc["custom_id"]
        return json.dumps(doc).encode() + b"\n"

    good_in, bad_in = tmp_path / "in.jsonl", tmp_path / "bad_in.jsonl"
    good_in.write_bytes(b"".join(requests))
    bad_in.write_bytes(without_id(requests[0]) + b"".join(requests[1:]))
    out = tmp_path / "out.jsonl"
    out.write_bytes(without_id(results[0]) + b"".join(results[1:]))
    code, _, err = run(capsys, "batch", "join", str(bad_in), str(out), "--json")
    assert code == 1 and "line 1 (byte 0)" in err and "custom_id" in err
    code, text, _ = run(capsys, "batch", "join", str(good_in), str(out), "--json")
    assert code == 0
    report = json.loads(text)
    assert report["matched"] == 2 and report["unmatched_results"] == [None]
    assert report["unmatched_requests"] == [json.loads(requests[0])["custom_id"]]
    code, _, err = run(capsys, "batch", "validate", str(bad_in))
    assert code == 1 and "line 1" in err


def test_join_to_parquet_with_a_number_out_of_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    requests = BATCH / "chat_completions_input.jsonl"
    lines = (BATCH / "chat_completions.jsonl").read_bytes().splitlines(keepends=True)
    doc = json.loads(lines[2])
    doc["response"]["body"]["usage"]["prompt_tokens"] = -(2**64)
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"".join(lines[:2]) + json.dumps(doc).encode() + b"\n")
    dest = tmp_path / "joined.parquet"
    code, _, err = run(capsys, "batch", "join", str(requests), str(out), "--to", str(dest))
    assert code == 1 and "line 3 (byte" in err and "$.response.body.usage.prompt_tokens" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def _children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_during_export_leaves_nothing_behind(
    tmp_path: Path, big_chat_file: Path, jobs: str
) -> None:
    """SIGTERM (what a container runtime or a job scheduler sends) mid-export
    cleans up as Ctrl-C does: exit 143, one line on stderr, no temporary file
    or folder, and no worker process left running."""
    import os
    import signal
    import time

    source = tmp_path / "big.jsonl"
    source.write_bytes(big_chat_file.read_bytes() * 20)  # 60,000 lines, ~75 MB
    work = tmp_path / "out"
    work.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "openai_structs", "batch", "export", str(source),
         "--to", str(work / "out.parquet"), "--jobs", jobs],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    children: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:  # until it is writing
        children = _children(proc.pid)
        if any(work.iterdir()) and (jobs == "1" or children):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the export ended before it could be interrupted"
    assert jobs == "1" or children

    def alive() -> list[int]:
        running = []
        for pid in children:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            running.append(pid)
        return running

    proc.send_signal(signal.SIGTERM)
    try:
        # orphaned workers would hold the pipes open: a hang, not an end
        out, err = proc.communicate(timeout=60)
        time.sleep(0.2)
        left = alive()
    finally:
        for pid in alive():  # leave nothing running when the test fails
            os.kill(pid, signal.SIGKILL)
        proc.kill()
    assert proc.returncode == 143, err
    assert err == "openai-structs: terminated\n" and out == ""
    assert list(work.iterdir()) == []
    assert left == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_export_types_lines_as_inspect_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str
) -> None:
    """Without --endpoint, export types each line as inspect does (the
    endpoint inferred, a line of another endpoint typed by its own body), in
    every byte range of --jobs: the same lines are good for both."""
    chat = (BATCH / "chat_completions.jsonl").read_bytes().splitlines(keepends=True)
    resp = (BATCH / "responses.jsonl").read_bytes().splitlines(keepends=True)
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(b"".join([*chat, resp[0], *chat, resp[2], *chat] * 4))
    code, out, _ = run(capsys, "batch", "inspect", str(source), "--json")
    assert code == 0 and json.loads(out)["good"] == 44
    dest = tmp_path / "out.parquet"
    code, out, err = run(capsys, "batch", "export", str(source), "--to", str(dest), "--jobs", jobs)
    assert code == 0, err
    rows = rows_of(dest)
    assert len(rows) == 44 and rows[3]["model"] == json.loads(resp[0])["response"]["body"]["model"]
    # --endpoint fixes the type: the lines of another endpoint are bad, for both
    code, out, _ = run(
        capsys, "batch", "inspect", str(source), "--json", "--endpoint", "/v1/chat/completions"
    )
    assert code == 1 and json.loads(out)["bad"] == 8
    code, out, _ = run(
        capsys, "batch", "export", str(source), "--to", str(dest), "--jobs", jobs,
        "--endpoint", "/v1/chat/completions", "--errors", "skip",
    )  # fmt: skip
    assert code == 0 and "wrote 36 rows" in out and "skipped 8 bad lines" in out


def test_inspect_several_files_and_globs(capsys: pytest.CaptureFixture[str]) -> None:
    """``inspect`` takes several files, and globs as given (quoted, a shell
    does not expand them): one summary of all, the bad lines of each named
    with its file; ``--failed`` lists the failed requests' custom_ids."""
    output, errors = BATCH / "chat_completions.jsonl", BATCH / "errors.jsonl"
    code, out, _ = run(capsys, "batch", "inspect", str(output), str(errors), "--json", "--failed")
    assert code == 0
    summary = json.loads(out)
    docs = [json.loads(x) for f in (output, errors) for x in f.read_bytes().splitlines()]
    failed = [
        d["custom_id"]
        for d in docs
        if d["response"] is None or not 200 <= d["response"]["status_code"] < 300
    ]
    assert summary["lines"] == len(docs) and summary["failed_ids"] == failed
    assert [f["file"] for f in summary["files"]] == [str(output), str(errors)]
    assert summary["endpoint"] == "/v1/chat/completions"
    code, out, _ = run(
        capsys, "batch", "inspect", str(BATCH / "chat_completions.json?"), "--failed"
    )
    assert code == 0 and "failed requests (1):" in out and "chat_completions-e" in out
    code, _, err = run(capsys, "batch", "inspect", str(BATCH / "nothing-*.jsonl"))
    assert code == 3 and "no file matches" in err


def test_inspect_names_the_file_of_each_bad_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = corrupt(tmp_path, 2)
    code, out, err = run(
        capsys, "batch", "inspect", str(BATCH / "chat_completions.jsonl"), str(bad)
    )
    assert code == 1 and f"{bad}: line 2 (byte" in err and "in all: 6 lines, 5 good, 1 bad" in out


def test_export_several_files_into_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output, errors = BATCH / "chat_completions.jsonl", BATCH / "errors.jsonl"
    dest = tmp_path / "out.parquet"
    code, out, _ = run(capsys, "batch", "export", str(output), str(errors), "--to", str(dest))
    assert code == 0 and "wrote" in out
    endpoint = "/v1/chat/completions"
    assert rows_of(dest) == expected_rows(output, endpoint) + expected_rows(errors, endpoint)
    code, _, err = run(
        capsys, "batch", "export", str(output), str(BATCH / "embeddings.jsonl"), "--to", str(dest)
    )
    assert code == 2 and "separate files" in err
    bad = corrupt(tmp_path, 2)
    code, _, err = run(capsys, "batch", "export", str(output), str(bad), "--to", str(dest))
    assert code == 1 and err.startswith(f"openai-structs: {bad}: line 2 (byte")


@pytest.mark.parametrize(
    "command",
    [
        ["export", "{out}", "--to", "{dest}"],
        ["export", "{out}", "--to", "{dest}", "--jobs", "2"],
        ["join", "{input}", "{out}"],
        ["join", "{input}", "{out}", "--to", "{dest}"],
        ["validate", "{input}"],
        ["inspect", "{out}"],
    ],
)
def test_long_commands_show_progress(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    big_chat_file: Path,
    command: list[str],
) -> None:
    """Each long command drives a progress bar over the bytes it reads (the
    bar itself shows on a terminal, for large files: see
    ``test_progress_bar_only_on_a_terminal``), up to the total, with
    ``--jobs`` too (the workers add up their bytes)."""
    import batch_files

    import openai_structs.cli._batch as cli

    requests = batch_files.build("chat_input", 3000, folder=big_chat_file.parent)
    seen: list[tuple[int, int, int | None]] = []  # (bar's total, done, total told)

    def progress_bar(total: int, label: str) -> Any:
        return (lambda done, told: seen.append((total, done, told))), (lambda: None)

    monkeypatch.setattr(cli, "progress_bar", progress_bar)
    names = {"out": big_chat_file, "input": requests, "dest": tmp_path / "out.parquet"}
    argv = [part.format(**{k: str(v) for k, v in names.items()}) for part in command]
    code, _, err = run(capsys, "batch", *argv)
    assert code == 0, err
    dones = [done for _, done, _ in seen]
    assert dones == sorted(dones) and len(dones) > 1
    bar, last, told = seen[-1]
    assert last == told == bar  # every byte of every file


def test_demo_needs_its_sample_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--data", str(tmp_path / "missing")]) == 3
    assert "no sample folder" in capsys.readouterr().err
    assert main(["demo", "--data", str(tmp_path)]) == 3  # a folder with no known sample
    assert "no known sample files" in capsys.readouterr().err


def test_tables_in_a_pipe_are_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    from openai_structs.cli._common import table

    table("title", ["a", "long header"], [["a value longer than its header", 1]])
    assert capsys.readouterr().out.splitlines() == [
        "title",
        "a                               long header",
        "a value longer than its header  1",
    ]
