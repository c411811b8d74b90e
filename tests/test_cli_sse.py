"""``openai-structs sse decode`` on bad streams: the documented exit code and a
one-line message, never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from openai_structs.cli import main

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT.parent / "shared" / "captures"
KINDS = ["chat", "responses", "assistants", "completions", "speech", "images", "realtime"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_event_over_the_bound(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Past the 16 MiB bound: exit 1 and one line naming the event, after
    the events before it were printed."""
    first = (ROOT / "data" / "chat_completion_chunks.jsonl").read_bytes().splitlines()[0]
    path = tmp_path / "big.sse"
    path.write_bytes(b"data: " + first + b"\n\ndata: " + b"x" * (17 << 20) + b"\n\n")
    code, out, err = run(capsys, "sse", "decode", str(path), "--kind", "chat")
    assert code == 1
    assert len(out.splitlines()) == 1  # the event before it
    assert err.count("\n") == 1 and "event 1" in err and "max_event_size" in err


def test_a_huge_retry_is_ignored(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first = (ROOT / "data" / "chat_completion_chunks.jsonl").read_bytes().splitlines()[0]
    path = tmp_path / "retry.sse"
    path.write_bytes(b"retry: " + b"9" * 5000 + b"\ndata: " + first + b"\n\n")
    code, out, err = run(capsys, "sse", "decode", str(path), "--kind", "chat")
    assert (code, err, len(out.splitlines())) == (0, "", 1)


FRAGMENTS = [
    b"\xff",
    b"\r\n",
    b"\n\n",
    b"data: [DONE]\n\n",
    b'data: {"error": {"message": "x"}}\n\n',
    b"event: error\n",
    b'"bogus"',
    b"{",
    b"null",
    b"1e999",
    b"retry: " + b"9" * 5000 + b"\n",
]


def mutate(raw: bytes, rng: random.Random) -> bytes:
    out = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out) + 1)
        op = rng.random()
        if op < 0.4:
            out[at:at] = rng.choice(FRAGMENTS)
        elif op < 0.7:
            del out[at : at + rng.randint(1, 20)]
        else:
            start = rng.randrange(len(out) + 1)
            out[at:at] = out[start : start + rng.randint(1, 200)]
    return bytes(out)


def test_mutated_streams_exit_cleanly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Recorded streams, mutated (seeded): every run exits 0 or 1 with at
    most one line on stderr, whatever the kind, strict or not, accumulated
    or not."""
    files = sorted(CAPTURES.glob("*-sse/*.sse")) + sorted((ROOT / "data" / "streams").glob("*"))
    rng = random.Random(14)
    path = tmp_path / "mutated.sse"
    codes = set()
    for _ in range(150):
        path.write_bytes(mutate(rng.choice(files).read_bytes(), rng))
        kind = rng.choice(KINDS)
        args = ["sse", "decode", str(path), "--kind", kind]
        if rng.random() < 0.3:
            args.append("--strict")
        if kind in ("chat", "responses") and rng.random() < 0.3:
            args.append("--accumulate")
        code, _, err = run(capsys, *args)
        assert code in (0, 1) and err.count("\n") <= 1, (args, err)
        codes.add(code)
    assert codes == {0, 1}
