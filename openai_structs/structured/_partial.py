"""The JSON value of a text that is still arriving: structured output, streamed.

A streamed structured answer (chat ``delta.content``, Responses
``response.output_text.delta``, tool-call argument deltas) is JSON cut at
arbitrary points. :class:`PartialJSON` reads it one delta at a time and keeps
the value so far::

    partial = PartialJSON()
    for delta in deltas:
        partial.feed(delta)
        show(partial.value)   # {"title": "Lis", "steps": [{"n": 1}]}

What ``value`` holds: objects with every key whose value has begun, arrays
with every item that has begun, strings as far as they go (``""`` as soon as
the opening quote is in), and numbers, ``true``, ``false`` and ``null`` only
once complete (``12`` may yet become ``125``). Before any value has begun it
is ``UNSET``.

Cost. The parser keeps its place between deltas: a ``feed`` reads only its
delta, never the text before it (the official SDK's stream helpers parse all
the text received on every chunk, so a stream costs time quadratic in its
length). ``value`` is the object being built, so reading it costs nothing
but the string still open, if any (it is joined once per read). Reading it
after every delta therefore keeps the stream linear, as long as no single
string grows across the whole stream. The price of that speed: ``value`` is
updated in place by later deltas; copy it (``copy.deepcopy``) to keep one
version.

Input that is not JSON raises :class:`~openai_structs.MalformedJSONError`
whose ``pos`` is the offset of the offending character in the whole text
(characters, not bytes), and the parser stays failed. :meth:`close` checks
that the text ended with its value, and gives the value.
"""

from __future__ import annotations

import re
from typing import Any

from msgspec import UNSET

from ..errors import MalformedJSONError

__all__ = ["PartialJSON"]

MAX_DEPTH = 1000

# Parser states: what the next character may be.
_VALUE = 0  # a value (after ':' or ',' in an array, or at the start)
_VALUE_OR_CLOSE = 1  # a value or ']' (just after '[')
_KEY_OR_CLOSE = 2  # '"' or '}' (just after '{')
_KEY = 3  # '"' (after ',' in an object)
_COLON = 4
_AFTER = 5  # ',' or the container's closer
_STRING = 6
_ESCAPE = 7  # after a backslash in a string
_NUMBER = 8
_LITERAL = 9
_DONE = 10  # the top-level value is complete: only whitespace may follow
_FAILED = 11

_WS = re.compile(r"[ \t\n\r]*")
_STR_RUN = re.compile(r'[^"\\\x00-\x1f]*')
_NUM_RUN = re.compile(r"[0-9eE.+-]*")
_LIT_RUN = re.compile(r"[a-z]*")
_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX = frozenset("0123456789abcdefABCDEF")
_SURROGATES = re.compile("[\ud800-\udfff]")


class PartialJSON:
    """An incremental JSON parser whose :attr:`value` is the value so far.

    ``feed(delta)`` takes the next piece of text; ``value`` is the value
    received so far (see the module's docstring for what it holds, and what
    it costs); ``done`` says whether the top-level value is complete;
    ``close()`` checks that the text is whole and returns the value.
    """

    __slots__ = (
        "_error",
        "_is_key",
        "_joined",
        "_mode",
        "_parts",
        "_pos",
        "_root",
        "_slot",
        "_stack",
        "_surrogates",
    )

    def __init__(self) -> None:
        self._root: Any = UNSET
        # open containers, innermost last: [container, key of the value being read]
        self._stack: list[list[Any]] = []
        self._mode = _VALUE
        self._parts: list[str] = []  # the string, number or literal being read
        self._is_key = False
        self._slot: Any = None  # where the open string value sits in its container
        self._joined = True  # the open string's text is in its slot
        self._surrogates = False  # the open string has a \\u escape of a surrogate
        self._pos = 0  # characters read before the current delta
        self._error: MalformedJSONError | None = None

    @property
    def done(self) -> bool:
        """Whether the top-level value is complete."""
        return self._mode == _DONE

    @property
    def value(self) -> Any:
        """The value so far (``UNSET`` before one has begun), updated in place
        by later deltas."""
        if not self._joined:
            self._joined = True
            parts = self._parts
            if self._mode == _ESCAPE:  # the escape being read is not text yet
                text = "".join(parts[:-1])
                parts[:] = [text, parts[-1]]
            else:
                text = parts[0] if len(parts) == 1 else "".join(parts)
                parts[:] = [text]
            if self._surrogates:
                text = _pair_surrogates(text)
                if "\ud800" <= text[-1:] <= "\udbff":
                    text = text[:-1]  # may yet pair with the next escape
            self._put(text)
        return self._root

    def close(self) -> Any:
        """Check that the text held one whole value, and return it.

        A top-level number is only known to be complete here. Raises
        :class:`~openai_structs.MalformedJSONError` if the text stopped
        before its value did.
        """
        if self._error is not None:
            raise self._error
        if self._mode == _NUMBER and not self._stack:
            self._finish_number(0)
        if self._mode != _DONE:
            self._fail("the text ends before its JSON value does", 0)
        return self._root

    def feed(self, delta: str) -> None:
        """Read the next piece of text."""
        if self._error is not None:
            raise self._error
        s = delta
        n = len(s)
        i = 0
        parts = self._parts
        while i < n:
            mode = self._mode
            if mode == _STRING:
                j = _STR_RUN.match(s, i).end()  # type: ignore[union-attr]
                if j > i:
                    parts.append(s[i:j])
                    self._joined = self._is_key
                    i = j
                    if i == n:
                        break
                c = s[i]
                i += 1
                if c == '"':
                    self._end_string()
                elif c == "\\":
                    self._mode = _ESCAPE
                    parts.append("\\")  # a marker: the escape is read into it
                else:
                    self._fail(f"control character {c!r} in a string", i - 1)
            elif mode == _ESCAPE:
                i = self._escape(s, i)
            elif mode == _NUMBER:
                j = _NUM_RUN.match(s, i).end()  # type: ignore[union-attr]
                parts.append(s[i:j])
                i = j
                if i < n:
                    self._finish_number(i)
            elif mode == _LITERAL:
                j = _LIT_RUN.match(s, i).end()  # type: ignore[union-attr]
                parts.append(s[i:j])
                i = j
                text = "".join(parts)
                parts[:] = [text]
                if text in _LITERALS:  # none is a prefix of another: complete now
                    parts.clear()
                    self._mode = _AFTER if self._stack else _DONE
                    self._attach(_LITERALS[text])
                elif i < n or not any(word.startswith(text) for word in _LITERALS):
                    self._fail(f"invalid literal {text!r}", i - len(text))
            else:
                i = _WS.match(s, i).end()  # type: ignore[union-attr]
                if i < n:
                    i = self._structural(s[i], i)
        self._pos += n

    # -- the states -------------------------------------------------------------

    def _structural(self, c: str, i: int) -> int:
        """Read the character ``c`` (at ``i`` in the delta) outside strings,
        numbers and literals; the index after what was read."""
        mode = self._mode
        if mode <= _VALUE_OR_CLOSE:
            if c == "]" and mode == _VALUE_OR_CLOSE:
                self._close_container()
                return i + 1
            return self._begin_value(c, i)
        if mode == _AFTER:
            frame = self._stack[-1]
            container = frame[0]
            if c == ",":
                self._mode = _VALUE if type(container) is list else _KEY
            elif c == "}" and type(container) is dict or c == "]" and type(container) is list:
                self._close_container()
            else:
                closer = "]" if type(container) is list else "}"
                self._fail(f"expected ',' or {closer!r}, got {c!r}", i)
            return i + 1
        if mode == _KEY_OR_CLOSE or mode == _KEY:
            if c == '"':
                self._mode = _STRING
                self._is_key = True
                self._surrogates = False
            elif c == "}" and mode == _KEY_OR_CLOSE:
                self._close_container()
            else:
                self._fail(f"expected a key, got {c!r}", i)
            return i + 1
        if mode == _COLON:
            if c != ":":
                self._fail(f"expected ':', got {c!r}", i)
            self._mode = _VALUE
            return i + 1
        self._fail(f"unexpected {c!r} after the JSON value", i)
        return i  # pragma: no cover  (_fail raises)

    def _begin_value(self, c: str, i: int) -> int:
        if c == '"':
            self._mode = _STRING
            self._is_key = False
            self._surrogates = False
            self._slot = self._attach("")
            self._joined = True
            return i + 1
        if c == "{" or c == "[":
            if len(self._stack) >= MAX_DEPTH:
                self._fail(f"JSON nested more than {MAX_DEPTH} levels deep", i)
            container: Any = {} if c == "{" else []
            self._attach(container)
            self._stack.append([container, None])
            self._mode = _KEY_OR_CLOSE if c == "{" else _VALUE_OR_CLOSE
            return i + 1
        if c == "-" or "0" <= c <= "9":
            self._mode = _NUMBER
            return i
        if c in "tfn":
            self._mode = _LITERAL
            return i
        self._fail(f"expected a value, got {c!r}", i)
        return i  # pragma: no cover

    def _escape(self, s: str, i: int) -> int:
        """Read (part of) an escape; ``parts[-1]`` holds it so far (``\\``, ``\\u12``)."""
        parts = self._parts
        pending = parts[-1]
        if pending == "\\":
            c = s[i]
            if c == "u":
                parts[-1] = "\\u"
                return i + 1
            if c not in _ESCAPES:
                self._fail(f"invalid escape '\\{c}'", i - 1)
            parts[-1] = _ESCAPES[c]
            self._mode = _STRING
            self._joined = self._is_key
            return i + 1
        take = s[i : i + 6 - len(pending)]
        if not set(take) <= _HEX:
            self._fail(f"invalid \\u escape {pending + take!r}", i - len(pending))
        pending += take
        i += len(take)
        if len(pending) == 6:
            code = int(pending[-4:], 16)
            parts[-1] = chr(code)
            if 0xD800 <= code <= 0xDFFF:
                self._surrogates = True
            self._mode = _STRING
            self._joined = self._is_key
        else:
            parts[-1] = pending
        return i

    def _end_string(self) -> None:
        parts = self._parts
        text = parts[0] if len(parts) == 1 else "".join(parts)
        parts.clear()
        if self._surrogates:
            text = _pair_surrogates(text)
        self._joined = True
        if self._is_key:
            self._stack[-1][1] = text
            self._mode = _COLON
        else:
            self._put(text)
            self._mode = _AFTER if self._stack else _DONE

    def _finish_number(self, i: int) -> None:
        """The number read so far is complete: ``i`` is where it ended in the delta."""
        text = "".join(self._parts)
        self._parts.clear()
        m = _NUMBER_RE.fullmatch(text)
        if m is None:
            self._fail(f"invalid number {text!r}", i - len(text))
            return
        try:
            number: Any = float(text) if m.group(1) or m.group(2) else int(text)
        except ValueError:  # more digits than int() will read
            self._fail(f"number too long ({len(text)} characters)", i - len(text))
            return
        self._mode = _AFTER if self._stack else _DONE
        self._attach(number)

    # -- building the value ----------------------------------------------------

    def _attach(self, value: Any) -> Any:
        """Put a value that has just begun into its container (or make it the
        root); returns its slot (list index or key)."""
        stack = self._stack
        if not stack:
            self._root = value
            return None
        frame = stack[-1]
        container = frame[0]
        if container.__class__ is list:
            container.append(value)
            return len(container) - 1
        container[frame[1]] = value
        return frame[1]

    def _put(self, text: str) -> None:
        """Write the open string's text into its slot."""
        if self._stack:
            self._stack[-1][0][self._slot] = text
        else:
            self._root = text

    def _close_container(self) -> None:
        self._stack.pop()
        self._mode = _AFTER if self._stack else _DONE

    def _fail(self, message: str, i: int) -> None:
        pos = self._pos + i
        self._mode = _FAILED
        self._error = MalformedJSONError(f"{message} (at character {pos})", pos=pos)
        raise self._error


def _pair_surrogates(text: str) -> str:
    """Join ``\\ud83d\\ude00`` pairs into the one character they encode; lone
    surrogates stay (as ``json.loads`` keeps them)."""
    if not _SURROGATES.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
