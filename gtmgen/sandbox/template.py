"""A custom template's .tpl text (``customTemplate.templateData``) split into its parts.

GTM writes each section as a ``___NAME___`` header line, a blank line, the body and two
blank lines (research/gtm-export-format.md §10).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from gtmgen.errors import GtmgenError
from gtmgen.gtm.template import CODE_SECTION, PERMISSION_SECTION, section_map


class TemplateError(GtmgenError):
    """A template the sandbox cannot run (missing or malformed section, bad code)."""


def _json(parts: dict[str, str], name: str, default: Any) -> Any:
    if name not in parts:
        return default
    try:
        return json.loads(parts[name])
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"section ___{name}___ is not valid JSON: {exc.msg} (line {exc.lineno})"
        ) from None


@dataclass(frozen=True)
class Template:
    """One template: its metadata, fields, sandboxed code and declared permissions."""

    text: str
    parts: dict[str, str]
    info: dict[str, Any]
    parameters: list[Any]
    context: str  # "WEB" or "SERVER"
    code: str
    permissions: list[dict[str, Any]]  # the ___*_PERMISSIONS___ entries, GTM's shape

    @cached_property
    def key(self) -> str:
        """Identifies the template (its code) within a page."""
        return hashlib.sha256(self.code.encode("utf-8")).hexdigest()[:16]

    @cached_property
    def declared(self) -> dict[str, dict[str, Any]]:
        """{permission publicId: {param key: plain value}} for the runtime's checks."""
        from gtmgen.sandbox.permissions import permission_config

        return permission_config(self.permissions)

    def tests(self) -> dict[str, Any]:
        """The ___TESTS___ section as YAML data ({} when absent or empty)."""
        import yaml

        try:
            value = yaml.safe_load(self.parts.get("TESTS", "")) or {}
        except yaml.YAMLError as exc:
            raise TemplateError(f"section ___TESTS___ is not valid YAML: {exc}") from None
        if not isinstance(value, dict):
            raise TemplateError("section ___TESTS___ must be a YAML mapping (scenarios: ...)")
        return value


def parse_template(template_data: str) -> Template:
    parts = section_map(template_data)
    info = _json(parts, "INFO", None)
    if not isinstance(info, dict):
        raise TemplateError("the template has no ___INFO___ object")
    contexts = info.get("containerContexts")
    context = contexts[0] if isinstance(contexts, list) and len(contexts) == 1 else None
    if context not in CODE_SECTION:
        raise TemplateError(
            f'___INFO___ containerContexts must be ["WEB"] or ["SERVER"], not {contexts!r}'
        )
    code = parts.get(CODE_SECTION[context])
    if code is None:
        raise TemplateError(f"the template has no ___{CODE_SECTION[context]}___ section")
    permissions = _json(parts, PERMISSION_SECTION[context], [])
    parameters = _json(parts, "TEMPLATE_PARAMETERS", [])
    if not isinstance(permissions, list) or not isinstance(parameters, list):
        raise TemplateError("___TEMPLATE_PARAMETERS___ and the permissions must be JSON lists")
    return Template(template_data, parts, info, parameters, context, code, permissions)


@lru_cache(maxsize=32)
def load(template_data: str) -> Template:
    """:func:`parse_template`, remembered for the few templates a simulation runs."""
    return parse_template(template_data)
