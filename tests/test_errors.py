"""The msgspec message forms that ``openai_structs._errors`` reads.

Locations come from msgspec's wording (``- at `$.path```, ``(byte N)``,
``truncated``, ``Invalid value``). These tests pin each form on the msgspec
installed, so a release that rewords one fails here, not in a user's stack
trace.
"""

from __future__ import annotations

import msgspec
import pytest

from openai_structs._errors import (
    MalformedJSONError,
    ValidationError,
    is_rejected_tag,
    join_path,
    malformed,
    split_message,
    validation_error,
)


class Part(msgspec.Struct, tag_field="type", tag="part"):
    text: str


class Box(msgspec.Struct):
    items: list[Part | None]


def _error(data: bytes, tp: object) -> msgspec.DecodeError:
    with pytest.raises(msgspec.DecodeError) as info:
        msgspec.json.decode(data, type=tp)
    return info.value


def test_type_error_names_the_path() -> None:
    exc = _error(b'{"items": [{"type": "part", "text": 1}]}', Box)
    assert str(exc) == "Expected `str`, got `int` - at `$.items[0].text`"
    assert split_message(str(exc)) == ("Expected `str`, got `int`", "$.items[0].text")


def test_rejected_tag_form() -> None:
    exc = _error(b'{"items": [{"type": "new"}]}', Box)
    assert str(exc) == "Invalid value 'new' - at `$.items[0].type`"
    assert isinstance(exc, msgspec.ValidationError)
    assert is_rejected_tag(exc, frozenset({"type"}))
    assert not is_rejected_tag(exc, frozenset({"role"}))


def test_missing_field_form() -> None:
    exc = _error(b'{"items": [{"type": "part"}]}', Box)
    assert str(exc) == "Object missing required field `text` - at `$.items[0]`"


def test_root_error_has_no_location() -> None:
    exc = _error(b"[]", Box)
    assert split_message(str(exc)) == ("Expected `object`, got `array`", "")
    assert validation_error(exc).path == "$"


def test_hook_messages_join_innermost_last() -> None:
    """A ``dec_hook`` error reports the path inside the hooked value first."""
    assert split_message("bad - at `$.a[1]` - at `$.items[0]`") == ("bad", "$.items[0].a[1]")


def test_malformed_byte_form() -> None:
    exc = _error(b"[1,,2]", list[int])
    assert str(exc) == "JSON is malformed: invalid character (byte 3)"
    err = malformed(exc, b"[1,,2]")
    assert isinstance(err, MalformedJSONError)
    assert err.pos == 3


def test_trailing_characters_form_counts_one_past() -> None:
    data = b'{"items": []} x'
    exc = _error(data, Box)
    assert "trailing characters" in str(exc)
    assert malformed(exc, data).pos == data.index(b"x")


def test_truncated_form() -> None:
    data = b'{"items": ['
    exc = _error(data, Box)
    assert "truncated" in str(exc)
    assert malformed(exc, data).pos == len(data)


def test_number_out_of_range_is_a_validation_error() -> None:
    exc = _error(b"[1e400]", list[int])
    assert isinstance(exc, msgspec.ValidationError)
    assert str(exc) == "Number out of range - at `$[0]`"


def test_invalid_utf8_is_a_unicode_error() -> None:
    with pytest.raises(UnicodeDecodeError):
        msgspec.json.decode(b'"\xff"', type=str)
    err = malformed(UnicodeDecodeError("utf-8", b"x", 0, 1, "bad"), b'{"a": "\xff"}')
    assert err.pos == 7


def test_errors_rebase_onto_a_prefix() -> None:
    exc = _error(b'{"items": [{"type": "part", "text": 1}]}', Box)
    err = validation_error(exc, "$.data[3]")
    assert isinstance(err, ValidationError)
    assert err.path == "$.data[3].items[0].text"
    assert str(err) == "Expected `str`, got `int` - at `$.data[3].items[0].text`"
    assert join_path("$.a", "$") == "$.a"
