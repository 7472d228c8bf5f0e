"""One pass over a containerVersion: entities by kind, ID and name, and every parameter.

Only exports that passed structure_issues() get here, so containerVersion and each entity
list exist with the right JSON types; fields inside entities may still be wrong (the
schema reports those), so every field is read defensively.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat
from typing import Any

from gtmgen.gtm.format import ID_KEYS
from gtmgen.validate.findings import Path

PARAMETER_TYPES = frozenset(
    {
        "TEMPLATE",
        "INTEGER",
        "BOOLEAN",
        "LIST",
        "MAP",
        "TRIGGER_REFERENCE",
        "TAG_REFERENCE",
    }
)
OPAQUE = frozenset({"templateData"})  # template text is not GTM parameter syntax
_CONTAINERS = repeat((dict, list))  # isinstance's second argument, for map()


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
        return text(self.body, ID_KEYS[self.kind]) if self.kind in ID_KEYS else None

    @property
    def name(self) -> str | None:
        return text(self.body, "name")

    @cached_property
    def params(self) -> list[dict[str, Any]]:
        """Every parameter of the entity, walked once: several rules read them."""
        return parameters(self.body)

    @cached_property
    def params_by_type(self) -> dict[str, list[dict[str, Any]]]:
        by_type: dict[str, list[dict[str, Any]]] = {}
        for param in self.params:
            by_type.setdefault(param["type"], []).append(param)
        return by_type

    def typed(self, parameter_type: str) -> list[dict[str, Any]]:
        """The entity's parameters of one type (``TRIGGER_REFERENCE``, ``MAP``, ...)."""
        return self.params_by_type.get(parameter_type, [])

    def path_to(self, param: dict[str, Any]) -> Path:
        """The path of one of the entity's parameters, found when a rule reports it."""
        found = _find(self.body, param)
        if found is None:
            raise ValueError("not a parameter of this entity")
        return (*self.path, *reversed(found))


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
            if isinstance(items, list) and (kind in ID_KEYS or kind == "builtInVariable"):
                index.by_kind[kind] = [
                    Entity(kind, i, e) for i, e in enumerate(items) if isinstance(e, dict)
                ]
        return index

    def entities(self, *kinds: str) -> Iterator[Entity]:
        for kind in kinds:
            yield from self.by_kind.get(kind, ())

    def ids(self, kind: str) -> set[str]:
        return {e.ident for e in self.entities(kind) if e.ident}

    def names(self, kind: str) -> set[str]:
        return {e.name for e in self.entities(kind) if e.name}


def parameters(node: Any) -> list[dict[str, Any]]:
    """Every parameter (typed value) below ``node``, in document order: parameter lists,
    list and map items, conditions' arguments and keyless typed fields such as
    ``waitForTags`` or ``consentSettings.consentType``. ``node`` itself is not included.

    Parameters come without their paths: a rule asks ``Entity.path_to`` for the path of
    the few it reports. (Keeping a path, or a link to the parent, for each node doubled
    the walk's time, mostly in allocating and garbage-collecting the links.)
    """
    found: list[dict[str, Any]] = []
    if isinstance(node, (dict, list)):
        _collect(node, found)
    return found


def _collect(value: dict[str, Any] | list[Any], found: list[dict[str, Any]]) -> None:
    """Add the parameters below ``value`` to ``found``, in document order.

    Only lists and objects can hold a parameter: a node's scalars are passed over in C
    (``compress``), and a node holding only scalars (most parameters) is not entered.
    Recursive, but no deeper than the export: structure_issues caps that at 64 levels
    (gtmgen's own exports, validated without that count, nest 11).
    """
    children: Iterable[Any] = value
    if isinstance(value, dict):
        children = value.values()
        if not OPAQUE.isdisjoint(value):
            children = [child for key, child in value.items() if key not in OPAQUE]
    for child in compress(children, map(isinstance, children, _CONTAINERS)):
        if isinstance(child, dict):
            kind = child.get("type")
            if isinstance(kind, str) and kind in PARAMETER_TYPES:
                found.append(child)
            if any(map(isinstance, child.values(), _CONTAINERS)):
                _collect(child, found)
        elif any(map(isinstance, child, _CONTAINERS)):
            _collect(child, found)


def _find(node: Any, target: dict[str, Any]) -> list[str | int] | None:
    """The keys from ``node`` down to ``target`` (the same object), innermost first."""
    items: Iterable[tuple[str | int, Any]]
    if isinstance(node, dict):
        items = ((k, v) for k, v in node.items() if k not in OPAQUE)
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for key, child in items:
        if child is target:
            return [key]
        found = _find(child, target)
        if found is not None:
            found.append(key)
            return found
    return None
