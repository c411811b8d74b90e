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
#: ``__all__`` are read (after the generated types' index): a name costs the
#: import of its own module and of those before it, cheapest and most used first.
_LAZY_MODULES = ("streams", "structured", "webhooks", "batch", "_audit")
_declared: dict[str, str] = {}  # name -> its module, for the modules read so far
_SUBPACKAGES = frozenset({*_LAZY_MODULES, "cli", "dask", "types"})


def _module_of(name: str) -> str | None:
    """The module of :data:`_LAZY_MODULES` whose ``__all__`` declares ``name``."""
    read = set(_declared.values())
    for module in _LAZY_MODULES:
        if name in _declared:
            break
        if module not in read:
            names = importlib.import_module(f"{__name__}.{module}").__all__
            _declared.update(dict.fromkeys(names, module))
    return _declared.get(name)


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    if name in _SUBPACKAGES:  # ``openai_structs.batch`` before it was imported
        return importlib.import_module(f"{__name__}.{name}")
    types = importlib.import_module(f"{__name__}.types")
    if name == "__all__":  # computed on demand so that the import stays cheap
        _module_of("")  # reads every module's names
        return [*_core_names, *_error_names, *_declared, *types.__all__]
    if name in types.INDEX:
        value = getattr(types, name)
    else:
        module = _module_of(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # identifiers only: a name the spec spells with a dash (``Error-2``) is
    # reached with getattr, and is not listed
    return sorted(__getattr__("__all__"))
