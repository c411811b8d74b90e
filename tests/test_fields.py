"""``present``: the one reading of a field that may be absent (UNSET) or null,
from a struct or a plain dict, used by the streams, the batch readers and the
command line alike."""

from __future__ import annotations

import msgspec

from openai_structs.core._fields import present


class Usage(msgspec.Struct):
    input_tokens: int | None | msgspec.UnsetType = msgspec.UNSET
    prompt_tokens: int | None | msgspec.UnsetType = msgspec.UNSET


class Body(msgspec.Struct):
    usage: Usage | None | msgspec.UnsetType = msgspec.UNSET


def test_absent_null_and_sent() -> None:
    assert present(Usage(), "input_tokens") is None  # absent
    assert present(Usage(input_tokens=None), "input_tokens") is None  # null
    assert present(Usage(input_tokens=0), "input_tokens") == 0  # sent, even if false
    assert present(Usage(), "no_such_field") is None


def test_the_first_of_several_names() -> None:
    assert present(Usage(prompt_tokens=3), "input_tokens", "prompt_tokens") == 3
    assert present(Usage(input_tokens=1, prompt_tokens=3), "input_tokens", "prompt_tokens") == 1


def test_a_path_step_by_step() -> None:
    body = Body(usage=Usage(input_tokens=5))
    assert present(present(body, "usage"), "input_tokens") == 5
    assert present(present(Body(), "usage"), "input_tokens") is None  # a missing step
    assert present(present(Body(usage=None), "usage"), "input_tokens") is None


def test_dicts_alike() -> None:
    assert present({"code": "c"}, "code") == "c"
    assert present({"code": None, "type": "t"}, "code", "type") == "t"
    assert present({"items": 1}, "get") is None  # a key, never a dict's method
    assert present("text", "code") is None and present(None, "code") is None
