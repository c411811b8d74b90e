"""Typed OpenAI API payloads as frozen msgspec Structs.

Every schema of the OpenAI OpenAPI spec is a class here, imported on first
use: ``from openai_structs import Response`` loads only the module that holds
``Response``. Decode and encode with :func:`decode` and :func:`encode`, or hold a
:class:`Decoder` for one type in a hot loop::

    from openai_structs import CreateChatCompletionResponse, decode, encode

    completion = decode(body, CreateChatCompletionResponse)
    completion.choices[0].message.content
    encode(completion)  # the same JSON value back

The package, by job (each subpackage has one way in, its ``__init__``, and
declares its public names in its ``__all__``; every one of them is also a
name here):

- :mod:`openai_structs.core`: decoding and encoding, unknown variants,
  strict mode (imported with the package);
- :mod:`openai_structs.errors`: every exception, in one tree (imported with
  the package);
- :mod:`openai_structs.streams`: server-sent event streams, typed, and the
  accumulators;
- :mod:`openai_structs.batch`: Batch API files;
- :mod:`openai_structs.structured`: structured outputs and function tools;
- :mod:`openai_structs.webhooks`: verified webhooks;
- ``audit``: what recorded traffic holds that the types do not know;
- :mod:`openai_structs.types`: the generated types, by API area.

The other subpackages are imported on first use of one of their names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .core import *
from .core import __all__ as _core_names
from .errors import *
from .errors import __all__ as _error_names

if TYPE_CHECKING:
    from ._audit import *
    from .batch import *
    from .streams import *
    from .structured import *
    from .types import *
    from .webhooks import *

#: The modules whose names are imported on first use, in the order their
#: names are looked up (after the generated types' index).
_LAZY_MODULES = ("streams", "batch", "structured", "webhooks", "_audit")
_lazy: dict[str, str] = {}


def _lazy_names() -> dict[str, str]:
    """name -> the module of :data:`_LAZY_MODULES` whose ``__all__`` holds it."""
    if not _lazy:
        for module in _LAZY_MODULES:
            names = importlib.import_module(f"{__name__}.{module}").__all__
            _lazy.update(dict.fromkeys(names, module))
    return _lazy


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    types = importlib.import_module(f"{__name__}.types")
    if name == "__all__":  # computed on demand so that the import stays cheap
        return [*_core_names, *_error_names, *_lazy_names(), *types.__all__]
    if name in types.INDEX:
        value = getattr(types, name)
    elif name in _lazy_names():
        value = getattr(importlib.import_module(f"{__name__}.{_lazy[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # identifiers only: a name the spec spells with a dash (``Error-2``) is
    # reached with getattr, and is not listed
    return sorted(__getattr__("__all__"))
