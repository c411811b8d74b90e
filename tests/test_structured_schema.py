"""``strict_json_schema``: the strict shape, what it refuses, the API's limits,
and (Hypothesis) that every encoded instance of a dozen varied types validates
against its schema and decodes back equal."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import uuid
from typing import Annotated, Any, Generic, Literal, TypedDict, TypeVar

import msgspec
import pytest
from _schema_check import validate
from _strategies import instances
from hypothesis import HealthCheck, given, settings, strategies as st

import openai_structs as o
from openai_structs import SchemaError, decode, strict_json_schema
from openai_structs.structured import _limits

# ---------------------------------------------------------------------------
# A dozen varied types


class Step(msgspec.Struct):
    """One step of the reasoning."""

    explanation: str
    output: Annotated[str, msgspec.Meta(description="what the step gives")]


class MathAnswer(msgspec.Struct):
    steps: list[Step]
    final_answer: str
    confidence: float | None = None


class Cat(msgspec.Struct, tag="cat"):
    lives: Annotated[int, msgspec.Meta(ge=0, le=9)]


class Dog(msgspec.Struct, tag="dog"):
    good: bool
    name: str = "Rex"


class Pets(msgspec.Struct):
    first: Cat | Dog
    others: list[Cat | Dog]
    maybe: Cat | Dog | None


class Tree(msgspec.Struct):
    value: int
    children: Annotated[list[Tree], msgspec.Meta(max_length=2)]
    parent_note: str | None = None


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Choices(msgspec.Struct):
    color: Color
    level: Level
    mode: Literal["fast", "slow"]
    maybe: Literal["a", "b", None]  # noqa: PYI061  (None inside the Literal, on purpose)
    mixed: Literal[1, 2, "three"]


class Bounds(msgspec.Struct):
    ratio: Annotated[float, msgspec.Meta(ge=0, le=1)]
    half_steps: Annotated[float, msgspec.Meta(gt=0, lt=10, multiple_of=0.5)]
    count: Annotated[int, msgspec.Meta(gt=-5, lt=5)]
    even: Annotated[int, msgspec.Meta(multiple_of=2)]
    few: Annotated[list[int], msgspec.Meta(min_length=1, max_length=3)]


class Patterns(msgspec.Struct):
    code: Annotated[str, msgspec.Meta(pattern="^[A-Z]{3}-[0-9]{2}$")]
    tags: list[Annotated[str, msgspec.Meta(pattern="^[a-z]{1,8}$")]]


class Moments(msgspec.Struct):
    at: datetime.datetime
    day: datetime.date
    id: uuid.UUID
    alarm: datetime.time | None = None


@dataclasses.dataclass
class Address:
    street: str
    city: str


@dataclasses.dataclass
class Person:
    """Someone with an address."""

    name: str
    address: Address
    nickname: str | None = None


class Movie(TypedDict):
    title: str
    year: int
    cast: list[str]


class Renamed(msgspec.Struct, rename="camel"):
    first_name: str
    last_seen_at: int | None
    weird: str = msgspec.field(name="x-weird")


class Circle(msgspec.Struct, tag_field="kind", tag=1):
    radius: float


class Square(msgspec.Struct, tag_field="kind", tag=2):
    side: float


class Shapes(msgspec.Struct):
    shapes: list[Circle | Square]


T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    next_token: str | None


class Pages(msgspec.Struct):
    numbers: Page[int]
    words: Page[str]
    pair_lists: tuple[int, ...]


class Defaults(msgspec.Struct):
    a: int = 0
    b: str = "x"
    c: list[int] = msgspec.field(default_factory=list)
    d: bool = True


VARIED = [
    MathAnswer,
    Pets,
    Tree,
    Choices,
    Bounds,
    Patterns,
    Moments,
    Person,
    Movie,
    Renamed,
    Shapes,
    Pages,
    Defaults,
]


# ---------------------------------------------------------------------------
# The strict shape


def _objects(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found, todo = [], [schema]
    while todo:
        s = todo.pop()
        if isinstance(s, dict):
            if "properties" in s:
                found.append(s)
            todo += s.values()
        elif isinstance(s, list):
            todo += s
    return found


def _keys(schema: Any) -> set[str]:
    if isinstance(schema, list):
        return set().union(*map(_keys, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    out = set()
    for k, v in schema.items():
        if k in ("properties", "$defs"):
            out.add(k)
            out |= set().union(*map(_keys, v.values())) if v else set()
        else:
            out.add(k)
            out |= _keys(v)
    return out


@pytest.mark.parametrize("tp", VARIED, ids=lambda t: t.__name__)
def test_every_object_is_closed_and_requires_every_property(tp: Any) -> None:
    schema = strict_json_schema(tp)
    assert schema["type"] == "object" and "$ref" not in schema and "anyOf" not in schema
    for obj in _objects(schema):
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    keys = _keys(schema)
    assert "default" not in keys and "discriminator" not in keys and "oneOf" not in keys


def test_golden_schema() -> None:
    assert strict_json_schema(MathAnswer) == {
        "type": "object",
        "properties": {
            "steps": {"type": "array", "items": {"$ref": "#/$defs/Step"}},
            "final_answer": {"type": "string"},
            "confidence": {"anyOf": [{"type": "number"}, {"type": "null"}]},
        },
        "required": ["steps", "final_answer", "confidence"],
        "additionalProperties": False,
        "$defs": {
            "Step": {
                "type": "object",
                "description": "One step of the reasoning.",
                "properties": {
                    "explanation": {"type": "string"},
                    "output": {"type": "string", "description": "what the step gives"},
                },
                "required": ["explanation", "output"],
                "additionalProperties": False,
            }
        },
    }


def test_tagged_union_is_any_of_with_const_tags() -> None:
    schema = strict_json_schema(Pets)
    assert schema["properties"]["first"] == {
        "anyOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}]
    }
    assert schema["properties"]["maybe"]["anyOf"][-1] == {"type": "null"}
    assert schema["$defs"]["Cat"]["properties"]["type"] == {"type": "string", "const": "cat"}
    assert schema["$defs"]["Dog"]["required"] == ["type", "good", "name"]
    shapes = strict_json_schema(Shapes)["$defs"]
    assert shapes["Circle"]["properties"]["kind"] == {"type": "integer", "const": 1}


def test_recursion_goes_through_defs_and_the_root() -> None:
    tree = strict_json_schema(Tree)
    assert tree["properties"]["children"]["items"] == {"$ref": "#"}
    assert "$defs" not in tree

    class Holder(msgspec.Struct):
        tree: Tree

    held = strict_json_schema(Holder)
    assert held["$defs"]["Tree"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Tree"}


def test_leaves() -> None:
    props = strict_json_schema(Choices)["properties"]
    assert props["color"] == {"type": "string", "enum": ["red", "green"]}
    assert props["level"] == {"type": "integer", "enum": [1, 2]}
    assert props["maybe"] == {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]}
    assert props["mixed"] == {
        "anyOf": [{"type": "integer", "enum": [1, 2]}, {"type": "string", "enum": ["three"]}]
    }
    bounds = strict_json_schema(Bounds)["properties"]
    assert bounds["ratio"] == {"type": "number", "minimum": 0, "maximum": 1}
    assert bounds["half_steps"] == {
        "type": "number",
        "exclusiveMinimum": 0,
        "exclusiveMaximum": 10,
        "multipleOf": 0.5,
    }
    assert bounds["count"] == {"type": "integer", "exclusiveMinimum": -5, "exclusiveMaximum": 5}
    assert bounds["even"] == {"type": "integer", "multipleOf": 2}
    assert strict_json_schema(Patterns)["properties"]["code"] == {
        "type": "string",
        "pattern": "^[A-Z]{3}-[0-9]{2}$",
    }
    assert bounds["few"] == {
        "type": "array",
        "items": {"type": "integer"},
        "minItems": 1,
        "maxItems": 3,
    }
    moments = strict_json_schema(Moments)["properties"]
    assert moments["at"] == {"type": "string", "format": "date-time"}
    assert moments["day"] == {"type": "string", "format": "date"}
    assert moments["id"] == {"type": "string", "format": "uuid"}
    renamed = strict_json_schema(Renamed)
    assert renamed["required"] == ["firstName", "lastSeenAt", "x-weird"]
    pages = strict_json_schema(Pages)["$defs"]
    assert set(pages) == {"Page_int", "Page_str"}
    person = strict_json_schema(Person)
    assert person["description"] == "Someone with an address."
    assert "description" not in person["$defs"]["Address"]  # not the dataclass signature


def test_annotations_and_constraints_from_meta() -> None:
    assert strict_json_schema(Formatted)["properties"]["email"] == {
        "type": "string",
        "title": "Email",
        "format": "email",
    }


def test_description_beside_a_reference_inlines_the_class() -> None:
    class Holder(msgspec.Struct):
        step: Annotated[Step, msgspec.Meta(description="the only step")]

    step = strict_json_schema(Holder)["properties"]["step"]
    assert "$ref" not in step
    assert step["description"] == "the only step"
    assert step["properties"]["output"]["description"] == "what the step gives"


# ---------------------------------------------------------------------------
# What strict mode cannot say


class Free(msgspec.Struct):
    data: dict[str, int]


class Anything(msgspec.Struct):
    inner: list[Step]
    value: Any


class Unique(msgspec.Struct):
    tags: set[str]


class Pair(msgspec.Struct):
    pair: tuple[int, str]


class Blob(msgspec.Struct):
    blob: bytes


class Money(msgspec.Struct):
    amount: decimal.Decimal


class Wait(msgspec.Struct):
    delay: datetime.timedelta


class Naive(msgspec.Struct):
    at: Annotated[datetime.datetime, msgspec.Meta(tz=False)]


class Short(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(max_length=10)]


class Example(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(examples=["Ann"])]


class Url(msgspec.Struct):
    link: Annotated[str, msgspec.Meta(extra_json_schema={"format": "uri"})]


class Retyped(msgspec.Struct):
    count: Annotated[int, msgspec.Meta(extra_json_schema={"enum": [1, 2]})]


class Formatted(msgspec.Struct):
    """Annotations and the constraints of the type pass; the rest does not."""

    email: Annotated[str, msgspec.Meta(extra_json_schema={"format": "email"}, title="Email")]


class A(msgspec.Struct):
    a: int


class B(msgspec.Struct):
    b: str


class Untagged(msgspec.Struct):
    either: A | B


class MaybeAbsent(msgspec.Struct):
    present: int
    absent: int | msgspec.UnsetType = msgspec.UNSET


class Partial(TypedDict, total=False):
    title: str


class Omitting(msgspec.Struct, omit_defaults=True):
    a: int = 0


class Row(msgspec.Struct, array_like=True):
    a: int


class Nested(msgspec.Struct):
    rows: list[list[Free]]


@pytest.mark.parametrize(
    ("tp", "path", "says"),
    [
        (Free, "$.data", "free keys"),
        (Anything, "$.value", "Any"),
        (Unique, "$.tags", "unique"),
        (Pair, "$.pair", "prefixItems"),
        (Blob, "$.blob", "base64"),
        (Money, "$.amount", "Decimal"),
        (Wait, "$.delay", "duration"),
        (Naive, "$.at", "naive"),
        (Short, "$.name", "maxLength"),
        (Example, "$.name", "`examples`"),
        (Url, "$.link", "'uri'"),
        (Retyped, "$.count", "`enum`"),
        (Untagged, "$.either", "must be tagged"),
        (MaybeAbsent, "$.absent", "left out"),
        (Partial, "$.title", "left out"),
        (Omitting, "$", "omit_defaults"),
        (Row, "$", "array_like"),
        (Nested, "$.rows[*][*].data", "free keys"),
        (Cat | Dog, "$", "root must be an object"),
        (list[Step], "$", "root must be an object"),
        (dict[str, int], "$", "not dict"),
    ],
    ids=lambda v: getattr(v, "__name__", None) if isinstance(v, type) else None,
)
def test_what_strict_mode_cannot_express_names_the_path(tp: Any, path: str, says: str) -> None:
    with pytest.raises(SchemaError) as info:
        strict_json_schema(tp)
    assert isinstance(info.value, ValueError)
    assert info.value.path == path
    assert says in info.value.reason
    assert str(info.value).endswith(f"- at `{path}`")


# ---------------------------------------------------------------------------
# The API's limits


def _chain(levels: int) -> Any:
    """A struct whose objects nest ``levels`` deep (the root is level 1)."""
    tp: Any = msgspec.defstruct("Leaf", [("x", int)])
    for i in range(levels - 1):
        tp = msgspec.defstruct(f"Level{i}", [("child", tp)])
    return tp


def test_nesting_depth_limit() -> None:
    strict_json_schema(_chain(_limits.MAX_DEPTH))
    with pytest.raises(SchemaError) as info:
        strict_json_schema(_chain(_limits.MAX_DEPTH + 1))
    assert info.value.path == "$" + ".child" * _limits.MAX_DEPTH
    assert "nest more than 10" in info.value.reason
    strict_json_schema(Tree)  # recursion adds no level


def test_property_count_limit() -> None:
    half = msgspec.defstruct("Half", [(f"p{i}", int) for i in range(2500)])
    fits = msgspec.defstruct("Fits", [("a", half), ("b", half)])  # one def: counted once
    strict_json_schema(fits)
    other = msgspec.defstruct("Other", [(f"q{i}", int) for i in range(2499)])
    over = msgspec.defstruct("Over", [("a", half), ("b", other)])
    with pytest.raises(SchemaError) as info:
        strict_json_schema(over)
    assert "more than 5000 properties" in info.value.reason
    assert info.value.path == "$.b.q2498"  # root a and b count too: 2 + 2500 + 2499


def test_enum_value_limits() -> None:
    many = msgspec.defstruct(
        "Many",
        [
            ("a", Literal[tuple(f"a{i}" for i in range(600))]),  # type: ignore[misc]
            ("b", Literal[tuple(f"b{i}" for i in range(401))]),  # type: ignore[misc]
        ],
    )
    with pytest.raises(SchemaError) as info:
        strict_json_schema(many)
    assert info.value.path == "$.b" and "1000 values" in info.value.reason
    long = msgspec.defstruct("Long", [("a", Literal[tuple(f"{i:060d}" for i in range(251))])])  # type: ignore[misc]
    with pytest.raises(SchemaError) as info:
        strict_json_schema(long)
    assert "15,000 characters" in info.value.reason
    short = msgspec.defstruct("Short", [("a", Literal[tuple(f"{i:050d}" for i in range(251))])])  # type: ignore[misc]
    strict_json_schema(short)


def test_total_string_length_limit() -> None:
    names = [(f"{'k' * 995}{i:05d}", int) for i in range(121)]
    with pytest.raises(SchemaError) as info:
        strict_json_schema(msgspec.defstruct("Wide", names))
    assert "120,000" in info.value.reason
    assert info.value.path.startswith("$.k")


# ---------------------------------------------------------------------------
# Encoded instances validate and decode back equal


@pytest.mark.parametrize("tp", VARIED, ids=lambda t: t.__name__)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_encoded_instances_validate_and_decode_back(tp: Any, data: st.DataObject) -> None:
    schema = strict_json_schema(tp)
    json.dumps(schema)  # plain JSON
    value = data.draw(instances(tp))
    encoded = msgspec.json.encode(value)
    validate(json.loads(encoded), schema)
    assert decode(encoded, tp) == value


def test_the_validator_catches_what_breaks_a_schema() -> None:
    """The check above can fail: the validator rejects what strays from the schema."""
    schema = strict_json_schema(Pets)
    good = {"first": {"type": "cat", "lives": 3}, "others": [], "maybe": None}
    validate(good, schema)
    for bad in (
        {**good, "extra": 1},
        {k: v for k, v in good.items() if k != "maybe"},
        {**good, "first": {"type": "cat", "lives": 10}},
        {**good, "first": {"type": "bird", "lives": 1}},
        {**good, "maybe": {"type": "dog", "good": "yes", "name": "x"}},
    ):
        with pytest.raises(AssertionError):
            validate(bad, schema)


def test_a_key_that_is_not_a_plain_name_is_written_as_decode_errors_write_it() -> None:
    """One ``$.path`` notation: a JSON key that is not a plain name is a JSON
    string in brackets, as the decoder's errors write it (not Python's repr)."""
    odd = msgspec.defstruct("Odd", [("when", Wait)], rename={"when": "time of day"})
    with pytest.raises(SchemaError) as info:
        strict_json_schema(odd)
    assert info.value.path == '$["time of day"].delay'
    deep = _chain(_limits.MAX_DEPTH + 1)
    top = msgspec.defstruct("Top", [("c", deep)], rename={"c": "it's"})
    with pytest.raises(SchemaError) as info:
        strict_json_schema(top)
    assert info.value.path.startswith('$["it\'s"].child')
    with pytest.raises(o.ValidationError) as decoded:
        o.decode(b'{"model": "m", "text": {"a b": 1}}', o.CreateResponse, strict=True)
    assert decoded.value.path == '$.text["a b"]'
