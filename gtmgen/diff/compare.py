"""Compare two normalised exports entity by entity and field by field."""

from __future__ import annotations

from dataclasses import dataclass

from gtmgen.diff.normalize import KIND_ORDER, Entity, Export, Json, canonical
from gtmgen.display import quote

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    """One field of an entity: ``old`` is None when the field is new, ``new`` when gone."""

    field: str
    old: Json
    new: Json


@dataclass(frozen=True)
class Change:
    kind: str
    name: str
    change: str  # ADDED, REMOVED or CHANGED
    fields: tuple[FieldChange, ...]

    def summary(self) -> str:
        """One short line, e.g. ``changed tag 'X': parameter eventName``."""
        line = f"{self.change} {self.kind} {quote(self.name)}"
        if self.change == CHANGED:
            line += ": " + ", ".join(f.field for f in self.fields)
        return line


def fields(entity: Entity) -> dict[str, Json]:
    """An entity's comparable fields: each parameter is a field of its own."""
    out: dict[str, Json] = {}
    for key, value in entity.body.items():
        if key == "parameter" and isinstance(value, dict):
            for param, param_value in value.items():
                out[f"parameter {param}"] = param_value
        else:
            out[key] = value
    return dict(sorted(out.items(), key=lambda item: _field_rank(item[0])))


def _field_rank(name: str) -> tuple[int, str]:
    if name in ("name", "type"):
        return (0 if name == "name" else 1, name)
    return (2 if name.startswith("parameter ") else 3, name)


def diff_exports(old: Export, new: Export) -> list[Change]:
    """Every entity added, removed or changed from ``old`` to ``new``, in report order."""
    changes: list[Change] = []
    for key in sorted(old.entities.keys() | new.entities.keys(), key=_entity_rank):
        before, after = old.entities.get(key), new.entities.get(key)
        if before is None and after is not None:
            changes.append(
                Change(
                    after.kind,
                    after.name,
                    ADDED,
                    tuple(FieldChange(f, None, v) for f, v in fields(after).items()),
                )
            )
        elif after is None and before is not None:
            changes.append(
                Change(
                    before.kind,
                    before.name,
                    REMOVED,
                    tuple(FieldChange(f, v, None) for f, v in fields(before).items()),
                )
            )
        elif before is not None and after is not None:
            changed = _changed_fields(fields(before), fields(after))
            if changed:
                changes.append(Change(after.kind, after.name, CHANGED, changed))
    return changes


def _changed_fields(old: dict[str, Json], new: dict[str, Json]) -> tuple[FieldChange, ...]:
    names = sorted(old.keys() | new.keys(), key=_field_rank)
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if name not in old or name not in new or canonical(old[name]) != canonical(new[name])
    )


def _entity_rank(key: tuple[str, str]) -> tuple[int, str, str]:
    kind, name = key
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    return (rank, kind, name)
