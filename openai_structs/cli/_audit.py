"""``openai-structs audit``: what recorded traffic holds that the types do not know.

Run it first on your own recordings (streams saved as ``.sse``, Batch API
files, JSON bodies): a clean report means every payload decodes and every key
it carries survives a round trip; each row otherwise names a ``$.path``, how
often, and an example value (see :mod:`openai_structs._audit`).
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, existing_file, fail, print_json, table

__all__ = ["add_audit_command"]

_SHOWN = 60  # characters of an example in the table


def _type(name: str | None) -> Any:
    if name is None:
        return None
    from .. import types

    try:
        return getattr(types, name)
    except AttributeError:
        fail(f"no type named {name!r} in openai_structs", EXIT_USAGE)


def _shown(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def cmd_audit(args: argparse.Namespace) -> int:
    from .._audit import Audit

    tp = _type(args.type)
    paths = [existing_file(name) for name in args.paths]
    report = Audit()
    for path in paths:
        report.add_file(path, tp)
    if args.json:
        print_json(report.to_dict())
    else:
        rows = [(f.kind, f.path, f.count, _shown(f.example)) for f in report.findings]
        title = f"{report.decoded} of {report.payloads} payloads decoded"
        if rows:
            table(title, ("kind", "path", "count", "example"), rows)
        else:
            print(f"{title}; nothing the types do not know")
    return EXIT_OK if report.ok else EXIT_DATA


def add_audit_command(commands: Any) -> None:
    audit = commands.add_parser(
        "audit",
        help="count what recorded payloads hold that the types do not know",
        description=(
            "Decode every payload of each file (.sse streams, .jsonl batch or payload lines, "
            "JSON bodies) and count, per $.path, unknown keys, unknown variants, unknown enum "
            "values and payloads that do not decode. Exit 1 if any payload does not decode."
        ),
    )
    audit.add_argument("paths", nargs="+", metavar="PATH", help="files to read")
    audit.add_argument(
        "--type",
        help="the type of each payload (of each body, for batch lines), e.g. Response; "
        "inferred from the payload when left out",
    )
    audit.add_argument("--json", action="store_true", help="print one JSON document")
    audit.set_defaults(run=cmd_audit)
