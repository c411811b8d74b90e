"""Stage 5: Python names and the module each definition lives in.

- Modules are API areas. A definition goes to the first area whose name
  pattern it matches (``AREA_PATTERNS``); otherwise to the area of the
  operations that reach it most directly; what three or more areas reach
  alike, or nothing reaches, goes to ``shared``. Inline types and parameter
  structs follow their parent.
- Field names become identifiers (``self-harm`` -> ``self_harm``,
  ``from`` -> ``from_``); the JSON name is kept with ``msgspec.field(name=...)``.
- The seed crate's names that the spec spells differently become aliases
  (``SEED_ALIASES`` plus case-insensitive matching: ``McpTool`` -> ``MCPTool``).
"""

from __future__ import annotations

import keyword
import re
from collections import deque

from .ir import AliasDef, Array, Map, ObjectDef, Operation, Prim, Ref, Spec, Type, UnionT

AREAS = (
    "responses", "chat", "completions", "realtime", "assistants", "batch", "files", "audio",
    "images", "videos", "evals", "fine_tuning", "vector_stores", "containers", "conversations",
    "embeddings", "moderations", "models", "skills", "chatkit", "admin", "webhooks", "shared",
)  # fmt: skip

#: Operation tag -> area.
TAG_AREAS = {
    "Responses": "responses", "Chat": "chat", "Completions": "completions", "Realtime": "realtime",
    "Assistants": "assistants", "Batch": "batch", "Files": "files", "Uploads": "files",
    "Audio": "audio", "Images": "images", "Videos": "videos", "Evals": "evals",
    "Fine-tuning": "fine_tuning", "Vector stores": "vector_stores", "Conversations": "conversations",
    "Embeddings": "embeddings", "Moderations": "moderations", "Models": "models", "Skills": "skills",
}  # fmt: skip

#: Path prefix -> area, for operations without a tag.
PATH_AREAS = (("/chatkit", "chatkit"),)

#: Areas whose operations return other areas' types, and how much deeper they count.
WRAPPER_AREAS = frozenset({"conversations", "evals", "webhooks", "batch"})
WRAPPER_DEPTH = 3

#: First match wins; tried on the name without a ``Beta`` prefix.
AREA_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Webhook", "webhooks"),
    (r"^Realtime", "realtime"),
    (r"^(Create)?ChatCompletion|^ChatModel", "chat"),
    ((r"^Chat(Session|kit)|^Chatkit|^Thread(Item|Resource|List)|^(User|Assistant|Widget|ClientTool"
     r"|EndOfTurn|TaskGroup|Task)\w*Item$"), "chatkit"),
    (r"^(Create|List|Modify|Delete|Get)?(Assistant|Thread|Run|Message)(?!Phase)", "assistants"),
    (r"^(Create|List|Cancel|Retrieve)?Batch", "batch"),
    (r"^(OpenAIFile|CreateFileRequest|ListFiles|DeleteFile|FilePurpose|FileExpirationAfter)", "files"),
    (r"^(Create|Complete|Cancel)?Upload|^AddUploadPart", "files"),
    (r"^(Audio|CreateSpeech|CreateTranscription|CreateTranslation|Transcription|Transcript|Speech|Voice)", "audio"),
    (r"^(Create)?Image(?!Gen)|^Images", "images"),
    (r"^(Create|List|Delete|Remix)?Video", "videos"),
    (r"^(Create)?Eval|^(Run|Validate)?Grader", "evals"),
    (r"^(Create|List)?FineTun", "fine_tuning"),
    (r"^(Create|List|Update|Delete)?VectorStore|ChunkingStrategy", "vector_stores"),
    (r"^(Create|List|Delete)?Container", "containers"),
    (r"^(Create|Update|List|Delete(d)?)?Conversation", "conversations"),
    (r"^(Create)?Embedding", "embeddings"),
    (r"^(Create)?Moderation", "moderations"),
    (r"^(Model$|ListModels|DeleteModel)", "models"),
    (r"^(Create|List|Update|Delete)?Skill", "skills"),
    ((r"^(Create|List)?(AuditLog|Project|Invite|User|Organization|Usage|Costs|AdminApiKey|ApiKey|"
     r"Certificate|Role|Group|SpendAlert|DataRetention|HostedTool)"), "admin"),
    (r"^(Create)?(Response|Input|Output)", "responses"),
)  # fmt: skip

#: Seed names (the Rust crate's) for types the spec names otherwise.
SEED_ALIASES = {
    "Click": "ClickParam",
    "DoubleClick": "DoubleClickAction",
    "Drag": "DragParam",
    "KeyPress": "KeyPressAction",
    "Move": "MoveParam",
    "Screenshot": "ScreenshotParam",
    "Scroll": "ScrollParam",
    "Type": "TypeParam",
    "Wait": "WaitParam",
    "Coordinate": "CoordParam",
    "MetadataParam": "Metadata",
    "CodeInterpreterToolAuto": "AutoCodeInterpreterToolParam",
    "ComputerToolCallSafetyCheck": "ComputerCallSafetyCheckParam",
    "Conversation2": "ConversationParam2",
    "CreateConversationRequest": "CreateConversationBody",
    "CreateRunRequestWithoutStream": "CreateRunRequest",
    "CreateThreadAndRunRequestWithoutStream": "CreateThreadAndRunRequest",
    "SubmitToolOutputsRunRequestWithoutStream": "SubmitToolOutputsRunRequest",
    "ModerationImageUrlInput": "CreateModerationRequestInput2ItemImageUrl",
    "ModerationTextInput": "CreateModerationRequestInput2ItemText",
    "ChatModel": "ModelIdsShared",
    "ImageInputFidelity": "InputFidelity",
    "Includable": "IncludeEnum",
}

#: Seed names for types the spec writes inline: ``Definition.field``, with
#: ``[]`` for the items of an array field. Each becomes a named alias.
SEED_INLINE = {
    "AssistantTool": "AssistantObject.tools[]",
    "ChunkingStrategyResponse": "VectorStoreFileObject.chunking_strategy",
    "FilePurpose": "CreateFileRequest.purpose",
    "MessageContent": "MessageObject.content[]",
    "MessageContentDelta": "MessageDeltaObjectDelta.content[]",
    "RealtimeConversationItemContent": "RealtimeConversationItemWithReference.content[]",
    "RunStatus": "RunObject.status",
    "RunStepDeltaStepDetailsToolCall": "RunStepDeltaStepDetailsToolCallsObject.tool_calls[]",
    "RunStepDetailsToolCall": "RunStepDetailsToolCallsObject.tool_calls[]",
    "TextAnnotation": "MessageContentTextObjectText.annotations[]",
    "TextAnnotationDelta": "MessageDeltaContentTextObjectText.annotations[]",
}


def name_inline_seed_types(spec: Spec) -> None:
    """Define the aliases of ``SEED_INLINE`` (a missing path is an error)."""
    for seed_name, path in SEED_INLINE.items():
        def_name, field_name = path.split(".", 1)
        items = field_name.endswith("[]")
        obj = spec.defs.get(def_name)
        f = obj.field(field_name.rstrip("[]")) if isinstance(obj, ObjectDef) else None
        if f is None:
            raise ValueError(f"seed name {seed_name}: no field {path}")
        t = f.type
        if isinstance(t, UnionT):  # drop null: the alias names the value's type
            t = next(m for m in t.members if not (isinstance(m, Prim) and m.kind == "null"))
        if items:
            if not isinstance(t, Array):
                raise ValueError(f"seed name {seed_name}: {path} is not an array")
            t = t.item
        spec.defs[seed_name] = AliasDef(seed_name, t, origin="seed", parent=def_name)


def identifier(json_name: str, taken: set[str]) -> str:
    """A Python attribute name for a JSON property, unique within ``taken``."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", json_name)
    if not name or name[0].isdigit():
        name = "f_" + name
    name = name.lstrip("_") or "field"
    if keyword.iskeyword(name) or name in _RESERVED:
        name += "_"
    base, n = name, 2
    while name in taken:
        name = f"{base}_{n}"
        n += 1
    taken.add(name)
    return name


#: Names a field may not take in a generated class body.
_RESERVED = {"Struct", "Enum", "UNSET", "UnsetType", "Union", "Any", "ClassVar", "Generic", "BodyT"}


def _references(t: Type) -> list[str]:
    if isinstance(t, Ref):
        return [t.name]
    if isinstance(t, Array):
        return _references(t.item)
    if isinstance(t, Map):
        return _references(t.value)
    if isinstance(t, UnionT):
        return [n for m in t.members for n in _references(m)]
    return []


def _children(spec: Spec, name: str) -> list[str]:
    d = spec.defs.get(name)
    if isinstance(d, ObjectDef):
        return [n for f in d.fields for n in _references(f.type)]
    if isinstance(d, AliasDef):
        return _references(d.type)
    return []


#: Where definitions named by a schema (not by their parent) come from.
NAMED_ORIGINS = ("component", "batch", "supplement")


def assign_modules(spec: Spec) -> dict[str, str]:
    """Definition name -> area module name."""
    modules: dict[str, str] = {}
    for name, d in spec.defs.items():
        if d.origin in NAMED_ORIGINS:
            bare = name[4:] if name.startswith("Beta") and name[4:5].isupper() else name
            for pattern, area in AREA_PATTERNS:
                if re.search(pattern, bare):
                    modules[name] = area
                    break
    reach = _reachability(spec)
    for name, d in spec.defs.items():
        if name in modules or d.origin not in NAMED_ORIGINS:
            continue
        found = reach.get(name)
        if not found or len(found[1]) >= 3:
            modules[name] = "shared"
        else:
            modules[name] = min(found[1], key=AREAS.index)
    for op in spec.operations:
        area = operation_area(op)
        if op.params:
            modules[op.params] = area
        if isinstance(op.response, Ref) and spec.defs[op.response.name].origin == "response":
            # (the first operation that names it decides)
            modules[op.response.name] = area
    for name, d in spec.defs.items():
        if name not in modules:
            parent, seen = d.parent, {name}
            while parent and parent not in modules and parent not in seen:
                seen.add(parent)
                parent = spec.defs[parent].parent if parent in spec.defs else None
            modules[name] = modules.get(parent or "", "shared")
    return modules


def operation_area(op: Operation) -> str:
    """The area of an operation: by its tag, else by its path."""
    if op.tag in TAG_AREAS:
        return TAG_AREAS[op.tag]
    for prefix, area in PATH_AREAS:
        if op.path.startswith(prefix):
            return area
    return "admin"


def _reachability(spec: Spec) -> dict[str, tuple[int, set[str]]]:
    """Name -> (least depth, areas reaching it at that depth) from operations.

    Areas that mostly hold other areas' types (a conversation holds response
    items, an eval run holds responses) count their depth as ``WRAPPER_DEPTH``
    deeper, so the area that defines a type wins the tie.
    """
    best: dict[str, tuple[int, set[str]]] = {}
    roots: dict[str, list[str]] = {}
    for op in spec.operations:
        names = _references(op.response) if op.response is not None else []
        roots.setdefault(operation_area(op), []).extend(names)
    for area, names in roots.items():
        start = WRAPPER_DEPTH if area in WRAPPER_AREAS else 0
        queue = deque((n, start) for n in names)
        seen: set[str] = set()
        while queue:
            name, depth = queue.popleft()
            if name in seen:
                continue
            seen.add(name)
            prev = best.get(name)
            if prev is None or depth < prev[0]:
                best[name] = (depth, {area})
            elif depth == prev[0]:
                prev[1].add(area)
            queue.extend((c, depth + 1) for c in _children(spec, name))
    return best


def seed_aliases(spec: Spec, seed: dict[str, list[str]]) -> dict[str, str]:
    """Seed name -> definition name, for seed names the spec lacks."""
    by_lower = {n.lower(): n for n in spec.defs}
    out: dict[str, str] = {}
    for group in ("s", "e", "a"):
        for name in seed.get(group, []):
            if name in spec.defs:
                continue
            target = SEED_ALIASES.get(name) or by_lower.get(name.lower())
            if target is None and name[-1:].isdigit():
                target = by_lower.get(name.rstrip("0123456789").lower())
            if target is None:
                target = by_lower.get((name + "Param").lower()) or by_lower.get(
                    (name + "Action").lower()
                )
            if target is not None and target in spec.defs:
                out[name] = target
    return out
