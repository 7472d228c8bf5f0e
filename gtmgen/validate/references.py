"""Reference rules GTM applies to a container: unique IDs and names, and every reference
(trigger IDs, folder, setup/teardown tag, tag and trigger parameters, ``{{Variable}}``)
pointing at something the container has."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from gtmgen.gtm.format import (
    ALWAYS_KNOWN_VARIABLES,
    BUILTIN_TRIGGERS,
    BUILTIN_VARIABLE_NAMES,
    ID_KEYS,
    LABELS,
)
from gtmgen.validate.findings import Issue, error, format_path, warning
from gtmgen.validate.index import Entity, Index, strings, text

VARIABLE_REF = re.compile(r"\{\{([^{}]+)\}\}")
TEXT_VARIABLE_REF = re.compile(rb"\{\{([^{}]+)\}\}")  # the same, in an export's JSON text
TRIGGER_FIELDS = {
    "tag": ("firingTriggerId", "blockingTriggerId"),
    "variable": ("enablingTriggerId", "disablingTriggerId"),
}
CONDITION_LISTS = ("filter", "customEventFilter", "autoEventFilter")
REFERRING = ("tag", "trigger", "variable", "client", "transformation", "zone", "gtagConfig")


def reference_issues(index: Index, *, built_json: bytes | None = None) -> list[Issue]:
    """Every reference rule; ``built_json`` spares the walk over every parameter.

    ``built_json`` is the compact JSON text of an export gtmgen has just built. The rules
    that read every parameter then run only when that text holds what they look for: a
    ``TRIGGER_REFERENCE`` or ``TAG_REFERENCE`` parameter, or a ``{{name}}`` anywhere that
    is not a variable of the export (a regular expression over the text, in C); with
    nothing there, they would find nothing. Duplicate keys inside MAP parameters are not
    looked for: gtmgen writes every MAP as a row of two fixed, distinct keys
    (gtm.params.table). ``gtmgen validate`` and the tests run every rule in full.
    """
    trigger_refs = tag_refs = variables = True
    if built_json is not None:
        trigger_refs = b'"TRIGGER_REFERENCE"' in built_json
        tag_refs = b'"TAG_REFERENCE"' in built_json
        variables = not _all_known(index, built_json)
    issues = [
        *_unique(index),
        *_folders(index),
        *_trigger_ids(index, trigger_refs),
        *_tag_names(index, tag_refs),
        *(_variables(index) if variables else ()),
        *_parameter_shapes(index, maps=built_json is None),
    ]
    if index.context not in (None, "SERVER"):
        for entity in index.entities("client", "transformation"):
            issues.append(
                error(
                    entity.path,
                    f"{LABELS[entity.kind]}s exist only in server "
                    f"containers; this one is {index.context}",
                )
            )
    return issues


def _unique(index: Index) -> Iterator[Issue]:
    """IDs are unique per kind (old exports reuse numbers across kinds), names too."""
    for kind, id_key in ID_KEYS.items():
        first_id: dict[str, Entity] = {}
        first_name: dict[str, Entity] = {}
        for entity in index.entities(kind):
            ident, name = entity.ident, entity.name
            if ident and ident.isdigit():
                if ident in first_id:
                    yield error(
                        entity.path,
                        f"{id_key} {ident!r} is also the ID of {_describe(first_id[ident])}",
                    )
                first_id.setdefault(ident, entity)
            if name:
                if name in first_name:
                    report = warning if kind == "folder" else error
                    yield report(
                        entity.path, f"the name is also used by {_describe(first_name[name])}"
                    )
                first_name.setdefault(name, entity)
    listed: set[str] = set()
    for entity in index.entities("builtInVariable"):
        builtin = text(entity.body, "type")
        if builtin and builtin in listed:
            yield warning(entity.path, f"built-in variable {builtin} is listed twice")
        listed.add(builtin or "")
    overlap = index.names("variable") & index.names("builtInVariable")
    for entity in index.entities("variable"):
        if entity.name in overlap:
            yield error(
                entity.path,
                f"a built-in variable has the same name, so {{{{{entity.name}}}}} is ambiguous",
            )


def _describe(entity: Entity) -> str:
    name = f" {entity.name!r}" if entity.name else ""
    return f"{LABELS[entity.kind]}{name} ({format_path(entity.path)})"


def _folders(index: Index) -> Iterator[Issue]:
    folders = index.ids("folder")
    for entity in index.entities(*ID_KEYS):
        folder = text(entity.body, "parentFolderId")
        if folder is not None and folder not in folders:
            yield error((*entity.path, "parentFolderId"), f"folder {folder!r} does not exist")


def _all_known(index: Index, text: bytes) -> bool:
    """Whether every ``{{name}}`` anywhere in an export's JSON text names a variable of
    the export (or ``_event``): if so, no parameter value holds an unknown one."""
    known = _known_variables(index)
    for raw in set(TEXT_VARIABLE_REF.findall(text)):
        try:
            name = json.loads(b'"' + raw + b'"')  # as it is written inside a JSON string
        except ValueError:  # not inside one string: let the exact rule decide
            return False
        if name not in known:
            return False
    return True


def _known_variables(index: Index) -> set[str]:
    return index.names("variable") | index.names("builtInVariable") | ALWAYS_KNOWN_VARIABLES


def _trigger_ids(index: Index, parameters: bool = True) -> Iterator[Issue]:
    triggers = index.ids("trigger")
    setup_or_teardown = set()
    for tag in index.entities("tag"):
        for key in ("setupTag", "teardownTag"):
            for item in tag.body.get(key) or ():
                if isinstance(item, dict) and isinstance(item.get("tagName"), str):
                    setup_or_teardown.add(item["tagName"])
    for kind, keys in TRIGGER_FIELDS.items():
        for entity in index.entities(kind):
            for key in keys:
                for i, trigger in strings(entity.body, key):
                    yield from _trigger(index, triggers, (*entity.path, key, i), trigger)
            if (
                kind == "tag"
                and not entity.body.get("firingTriggerId")
                and entity.name not in setup_or_teardown
            ):
                yield warning(entity.path, "has no firing trigger, so it never fires")
    for zone in index.entities("zone"):
        boundary = zone.body.get("boundary")
        if isinstance(boundary, dict):
            for i, trigger in strings(boundary, "customEvaluationTriggerId"):
                path = (*zone.path, "boundary", "customEvaluationTriggerId", i)
                yield from _trigger(index, triggers, path, trigger)
    for entity in index.entities(*REFERRING) if parameters else ():
        for param in entity.typed("TRIGGER_REFERENCE"):
            value = param.get("value")
            if isinstance(value, str) and value not in triggers:
                yield from _trigger(index, triggers, (*entity.path_to(param), "value"), value)


def _trigger(index: Index, triggers: set[str], path: Any, trigger: str) -> Iterator[Issue]:
    if trigger in triggers:
        return
    builtin = BUILTIN_TRIGGERS.get(trigger)
    if builtin is None:
        yield error(path, f"trigger {trigger!r} does not exist")
    elif index.context and index.context not in builtin.contexts:
        seen = "/".join(sorted(builtin.contexts))
        yield warning(
            path,
            f"built-in trigger {trigger} ({builtin.name}) is seen only in "
            f"{seen} containers, not {index.context}",
        )


def _tag_names(index: Index, parameters: bool = True) -> Iterator[Issue]:
    """setupTag, teardownTag and TAG_REFERENCE parameters name tags (by name, not ID)."""
    tags = index.names("tag")
    for tag in index.entities("tag"):
        for key in ("setupTag", "teardownTag"):
            items = tag.body.get(key)
            for i, item in enumerate(items if isinstance(items, list) else ()):
                name = text(item, "tagName") if isinstance(item, dict) else None
                if name is None:
                    continue
                where = (*tag.path, key, i, "tagName")
                if name not in tags:
                    yield error(where, f"tag {name!r} does not exist")
                elif name == tag.name:
                    yield error(where, "a tag cannot be its own setup or teardown tag")
    for entity in index.entities(*REFERRING) if parameters else ():
        for param in entity.typed("TAG_REFERENCE"):
            value = param.get("value")
            if isinstance(value, str) and value not in tags:
                yield error((*entity.path_to(param), "value"), f"tag {value!r} does not exist")


def _variables(index: Index) -> Iterator[Issue]:
    """Every {{Name}} in a parameter value names a variable GTM can resolve."""
    known = _known_variables(index)
    unknown: dict[str, list[str]] = {}  # by value: most values recur in many entities
    for entity in index.entities(*REFERRING):
        for param in entity.params:
            value = param.get("value")
            if not isinstance(value, str) or "{{" not in value:
                continue
            names = unknown.get(value)
            if names is None:
                names = unknown[value] = [
                    name for name in dict.fromkeys(VARIABLE_REF.findall(value)) if name not in known
                ]
            path = (*entity.path_to(param), "value") if names else ()
            for name in names:
                if name in BUILTIN_VARIABLE_NAMES:
                    yield warning(
                        path,
                        f"{{{{{name}}}}} is a built-in variable this export "
                        "does not enable (no builtInVariable entry)",
                    )
                else:
                    yield error(path, f"{{{{{name}}}}} names no variable in this export")


def _parameter_shapes(index: Index, maps: bool = True) -> Iterator[Issue]:
    """Keys are unique within a parameter list or map; conditions have arg0 and arg1."""
    for entity in index.entities(*REFERRING):
        for i, key in _duplicate_keys(entity.body.get("parameter")):
            yield _twice((*entity.path, "parameter", i), key)
        for param in entity.typed("MAP") if maps else ():
            for i, key in _duplicate_keys(param.get("map")):
                yield _twice((*entity.path_to(param), "map", i), key)
        for path, condition in _conditions(entity):
            args = param_keys(condition.get("parameter"))
            missing = [a for a in ("arg0", "arg1") if a not in args]
            if missing:
                yield error(path, f"condition lacks {' and '.join(missing)}")


def _twice(path: Any, key: str) -> Issue:
    return error(path, f"parameter key {key!r} appears twice")


def param_keys(params: Any) -> list[str]:
    if not isinstance(params, list):
        return []
    return [p["key"] for p in params if isinstance(p, dict) and isinstance(p.get("key"), str)]


def _duplicate_keys(params: Any) -> Iterator[tuple[int, str]]:
    """(index, key) of each parameter whose key an earlier one in the list has."""
    if not isinstance(params, list):
        return
    keys = [param.get("key") for param in params if isinstance(param, dict)]
    if (
        len(keys) == len(params)
        and all(map(str.__instancecheck__, keys))
        and len(set(keys)) == len(keys)
    ):
        return  # the usual case, decided in C
    seen: set[str] = set()
    for i, param in enumerate(params):
        key = param.get("key") if isinstance(param, dict) else None
        if not isinstance(key, str):
            continue
        if key in seen:
            yield i, key
        seen.add(key)


def _conditions(entity: Entity) -> Iterator[tuple[Any, dict[str, Any]]]:
    body = entity.body
    holders: list[tuple[tuple[str, ...], Any]] = [
        ((key,), body[key]) for key in CONDITION_LISTS if key in body
    ]
    boundary = body.get("boundary")
    if isinstance(boundary, dict):
        holders.append((("boundary", "condition"), boundary.get("condition")))
    for keys, items in holders:
        for i, condition in enumerate(items if isinstance(items, list) else ()):
            if isinstance(condition, dict):
                yield (*entity.path, *keys, i), condition
