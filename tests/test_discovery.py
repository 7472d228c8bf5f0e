"""The export schema and our exports against the Tag Manager API v2 discovery document
(shipped in google-api-python-client, a test dependency only)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gtmgen.validate import _generate_schema as generator
from gtmgen.validate.schema import export_schema

REGENERATE = "python -m gtmgen.validate._generate_schema"
# Keys an export has that no API resource has: the export envelope.
EXPORT_ONLY = {"exportFormatVersion", "exportTime"}


@cache
def discovery() -> dict[str, Any]:
    pytest.importorskip(
        "googleapiclient",
        reason="google-api-python-client is a test dependency: pip install -e '.[test]'",
    )
    path = generator.find_discovery()
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_shipped_schema_is_generated_from_the_discovery_document() -> None:
    expected = generator.render(discovery())
    shipped = Path(generator.__file__).with_name("export.schema.json").read_text(encoding="utf-8")
    assert shipped == expected, f"export.schema.json is stale: run {REGENERATE}"


def test_shipped_schema_is_valid_json_schema() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(export_schema())


@pytest.mark.parametrize(
    ("api", "export"),
    [
        ("customEvent", "CUSTOM_EVENT"),
        ("oncePerEvent", "ONCE_PER_EVENT"),
        ("template", "TEMPLATE"),
        ("tagReference", "TAG_REFERENCE"),
        ("notSet", "NOT_SET"),
        ("youTubeVideo", "YOU_TUBE_VIDEO"),
        ("pageUrl", "PAGE_URL"),
        ("pageview", "PAGEVIEW"),
        ("greaterOrEquals", "GREATER_OR_EQUALS"),
        ("androidSdk5", "ANDROID_SDK5"),
        ("ampClientScrollX", "AMP_CLIENT_SCROLL_X"),
    ],
)
def test_upper_snake_spelling(api: str, export: str) -> None:
    assert generator.upper_snake(api) == export


def test_schema_enums_are_the_discovery_enums_in_export_spelling() -> None:
    schemas = discovery()["schemas"]
    defs = export_schema()["$defs"]
    api = schemas["Trigger"]["properties"]["type"]["enum"]
    assert defs["Trigger"]["properties"]["type"]["enum"] == [
        generator.upper_snake(v) for v in api if v != "eventTypeUnspecified"
    ]
    assert "CUSTOM_EVENT" in defs["Trigger"]["properties"]["type"]["enum"]
    assert set(defs["Parameter"]["properties"]["type"]["enum"]) == {
        "TEMPLATE",
        "INTEGER",
        "BOOLEAN",
        "LIST",
        "MAP",
        "TRIGGER_REFERENCE",
        "TAG_REFERENCE",
    }


def _api_spelling(spec: dict[str, Any], value: Any) -> str | None:
    """The API enum value whose export spelling is ``value``, or None."""
    for candidate in spec.get("enum", ()):
        if generator.upper_snake(candidate) == value:
            return str(candidate)
    return None


def _walk(value: Any, resource: str, where: str, out: list[str]) -> None:
    """Every key, enum value and parameter type in ``value`` exists in ``resource``."""
    properties = discovery()["schemas"][resource]["properties"]
    if not isinstance(value, dict):
        out.append(f"{where}: not an object")
        return
    for key, item in value.items():
        spec = properties.get(key)
        if spec is None:
            out.append(f"{where}.{key}: not a field of the API's {resource}")
            continue
        _walk_value(item, spec, f"{where}.{key}", out)


def _walk_value(item: Any, spec: dict[str, Any], where: str, out: list[str]) -> None:
    if "$ref" in spec:
        _walk(item, spec["$ref"], where, out)
    elif spec.get("type") == "array":
        for i, element in enumerate(item):
            _walk_value(element, spec["items"], f"{where}[{i}]", out)
    elif "enum" in spec:
        if _api_spelling(spec, item) is None:
            out.append(f"{where}: {item!r} is no API enum value in export spelling")
    else:
        expected = {"string": str, "boolean": bool, "integer": int}[spec["type"]]
        if not isinstance(item, expected):
            out.append(f"{where}: {item!r} is not an API {spec['type']}")


def test_every_field_and_enum_we_emit_exists_in_the_api(
    our_exports: dict[str, dict[str, Any]],
) -> None:
    problems: list[str] = []
    for name, export in our_exports.items():
        assert set(export) == EXPORT_ONLY | {"containerVersion"}
        _walk(export["containerVersion"], "ContainerVersion", f"{name}: containerVersion", problems)
    assert problems == []


def test_the_walk_catches_fields_and_enums_the_api_lacks() -> None:
    problems: list[str] = []
    tag = {
        "tagId": "1",
        "name": "x",
        "type": "html",
        "tagFiringOption": "ONCE_PER_DAY",
        "colour": "red",
        "parameter": [{"type": "STRING", "key": "a", "value": "b"}],
    }
    _walk({"tag": [tag]}, "ContainerVersion", "cv", problems)
    assert problems == [
        "cv.tag[0].tagFiringOption: 'ONCE_PER_DAY' is no API enum value in export spelling",
        "cv.tag[0].colour: not a field of the API's Tag",
        "cv.tag[0].parameter[0].type: 'STRING' is no API enum value in export spelling",
    ]


def test_api_spelling_maps_export_enums_back() -> None:
    spec = discovery()["schemas"]["Tag"]["properties"]["tagFiringOption"]
    assert _api_spelling(spec, "ONCE_PER_EVENT") == "oncePerEvent"
    parameter_type = discovery()["schemas"]["Parameter"]["properties"]["type"]
    assert _api_spelling(parameter_type, "TAG_REFERENCE") == "tagReference"
