"""Semantic diff of GTM container exports: entities matched by kind and name, references
by name, volatile fields (IDs, fingerprints, export time, paths, URLs) ignored."""

from __future__ import annotations

from gtmgen.diff.compare import ADDED, CHANGED, REMOVED, Change, FieldChange, diff_exports
from gtmgen.diff.normalize import Export, parse_export, read_export
from gtmgen.errors import GtmgenError

__all__ = [
    "ADDED",
    "CHANGED",
    "REMOVED",
    "Change",
    "Export",
    "FieldChange",
    "diff_exports",
    "diff_texts",
    "parse_export",
    "read_export",
]


def diff_texts(old_text: str, new_text: str) -> list[str]:
    """One short line per entity that differs, e.g.
    ``changed tag 'gtmgen - TikTok - purchase': parameter eventName``; empty when the two
    exports are the same but for volatile fields and layout."""
    try:
        old = parse_export(old_text, file="old")
        new = parse_export(new_text, file="new")
    except GtmgenError as exc:
        return [f"cannot compare entities: {exc.problems[0]}"]
    return [change.summary() for change in diff_exports(old, new)]
