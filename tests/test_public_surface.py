"""The public surface, pinned (as httpx pins its ``__all__``): every name the
package exports besides the generated types, and the module that declares it.

Each public module declares its names once, in its ``__all__``; the package
root re-exports them (``core`` and ``errors`` at import, the others on first
use) and adds the generated types. A name added, removed or moved fails
here, by name."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import openai_structs
from openai_structs import types

ROOT = Path(__file__).resolve().parents[1]

SURFACE: dict[str, list[str]] = {
    "core": [
        "Decoder",
        "Encoder",
        "UNSET",
        "UnknownEvent",
        "UnknownObject",
        "UnknownRole",
        "UnknownType",
        "UnknownVariant",
        "UnsetType",
        "decode",
        "encode",
    ],
    "errors": [
        "APIStreamError",
        "BatchInputError",
        "BatchLineError",
        "DecodeError",
        "EventTooLargeError",
        "IncompleteOutputError",
        "MalformedJSONError",
        "OpenAIStructsError",
        "OutputError",
        "RefusalError",
        "SSEError",
        "SchemaError",
        "StreamDecodeError",
        "UnknownEnumValueError",
        "UnknownKeyError",
        "UnknownVariantError",
        "ValidationError",
        "WebhookVerificationError",
    ],
    "streams": [
        "AsyncSSEStream",
        "ChatCompletionAccumulator",
        "DEFAULT_MAX_EVENT_SIZE",
        "EventStreamDecoder",
        "RawEvent",
        "ResponseAccumulator",
        "SSEDecoder",
        "SSEStream",
        "ServerSentEvent",
        "aiter_assistant_events",
        "aiter_chat_completion_chunks",
        "aiter_completion_chunks",
        "aiter_events",
        "aiter_image_edit_events",
        "aiter_image_generation_events",
        "aiter_realtime_events",
        "aiter_response_events",
        "aiter_speech_events",
        "aiter_sse",
        "aiter_transcription_events",
        "format_sse",
        "iter_assistant_events",
        "iter_chat_completion_chunks",
        "iter_completion_chunks",
        "iter_events",
        "iter_image_edit_events",
        "iter_image_generation_events",
        "iter_realtime_events",
        "iter_response_events",
        "iter_speech_events",
        "iter_sse",
        "iter_transcription_events",
    ],
    "batch": [
        "BadLine",
        "BatchInputStats",
        "BatchJoin",
        "BatchReader",
        "BatchSummary",
        "ENDPOINTS",
        "Endpoint",
        "ExportStats",
        "LineUsage",
        "ModelUsage",
        "batch_ranges",
        "check_view",
        "export_parquet",
        "iter_batch_input",
        "iter_batch_output",
        "join_batch",
        "join_parquet",
        "line_usage",
        "summarize_batch",
        "validate_batch_input",
        "write_batch_input",
    ],
    "structured": [
        "PartialJSON",
        "chat_function_tool",
        "function_tool",
        "output_text",
        "parse_arguments",
        "parse_message",
        "parse_output",
        "response_format",
        "strict_json_schema",
        "text_format",
    ],
    "webhooks": ["unwrap", "verify"],
    "_audit": ["Audit", "AuditFinding", "audit"],
}


def test_each_module_declares_its_names() -> None:
    for module_name, names in SURFACE.items():
        module = importlib.import_module(f"openai_structs.{module_name}")
        assert sorted(module.__all__) == names, module_name
        assert len(set(module.__all__)) == len(module.__all__), module_name


def test_the_root_exports_each_name_from_its_module() -> None:
    runtime = [name for names in SURFACE.values() for name in names]
    assert len(set(runtime)) == len(runtime), "a name is declared by two modules"
    assert not set(runtime) & set(types.INDEX), "a name is both a generated type and a runtime name"
    for module_name, names in SURFACE.items():
        module = importlib.import_module(f"openai_structs.{module_name}")
        for name in names:
            assert getattr(openai_structs, name) is getattr(module, name), name
    exported = openai_structs.__all__
    assert len(set(exported)) == len(exported)
    assert sorted(n for n in exported if n not in types.INDEX) == sorted(runtime)
    assert set(types.__all__) <= set(exported)


def test_dir_lists_identifiers_only() -> None:
    listed = dir(openai_structs)
    assert listed == sorted(openai_structs.__all__)
    assert [n for n in listed if not n.isidentifier()] == []
    assert "Error-2" in types.INDEX and "Error-2" not in listed
    assert getattr(openai_structs, "Error-2") is getattr(types, "Error-2")


def test_the_other_modules_load_on_first_use() -> None:
    code = (
        "import sys, openai_structs\n"
        "def loaded(): return sorted(m for m in sys.modules if m.startswith('openai_structs.'))\n"
        "print(loaded())\n"
        "openai_structs.iter_batch_output\n"
        "print([m for m in loaded() if m.startswith('openai_structs.types.')])\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    at_import, types_after = map(eval, run.stdout.splitlines())
    tops = {name.split(".")[1] for name in at_import}
    assert tops == {"core", "errors"}, at_import
    assert types_after == []  # naming a runtime function loads no generated module


def test_subpackages_load_no_generated_module_until_used() -> None:
    code = (
        "import sys\n"
        "import openai_structs.streams, openai_structs.batch, openai_structs.structured\n"
        "import openai_structs.webhooks, openai_structs._audit, openai_structs.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith('openai_structs.types')))\n"
        "from openai_structs.core._lazy import types\n"
        "from openai_structs.types import Response\n"
        "print(types.Response is Response)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.splitlines() == ["[]", "True"]


def test_a_subpackage_is_an_attribute_before_its_import() -> None:
    code = (
        "import sys, openai_structs\n"
        "print(openai_structs.batch.__name__)\n"
        "print(sorted(m.split('.')[1] for m in sys.modules if m.count('.') == 1"
        " and m.startswith('openai_structs.')))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    name, loaded = run.stdout.splitlines()
    assert name == "openai_structs.batch"
    assert eval(loaded) == ["batch", "core", "errors"]
