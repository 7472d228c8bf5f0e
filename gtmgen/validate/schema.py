"""The export format's JSON Schema (export.schema.json, made by _generate_schema.py).

jsonschema is imported on first use and the validator is compiled once per process:
``gtmgen build`` validates two exports before it writes them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from gtmgen.validate._generate_schema import upper_snake
from gtmgen.validate.findings import Issue, Path, error, warning

SCHEMA_NAME = "export.schema.json"
MAX_LISTED = 8  # enum values shown in a message


@cache
def export_schema() -> dict[str, Any]:
    text = resources.files("gtmgen.validate").joinpath(SCHEMA_NAME).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(export_schema())


def schema_issues(data: Any) -> list[Issue]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    return [_issue(e) for e in errors]


def _issue(err: Any) -> Issue:
    path: Path = tuple(err.absolute_path)
    field = path[-1] if path and isinstance(path[-1], str) else None
    kind, value, spec = err.validator, err.instance, err.schema
    name = f"{field} " if field else ""
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(spec.get("properties", {})))
        listed = ", ".join(repr(k) for k in extra)
        return warning(path, f"unknown field{'s' if len(extra) > 1 else ''} {listed} "
                             "(not in the Tag Manager API; GTM may drop or refuse it)")
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
        return (f"{value!r} is the API's spelling; an export writes {upper_snake(value)!r}")
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
    names = {"string": "a string", "object": "an object", "array": "a list",
             "boolean": "a boolean (true/false)", "integer": "an integer",
             "number": "a number"}
    return names.get(expected, str(expected))
