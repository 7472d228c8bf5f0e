"""One pass over a containerVersion: entities by kind, ID and name, and every parameter.

Only exports that passed structure_issues() get here, so containerVersion and each entity
list exist with the right JSON types; fields inside entities may still be wrong (the
schema reports those), so every field is read defensively.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gtmgen.validate.findings import ID_KEY, Path

PARAMETER_TYPES = frozenset({
    "TEMPLATE", "INTEGER", "BOOLEAN", "LIST", "MAP", "TRIGGER_REFERENCE", "TAG_REFERENCE",
})
OPAQUE = frozenset({"templateData"})  # template text is not GTM parameter syntax


def is_parameter_type(value: Any) -> bool:
    return isinstance(value, str) and value in PARAMETER_TYPES


def text(entity: dict[str, Any], key: str) -> str | None:
    value = entity.get(key)
    return value if isinstance(value, str) else None


def strings(entity: dict[str, Any], key: str) -> list[tuple[int, str]]:
    """(index, value) of the string items of a list field; anything else is skipped."""
    value = entity.get(key)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]


@dataclass
class Entity:
    kind: str
    index: int
    body: dict[str, Any]

    @property
    def path(self) -> Path:
        return ("containerVersion", self.kind, self.index)

    @property
    def ident(self) -> str | None:
        return text(self.body, ID_KEY[self.kind]) if self.kind in ID_KEY else None

    @property
    def name(self) -> str | None:
        return text(self.body, "name")


@dataclass
class Index:
    version: dict[str, Any]
    context: str | None = None  # WEB, SERVER, AMP, ... (first usageContext)
    container_id: str | None = None
    by_kind: dict[str, list[Entity]] = field(default_factory=dict)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Index:
        version = data["containerVersion"]
        index = cls(version)
        container = version.get("container")
        if isinstance(container, dict):
            contexts = container.get("usageContext")
            if isinstance(contexts, list) and contexts and isinstance(contexts[0], str):
                index.context = contexts[0]
            index.container_id = text(container, "containerId")
        index.container_id = index.container_id or text(version, "containerId")
        for kind, items in version.items():
            if isinstance(items, list) and (kind in ID_KEY or kind == "builtInVariable"):
                index.by_kind[kind] = [Entity(kind, i, e) for i, e in enumerate(items)
                                       if isinstance(e, dict)]
        return index

    def entities(self, *kinds: str) -> Iterator[Entity]:
        for kind in kinds:
            yield from self.by_kind.get(kind, ())

    def ids(self, kind: str) -> set[str]:
        return {e.ident for e in self.entities(kind) if e.ident}

    def names(self, kind: str) -> set[str]:
        return {e.name for e in self.entities(kind) if e.name}


def parameters(node: Any, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every parameter (typed value) below ``node``: parameter lists, list and map items,
    conditions' arguments and keyless typed fields such as ``waitForTags`` or
    ``consentSettings.consentType``. ``node`` itself is not yielded."""
    stack: list[tuple[Any, Path, bool]] = [(node, path, False)]
    while stack:
        value, where, is_parameter = stack.pop()
        if is_parameter:
            yield where, value
        if isinstance(value, dict):
            children = [(k, v) for k, v in value.items() if k not in OPAQUE]
        elif isinstance(value, list):
            children = list(enumerate(value))
        else:
            continue
        for key, child in reversed(children):
            typed = isinstance(child, dict) and is_parameter_type(child.get("type"))
            stack.append((child, (*where, key), typed))
