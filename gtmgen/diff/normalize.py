"""Read a GTM container export and normalise it for comparison.

The normal form keys every entity by (kind, name), never by ID; shows references
(firing and blocking triggers, folder, ``cvt_`` template types) by name; drops the fields
that change on every export or between containers (IDs, fingerprints, paths, URLs,
account and container IDs, exportTime); and turns GTM's parameter lists into mappings by
key. Lists whose order GTM ignores (trigger references, built-in variables) are sorted;
every other list (settings table rows, conditions, LIST parameters) keeps its order.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmgen.errors import InputError
from gtmgen.gtm import reader
from gtmgen.gtm.format import BUILTIN_TRIGGERS, COLLECTIONS, ID_KEYS, custom_type
from gtmgen.gtm.secrets import masked_tree

Json = Any

# Collections of containerVersion, in the order entities are reported.
KIND_ORDER = ("container", *COLLECTIONS)
VOLATILE = frozenset(
    {
        "accountId",
        "containerId",
        "fingerprint",
        "path",
        "tagManagerUrl",
        "workspaceId",
    }
)
# containerVersion keys that are not collections of entities.
VERSION_KEYS = frozenset(
    {
        "path",
        "accountId",
        "containerId",
        "containerVersionId",
        "name",
        "description",
        "container",
        "fingerprint",
        "tagManagerUrl",
        "workspaceId",
        "deleted",
    }
)
CONTAINER_SETS = frozenset({"usageContext", "tagIds", "taggingServerUrls", "domainName"})
_PARAM_KEYS = frozenset({"type", "key", "value", "list", "map", "isWeakReference"})
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


@dataclass(frozen=True)
class Entity:
    kind: str
    name: str
    body: dict[str, Json]


@dataclass
class Export:
    """One export in normal form: entities by (kind, name)."""

    file: str
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_export(path: Path) -> Export:
    """Read and normalise an export file; InputError (exit 2) when it is not one."""
    loaded = reader.read_export(path)
    export = normalise(loaded.data, file=str(path))
    export.warnings[:0] = [
        f"{note.file}: {note.message.removeprefix('warning: ')}" for note in loaded.notes
    ]
    return export


def parse_export(text: str, *, file: str) -> Export:
    """An export from its text, under the reader's JSON policy (gtmgen.gtm.reader)."""
    return normalise(reader.parse_json(text, file=file), file=file)


def normalise(data: Json, *, file: str) -> Export:
    """The normal form of parsed JSON; InputError (exit 2) when it is not an export."""
    version = reader.require_export(data, file=file)["containerVersion"]
    try:
        return _normalise(version, file)
    except RecursionError:  # the reader caps depth; a last line of defence
        raise InputError("not a GTM container export: nested too deeply", file=file) from None


def _normalise(version: dict[str, Json], file: str) -> Export:
    export = Export(file)
    collections: dict[str, list[dict[str, Json]]] = {}
    other: dict[str, Json] = {}  # fields GTM does not define that hold no entities
    for key, value in version.items():
        if key in VERSION_KEYS:
            continue
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            other[key] = value  # validate warns about them; compared as they are
            continue
        collections[key] = value
    refs = _References(collections)
    container = version.get("container")
    if isinstance(container, dict):  # reader.require_export refused any other value
        name = container.get("name")
        export.entities[("container", "")] = Entity(
            "container", name if isinstance(name, str) else "", _container(container)
        )
    for kind, items in collections.items():
        seen: dict[str, int] = {}
        for raw in items:
            name = _entity_name(kind, raw)
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                export.warnings.append(
                    f"{file}: {seen[name]} {kind}s named {name!r}; they are compared in file order"
                )
                name = f"{name} (#{seen[name]})"
            export.entities[(kind, name)] = Entity(kind, name, _entity(kind, raw, refs))
    if other:
        export.entities[("containerVersion", "")] = Entity(
            "containerVersion", "", {k: _value(v, None) for k, v in other.items()}
        )
    return export


def _entity_name(kind: str, raw: dict[str, Json]) -> str:
    name = raw.get("name")
    if isinstance(name, str):
        return name
    return f"(unnamed {kind} {raw.get(ID_KEYS.get(kind, ''), '?')})"


class _References:
    """ID -> name lookups for one export."""

    def __init__(self, collections: dict[str, list[dict[str, Json]]]) -> None:
        def names(kind: str) -> dict[str, str]:
            key = ID_KEYS[kind]
            return {
                str(e[key]): _entity_name(kind, e)
                for e in collections.get(kind, [])
                if isinstance(e.get(key), (str, int))
            }

        self.triggers = names("trigger")
        self.folders = names("folder")
        self.templates = names("customTemplate")
        self.gallery: dict[str, list[tuple[bool, str]]] = {}
        for template in collections.get("customTemplate", []):
            reference = template.get("galleryReference")
            if isinstance(reference, dict) and isinstance(reference.get("galleryTemplateId"), str):
                self.gallery.setdefault(reference["galleryTemplateId"], []).append(
                    (reference.get("isModified") is True, _entity_name("customTemplate", template))
                )

    def trigger(self, value: Json) -> Json:
        if not isinstance(value, (str, int)):
            return _value(value, self)
        key = str(value)
        if key in self.triggers:
            return self.triggers[key]
        builtin = BUILTIN_TRIGGERS.get(key)
        return f"{builtin.name} (built-in)" if builtin else f"trigger ID {key} (not in this export)"

    def folder(self, value: Json) -> Json:
        if isinstance(value, (str, int)) and str(value) in self.folders:
            return self.folders[str(value)]
        return f"folder ID {value} (not in this export)"

    def entity_type(self, value: str) -> str:
        """``cvt_<containerId>_<templateId>`` or ``cvt_<galleryTemplateId>`` by template name."""
        parsed = custom_type(value)
        if parsed is None:
            return value
        if parsed.template_id is not None:
            name = self.templates.get(parsed.template_id)
        else:
            candidates = self.gallery.get(parsed.code or "", [])
            unmodified = [n for modified, n in candidates if not modified]
            pick = unmodified if unmodified else [n for _, n in candidates]
            name = pick[0] if len(pick) == 1 else None
        return value if name is None else f"custom template: {name}"


def _container(raw: dict[str, Json]) -> dict[str, Json]:
    out: dict[str, Json] = {}
    for key, value in raw.items():
        if key in VOLATILE:
            continue
        if key in CONTAINER_SETS and isinstance(value, list):
            out[key] = sorted(_value(value, None), key=_canonical)
        else:
            out[key] = _value(value, None)
    return out


def _entity(kind: str, raw: dict[str, Json], refs: _References) -> dict[str, Json]:
    out: dict[str, Json] = {}
    id_key = ID_KEYS.get(kind)
    for key, value in raw.items():
        if key in VOLATILE or key == id_key or key == "name":
            continue
        if key in ("firingTriggerId", "blockingTriggerId"):
            items = value if isinstance(value, list) else [value]
            label = "firingTriggers" if key == "firingTriggerId" else "blockingTriggers"
            out[label] = sorted(
                {_canonical(refs.trigger(v)): refs.trigger(v) for v in items}.values(),
                key=_canonical,
            )
        elif key == "parentFolderId":
            out["folder"] = refs.folder(value)
        elif key == "type" and isinstance(value, str):
            out["type"] = refs.entity_type(value)
        elif key == "parameter" and isinstance(value, list):
            owner = raw.get("name") if kind == "variable" and raw.get("type") == "c" else None
            out["parameter"] = masked_tree(
                _params(value, refs), *([owner] if isinstance(owner, str) else [])
            )
        else:
            out[key] = _value(value, refs)
    return out


def _value(value: Json, refs: _References | None) -> Json:
    """Normalise any JSON value found in an entity."""
    if isinstance(value, list):
        return [_value(item, refs) for item in value]
    if not isinstance(value, dict):
        return value
    if _is_param(value):
        return _param(value, refs)
    return {
        k: (_params(v, refs) if k == "parameter" and isinstance(v, list) else _value(v, refs))
        for k, v in value.items()
    }


def _is_param(value: dict[str, Json]) -> bool:
    return isinstance(value.get("type"), str) and set(value) <= _PARAM_KEYS


def _params(items: list[Json], refs: _References | None) -> dict[str, Json]:
    """A parameter list as a mapping by key (a key seen twice gets ``#2``, ``#3``...)."""
    out: dict[str, Json] = {}
    for index, item in enumerate(items):
        key = item.get("key") if isinstance(item, dict) else None
        name = key if isinstance(key, str) else f"#{index}"
        unique, count = name, 1
        while unique in out:
            count += 1
            unique = f"{name}#{count}"
        out[unique] = (
            _param(item, refs) if isinstance(item, dict) and _is_param(item) else _value(item, refs)
        )
    return out


def _param(param: dict[str, Json], refs: _References | None) -> Json:
    """TEMPLATE -> str, BOOLEAN -> bool, INTEGER -> int, LIST -> list, MAP -> mapping;
    anything else keeps its type: ``{"type": ..., "value": ...}``."""
    kind = param["type"]
    extra = set(param) - {"type", "key", "value"}
    value = param.get("value")
    if kind == "LIST" and extra <= {"list"}:
        items = param.get("list", [])
        if isinstance(items, list):
            return [
                _param(i, refs) if isinstance(i, dict) and _is_param(i) else _value(i, refs)
                for i in items
            ]
    if kind == "MAP" and extra <= {"map"} and "value" not in param:
        items = param.get("map", [])
        if isinstance(items, list):
            return _params(items, refs)
    if not extra and isinstance(value, str):
        if kind == "TEMPLATE":
            return value
        if kind == "BOOLEAN" and value in ("true", "false"):
            return value == "true"
        if kind == "INTEGER" and _INTEGER.fullmatch(value):
            return int(value)
        if kind == "TRIGGER_REFERENCE" and refs is not None:
            return {"type": kind, "value": refs.trigger(value)}
    return {k: _value(v, refs) for k, v in param.items() if k != "key"}


def _canonical(value: Json) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def canonical(value: Json) -> str:
    """A text that is equal for two values exactly when GTM sees them as equal here
    (``True`` and ``1`` differ, mapping order does not)."""
    return _canonical(value)
