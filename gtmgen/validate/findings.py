"""What a check reports: an issue at a path in the export, turned into a located Problem."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from gtmgen.errors import Problem
from gtmgen.gtm.format import ID_KEYS, LABELS

Path = tuple[str | int, ...]

# Repeated identical messages beyond this many are folded into one line.
REPEAT_LIMIT = 3


class Severity(str, Enum):
    ERROR = "error"  # GTM refuses the import, or the imported container is broken
    WARNING = "warning"  # imports, but probably not what the author meant


@dataclass(frozen=True)
class Diagnostic(Problem):
    """A Problem with a severity. ``message`` already holds the path and entity."""

    severity: Severity = Severity.ERROR
    repeats: int = 1  # a folded line stands for this many findings


@dataclass(frozen=True)
class Issue:
    """One finding before it is placed in a file: where in the export, and what."""

    path: Path
    text: str
    severity: Severity = Severity.ERROR


def error(path: Path, text: str) -> Issue:
    return Issue(path, text, Severity.ERROR)


def warning(path: Path, text: str) -> Issue:
    return Issue(path, text, Severity.WARNING)


def format_path(path: Sequence[str | int]) -> str:
    """``("containerVersion", "tag", 3, "name")`` -> ``containerVersion.tag[3].name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def entity_label(data: Any, path: Sequence[str | int]) -> str | None:
    """``tag 'GA4 - purchase'`` for a path inside a containerVersion entity."""
    if len(path) < 3 or path[0] != "containerVersion" or not isinstance(path[2], int):
        return None
    kind, index = path[1], path[2]
    if not isinstance(kind, str) or kind not in LABELS:
        return None
    try:
        entity = data["containerVersion"][kind][index]
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(entity, dict):
        return None
    name = entity.get("name")
    if isinstance(name, str) and name:
        return f"{LABELS[kind]} {name!r}"
    id_key = ID_KEYS.get(kind)
    ident = entity.get(id_key) if id_key else None
    return f"{LABELS[kind]} with {id_key} {ident!r}" if ident is not None else f"{LABELS[kind]}"


def place(issue: Issue, data: Any, file: str, repeats: int = 1) -> Diagnostic:
    where = format_path(issue.path)
    label = entity_label(data, issue.path)
    if label:
        where = f"{where} ({label})" if where else label
    text = issue.text if issue.severity is Severity.ERROR else f"warning: {issue.text}"
    message = f"{where}: {text}" if where else text
    return Diagnostic(file=file, message=message, severity=issue.severity, repeats=repeats)


def place_all(
    issues: Iterable[Issue], data: Any, file: str, *, fold: bool = True
) -> list[Diagnostic]:
    """Locate every issue; identical texts past REPEAT_LIMIT fold into one line."""
    if not fold:
        return [place(issue, data, file) for issue in dict.fromkeys(issues)]
    seen: dict[tuple[Severity, str], int] = {}
    out: list[Diagnostic] = []
    for issue in dict.fromkeys(issues):  # one rule can reach a spot twice
        key = (issue.severity, issue.text)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= REPEAT_LIMIT:
            out.append(place(issue, data, file))
    for (severity, text), count in seen.items():
        if count > REPEAT_LIMIT:
            more = count - REPEAT_LIMIT
            folded = f"{text} (and {more} more place{'s' if more > 1 else ''} like this)"
            out.append(place(Issue((), folded, severity), data, file, repeats=more))
    return out
