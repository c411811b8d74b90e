"""Building blocks shared by every generated type.

The generated modules in :mod:`openai_structs.types` only use what is defined
here: the :class:`Struct` base class, the open :data:`Enum` form, the
:class:`UnknownVariant` family that stands in for union members the spec does
not know yet, :class:`SharedTag`, the base of the classes members that share a
tag decode into, and :func:`dispatch_union` for the few unions that msgspec
cannot decode natively.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Union,
    cast,
    get_args,
    get_origin,
)

import msgspec

# the generated modules import these from here
from msgspec import UNSET, UnsetType  # noqa: F401  # pyright: ignore[reportUnusedImport]


class Struct(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    gc=False,
    repr_omit_defaults=True,
):
    """Base class of every generated type.

    Options, and why:

    - ``frozen=True``: payloads are values; hashing and safe sharing come free.
    - ``kw_only=True``: fields keep the spec's order whatever their defaults.
    - ``gc=False``: a decoded JSON document cannot hold a reference cycle, so
      the garbage collector need not track these objects. Measured against a
      copy built with ``gc=True``: decoding ``data/chat_completion_large.json``
      (hundreds of small logprob structs) is 6-7% faster, ``response.json``
      the same within noise.
    - ``omit_defaults`` stays off: optional fields default to ``UNSET``, which
      msgspec never writes, so an absent key stays absent and an explicit
      ``null`` stays ``null``; the only other defaults are constant fields
      (``"object": "list"``) that the API always sends and must be written.
    - ``repr_omit_defaults=True``: reprs show what was set, not every ``UNSET``.

    Unknown JSON keys are ignored on decode (msgspec's default), so a field
    OpenAI adds tomorrow never breaks a decode; it is not kept on re-encode.
    """


class EnumValues:
    """Marker kept in ``Annotated[str, EnumValues(...)]``: the known values.

    msgspec ignores it, so decoding accepts any string (the API adds enum
    values often); :func:`openai_structs.decode` with ``strict=True`` checks
    strings against it.
    """

    __slots__ = ("values",)

    def __init__(self, values: Iterable[str]) -> None:
        self.values = frozenset(values)

    def __repr__(self) -> str:
        return f"EnumValues({sorted(self.values)!r})"


class _OpenEnumForm:
    """``Enum["a", "b"]`` is ``Literal["a", "b"]`` for type checkers and an
    open ``str`` carrying the known values at run time."""

    def __getitem__(self, values: str | tuple[str, ...]) -> Any:
        return Annotated[str, EnumValues((values,) if isinstance(values, str) else values)]


if TYPE_CHECKING:
    from typing import Literal as Enum  # pyright: ignore[reportUnusedImport]
else:
    Enum = _OpenEnumForm()


#: The msgspec tag of the ``Unknown*`` classes. Input that sends it as a tag
#: value reaches :meth:`UnknownVariant.__post_init__`, which rejects it: only
#: this package makes unknown variants, so input cannot forge one.
UNKNOWN_TAG = "\x00openai_structs.unknown"


#: ``[True]`` once this process has made an :class:`UnknownVariant`. Until
#: then no encoded document can hold one, and encoders skip looking for one.
UNKNOWN_MADE = [False]


class _TagField:
    """The JSON property that holds an unknown variant's tag: its class's
    msgspec ``tag_field`` (``""`` for the base class)."""

    def __get__(self, obj: object, owner: type[msgspec.Struct]) -> str:
        return owner.__struct_config__.tag_field or ""


class UnknownVariant(Struct, frozen=True, kw_only=True):
    """A union member whose tag (``type``, ``role``, ``object``, ``event``) this
    version of the spec does not know.

    It keeps the original JSON object: ``raw`` holds its bytes, ``tag`` the
    tag value, ``data`` the decoded object. :func:`openai_structs.encode`
    writes ``raw`` back unchanged. ``decode(..., strict=True)`` rejects
    unknown variants instead of producing them.

    Make one with :meth:`from_raw` or :meth:`from_object`. ``mark`` is
    private: msgspec writes it as ``"mark": <length of raw> ``, with spaces
    msgspec never writes itself, and ``encode`` replaces the whole object by
    ``raw`` where it finds that mark. (``msgspec.json.encode`` writes that
    stand-in object as it is: use :func:`openai_structs.encode`.)
    """

    mark: msgspec.Raw
    raw: msgspec.Raw
    tag_field: ClassVar[_TagField] = _TagField()

    def __post_init__(self) -> None:
        mark = bytes(self.mark)
        if not (mark[:1] == b" " and mark[-1:] == b" " and mark.strip() == b"%d" % len(self.raw)):
            raw = _hole(mark)
            if raw is None:
                raise ValueError(f"Invalid value {UNKNOWN_TAG!r}")
            msgspec.structs.force_setattr(self, "raw", msgspec.Raw(raw))
            msgspec.structs.force_setattr(self, "mark", msgspec.Raw(b" %d " % len(raw)))
        UNKNOWN_MADE[0] = True

    @classmethod
    def from_raw(cls, raw: bytes | bytearray | memoryview | msgspec.Raw) -> UnknownVariant:
        """Wrap the JSON object ``raw`` (bytes); it must be valid UTF-8 JSON
        that decodes back (no number out of range)."""
        data = bytes(raw)
        try:  # one object that reads back: valid syntax, UTF-8 and numbers
            obj = msgspec.json.decode(data)
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"not a JSON object: {exc}") from None
        if isinstance(obj, dict):
            return cls._wrap(data)
        raise ValueError(f"not a JSON object: {type(obj).__name__}")

    @classmethod
    def _wrap(cls, data: bytes | msgspec.Raw) -> UnknownVariant:
        """Wrap bytes already known to be one valid JSON object."""
        return cls(mark=msgspec.Raw(b" %d " % len(data)), raw=msgspec.Raw(data))

    @classmethod
    def from_object(cls, obj: dict[str, Any]) -> UnknownVariant:
        """Wrap an already decoded JSON object."""
        return cls.from_raw(msgspec.json.encode(obj))

    @property
    def data(self) -> dict[str, Any]:
        """The original object, decoded without a type."""
        return msgspec.json.decode(self.raw)

    @property
    def tag(self) -> Any:
        """The tag value that was not recognised."""
        if not self.tag_field:
            return None
        probe = msgspec.json.decode(self.raw, type=dict[str, msgspec.Raw]).get(self.tag_field)
        return None if probe is None else msgspec.json.decode(probe)

    def __repr__(self) -> str:
        raw = bytes(self.raw)
        shown = raw if len(raw) <= 60 else raw[:57] + b"..."
        return f"{type(self).__name__}(tag={self.tag!r}, raw={shown!r})"


#: The holes of the document being decoded on this thread, innermost last:
#: ``(b'"<nonce>:', [raw bytes of hole 0, ...])``. The unknown-variant path
#: (:mod:`openai_structs.core._unknown`) puts a stand-in object in place of each
#: unknown variant, marked ``"<nonce>:<n>"`` with a nonce drawn for that one
#: decode, and :meth:`UnknownVariant.__post_init__` swaps the bytes back in.
#: Input cannot name a hole: it does not know the nonce.
HOLES = threading.local()


def _hole(mark: bytes) -> bytes | None:
    """The bytes of the hole ``mark`` names, or None if it names none."""
    stack = getattr(HOLES, "stack", None)
    if not stack:
        return None
    prefix, kept = stack[-1]
    if not mark.startswith(prefix) or mark[-1:] != b'"':
        return None
    index = mark[len(prefix) : -1]
    if not index.isdigit() or int(index) >= len(kept):
        return None
    return kept[int(index)]


class _Tag:
    """The tag of an unknown variant under its field's name (``.type``,
    ``.role``...), as every member of its union has it: :attr:`UnknownVariant.tag`."""

    def __get__(self, obj: UnknownVariant | None, owner: type | None = None) -> Any:
        return self if obj is None else obj.tag


class UnknownType(UnknownVariant, frozen=True, tag_field="type", tag=UNKNOWN_TAG):
    """Unknown member of a union told apart by ``type``; ``.type`` is its tag."""

    type = _Tag()


class UnknownRole(UnknownVariant, frozen=True, tag_field="role", tag=UNKNOWN_TAG):
    """Unknown member of a union told apart by ``role``; ``.role`` is its tag."""

    role = _Tag()


class UnknownObject(UnknownVariant, frozen=True, tag_field="object", tag=UNKNOWN_TAG):
    """Unknown member of a union told apart by ``object``; ``.object`` is its tag."""

    object = _Tag()


class UnknownEvent(UnknownVariant, frozen=True, tag_field="event", tag=UNKNOWN_TAG):
    """Unknown member of a union told apart by ``event``; ``.event`` is its tag."""

    event = _Tag()


UNKNOWN_BY_FIELD: dict[str, type[UnknownVariant]] = {
    cls.tag_field: cls for cls in (UnknownType, UnknownRole, UnknownObject, UnknownEvent)
}


#: Set by :mod:`openai_structs.core._views` (which imports this module):
#: the class a :class:`SharedTag` object is read as, or None.
VIEW_OF: list[Any] = []


class SharedTag(Struct, frozen=True, kw_only=True, gc=True, dict=True):
    """Base of the classes union members decode into when their tag alone
    does not say their class (several of the spec's classes share it, or may
    omit it): their fields are those of all the classes they may be read as.
    ``isinstance(x, C)`` holds for the one of those ``x``'s fields select
    (:mod:`openai_structs.core._views`); ``type(x)`` is this class and
    ``repr(x)`` shows it; encoding writes what was decoded.

    ``x.__class__`` is the class ``x`` is read as (this class if it fits
    none): Python's ``isinstance`` asks an object's ``__class__`` when its
    type is not the class asked about, so ``isinstance`` and ``match`` with
    the spec's classes work with no metaclass of theirs, and every other
    object keeps the native check. The answer is worked out on the first
    question and kept in the instance's ``__dict__`` (``dict=True``, which
    msgspec allows only with ``gc=True``); the fields stay slots."""

    @property
    def __class__(self) -> type:  # type: ignore[override]
        kept = cast("dict[str, Any]", self.__dict__)
        try:
            return kept["view"]
        except KeyError:
            view = VIEW_OF[0](self) or type(self)
            kept["view"] = view
            return view

    @staticmethod
    def _targets() -> tuple[type, ...]:
        """The classes a member with this class's tag is read as, in the
        generator's order (most required fields first)."""
        return ()

    @staticmethod
    def _groups() -> tuple[tuple[type, tuple[type, ...]], ...]:
        """On an untagged class: each tag value's class and those of its
        targets that may omit the tag, in the union's order."""
        return ()

    @staticmethod
    def _untagged() -> type | None:
        """On a tagged class: the class its union's members decode into when
        sent without the tag, if any."""
        return None


class _DispatchMeta(type):
    """Makes ``isinstance(x, SomeDispatchUnion)`` true for its members, which
    is what msgspec checks after a ``dec_hook`` returns."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls.members())  # type: ignore[attr-defined]


class DispatchUnion(metaclass=_DispatchMeta):
    """Run-time stand-in for a union msgspec cannot decode natively.

    Such a union has members that share a tag value (several ``message``
    items told apart by ``role``), a member whose tag may be absent, or a
    struct beside a free-form object. msgspec hands the JSON value to
    :data:`openai_structs.dec_hook`, which picks the member with
    :meth:`candidates` and converts the value into it. Type checkers see the
    plain ``Union`` instead.

    The members are read on first use (``_spec``), so generated modules can
    name classes of modules that are not imported yet.
    """

    _loaded: ClassVar[dict[str, Any] | None] = None

    @staticmethod
    def _spec() -> dict[str, Any]:
        return {}

    @classmethod
    def _load(cls) -> dict[str, Any]:
        if cls._loaded is None:
            spec = cls._spec()
            by_tag: dict[str, tuple[type, ...]] = spec.get("by_tag", {})
            untagged: tuple[type, ...] = spec.get("untagged", ())
            members = list(untagged)
            for group in by_tag.values():
                members.extend(m for m in group if m not in members)
            tag_field = spec.get("tag_field", "")
            if tag_field in UNKNOWN_BY_FIELD:
                members.append(UNKNOWN_BY_FIELD[tag_field])
            other = spec.get("other")
            if other is not None:
                members.extend(_runtime_classes(other))
            cls._loaded = {
                "tag_field": tag_field,
                "by_tag": by_tag,
                "untagged": untagged,
                "other": other,
                "members": tuple(members),
            }
        return cls._loaded

    @classmethod
    def members(cls) -> tuple[type, ...]:
        """Every class a value of this union can be an instance of."""
        return cls._load()["members"]

    @classmethod
    def tag_field(cls) -> str:
        """The JSON property that tells members apart, or ``""``."""
        return cls._load()["tag_field"]

    @classmethod
    def other(cls) -> Any:
        """Union of the members that are not JSON objects, or None."""
        return cls._load()["other"]

    @classmethod
    def known_tags(cls) -> tuple[str, ...]:
        """The tag values of the members."""
        return tuple(cls._load()["by_tag"])

    @classmethod
    def candidates(cls, obj: dict[str, Any]) -> tuple[type, ...] | None:
        """Members that may hold ``obj``, by its tag; None if the tag is unknown."""
        spec = cls._load()
        tag_field = spec["tag_field"]
        if not tag_field:
            return spec["untagged"]
        tag = obj.get(tag_field)
        if tag is None:
            return spec["untagged"]
        if isinstance(tag, str):
            return spec["by_tag"].get(tag)
        return None


def dispatch_union(
    name: str, module: str, spec: Callable[[], dict[str, Any]]
) -> type[DispatchUnion]:
    """Create the run-time class of a union decoded by :class:`DispatchUnion`.

    ``spec`` returns ``tag_field``, ``by_tag`` (tag value -> member classes),
    ``untagged`` (members that may lack the tag) and ``other`` (the union of
    non-object members, or None).
    """
    ns = {"__module__": module, "__qualname__": name, "_spec": staticmethod(spec)}
    return _DispatchMeta(name, (DispatchUnion,), ns)


def _runtime_classes(tp: Any) -> tuple[type, ...]:
    """Concrete classes an ``isinstance`` check needs to accept ``tp``."""
    origin = get_origin(tp)
    if origin is Union:
        out: tuple[type, ...] = ()
        for arg in get_args(tp):
            out += _runtime_classes(arg)
        return out
    if tp is None or tp is type(None):
        return (type(None),)
    if origin is Annotated:
        return _runtime_classes(get_args(tp)[0])
    if origin is not None:
        if isinstance(origin, type):
            return (origin,)
        return (object,)
    if tp is Any:
        return (object,)
    if isinstance(tp, type):
        if tp is float:
            return (float, int)
        return (tp,)
    return (object,)
