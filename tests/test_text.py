"""Fragments: text kept as pieces and joined once."""

from __future__ import annotations

from openai_structs.streams._text import Fragments


def test_empty_and_first() -> None:
    assert Fragments().value() == ""
    assert Fragments("a").value() == "a"


def test_add_set_and_join_once() -> None:
    text = Fragments("a")
    for piece in "bcd":
        text.add(piece)
    joined = text.value()
    assert joined == "abcd"
    assert text.value() is joined  # joined once, kept
    text.add("e")
    assert text.value() == "abcde"
    text.set("whole")
    assert text.value() == "whole"
