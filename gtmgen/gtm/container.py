"""A read-only index over one GTM container export (ours or anyone's).

The lists and maps are built once per Container (the export must not change after).

Entities are kept as the export's own dicts; this module only finds them: tags,
triggers by ID, variables and built-ins by name, the custom template behind a ``cvt_``
type (both the ``cvt_<container>_<template>`` and the ``cvt_<galleryId>`` forms,
research/gtm-export-format.md §10), and the clients of a server container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from gtmgen.errors import InputError, Problem
from gtmgen.gtm import reader
from gtmgen.gtm.format import CustomType, custom_type
from gtmgen.gtm.template import info as template_info

Entity = dict[str, Any]


@dataclass(frozen=True)
class CustomTemplate:
    name: str
    template_data: str
    gallery_owner: str = ""
    gallery_repository: str = ""

    @property
    def info(self) -> dict[str, Any]:
        return template_info(self.template_data)

    @property
    def display_name(self) -> str:
        return str(self.info.get("displayName", ""))


@dataclass
class Container:
    """One export: ``context`` is "WEB", "SERVER" or "AMP"."""

    data: Entity
    file: str = ""
    warnings: list[str] = field(default_factory=list)  # harmless oddities of the file
    version: Entity = field(init=False)

    def __post_init__(self) -> None:
        version = self.data.get("containerVersion")
        self.version = version if isinstance(version, dict) else {}

    def _list(self, key: str) -> list[Entity]:
        items = self.version.get(key)
        return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []

    @property
    def _container(self) -> Entity:
        container = self.version.get("container")
        return container if isinstance(container, dict) else {}

    @property
    def context(self) -> str:
        usage = self._container.get("usageContext")
        return str(usage[0]).upper() if isinstance(usage, list) and usage else ""

    @property
    def public_id(self) -> str:
        return str(self._container.get("publicId", ""))

    @cached_property
    def tags(self) -> list[Entity]:
        return self._list("tag")

    @cached_property
    def triggers(self) -> dict[str, Entity]:
        return {str(t.get("triggerId")): t for t in self._list("trigger")}

    @cached_property
    def variables(self) -> dict[str, Entity]:
        return {str(v.get("name")): v for v in self._list("variable")}

    @cached_property
    def builtins(self) -> dict[str, str]:
        """Built-in variable name -> type (``"Page URL"`` -> ``"PAGE_URL"``)."""
        return {str(b.get("name")): str(b.get("type")) for b in self._list("builtInVariable")}

    @cached_property
    def clients(self) -> list[Entity]:
        return self._list("client")

    def template(self, type_: str) -> CustomTemplate | None:
        """The custom template a ``cvt_`` type refers to, if the export holds it."""
        parsed = custom_type(type_)
        if parsed is None:
            return None
        cache: dict[str, CustomTemplate | None] = self.__dict__.setdefault("_templates", {})
        if type_ not in cache:
            cache[type_] = self._find_template(type_, parsed)
        return cache[type_]

    def _find_template(self, type_: str, parsed: CustomType) -> CustomTemplate | None:
        for entry in self._list("customTemplate"):
            gallery = entry.get("galleryReference") or {}
            if parsed.template_id is not None:
                hit = str(entry.get("templateId")) == parsed.template_id
            else:
                hit = (
                    gallery.get("galleryTemplateId") == parsed.code
                    or template_info(str(entry.get("templateData", ""))).get("id") == type_
                )
            if hit:
                return CustomTemplate(
                    name=str(entry.get("name", "")),
                    template_data=str(entry.get("templateData", "")),
                    gallery_owner=str(gallery.get("owner", "")),
                    gallery_repository=str(gallery.get("repository", "")),
                )
        return None


def dicts(value: Any) -> list[Entity]:
    """The objects of a list (anything else in an export, where a list belongs, is none)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def ids(value: Any) -> list[str]:
    """A list of IDs (``firingTriggerId``), tolerating junk."""
    return [str(v) for v in value if isinstance(v, (str, int))] if isinstance(value, list) else []


def params(entity: Entity) -> dict[str, Entity]:
    """An entity's parameters by key (the raw typed parameter dicts)."""
    out: dict[str, Entity] = {}
    for param in dicts(entity.get("parameter")):
        if "key" in param:
            out[str(param["key"])] = param
    return out


def raw_value(entity: Entity, key: str) -> str | None:
    """A scalar parameter's text as stored (before any variable is resolved)."""
    param = params(entity).get(key)
    if param is None or "value" not in param:
        return None
    return str(param["value"])


def table_rows(param: Entity | None) -> list[dict[str, str]]:
    """A LIST of MAP parameter as rows of raw strings."""
    if not param:
        return []
    rows = []
    for item in dicts(param.get("list")):
        if item.get("type") == "MAP":
            rows.append(
                {str(m.get("key")): str(m.get("value", "")) for m in dicts(item.get("map"))}
            )
    return rows


REFERENCE = re.compile(r"\{\{([^{}]+)\}\}")


def references(text: str) -> list[str]:
    return [m.group(1) for m in REFERENCE.finditer(text)]


def claiming_client(container: Container) -> str | None:
    """The GA4 client that claims a /g/collect request (the highest priority wins)."""
    ga4 = [c for c in container.clients if c.get("type") == "gaaw_client"]
    if not ga4:
        return None
    ga4.sort(key=lambda c: -_number(c.get("priority")))
    return str(ga4[0].get("name"))


def _number(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def read_container(path: Path | str, *, expect: str | None = None) -> Container:
    """One export file through the one reader; ``expect`` "WEB" or "SERVER" checks its
    usage context. InputError (exit 2) when it cannot be read or is not an export."""
    loaded = reader.read_export(path)
    container = Container(
        loaded.data, file=str(path), warnings=[str(note) for note in loaded.notes]
    )
    if expect and container.context != expect:
        found = container.context or "unknown"
        raise InputError(
            [Problem(str(path), f"expected a {expect} container export, found a {found} one")]
        )
    return container
