"""Byte ranges aligned to lines: every line in exactly one range, none cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from openai_structs._ranges import ByteRange, split_file, split_files


def pieces(path: Path, ranges: list[ByteRange]) -> list[bytes]:
    data = path.read_bytes()
    return [data[r.start : r.end] for r in ranges]


def test_empty_file_has_no_ranges(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    assert split_file(path, 10) == []


def test_cuts_fall_after_newlines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"aaaa\nbb\ncccccccccc\nd")
    ranges = split_file(path, 3)
    assert pieces(path, ranges) == [b"aaaa\n", b"bb\n", b"cccccccccc\n", b"d"]
    assert ranges[0] == ByteRange(str(path), 0, 5)


def test_a_cut_right_after_a_newline_stays(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"ab\ncd\nef\n")
    assert pieces(path, split_file(path, 3)) == [b"ab\n", b"cd\n", b"ef\n"]


def test_long_line_past_the_read_window(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(b"x" * 200_000 + b"\n" + b"y\n")
    assert pieces(path, split_file(path, 10)) == [b"x" * 200_000 + b"\n", b"y\n"]


def test_bad_blocksize(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="blocksize"):
        split_file(tmp_path, 0)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=30),
    final_newline=st.booleans(),
    blocksize=st.integers(1, 40),
)
def test_ranges_cover_every_line_once(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[bytes],
    final_newline: bool,
    blocksize: int,
) -> None:
    path = tmp_path_factory.mktemp("r") / "f.jsonl"
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path.write_bytes(data)
    ranges = split_files([path], blocksize)
    assert b"".join(pieces(path, ranges)) == data
    for piece in pieces(path, ranges)[:-1]:
        assert piece.endswith(b"\n")
    assert all(r.end > r.start for r in ranges)
