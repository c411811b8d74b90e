"""Where batch files come from: memory stays bounded on a large mapped file,
and byte ranges fall on line boundaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from openai_structs.batch import batch_ranges, iter_batch_output

ROOT = Path(__file__).resolve().parents[1]
CHAT = (ROOT / "data" / "batch" / "chat_completions.jsonl").read_bytes()

_MEASURE = """
import resource, sys
from openai_structs.batch import iter_batch_output

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

for _ in iter_batch_output(sys.argv[2]):  # warm up: imports, decoders
    pass
base = peak_mb()
reader = iter_batch_output(sys.argv[1])
for line in reader:
    pass
print(base, peak_mb(), reader.good, reader.bad)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="ru_maxrss is POSIX only")
def test_memory_stays_bounded_on_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "large.jsonl"
    copies = (64 << 20) // len(CHAT) + 1
    with open(path, "wb") as f:
        f.writelines(CHAT * 1000 for _ in range(copies // 1000))
    size_mb = path.stat().st_size / (1 << 20)
    assert size_mb > 60
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            _MEASURE,
            str(path),
            str(ROOT / "data" / "batch" / "chat_completions.jsonl"),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    ).stdout.split()
    base, peak, good, bad = float(out[0]), float(out[1]), int(out[2]), int(out[3])
    assert good == copies // 1000 * 1000 * 3 and bad == 0
    # the file is 64 MB: a reader that mapped it and kept its pages, or read
    # it whole, would pass 64 MB above the baseline
    assert peak - base < 32, f"peak {peak:.0f} MB over a baseline of {base:.0f} MB"


def test_ranges_fall_on_line_starts(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    data = CHAT * 7 + b"last line without newline"
    path.write_bytes(data)
    for parts in range(1, 30):
        ranges = batch_ranges(path, parts)
        assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
        assert len(ranges) <= parts
        for a, b in ranges:
            assert a < b
            assert a == 0 or data[a - 1 : a] == b"\n"
    with pytest.raises(ValueError):
        batch_ranges(path, 0)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert batch_ranges(empty, 4) == []


def test_one_long_line_is_one_range(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": "' + b"x" * 10_000 + b'"}\n')
    assert batch_ranges(path, 5) == [(0, path.stat().st_size)]


def test_reader_releases_the_file(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(CHAT)
    reader = iter_batch_output(path)
    lines = list(reader)
    assert len(lines) == 3
    path.unlink()  # on POSIX this works anyway; the map must be closed for Windows
    assert reader.bytes_done == len(CHAT)
