"""One error tree (``openai_structs.errors``): every exception the package
raises derives from ``OpenAIStructsError`` and is defined there, the tree is
drawn the same in the module's docstring and in the README, and each error's
attributes are typed."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import msgspec
import pytest

import openai_structs
from openai_structs import errors

ROOT = Path(__file__).resolve().parents[1]

#: Exceptions defined outside errors.py, each never leaving the package:
#: control flow inside one module, or the command line's own (``main`` turns
#: each into an exit code).
INTERNAL = {
    "openai_structs.streams._decoder._ErrorEvent": "the fast path gives up on a run; caught in _fast",
    "openai_structs.cli._common.CommandError": "main() prints it and returns its exit code",
    "openai_structs.cli._common.Terminated": "SIGTERM; main() returns 143",
    "openai_structs.batch._jobs.WorkerDied": "only the command's --jobs meets it; an exit code",
}


def runtime_modules() -> list[str]:
    """Every hand-written module of the package (not the generated types, not the generator)."""
    names = []
    for info in pkgutil.walk_packages(openai_structs.__path__, "openai_structs."):
        if info.name.split(".")[1] in ("types", "codegen"):
            continue
        names.append(info.name)
    return names


def test_every_error_derives_from_the_root() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.OpenAIStructsError), name
        assert getattr(openai_structs, name) is cls, name
    # decode errors stay ValueErrors, and msgspec's
    assert issubclass(errors.DecodeError, ValueError)
    assert issubclass(errors.DecodeError, msgspec.DecodeError)
    assert issubclass(errors.ValidationError, msgspec.ValidationError)
    for name in ("StreamDecodeError", "BatchLineError", "UnknownKeyError", "MalformedJSONError"):
        assert issubclass(getattr(errors, name), errors.DecodeError), name
    for name in ("SSEError", "BatchInputError", "SchemaError", "OutputError"):
        assert issubclass(getattr(errors, name), ValueError), name
    assert issubclass(errors.WebhookVerificationError, ValueError)
    # an error the API sent is not a problem with the input
    assert not issubclass(errors.APIStreamError, ValueError)


def test_no_exception_class_lives_elsewhere() -> None:
    found = []
    for module_name in runtime_modules():
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseException)
                and obj.__module__ == module_name
                and module_name != "openai_structs.errors"
            ):
                found.append(f"{module_name}.{name}")
    assert sorted(found) == sorted(INTERNAL)


@pytest.mark.parametrize("qualified", sorted(INTERNAL))
def test_internal_exceptions_are_not_public(qualified: str) -> None:
    name = qualified.rsplit(".", 1)[1]
    assert name not in openai_structs.__all__


def drawn_tree(text: str) -> list[str]:
    """The class names of the tree drawn in ``text`` (from its root to its last leaf)."""
    start = text.index("OpenAIStructsError\n")
    end = text.index("WebhookVerificationError", start)
    block = text[start : end + len("WebhookVerificationError")]
    return re.findall(r"(?:^|── )([A-Z]\w+)", block, flags=re.MULTILINE)


def test_the_tree_is_drawn_whole_and_the_same_twice() -> None:
    doc = errors.__doc__ or ""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    drawn = drawn_tree(doc)
    assert sorted(drawn) == sorted(errors.__all__)
    assert drawn_tree(readme) == drawn
    # and it is the real hierarchy: each class is drawn under its nearest base in the tree
    lines = doc[doc.index("OpenAIStructsError\n") :].splitlines()
    stack: list[tuple[int, str]] = []
    for line in lines:
        m = re.match(r"^([│ ]*)(?:├── |└── )?([A-Z]\w+)", line)
        if not m:
            if stack and not line.strip():
                break
            continue
        depth = len(m.group(1)) // 4 + (1 if "── " in line else 0)
        name = m.group(2)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            parent = getattr(errors, stack[-1][1])
            assert getattr(errors, name).__bases__[0] is parent, (name, stack[-1][1])
        stack.append((depth, name))


ATTRIBUTES = {
    "DecodeError": ("path", "pos", "line"),
    "StreamDecodeError": ("index", "event"),
    "BatchLineError": ("offset", "reason"),
    "SSEError": ("pos",),
    "EventTooLargeError": ("index",),
    "APIStreamError": ("error", "data", "index", "event"),
    "BatchInputError": ("line",),
    "SchemaError": ("path", "reason"),
    "RefusalError": ("refusal",),
    "IncompleteOutputError": ("reason",),
}


@pytest.mark.parametrize("name", sorted(ATTRIBUTES))
def test_attributes_are_typed(name: str) -> None:
    annotations = inspect.get_annotations(getattr(errors, name))
    for attribute in ATTRIBUTES[name]:
        assert attribute in annotations, f"{name}.{attribute} has no annotation"
