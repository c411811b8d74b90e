"""The errors of the structured-output helpers, all :class:`ValueError` subclasses::

    ValueError
    ├── SchemaError            a type strict mode cannot express, or a schema past a limit
    └── OutputError            the response holds no value to parse
        ├── RefusalError       the model refused (``.refusal``)
        └── IncompleteOutputError   the output was cut short (``.reason``)

Bad JSON in the model's answer is not among them: :func:`~.parse_output` and
the other parsers raise the decoder's own :class:`~openai_structs.ValidationError`
(with the ``$.path``) or :class:`~openai_structs.MalformedJSONError`.
"""

from __future__ import annotations

__all__ = ["IncompleteOutputError", "OutputError", "RefusalError", "SchemaError"]


class SchemaError(ValueError):
    """A type that strict mode cannot express, or a schema past the API's limits.

    ``path`` is the ``$.path`` of the value in the JSON the schema describes
    (``$.steps[*].output``; ``[*]`` stands for every item of an array);
    ``reason`` says what strict mode lacks or which limit was passed.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{reason} - at `{path}`")
        self.path = path
        self.reason = reason


class OutputError(ValueError):
    """The response or completion holds no structured value to parse: no
    output message, no content, or one of the two cases below."""


class RefusalError(OutputError):
    """The model refused to answer; ``refusal`` is its explanation."""

    def __init__(self, refusal: str) -> None:
        super().__init__(f"the model refused: {refusal}")
        self.refusal = refusal


class IncompleteOutputError(OutputError):
    """The output was cut short, so it is not a whole value.

    ``reason`` says why: for a ``Response``, ``incomplete_details.reason``
    (``max_output_tokens``, ``content_filter``) or its status (``failed``,
    ``cancelled``, ``in_progress``...); for a chat choice, its
    ``finish_reason`` (``length``, ``content_filter``).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"the output is incomplete ({reason})")
        self.reason = reason
