"""One pass over a containerVersion: entities by kind, ID and name, and every parameter.

Only exports that passed structure_issues() get here, so containerVersion and each entity
list exist with the right JSON types; fields inside entities may still be wrong (the
schema reports those), so every field is read defensively.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat
from typing import Any

from gtmgen.validate.findings import ID_KEY, Path

PARAMETER_TYPES = frozenset({
    "TEMPLATE", "INTEGER", "BOOLEAN", "LIST", "MAP", "TRIGGER_REFERENCE", "TAG_REFERENCE",
})
OPAQUE = frozenset({"templateData"})  # template text is not GTM parameter syntax
_CONTAINERS = repeat((dict, list))  # isinstance's second argument, for map()
# Where a parameter is: (parent's Where, key or index), or (None, the entity's path) at
# the top; a chain of pairs, so the walk builds no path tuple for every node.
Where = tuple[Any, Any]


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
    def params(self) -> list[tuple[Where, dict[str, Any]]]:
        """Every parameter of the entity, walked once: several rules read them."""
        return parameters(self.body, self.path)

    @cached_property
    def params_by_type(self) -> dict[str, list[tuple[Where, dict[str, Any]]]]:
        by_type: dict[str, list[tuple[Where, dict[str, Any]]]] = {}
        for found in self.params:
            by_type.setdefault(found[1]["type"], []).append(found)
        return by_type

    def typed(self, parameter_type: str) -> list[tuple[Where, dict[str, Any]]]:
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


def parameters(node: Any, path: Path) -> list[tuple[Where, dict[str, Any]]]:
    """Every parameter (typed value) below ``node``, in document order: parameter lists,
    list and map items, conditions' arguments and keyless typed fields such as
    ``waitForTags`` or ``consentSettings.consentType``. ``node`` itself is not included.

    Each parameter comes with a ``Where`` link, which ``path_of`` makes a path only for
    the few parameters that are reported.
    """
    found: list[tuple[Where, dict[str, Any]]] = []
    if isinstance(node, (dict, list)):
        _collect(node, (None, path), found.append)
    return found


def _collect(value: dict[str, Any] | list[Any], where: Where,
             report: Callable[[tuple[Where, dict[str, Any]]], None]) -> None:
    """Report the parameters below ``value``, in document order.

    Only lists and objects can hold a parameter: a node's scalars are passed over in C
    (``compress``), and a node holding only scalars (most parameters) is not entered.
    Recursive, but no deeper than the export: structure_issues caps that at 64 levels
    (gtmgen's own exports, validated without that count, nest 11).
    """
    keys: Iterable[str | int]
    values: Iterable[Any]
    if isinstance(value, dict):
        keys, values = value.keys(), value.values()
    else:
        keys, values = range(len(value)), value
    containers = map(isinstance, values, _CONTAINERS)
    for key, child in compress(zip(keys, values, strict=True), containers):
        if key in OPAQUE:
            continue
        link = (where, key)
        if isinstance(child, dict):
            kind = child.get("type")
            if isinstance(kind, str) and kind in PARAMETER_TYPES:
                report((link, child))
            if any(map(isinstance, child.values(), _CONTAINERS)):
                _collect(child, link, report)
        elif any(map(isinstance, child, _CONTAINERS)):
            _collect(child, link, report)


def path_of(where: Where) -> Path:
    """The path of a ``Where`` link from ``parameters``."""
    keys: list[str | int] = []
    while where[0] is not None:
        where, key = where
        keys.append(key)
    return (*where[1], *reversed(keys))
