"""Stage 2b: the fields Azure OpenAI adds to OpenAI's payloads, typed from Azure's spec.

A large share of production traffic runs on Azure OpenAI, whose chat and
completions payloads carry two reports of its content filters that OpenAI's
spec does not know: ``prompt_filter_results`` on the body (or stream chunk)
and ``content_filter_results`` on each choice. Without a field for them, a
relay that decodes and re-encodes an Azure payload would drop them.

Their types come from Azure's own published spec (OpenAPI 3.0, read from a
path: by default the ``azure`` folder beside ``--spec``, or ``--azure DIR``;
never copied into the project). Each :class:`Graft` names the OpenAI field to
add, the place in Azure's spec whose type it takes, and a payload that shows
Azure sends it there. The schemas that place refers to (and the ones those
refer to) are normalised like OpenAI's and added under Azure's name with an
``Azure`` prefix (``contentFilterChoiceResults`` -> ``AzureContentFilterChoiceResults``,
origin ``azure``). Schemas Azure only merges through ``allOf`` (its
``contentFilterResultsBase``) are folded into the ones that use them, and
not added on their own.

Azure's stream chunk schema lists neither field, though its streams carry
both (the first chunk is only ``prompt_filter_results``); the stream grafts
take the types of the non-streamed body's fields, with a recorded stream as
their proof. The legacy completions stream decodes into subclasses of
``CreateCompletionResponse`` and its choice, so it gets them from there.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ir import Field, ObjectDef, Ref, Spec, refs
from .naming import py_name, ref_name
from .normalise import Normaliser

#: Azure's schema names take this prefix in the generated types.
PREFIX = "Azure"


@dataclass(frozen=True)
class Graft:
    """One field Azure adds: where it goes, where Azure's spec types it, and
    the payload that shows it (``tests/test_azure_fields.py`` decodes each)."""

    #: ``Definition.field`` to add, as OpenAI's spec (or the generator) names it.
    target: str
    #: Where Azure's spec types it: ``schema.field``, ``[]`` for array items
    #: (``createChatCompletionResponse.choices[].content_filter_results``).
    source: str
    #: A payload that carries it: ``capture:<folder>/<file>[#n]`` as for the
    #: patches, or ``azure:`` when Azure's spec declares the field there itself.
    proof: str


_CHAT = "createChatCompletionResponse"
_COMPLETION = "createCompletionResponse"

#: Every field Azure adds, in the order they are added.
GRAFTS: tuple[Graft, ...] = (
    Graft(
        "CreateChatCompletionResponse.prompt_filter_results",
        f"{_CHAT}.prompt_filter_results",
        "capture:bodies/oll-azure-chat-content-filter-2024-04.json",
    ),
    Graft(
        "CreateChatCompletionResponseChoicesItem.content_filter_results",
        f"{_CHAT}.choices[].content_filter_results",
        "capture:bodies/oll-azure-chat-content-filter-2024-04.json",
    ),
    Graft(
        "CreateChatCompletionStreamResponse.prompt_filter_results",
        f"{_CHAT}.prompt_filter_results",
        "capture:chat-sse/oll-azure-content-filter.sse#0",
    ),
    Graft(
        "CreateChatCompletionStreamResponseChoicesItem.content_filter_results",
        f"{_CHAT}.choices[].content_filter_results",
        "capture:chat-sse/oll-azure-content-filter.sse#2",
    ),
    Graft(
        "CreateCompletionResponse.prompt_filter_results",
        f"{_COMPLETION}.prompt_filter_results",
        "azure:",
    ),
    Graft(
        "CreateCompletionResponseChoicesItem.content_filter_results",
        f"{_COMPLETION}.choices[].content_filter_results",
        "azure:",
    ),
)


def azure_paths(folder: Path | None) -> list[Path]:
    """Azure's spec files in ``folder`` (``*.json``), by name; none if it is missing."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"))


def load_azure(folder: Path | None) -> dict[str, Any]:
    """The newest (last by name) of Azure's spec files in ``folder``, or ``{}``."""
    paths = azure_paths(folder)
    if not paths:
        return {}
    with open(paths[-1], encoding="utf-8") as f:
        return json.load(f)


def azure_name(name: str) -> str:
    """``contentFilterChoiceResults`` -> ``AzureContentFilterChoiceResults``."""
    name = py_name(name)
    return PREFIX + name[:1].upper() + name[1:]


def source_schema(schemas: dict[str, Any], source: str) -> dict[str, Any]:
    """The schema at ``source`` (``schema.field[].field``) in Azure's components."""
    head, *steps = source.split(".")
    schema = schemas[head]
    for step in steps:
        items = step.endswith("[]")
        schema = (schema.get("properties") or {})[step.removesuffix("[]")]
        if items:
            schema = schema["items"]
    return schema


def apply_azure(
    spec: Spec, azure: dict[str, Any], grafts: tuple[Graft, ...] = GRAFTS
) -> list[Graft]:
    """Add the fields of ``grafts``, and the Azure definitions they use, to
    ``spec``; returns the grafts whose target is missing or already there.
    Without Azure's spec (``azure`` empty) nothing is added."""
    schemas = (azure.get("components") or {}).get("schemas") or {}
    if not schemas:
        return []
    missed: list[Graft] = []
    todo: deque[str] = deque()
    for graft in grafts:
        def_name, field_name = graft.target.split(".", 1)
        obj = spec.defs.get(def_name)
        if not isinstance(obj, ObjectDef) or obj.field(field_name) is not None:
            missed.append(graft)
            continue
        ref = source_schema(schemas, graft.source).get("$ref")
        if ref is None:
            raise ValueError(f"{graft.source} in Azure's spec is not a named schema")
        obj.fields.append(Field(field_name, Ref(azure_name(ref_name(ref))), False))
        todo.append(azure_name(ref_name(ref)))
    # the schemas the new fields name, and those they name, breadth first
    renamed = {azure_name(n): _rename(s) for n, s in schemas.items()}
    spelled = {azure_name(n): n for n in schemas}
    norm = Normaliser(renamed)
    added: set[str] = set()
    while todo:
        name = todo.popleft()
        if name in added:
            continue
        if name in spec.defs:
            raise ValueError(f"Azure's {name} collides with a definition of OpenAI's spec")
        if name not in norm.spec.defs:  # inline objects are defined with their parent
            norm.component(name, renamed[name], origin="azure")
        d = norm.spec.defs[name]
        if isinstance(d, ObjectDef) and d.origin == "azure":
            d.doc = f"Sent by Azure OpenAI (not OpenAI's API): Azure's ``{spelled[name]}`` schema."
        spec.defs[name] = d
        added.add(name)
        types = [f.type for f in d.fields] if isinstance(d, ObjectDef) else [d.type]
        todo += [r for t in types for r in refs(t)]
    return missed


def _rename(schema: Any) -> Any:
    """``schema`` with every ``$ref`` to an Azure schema renamed (``Azure...``)."""
    if isinstance(schema, dict):
        out = {k: _rename(v) for k, v in schema.items()}
        if isinstance(schema.get("$ref"), str):
            out["$ref"] = "#/components/schemas/" + azure_name(ref_name(schema["$ref"]))
        return out
    if isinstance(schema, list):
        return [_rename(v) for v in schema]
    return schema


__all__ = ["GRAFTS", "Graft", "apply_azure", "azure_name", "load_azure", "source_schema"]
