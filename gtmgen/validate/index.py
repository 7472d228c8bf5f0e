"""One pass over a containerVersion: entities by kind, ID and name, and every parameter.

Only exports that passed structure_issues() get here, so containerVersion and each entity
list exist with the right JSON types; fields inside entities may still be wrong (the
schema reports those), so every field is read defensively.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
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

    @cached_property
    def params(self) -> list[tuple[Path, dict[str, Any]]]:
        """Every parameter of the entity, walked once: several rules read them."""
        return parameters(self.body, self.path)

    @cached_property
    def params_by_type(self) -> dict[str, list[tuple[Path, dict[str, Any]]]]:
        by_type: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
        for where, param in self.params:
            by_type.setdefault(param["type"], []).append((where, param))
        return by_type

    def typed(self, parameter_type: str) -> list[tuple[Path, dict[str, Any]]]:
        """The entity's parameters of one type (``TRIGGER_REFERENCE``, ``MAP``, ...)."""
        return self.params_by_type.get(parameter_type, [])


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


def parameters(node: Any, path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every parameter (typed value) below ``node``, in document order: parameter lists,
    list and map items, conditions' arguments and keyless typed fields such as
    ``waitForTags`` or ``consentSettings.consentType``. ``node`` itself is not included.

    Without recursion (an export's depth is capped, but this needs no stack either way);
    only lists and objects are visited, as only they can hold a parameter.
    """
    found: list[tuple[Path, dict[str, Any]]] = []
    stack: list[tuple[Any, Path, bool]] = [(node, path, False)]
    while stack:
        value, where, is_parameter = stack.pop()
        if is_parameter:
            found.append((where, value))
        children: Iterable[tuple[str | int, Any]]
        if isinstance(value, dict):
            children = reversed(value.items())
        elif isinstance(value, list):
            children = zip(range(len(value) - 1, -1, -1), reversed(value), strict=True)
        else:
            continue
        for key, child in children:  # pushed last to first: popped in document order
            if isinstance(child, dict) and key not in OPAQUE:
                stack.append((child, (*where, key), is_parameter_type(child.get("type"))))
            elif isinstance(child, list) and key not in OPAQUE:
                stack.append((child, (*where, key), False))
    return found
