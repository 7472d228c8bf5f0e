"""Is this a container export at all? (If not, the file is invalid input: exit 2.)

Everything later walks ``containerVersion`` and its entity lists; this makes sure they
are there and have the right JSON types, and that nothing is nested deeper than any real
export (so no later step can run out of stack).
"""

from __future__ import annotations

from typing import Any

from gtmgen.gtm.reader import MAX_DEPTH, depth_of, export_shape_issues
from gtmgen.validate.findings import Issue, error

__all__ = ["MAX_DEPTH", "depth_of", "structure_issues", "summary"]


def structure_issues(data: Any, *, check_depth: bool = True) -> list[Issue]:
    """Problems that stop the file from being read as an export at all.

    ``check_depth=False`` skips the depth count, for exports gtmgen built itself (they
    nest a fixed number of levels, far below MAX_DEPTH).
    """
    if check_depth and isinstance(data, dict) and depth_of(data) > MAX_DEPTH:
        return [
            error(
                (),
                f"nested more than {MAX_DEPTH} levels deep; real container "
                "exports nest about a dozen levels",
            )
        ]
    return [error(path, text) for path, text in export_shape_issues(data)]


def summary(data: dict[str, Any]) -> str:
    """``web, 12 tags, 7 triggers, 13 variables, 1 template``."""
    version = data["containerVersion"]
    container = version.get("container")
    contexts = container.get("usageContext") if isinstance(container, dict) else None
    parts = [
        ", ".join(str(c).lower() for c in contexts)
        if isinstance(contexts, list) and contexts
        else "unknown container type"
    ]
    names = {
        "tag": "tag",
        "trigger": "trigger",
        "variable": "variable",
        "builtInVariable": "built-in variable",
        "folder": "folder",
        "customTemplate": "template",
        "client": "client",
        "transformation": "transformation",
        "zone": "zone",
    }
    for key, noun in names.items():
        count = len(version.get(key) or ())
        if count:
            parts.append(f"{count} {noun}{'' if count == 1 else 's'}")
    return ", ".join(parts)
