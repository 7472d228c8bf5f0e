"""The three reports of ``gtmgen diff``: text (optionally coloured), JSON and Markdown."""

from __future__ import annotations

import difflib
import html
import json
from collections import Counter
from typing import Any

from gtmgen.diff.compare import ADDED, CHANGED, REMOVED, Change, FieldChange
from gtmgen.diff.render import lines, one_line
from gtmgen.display import escape, quote

JSON_FORMAT_VERSION = 1
# Characters that GitHub Markdown would read as markup inside a table cell or <code>.
_MARKDOWN_SPECIAL = frozenset("\\`*_[]|~$")
WHOLE_VALUE_LINES = 30  # a value this short is shown whole, with no @@ hunk headers
_MARK = {ADDED: "+", REMOVED: "-", CHANGED: "~"}
_COLOUR = {ADDED: "32", REMOVED: "31", CHANGED: "33", "@": "36", "bold": "1"}


def counts(changes: list[Change]) -> dict[str, int]:
    tally = Counter(c.change for c in changes)
    return {kind: tally.get(kind, 0) for kind in (ADDED, REMOVED, CHANGED)}


def summary_line(changes: list[Change]) -> str:
    if not changes:
        return "no differences"
    n = counts(changes)
    noun = "entity differs" if len(changes) == 1 else "entities differ"
    return f"{len(changes)} {noun}: {n[ADDED]} added, {n[REMOVED]} removed, {n[CHANGED]} changed"


def field_diff(change: FieldChange, *, arrow: bool = True) -> list[str]:
    """A field's change as lines: ``field: old -> new`` (or, without ``arrow``, a ``-`` and
    a ``+`` line), or a line diff of the values when they span several lines."""
    label = escape(change.field)
    if change.old is None or change.new is None:
        sign, value = ("+", change.new) if change.old is None else ("-", change.old)
        inline = one_line(value)
        if inline is not None:
            return [f"{sign} {label}: {inline}"]
        return [f"{sign} {label}:", *(f"{sign}   {line}" for line in lines(value))]
    old_inline, new_inline = one_line(change.old), one_line(change.new)
    if old_inline is not None and new_inline is not None:
        if not arrow:
            return [f"- {label}: {old_inline}", f"+ {label}: {new_inline}"]
        return [f"{label}: {old_inline} -> {new_inline}"]
    old, new = lines(change.old), lines(change.new)
    whole = max(len(old), len(new)) <= WHOLE_VALUE_LINES
    hunks = difflib.unified_diff(old, new, n=len(old) + len(new) if whole else 3, lineterm="")
    body = [
        line[0] + " " + line[1:] if line[0] in "+- " else line
        for line in list(hunks)[2:]
        if not (whole and line.startswith("@@"))
    ]
    return [f"{label}:", *("  " + line for line in body)]


def text(changes: list[Change], *, old: str, new: str, colour: bool = False) -> str:
    def paint(code: str, line: str) -> str:
        return f"\x1b[{_COLOUR[code]}m{line}\x1b[0m" if colour else line

    out = [paint("bold", f"--- {escape(old)}"), paint("bold", f"+++ {escape(new)}")]
    for change in changes:
        out.append(
            paint(change.change, f"{_MARK[change.change]} {change.kind} {quote(change.name)}")
        )
        if change.change != CHANGED:
            continue
        for field in change.fields:
            for line in field_diff(field):
                code = {"+": ADDED, "-": REMOVED, "@": "@"}.get(line[:1])
                out.append("    " + (paint(code, line) if code else line))
    out.append(summary_line(changes))
    return "\n".join(out) + "\n"


def as_json(changes: list[Change], *, old: str, new: str) -> str:
    """The documented JSON report (docs/version-control.md, ``gtmgen diff``)."""
    document: dict[str, Any] = {
        "format": "gtmgen-diff",
        "version": JSON_FORMAT_VERSION,
        "old": old,
        "new": new,
        "equal": not changes,
        "summary": counts(changes),
        "changes": [
            {
                "kind": c.kind,
                "name": c.name,
                "change": c.change,
                "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields],
            }
            for c in changes
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def markdown(changes: list[Change], *, old: str, new: str) -> str:
    """A report for a pull-request comment."""
    out = [f"### GTM export diff: {_code(old)} → {_code(new)}", "", f"**{summary_line(changes)}**"]
    if not changes:
        return "\n".join(out) + "\n"
    out += ["", "| change | kind | name | fields |", "|---|---|---|---|"]
    for c in changes:
        what = ", ".join(_md(f.field) for f in c.fields) if c.change == CHANGED else ""
        out.append(f"| {c.change} | {c.kind} | {_code(c.name)} | {what} |")
    for c in changes:
        if c.change != CHANGED:
            continue
        body = [line for f in c.fields for line in field_diff(f, arrow=False)]
        fence = "`" * max(3, _longest_backtick_run(body) + 1)
        summary = html.escape(escape(c.name, backslash=False))
        out += [
            "",
            f"<details><summary>changed {c.kind} <code>{summary}</code></summary>",
            "",
            fence + "diff",
            *body,
            fence,
            "",
            "</details>",
        ]
    return "\n".join(out) + "\n"


def _code(text: str) -> str:
    return "<code>" + _md(text) + "</code>"


def _md(text: str) -> str:
    """Text that GitHub Markdown shows literally, also inside a table cell."""
    out = []
    for char in escape(text, backslash=False):
        if char in "&<>":
            out.append(html.escape(char))
        elif char in _MARKDOWN_SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _longest_backtick_run(body: list[str]) -> int:
    longest = 0
    for line in body:
        run = 0
        for char in line:
            run = run + 1 if char == "`" else 0
            longest = max(longest, run)
    return longest
