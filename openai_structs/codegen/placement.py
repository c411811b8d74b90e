"""The naming stage's module placement: the area module each definition lives in.

Modules are API areas. A named definition goes to the first area whose name
pattern it matches (``AREA_PATTERNS``); otherwise to the area of the
operations that reach it most directly; what three or more areas reach alike,
or nothing reaches, goes to ``shared``; an operation reaches what it returns,
streams and accepts. Inline types, parameter structs and
the generator's own classes (variants, proxies, named unions) follow their
parent.

An operation's area is the one its tag names (``TAG_AREAS``), else the one
its path starts with (``PATH_AREAS``); an operation matching neither is an
error (:class:`UnplacedOperation`), never a silent default.
"""

from __future__ import annotations

import re
from collections import deque

from .ir import AliasDef, ObjectDef, Operation, Ref, Spec, refs

AREAS = (
    "responses", "chat", "completions", "realtime", "assistants", "batch", "files", "audio",
    "images", "videos", "evals", "fine_tuning", "vector_stores", "containers", "conversations",
    "embeddings", "moderations", "models", "skills", "chatkit", "admin", "webhooks", "provenance",
    "shared",
)  # fmt: skip

#: Operation tag -> area.
TAG_AREAS = {
    "Responses": "responses", "Chat": "chat", "Completions": "completions", "Realtime": "realtime",
    "Assistants": "assistants", "Batch": "batch", "Files": "files", "Uploads": "files",
    "Audio": "audio", "Images": "images", "Videos": "videos", "Evals": "evals",
    "Fine-tuning": "fine_tuning", "Vector stores": "vector_stores", "Conversations": "conversations",
    "Embeddings": "embeddings", "Moderations": "moderations", "Models": "models", "Skills": "skills",
}  # fmt: skip

#: Path prefix -> area, for operations whose tag names no area (or that have none).
PATH_AREAS = (
    ("/chatkit", "chatkit"),
    ("/containers", "containers"),
    ("/conversations", "conversations"),
    ("/responses", "responses"),
    ("/organization", "admin"),
    ("/projects", "admin"),
    ("/content_provenance_checks", "provenance"),
)


class UnplacedOperation(ValueError):
    """An operation whose tag and path name no area: add its tag to
    ``TAG_AREAS`` or its path prefix to ``PATH_AREAS``."""


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


def _children(spec: Spec, name: str) -> list[str]:
    d = spec.defs.get(name)
    if isinstance(d, ObjectDef):
        return [n for f in d.fields for n in refs(f.type)]
    if isinstance(d, AliasDef):
        return refs(d.type)
    return []


#: Where definitions named by a schema (not by their parent) come from.
NAMED_ORIGINS = ("component", "batch", "supplement", "azure", "webhooks")


def assign_modules(spec: Spec, named_unions: dict[str, str] | None = None) -> dict[str, str]:
    """Definition name -> area module name; a named union (name -> the
    definition it was found in) goes where its owner goes, unless it is a
    definition itself."""
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
    for name, owner in (named_unions or {}).items():
        modules.setdefault(name, modules[owner])
    return modules


def operation_area(op: Operation) -> str:
    """The area of an operation: by its tag, else by its path prefix."""
    if op.tag in TAG_AREAS:
        return TAG_AREAS[op.tag]
    for prefix, area in PATH_AREAS:
        if op.path == prefix or op.path.startswith((prefix + "/", prefix + "?")):
            return area
    raise UnplacedOperation(
        f"operation {op.operation_id} ({op.method.upper()} {op.path}, tag {op.tag!r}) matches"
        " no area: add its tag to TAG_AREAS or its path prefix to PATH_AREAS"
    )


def _reachability(spec: Spec) -> dict[str, tuple[int, set[str]]]:
    """Name -> (least depth, areas reaching it at that depth) from operations.

    Areas that mostly hold other areas' types (a conversation holds response
    items, an eval run holds responses) count their depth as ``WRAPPER_DEPTH``
    deeper, so the area that defines a type wins the tie.
    """
    best: dict[str, tuple[int, set[str]]] = {}
    roots: dict[str, list[str]] = {}
    for op in spec.operations:
        names = refs(op.response) if op.response is not None else []
        names += [n for n in (op.stream, op.request) if n]
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
