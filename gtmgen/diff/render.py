"""Readable, stable text for normalised values and exports (``gtmgen textconv``).

The layout is YAML-like: one key per line, nested values indented by two spaces, list
items after ``- ``, strings JSON-quoted, and strings with line breaks written as a
``|`` block with one source line per output line, so that ``git diff`` shows the lines of
a Custom HTML tag or a template that changed. Control, format and line-separator
characters are always escaped.
"""

from __future__ import annotations

import json
import re

from gtmgen.diff.normalize import KIND_ORDER, Entity, Export, Json
from gtmgen.display import escape, quote

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.#-]*")
INLINE_LIST_WIDTH = 100  # a list of scalars up to this width is written on one line
HEADER = (
    "# GTM container export normalised by gtmgen: entities by kind and name; IDs, "
    "fingerprints, paths and export time left out; references by name"
)


def scalar(value: Json) -> str:
    """One line for a string, number, boolean or null."""
    if isinstance(value, str):
        return escape_json(json.dumps(value, ensure_ascii=False))
    return json.dumps(value)


def escape_json(text: str) -> str:
    # json.dumps already escaped backslashes, quotes and C0 controls; only the characters
    # JSON leaves raw (format and separator characters) are left to escape.
    return escape(text, backslash=False)


def lines(value: Json) -> list[str]:
    """The value as lines; a scalar or an empty collection is exactly one line."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return ["|", *("  " + escape(line, backslash=False) for line in value.split("\n"))]
    if isinstance(value, list):
        if not value:
            return ["[]"]
        if all(_is_short_scalar(item) for item in value):
            inline = "[" + ", ".join(scalar(item) for item in value) + "]"
            if len(inline) <= INLINE_LIST_WIDTH:
                return [inline]
        out = []
        for item in value:
            item_lines = lines(item)
            out.append("- " + item_lines[0])
            out += ["  " + line for line in item_lines[1:]]
        return out
    if isinstance(value, dict):
        if not value:
            return ["{}"]
        out = []
        for key in sorted(value):
            out += keyed(key, value[key])
        return out
    return [scalar(value)]


def _is_short_scalar(value: Json) -> bool:
    return not isinstance(value, (list, dict)) and not (
        isinstance(value, str) and ("\n" in value or "\r" in value)
    )


def one_line(value: Json) -> str | None:
    """The value on one line when it is a scalar, an empty collection or a short list of
    scalars; None when it needs a block."""
    if isinstance(value, dict) and value:
        return None
    body = lines(value)
    if len(body) != 1 or body[0] == "|" or body[0].startswith("- "):
        return None
    return body[0]


def keyed(key: str, value: Json) -> list[str]:
    """``key: value`` on one line, or ``key:`` followed by the indented value."""
    label = key if _PLAIN_KEY.fullmatch(key) else scalar(key)
    inline = one_line(value)
    if inline is not None:
        return [f"{label}: {inline}"]
    body = lines(value)
    if body[0] == "|":
        return [f"{label}: |", *body[1:]]
    return [f"{label}:", *("  " + line for line in body)]


def entity_header(entity: Entity) -> str:
    if entity.kind == "container":
        return "container"
    return f"{entity.kind} {quote(entity.name)}"


def entity_lines(entity: Entity) -> list[str]:
    body = dict(entity.body)
    out = [entity_header(entity)]
    for key in sorted(body, key=lambda k: (k not in ("name", "type"), k != "name", k)):
        out += ["  " + line for line in keyed(key, body[key])]
    return out


def textconv(export: Export) -> str:
    """The whole export, entity by entity in report order, ending with a newline."""
    out = [HEADER]

    def rank(entity: Entity) -> tuple[int, str, str]:
        kind = entity.kind
        return (
            KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER),
            kind,
            entity.name,
        )

    for entity in sorted(export.entities.values(), key=rank):
        out.append("")
        out += entity_lines(entity)
    return "\n".join(out) + "\n"
