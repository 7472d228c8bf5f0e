"""The export format's JSON Schema (export.schema.json, made by _generate_schema.py).

Two validators, each imported on first use and compiled once per process:

- jsonschema-rs (compiled; 1,000-event web export: 30 ms instead of 3 s) gives the verdict.
  ``gtmgen build`` checks two valid exports per run and needs nothing else.
- For a document it fails, the ``jsonschema`` library, the reference, lists the errors, so
  the messages are always jsonschema's. It checks only what fails: the document without
  its entity lists, and each entity (tag, trigger, ...) that jsonschema-rs fails. So an
  error in a large export costs what its entity costs, not what the whole file costs, and
  after MAX_DETAILED errors the remaining failing entities are only counted.

tests/test_validate_schema.py checks that both validators give the same verdict on every
real export of the corpus, and that the split gives the reference's own errors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from gtmgen.gtm.secrets import masked
from gtmgen.validate._generate_schema import upper_snake
from gtmgen.validate.findings import Issue, Path, error, warning

SCHEMA_NAME = "export.schema.json"
MAX_LISTED = 8  # enum values shown in a message
MAX_DETAILED = 1000  # schema errors described; failing entities past them are counted


@cache
def export_schema() -> dict[str, Any]:
    text = resources.files("gtmgen.validate").joinpath(SCHEMA_NAME).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def entity_lists() -> dict[str, str]:
    """``{containerVersion key: $defs name}`` of the lists whose items can be checked one by
    one: those the schema constrains by their items alone (``{"type": "array", "items":
    {"$ref": "#/$defs/Tag"}}``)."""
    out = {}
    for key, spec in export_schema()["$defs"]["ContainerVersion"]["properties"].items():
        items = spec.get("items")
        if (
            spec.keys() == {"type", "items"}
            and spec["type"] == "array"
            and isinstance(items, dict)
            and items.keys() == {"$ref"}
            and items["$ref"].startswith("#/$defs/")
        ):
            out[key] = items["$ref"].removeprefix("#/$defs/")
    return out


@cache
def part_schema(name: str | None) -> dict[str, Any]:
    """The whole schema (None), or the schema of one definition such as ``Tag``."""
    schema = export_schema()
    if name is None:
        return schema
    return {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{name}"}


@cache
def _fast_validator(name: str | None) -> Any:
    """jsonschema-rs's validator, or None where the package cannot be imported (the
    reference then does all the work, only slower)."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a runtime dependency; kept working without
        return None
    return jsonschema_rs.Draft202012Validator(part_schema(name))


@cache
def _validator(name: str | None) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(part_schema(name))


def fast_verdict(data: Any, name: str | None = None) -> bool | None:
    """jsonschema-rs's verdict on ``data`` (an export, or a ``name`` definition such as
    ``Tag``): True valid, False invalid, None when it cannot tell (not installed, or a
    Python value it cannot convert)."""
    fast = _fast_validator(name)
    if fast is None:
        return None
    try:
        return bool(fast.is_valid(data))
    except (ValueError, TypeError, OverflowError):  # e.g. "Unsupported type"
        return None


def schema_issues(data: Any, *, fast: bool = True) -> list[Issue]:
    """What the export format says about ``data``, sorted by path. ``fast=False`` runs the
    reference alone over the whole document (the tests compare both ways)."""
    verdict = fast_verdict(data) if fast else None
    if verdict:
        return []
    omitted = 0
    if verdict is None:
        found: list[tuple[Path, Any]] = [((), e) for e in _validator(None).iter_errors(data)]
    else:
        found, omitted = _errors_by_part(data)
    found.sort(key=lambda pair: [str(p) for p in (*pair[0], *pair[1].path)])
    issues = [_issue(err, (*where, *err.absolute_path)) for where, err in found]
    if omitted:
        noun = "entity does" if omitted == 1 else "entities do"
        issues.append(
            error(
                (),
                f"{omitted} more {noun} not match the export format either "
                f"(only the first {len(found)} such errors are described)",
            )
        )
    return issues


def parts(data: Any) -> Iterator[tuple[Path, str | None, Any]]:
    """(path, definition, instance): the document with its entity lists left empty, then
    each entity. Together they meet every constraint the whole schema has."""
    version = data.get("containerVersion") if isinstance(data, dict) else None
    lists = {
        key: name
        for key, name in entity_lists().items()
        if isinstance(version, dict) and isinstance(version.get(key), list)
    }
    if not isinstance(version, dict) or not lists:
        yield (), None, data
        return
    yield (), None, {**data, "containerVersion": {**version, **{key: [] for key in lists}}}
    for key, name in lists.items():
        for index, item in enumerate(version[key]):
            yield ("containerVersion", key, index), name, item


def _errors_by_part(data: Any) -> tuple[list[tuple[Path, Any]], int]:
    """The reference's errors for the parts jsonschema-rs fails, and how many failing parts
    were left undescribed once MAX_DETAILED errors were found."""
    found: list[tuple[Path, Any]] = []
    omitted = 0
    for where, name, instance in parts(data):
        if fast_verdict(instance, name):
            continue
        if len(found) >= MAX_DETAILED:
            omitted += 1
            continue
        found += [(where, err) for err in _validator(name).iter_errors(instance)]
    return found, omitted


def _issue(err: Any, path: Path) -> Issue:
    field = path[-1] if path and isinstance(path[-1], str) else None
    kind, value, spec = err.validator, err.instance, err.schema
    if isinstance(value, str):  # a value quoted in a message: never a secret in full
        value = masked(value, field or "")
    name = f"{field} " if field else ""
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(spec.get("properties", {})))
        listed = ", ".join(repr(k) for k in extra)
        return warning(
            path,
            f"unknown field{'s' if len(extra) > 1 else ''} {listed} "
            "(not in the Tag Manager API; GTM may drop or refuse it)",
        )
    if kind == "required":
        missing = err.message.removesuffix(" is a required property")
        return error(path, f"{missing} is missing")
    if kind == "enum":
        return error(path, name + _enum_text(value, err.validator_value))
    if kind == "const":
        return error(path, f"{name}{value!r} is not {err.validator_value!r}")
    if kind == "pattern":
        expected = spec.get("description") or f"matching {err.validator_value}"
        return error(path, f"{name}{value!r} is not {expected}")
    if kind == "type":
        return error(path, f"{name}is {_kind(value)}, expected {_a(err.validator_value)}")
    if kind == "not":
        return error(path, f"{name}is {spec.get('description', 'not allowed here')}")
    if kind == "minLength":
        return error(path, f"{name}is empty")
    if kind == "minItems":
        return error(path, f"{name}is an empty list")
    return error(path, err.message)


def _enum_text(value: Any, allowed: list[Any]) -> str:
    if isinstance(value, str) and upper_snake(value) in allowed:
        return f"{value!r} is the API's spelling; an export writes {upper_snake(value)!r}"
    shown = ", ".join(repr(v) for v in allowed[:MAX_LISTED])
    more = f", ... ({len(allowed)} values)" if len(allowed) > MAX_LISTED else ""
    return f"{value!r} is not one of {shown}{more}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    return "a list" if isinstance(value, list) else "an object"


def _a(expected: Any) -> str:
    names = {
        "string": "a string",
        "object": "an object",
        "array": "a list",
        "boolean": "a boolean (true/false)",
        "integer": "an integer",
        "number": "a number",
    }
    return names.get(expected, str(expected))
