"""Keep generated lines within the project's line length (ruff's, 100).

Emit writes each statement on one line; :func:`fit` then breaks any line
that is too long at its brackets, the way a person would: the longest
bracketed group at the top level of the line is opened, and its items go one
per line, four spaces deeper, each broken again if it is still too long::

    class ResponseAudioDeltaEvent(
        Struct, frozen=True, kw_only=True, tag_field="type", tag="response.audio.delta"
    ):

is tried first (all items on one line), and only then one item a line. No
trailing comma is added: in a subscript (``list[X,]``) it would change the
meaning; one that is there (a tuple of one, ``(X,)``) is kept. Strings are never broken, and docstrings and comments are left as
they are (emit wraps its docstrings itself).
"""

from __future__ import annotations

WIDTH = 100
_OPEN = {"(": ")", "[": "]", "{": "}"}


def fit(text: str, width: int = WIDTH) -> str:
    """``text`` (a module) with every code line over ``width`` broken at its brackets."""
    out: list[str] = []
    in_doc = False
    for line in text.split("\n"):
        quotes = line.count('"""')
        if in_doc or quotes or line.lstrip().startswith("#") or len(line) <= width:
            out.append(line)
        else:
            out += wrap(line, width)
        if quotes % 2:
            in_doc = not in_doc
    return "\n".join(out)


def wrap(line: str, width: int = WIDTH) -> list[str]:
    """One logical line as physical lines of at most ``width`` where it can."""
    if len(line) <= width:
        return [line]
    group = _longest_group(line, width)
    if group is None:
        return [line]  # nothing to break at (a long string): left as it is
    start, end = group
    equals = line.find(" = ")
    if start >= width and 0 < equals < start and line[equals + 3] != "(":
        # the head does not fit: put the right-hand side in brackets of its own
        return wrap(f"{line[:equals]} = ({line[equals + 3 :]})", width)
    indent = line[: len(line) - len(line.lstrip())]
    inner = indent + "    "
    head, body, tail = line[: start + 1], line[start + 1 : end], indent + line[end:]
    items = _split_items(body)
    last = "," if body.rstrip().endswith(",") else ""  # a tuple of one keeps its comma
    one = inner + ", ".join(items) + last
    if len(items) > 1 and len(one) <= width:
        middle = [one]
    else:
        middle = []
        for i, item in enumerate(items):
            comma = "," if i < len(items) - 1 else last
            middle += wrap(inner + item + comma, width)
    return [head, *middle, *wrap(tail, width)]


def _longest_group(line: str, width: int = WIDTH) -> tuple[int, int] | None:
    """Indexes of the opening and closing bracket of the group to break: the
    longest at depth 0 (outside strings) whose opening line fits, else the
    first."""
    groups: list[tuple[int, int]] = []
    stack: list[int] = []
    quote = ""
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in _OPEN:
            stack.append(i)
        elif c in ")]}" and stack:
            start = stack.pop()
            if not stack:
                groups.append((start, i))
        i += 1
    fitting = [g for g in groups if g[0] < width]
    if fitting:
        return max(fitting, key=lambda g: g[1] - g[0])
    return groups[0] if groups else None


def _split_items(body: str) -> list[str]:
    """``body`` split at its top-level commas, each item stripped."""
    items: list[str] = []
    depth = 0
    quote = ""
    current: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if quote:
            if c == "\\":
                current.append(c)
                i += 1
                c = body[i]
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in _OPEN:
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(c)
        i += 1
    last = "".join(current).strip()
    if last:
        items.append(last)
    return items
