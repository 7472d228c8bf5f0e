"""A read-only index over one GTM container export (ours or anyone's).

The lists and maps are built once per Container (the export must not change after).

Entities are kept as the export's own dicts; this module only finds them: tags,
triggers by ID, variables and built-ins by name, the custom template behind a ``cvt_``
type (both the ``cvt_<container>_<template>`` and the ``cvt_<galleryId>`` forms,
research/gtm-export-format.md §10), and the clients of a server container.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

Entity = dict[str, Any]

OUR_WEB_TEMPLATE = "gtmgen TikTok Pixel"
OUR_SERVER_TEMPLATE = "gtmgen TikTok Events API"
TIKTOK_GALLERY = {"gtm-template-pixel": "web", "gtm-template-eapi": "server"}

_LONG_CVT = re.compile(r"^cvt_(\d+)_(\d+)$")


@dataclass(frozen=True)
class Template:
    name: str
    template_data: str
    gallery_owner: str = ""
    gallery_repository: str = ""

    @property
    def info(self) -> dict[str, Any]:
        return _section_json(self.template_data, "___INFO___")

    @property
    def display_name(self) -> str:
        return str(self.info.get("displayName", ""))

    @property
    def is_ours(self) -> bool:
        return self.name in (OUR_WEB_TEMPLATE, OUR_SERVER_TEMPLATE) or self.display_name in (
            OUR_WEB_TEMPLATE, OUR_SERVER_TEMPLATE)

    @property
    def tiktok_gallery_side(self) -> str | None:
        """"web"/"server" for TikTok's own gallery templates, else None."""
        if self.gallery_owner.lower() != "tiktok":
            return None
        return TIKTOK_GALLERY.get(self.gallery_repository)


def _section_json(template_data: str, header: str) -> dict[str, Any]:
    start = template_data.find(header)
    if start < 0:
        return {}
    body = template_data[start + len(header):]
    end = body.find("\n___")
    text = (body if end < 0 else body[:end]).strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


@dataclass
class Container:
    """One export: ``context`` is "WEB", "SERVER" or "AMP"."""

    data: Entity
    file: str = ""
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

    def template(self, type_: str) -> Template | None:
        """The custom template a ``cvt_`` type refers to, if the export holds it."""
        if not type_.startswith("cvt_"):
            return None
        cache: dict[str, Template | None] = self.__dict__.setdefault("_templates", {})
        if type_ not in cache:
            cache[type_] = self._find_template(type_)
        return cache[type_]

    def _find_template(self, type_: str) -> Template | None:
        long_form = _LONG_CVT.match(type_)
        for entry in self._list("customTemplate"):
            gallery = entry.get("galleryReference") or {}
            if long_form:
                hit = str(entry.get("templateId")) == long_form.group(2)
            else:
                code = type_[len("cvt_"):]
                hit = gallery.get("galleryTemplateId") == code or _section_json(
                    str(entry.get("templateData", "")), "___INFO___").get("id") == type_
            if hit:
                return Template(
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
            rows.append({str(m.get("key")): str(m.get("value", ""))
                         for m in dicts(item.get("map"))})
    return rows


REFERENCE = re.compile(r"\{\{([^{}]+)\}\}")


def references(text: str) -> list[str]:
    return [m.group(1) for m in REFERENCE.finditer(text)]
