"""GTM's import rules as far as they are known, and gtmgen's "made by gtmgen" rule.

docs/plan.md gives each rule with its source and how sure it is; the names below are
the ones it cites.
"""

from __future__ import annotations

import re
from typing import Any

from gtmgen.generate import names
from gtmgen.gtm.format import ID_KEYS
from gtmgen.platforms.registry import PLATFORMS

MERGE_OVERWRITE = "merge-overwrite"
MERGE_RENAME = "merge-rename"
OVERWRITE = "overwrite"
MODES = (MERGE_OVERWRITE, MERGE_RENAME, OVERWRITE)
MODE_WORDS = {
    MERGE_OVERWRITE: "Merge, Overwrite conflicting tags, triggers, and variables",
    MERGE_RENAME: "Merge, Rename conflicting tags, triggers, and variables",
    OVERWRITE: "Overwrite",
}

# The kinds an import touches, in the order GTM's confirmation sentence names them
# (R1: matched by name per kind; built-in variables by name too, they have no ID).
KINDS = (
    "tag",
    "trigger",
    "variable",
    "customTemplate",
    "folder",
    "client",
    "transformation",
    "zone",
    "builtInVariable",
)
LABELS = {
    "tag": ("tag", "tags"),
    "trigger": ("trigger", "triggers"),
    "variable": ("variable", "variables"),
    "customTemplate": ("template", "templates"),
    "folder": ("folder", "folders"),
    "client": ("client", "clients"),
    "transformation": ("transformation", "transformations"),
    "zone": ("zone", "zones"),
    "builtInVariable": ("built-in variable", "built-in variables"),
}
ID_KINDS = tuple(k for k in KINDS if k in ID_KEYS)

# R4 (not confirmed): the name merge-rename gives an incoming entity whose name is taken.
RENAME_SUFFIX = "_{n}"

# Built-in trigger IDs have no entity and are the same in every container.
BUILTIN_TRIGGER_MIN = 2147479553

# "Made by gtmgen" (docs/plan.md): the name carries the prefix and the notes the marker;
# a template has no notes, so its ___INFO___ names gtmgen as its brand instead.
NAME_PREFIX = f"{names.PREFIX} - "
TEMPLATE_NAMES = frozenset(name for platform in PLATFORMS for name in platform.templates)
_BRAND = re.compile(r'"brand"\s*:\s*\{[^{}]*"displayName"\s*:\s*"gtmgen"')


def label(kind: str, count: int = 1) -> str:
    singular, plural = LABELS.get(kind, (kind, kind + "s"))
    return singular if count == 1 else plural


def made_by_gtmgen(kind: str, entity: dict[str, Any]) -> bool:
    """Is this entity gtmgen's? A user's entity that merely shares a name is not.

    - templates: one of gtmgen's template names, and ``___INFO___`` brand "gtmgen";
    - folders: the notes hold the marker (the folder is named after the spec);
    - every other kind with notes: the name starts with ``gtmgen - `` and the notes hold
      the marker;
    - built-in variables belong to no one (GTM's own; they are only switched on or off).
    """
    name = entity.get("name")
    if not isinstance(name, str):
        return False
    if kind == "builtInVariable":
        return False
    if kind == "customTemplate":
        data = entity.get("templateData")
        return name in TEMPLATE_NAMES and isinstance(data, str) and bool(_BRAND.search(data))
    notes = entity.get("notes")
    marked = isinstance(notes, str) and names.MARKER in notes
    if kind == "folder":
        return marked
    return marked and name.startswith(NAME_PREFIX)


def renamed(name: str, taken: set[str]) -> str:
    """The name merge-rename is taken to give an incoming entity named like one in the
    target (R4: the suffix is an assumption)."""
    n = 1
    while True:
        candidate = name + RENAME_SUFFIX.format(n=n)
        if candidate not in taken:
            return candidate
        n += 1
