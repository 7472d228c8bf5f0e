"""Custom templates: the sections of ``templateData`` parse, the template suits the
container, and every ``cvt_...`` type resolves to a template of the right kind.

templateData is the template's .tpl file: ``___SECTION___`` header lines, each followed by
its body (research/gtm-export-format.md §10). GTM refuses templates whose JSON or YAML
sections do not parse ("Invalid YAML format for content in section: ___TESTS___") and
templates for another container type or entity kind (import-pitfalls.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gtmgen.gtm.format import custom_type
from gtmgen.gtm.template import CODE_SECTION as CODE
from gtmgen.gtm.template import PERMISSION_SECTION as PERMISSIONS
from gtmgen.gtm.template import sections
from gtmgen.validate.findings import Issue, Path, Severity, error, warning
from gtmgen.validate.index import Entity, Index, text

JSON_SECTIONS = {
    "INFO": dict,
    "TEMPLATE_PARAMETERS": list,
    "WEB_PERMISSIONS": list,
    "SERVER_PERMISSIONS": list,
}
KNOWN = {
    "TERMS_OF_SERVICE",
    "INFO",
    "TEMPLATE_PARAMETERS",
    "TESTS",
    "NOTES",
    *CODE.values(),
    *PERMISSIONS.values(),
}
REQUIRED = ("INFO", "TEMPLATE_PARAMETERS")
USER_TYPE = {"tag": "TAG", "variable": "MACRO", "client": "CLIENT"}  # ___INFO___ type
DEFAULT_INFO_ID = "cvt_temp_public_id"  # the editor's placeholder id, shared by many


@dataclass
class TemplateCheck:
    entity: Entity
    info: dict[str, Any] | None = None
    fields: frozenset[str] | None = None  # the template's fields: parameter keys
    issues: list[Issue] = field(default_factory=list)

    @property
    def gallery_id(self) -> str | None:
        reference = self.entity.body.get("galleryReference")
        return text(reference, "galleryTemplateId") if isinstance(reference, dict) else None


def template_issues(index: Index) -> list[Issue]:
    templates = [_parse(entity, index.context) for entity in index.entities("customTemplate")]
    issues = [issue for template in templates for issue in template.issues]
    for entity in index.entities(*USER_TYPE):
        kind = text(entity.body, "type")
        if kind and kind.startswith("cvt_"):
            issues += _user(index, templates, entity, kind)
    return issues


def _parse(entity: Entity, context: str | None) -> TemplateCheck:
    template = TemplateCheck(entity)
    data = entity.body.get("templateData")
    if not isinstance(data, str):
        return template  # the schema reports it
    where: Path = (*entity.path, "templateData")
    parsed = parse_template_data(data)
    template.info, template.fields = parsed.info, parsed.fields
    template.issues = [Issue(where, text, severity) for severity, text in parsed.problems]
    if parsed.info is not None:
        template.issues += _check_info(parsed.info, parsed.found, context, where)
    return template


@dataclass(frozen=True)
class ParsedTemplate:
    """What a templateData text says on its own, wherever the template sits.

    Shared between calls (see parse_template_data): ``info`` must only be read.
    """

    problems: tuple[tuple[Severity, str], ...]
    found: frozenset[str]  # section names
    info: dict[str, Any] | None
    fields: frozenset[str] | None


@lru_cache(maxsize=64)
def parse_template_data(data: str) -> ParsedTemplate:
    """The sections of a template parsed once per text: ``gtmgen build``, the tests and
    ``gtmgen validate`` of several exports meet the same template text again and again."""
    problems: list[tuple[Severity, str]] = []
    found: set[str] = set()
    info: dict[str, Any] | None = None
    fields: frozenset[str] | None = None
    for section in sections(data):
        name, line, body = section.name, section.line, section.body
        if name in found:
            problems.append((Severity.ERROR, f"section ___{name}___ appears twice"))
        found.add(name)
        if name not in KNOWN:
            problems.append((Severity.WARNING, f"unknown section ___{name}___"))
        parsed, problem = _parse_section(name, line, body)
        if problem:
            problems.append((Severity.ERROR, problem))
        if name == "INFO" and isinstance(parsed, dict):
            info = parsed
        elif name == "TEMPLATE_PARAMETERS" and isinstance(parsed, list):
            fields = frozenset(_field_names(parsed, set()))
    for name in REQUIRED:
        if name not in found:
            problems.append((Severity.ERROR, f"section ___{name}___ is missing"))
    return ParsedTemplate(tuple(problems), frozenset(found), info, fields)


def _field_names(node: Any, out: set[str]) -> set[str]:
    """Every field ``name`` in ___TEMPLATE_PARAMETERS___, nested ones included (groups'
    and radio or select items' subParams, table columns)."""
    if isinstance(node, dict):
        if isinstance(node.get("name"), str) and "type" in node:
            out.add(node["name"])
        for child in node.values():
            _field_names(child, out)
    elif isinstance(node, list):
        for child in node:
            _field_names(child, out)
    return out


def _parse_section(name: str, line: int, body: str) -> tuple[Any, str | None]:
    """(the parsed value or None, the error or None)."""
    if name in JSON_SECTIONS:
        try:
            value = json.loads(body)
        except json.JSONDecodeError as exc:
            at = line + exc.lineno - 1
            return None, (
                f"section ___{name}___ is not valid JSON (templateData line {at}): {exc.msg}"
            )
        expected = JSON_SECTIONS[name]
        if not isinstance(value, expected):
            noun = "an object" if expected is dict else "a list"
            return None, f"section ___{name}___ must be {noun}"
        return value, None
    if name == "TESTS":
        return _parse_tests(line, body)
    return None, None


def _parse_tests(line: int, body: str) -> tuple[Any, str | None]:
    import yaml

    try:
        value = _load_yaml(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (templateData line {line + mark.line})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, (
            f"section ___TESTS___ is not valid YAML{at}: {problem}; GTM refuses such a template"
        )
    if value is not None and not isinstance(value, dict):
        return value, "section ___TESTS___ must be a YAML mapping (scenarios: [...])"
    return value, None


def _load_yaml(text: str) -> Any:
    """``yaml.safe_load``, through libyaml's C parser when PyYAML has it (a template's
    tests: 2.5 -> 0.2 ms) and the text holds no tab (libyaml accepts tabs where the
    Python scanner refuses them). On any error the pure-Python parser decides, so the
    messages are always its own."""
    import yaml

    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is not None and "\t" not in text:
        try:
            return yaml.load(text, Loader=c_loader)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _check_info(
    info: dict[str, Any], found: Set[str], context: str | None, where: Path
) -> Iterator[Issue]:
    kind = info.get("type")
    if kind not in USER_TYPE.values():
        yield error(where, f"___INFO___ type {kind!r} is not TAG, MACRO or CLIENT")
    contexts = info.get("containerContexts")
    if not (isinstance(contexts, list) and contexts and all(isinstance(c, str) for c in contexts)):
        example = json.dumps([context or "WEB"])
        yield error(where, f"___INFO___ containerContexts must be a list such as {example}")
        return
    if context and context not in contexts:
        yield error(
            where,
            f"the template is for {'/'.join(contexts)} containers, this container is {context}",
        )
    for ctx, section in (*CODE.items(), *PERMISSIONS.items()):
        if section in found and ctx not in contexts:
            yield error(
                where,
                f"section ___{section}___ belongs to {ctx} templates, "
                f"but containerContexts is {contexts}",
            )
    for ctx in contexts:
        if ctx in CODE and CODE[ctx] not in found:
            yield warning(where, f"section ___{CODE[ctx]}___ is missing: the template has no code")


def _user(index: Index, templates: list[TemplateCheck], user: Entity, kind: str) -> Iterator[Issue]:
    where = (*user.path, "type")
    parsed = custom_type(kind)
    if parsed is None:
        return
    if parsed.template_id is not None:
        container, template_id = parsed.container_id, parsed.template_id
        matches = [t for t in templates if t.entity.ident == template_id]
        if not matches:
            yield error(
                where,
                f"{kind!r} names custom template {template_id}, which this export does not contain",
            )
            return
        owner = text(matches[0].entity.body, "containerId") or index.container_id
        if owner and owner.isdigit() and owner != container:
            yield error(
                where,
                f"{kind!r} names container {container}, but the template "
                f"belongs to container {owner}",
            )
    else:
        code = parsed.code
        matches = [
            t
            for t in templates
            if t.gallery_id == code
            or (kind != DEFAULT_INFO_ID and t.info and t.info.get("id") == kind)
        ]
        if not matches:
            yield error(
                where,
                f"{kind!r} matches no custom template in this export (by "
                "galleryReference.galleryTemplateId or ___INFO___ id)",
            )
            return
    template = matches[0]
    yield from _unknown_keys(template, user)
    expected = USER_TYPE[user.kind]
    actual = template.info.get("type") if template.info else None
    if actual in USER_TYPE.values() and actual != expected:
        name = template.entity.name or template.entity.ident
        yield error(
            where,
            f"template {name!r} is a {actual} template; a {user.kind} needs a {expected} template",
        )


def _unknown_keys(template: TemplateCheck, user: Entity) -> Iterator[Issue]:
    """A parameter the template has no field for is never read by the template's code
    (none of the 1,869 template parameters in the corpus is such a parameter)."""
    if template.fields is None:
        return
    params = user.body.get("parameter")
    name = template.entity.name or template.entity.ident
    for i, param in enumerate(params if isinstance(params, list) else ()):
        key = param.get("key") if isinstance(param, dict) else None
        if isinstance(key, str) and key not in template.fields:
            yield warning(
                (*user.path, "parameter", i),
                f"parameter {key!r} is not a field of template {name!r}",
            )
