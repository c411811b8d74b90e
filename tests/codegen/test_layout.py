"""The layout stage keeps generated lines within 100 columns without changing
what they mean."""

from __future__ import annotations

import ast

from openai_structs.codegen.layout import fit, wrap


def _same_code(a: str, b: str) -> bool:
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


def test_short_lines_are_left_alone() -> None:
    assert wrap("x: int = 1") == ["x: int = 1"]


def test_class_header_breaks_at_its_bases() -> None:
    line = (
        "class ResponseAudioDeltaEvent(Struct, frozen=True, kw_only=True,"
        ' tag_field="type", tag="response.audio.delta"):'
    )
    assert len(line) > 100
    lines = wrap(line)
    assert lines == [
        "class ResponseAudioDeltaEvent(",
        '    Struct, frozen=True, kw_only=True, tag_field="type", tag="response.audio.delta"',
        "):",
    ]
    assert _same_code(line + "\n    pass", "\n".join(lines) + "\n    pass")


def test_long_union_goes_one_member_a_line_without_trailing_comma() -> None:
    members = [f"Member{i:02d}WithALongName" for i in range(8)]
    line = f"    field: list[Union[{', '.join(members)}]] = UNSET"
    lines = wrap(line, width=60)
    assert all(len(x) <= 60 for x in lines)
    assert not any(x.rstrip().endswith(",") and x.strip() in ("]", ")") for x in lines)
    assert lines[-1].strip() == "]] = UNSET" or lines[-1].strip() == "] = UNSET"
    # no trailing comma inside the subscript: list[X,] would be list[tuple]
    assert not any(x.rstrip() == f"        {members[-1]}," for x in lines)
    code = "class C:\n" + line
    assert _same_code(code, "class C:\n" + "\n".join(lines))


def test_brackets_in_strings_are_not_brackets() -> None:
    line = '    tag: ClassVar[Enum["a[b", "c(d", "e,f"]] = "a[b"' + " " * 0
    lines = wrap(line, width=30)
    code = "class C:\n" + line
    assert _same_code(code, "class C:\n" + "\n".join(lines))


def test_head_too_long_puts_the_value_in_brackets() -> None:
    name = "N" * 80
    line = f"    {name}: TypeAlias = Union[Aaaaaaaaaa, Bbbbbbbbbbbb, None]"
    lines = wrap(line)
    assert all(len(x) <= 100 for x in lines)
    assert lines[0] == f"    {name}: TypeAlias = ("
    assert _same_code("if 1:\n" + line, "if 1:\n" + "\n".join(lines))


def test_fit_leaves_docstrings_and_comments() -> None:
    doc = '    """' + "word [x, y] " * 12 + '\n    more (a, b)\n    """'
    comment = "# " + "c(" * 60
    text = f"class C:\n{doc}\n\n{comment}\n"
    assert fit(text) == text


def test_a_tuple_of_one_keeps_its_comma() -> None:
    """``((A, (B, C)),)`` broken over lines is still a tuple of one tuple."""
    line = "        return ((" + "A" * 60 + ", (" + "B" * 30 + ", " + "C" * 30 + ")),)"
    lines = wrap(line)
    assert all(len(x) <= 100 for x in lines)
    assert _same_code(line.strip(), "\n".join(x[8:] for x in lines))
