"""The generated types, imported on first use.

``import openai_structs`` loads no generated module, and neither do the
streams, the batch readers or the structured-output helpers when they are
imported; they reach the classes they build through :data:`types`, which
imports :mod:`openai_structs.types` on its first attribute read. Modules
write::

    if TYPE_CHECKING:
        from .. import types
    else:
        from ..core._lazy import types

so that type checkers see the real module and check every class used
through it.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["types"]


class _LazyModule:
    """A module imported on its first attribute read. Each attribute read is
    kept, so reading it again costs a plain attribute lookup."""

    def __init__(self, name: str) -> None:
        self._module_name = name

    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module(self._module_name), name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"<{self._module_name}, imported on first use>"


#: :mod:`openai_structs.types`, imported on first use.
types = _LazyModule("openai_structs.types")
