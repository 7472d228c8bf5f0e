"""Is this a container export at all? (If not, the file is invalid input: exit 2.)

Everything later walks ``containerVersion`` and its entity lists; this makes sure they
are there and have the right JSON types, and that nothing is nested deeper than any real
export (so no later step can run out of stack).
"""

from __future__ import annotations

from typing import Any

from gtmgen.gtm.format import COLLECTIONS
from gtmgen.validate.findings import Issue, error

MAX_DEPTH = 64  # real exports nest 11 levels at most (54-file corpus)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def depth_of(data: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of ``data`` (stops counting past ``limit``), without recursion.

    A scalar is 1 deep, ``{"a": 1}`` 2. One level at a time: the values of a level are
    gathered by C code (``extend``), and only lists and objects go on to the next.
    """
    level, depth = [data], 1
    while True:
        below: list[Any] = []
        for value in level:
            if isinstance(value, dict):
                below.extend(value.values())
            elif isinstance(value, list):
                below.extend(value)
        if not below:
            return depth
        depth += 1
        if depth > limit:
            return depth
        level = [v for v in below if isinstance(v, (dict, list))]


def structure_issues(data: Any, *, check_depth: bool = True) -> list[Issue]:
    """Problems that stop the file from being read as an export at all.

    ``check_depth=False`` skips the depth count, for exports gtmgen built itself (they
    nest a fixed number of levels, far below MAX_DEPTH).
    """
    if not isinstance(data, dict):
        return [error((), f"the file holds {_json_type(data)}, not a GTM container export "
                          "(a JSON object with exportFormatVersion and containerVersion)")]
    if check_depth and depth_of(data) > MAX_DEPTH:
        return [error((), f"nested more than {MAX_DEPTH} levels deep; real container "
                          "exports nest about a dozen levels")]
    version = data.get("containerVersion")
    if not isinstance(version, dict):
        found = "missing" if "containerVersion" not in data else f"{_json_type(version)}"
        return [error(("containerVersion",),
                      f"is {found}; a container export keeps everything in this object")]
    issues: list[Issue] = []
    container = version.get("container")
    if "container" in version and not isinstance(container, dict):
        issues.append(error(("containerVersion", "container"),
                            f"is {_json_type(container)}, not an object"))
    for key in COLLECTIONS:
        if key not in version:
            continue
        items = version[key]
        if not isinstance(items, list):
            hint = "; GTM omits empty collections" if items is None else ""
            issues.append(error(("containerVersion", key),
                                f"is {_json_type(items)}, not a list{hint}"))
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                issues.append(error(("containerVersion", key, index),
                                    f"is {_json_type(item)}, not an object"))
    return issues


def summary(data: dict[str, Any]) -> str:
    """``web, 12 tags, 7 triggers, 13 variables, 1 template``."""
    version = data["containerVersion"]
    container = version.get("container")
    contexts = container.get("usageContext") if isinstance(container, dict) else None
    parts = [", ".join(str(c).lower() for c in contexts) if isinstance(contexts, list)
             and contexts else "unknown container type"]
    names = {"tag": "tag", "trigger": "trigger", "variable": "variable",
             "builtInVariable": "built-in variable", "folder": "folder",
             "customTemplate": "template", "client": "client",
             "transformation": "transformation", "zone": "zone"}
    for key, noun in names.items():
        count = len(version.get(key) or ())
        if count:
            parts.append(f"{count} {noun}{'' if count == 1 else 's'}")
    return ", ".join(parts)
