"""The msgspec message forms that ``openai_structs.core._msgspec`` reads.

Locations come from msgspec's wording (``- at `$.path```, ``(byte N)``,
``truncated``, ``Invalid value``). ``SHAPES`` below says what every supported
msgspec release writes for each form named in ``_errors.MESSAGE_SHAPES``;
``test_message_shape`` checks the installed release against it, so a release
that rewords one fails there, naming the form, not in a user's stack trace.
CI runs this file on the newest msgspec and on the lowest the package allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.metadata import requires

import msgspec
import pytest
from packaging.requirements import Requirement

from openai_structs.core._msgspec import (
    MESSAGE_SHAPES,
    is_bad_utf8,
    is_rejected_tag,
    join_path,
    key_step,
    malformed,
    rejected_utf8,
    split_message,
    validation_error,
)
from openai_structs.errors import MalformedJSONError, ValidationError


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


def test_invalid_utf8_is_named_by_its_byte() -> None:
    """msgspec 0.22 and older raise ``UnicodeDecodeError`` with an offset in
    the string; 0.23 raises a ``DecodeError`` with none. Either way the error
    names the byte of the document."""
    data = b'{"a": "\xff"}'
    with pytest.raises((msgspec.DecodeError, UnicodeDecodeError)) as info:
        msgspec.json.decode(data)
    assert is_bad_utf8(info.value)
    err = malformed(info.value, data)
    assert isinstance(err, MalformedJSONError) and err.pos == 7
    assert "byte 7" in str(err)


def test_rejected_utf8_finds_the_byte_the_decoder_read() -> None:
    """The first invalid byte sits in a value the decoder skips; the search
    names the one it refused."""
    data = b'{"skipped": "\xfe", "read": "ok \xff"}'
    decoder = msgspec.json.Decoder(Read)

    def rejects(candidate: bytes) -> bool:
        try:
            decoder.decode(candidate)
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            return is_bad_utf8(exc)
        return False

    assert rejected_utf8(data, rejects) == data.index(b"\xff")
    assert rejected_utf8(data.replace(b"\xff", b"!"), rejects) == data.index(b"\xfe")


class Read(msgspec.Struct):
    read: str


def test_key_steps() -> None:
    assert key_step("region") == ".region"
    assert key_step("x-request-id") == ".x-request-id"
    assert key_step("a.b") == '["a.b"]'
    assert key_step('q"]') == '["q\\"]"]'
    assert key_step("") == '[""]'


def test_errors_rebase_onto_a_prefix() -> None:
    exc = _error(b'{"items": [{"type": "part", "text": 1}]}', Box)
    err = validation_error(exc, "$.data[3]")
    assert isinstance(err, ValidationError)
    assert err.path == "$.data[3].items[0].text"
    assert str(err) == "Expected `str`, got `int` - at `$.data[3].items[0].text`"
    assert join_path("$.a", "$") == "$.a"


# --------------------------------------------------------------------------
# What each supported msgspec release writes


def _version(text: str) -> tuple[int, ...]:
    """``"0.20"`` -> ``(0, 20, 0)``: three parts, so that releases compare."""
    parts = [int(x) for x in re.findall(r"\d+", text)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


INSTALLED = _version(msgspec.__version__)


def _raised(data: bytes, tp: object) -> BaseException:
    try:
        msgspec.json.decode(data, type=tp)
    except BaseException as exc:  # noqa: BLE001 - the form is what is checked
        return exc
    raise AssertionError(f"{data!r} decoded")


def _deep() -> BaseException:
    return _raised(b"[" * 5000 + b"]" * 5000, list)


# name -> (how to make it happen, [(first release, exception type, message), ...])
SHAPES: dict[str, tuple[Callable[[], BaseException], list[tuple[tuple[int, ...], str, str]]]] = {
    "path": (
        lambda: _raised(b'{"items": [{"type": "part", "text": 1}]}', Box),
        [((0, 18, 6), "ValidationError", "Expected `str`, got `int` - at `$.items[0].text`")],
    ),
    "root": (
        lambda: _raised(b"[]", Box),
        [((0, 18, 6), "ValidationError", "Expected `object`, got `array`")],
    ),
    "rejected_tag": (
        lambda: _raised(b'{"items": [{"type": "new"}]}', Box),
        [((0, 18, 6), "ValidationError", "Invalid value 'new' - at `$.items[0].type`")],
    ),
    "malformed": (
        lambda: _raised(b"[1,,2]", list[int]),
        [((0, 18, 6), "DecodeError", "JSON is malformed: invalid character (byte 3)")],
    ),
    "trailing": (
        lambda: _raised(b'{"items": []} x', Box),
        [((0, 18, 6), "DecodeError", "JSON is malformed: trailing characters (byte 15)")],
    ),
    "truncated": (
        lambda: _raised(b'{"items": [', Box),
        [((0, 18, 6), "DecodeError", "Input data was truncated")],
    ),
    "bad_utf8": (
        lambda: _raised(b'{"a": "\xff"}', dict),
        [
            (
                (0, 18, 6),
                "UnicodeDecodeError",
                "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
            ),
            ((0, 23, 0), "DecodeError", "Invalid UTF-8 encoded string"),
        ],
    ),
    "too_deep": (
        _deep,
        [
            (
                (0, 18, 6),
                "RecursionError",
                "maximum recursion depth exceeded while deserializing an object",
            )
        ],
    ),
}


def test_every_shape_read_is_pinned() -> None:
    assert set(SHAPES) == set(MESSAGE_SHAPES)


def lowest_msgspec() -> tuple[int, ...]:
    """The lowest msgspec the installed package allows on this Python."""
    deps = [Requirement(r) for r in requires("openai-structs") or []]
    [dep] = [d for d in deps if d.name == "msgspec" and (d.marker is None or d.marker.evaluate())]
    return _version(str(dep.specifier))


def test_the_table_covers_the_declared_range() -> None:
    """The table reaches back to the lowest release pyproject.toml allows on
    this Python, and the installed one is within the range."""
    lowest = lowest_msgspec()
    assert all(releases[0][0] <= lowest for _, releases in SHAPES.values())
    assert INSTALLED >= lowest, f"msgspec {msgspec.__version__} is below the declared {lowest}"


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_message_shape(name: str) -> None:
    make, releases = SHAPES[name]
    since, kind, message = [r for r in releases if r[0] <= INSTALLED][-1]
    exc = make()
    got = (type(exc).__name__, str(exc))
    assert got == (kind, message), (
        f"msgspec {msgspec.__version__} writes the {name!r} form as {got!r}; "
        f"openai_structs.core._msgspec reads it as {MESSAGE_SHAPES[name]} (pinned since "
        f"{'.'.join(map(str, since))}: {(kind, message)!r})"
    )
