"""Reading a field that may be absent: the one helper for it.

An optional field the payload did not send holds ``UNSET``; one sent as
``null`` holds None. Code that only wants "the value, if there is one" reads
it with :func:`present`, whatever the object: a generated struct, a plain
dict of the same shape (a request built by hand, an error payload that fit no
type), or nothing at all (the step before was absent).
"""

from __future__ import annotations

from typing import Any, cast

from ._base import UNSET

__all__ = ["present"]


def present(obj: object, *names: str) -> Any:
    """The first of ``obj``'s fields ``names`` that was sent and is not null;
    None if there is none (absent, ``null``, not a field of it, or ``obj``
    itself is None).

    A field is an attribute of a struct or a key of a plain ``dict``. Several names
    read the first one present (``present(usage, "input_tokens",
    "prompt_tokens")``); a path is read one step at a time
    (``present(present(body, "usage"), "total_tokens")``).
    """
    for name in names:
        if obj.__class__ is dict:
            value = cast("dict[str, object]", obj).get(name)
        else:
            value = getattr(obj, name, None)
        if value is not None and value is not UNSET:
            return value
    return None
