"""Stage 1: read the spec files (stdlib ``json`` only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_SPEC = Path("../shared/spec/openapi.json")
BATCH_SCHEMAS = "batch-line-schemas-2025-04-29.json"


def load_spec(path: Path) -> dict[str, Any]:
    """The OpenAPI document at ``path``."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_batch_schemas(spec_path: Path) -> dict[str, Any]:
    """The batch line schemas kept beside the spec (empty when missing)."""
    path = spec_path.parent / BATCH_SCHEMAS
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)
