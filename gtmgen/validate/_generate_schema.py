"""Write ``export.schema.json`` from the Tag Manager API v2 discovery document.

The shipped schema is a static file; this script is how it was made and how it is
remade when Google updates the API. It reads the discovery document that
google-api-python-client ships (a test dependency only)::

    python -m gtmgen.validate._generate_schema            # rewrite the schema
    python -m gtmgen.validate._generate_schema --check    # exit 1 if it is stale

Every resource's properties, types and enums come from the discovery document; enums are
turned into the export's UPPER_SNAKE spelling (``customEvent`` -> ``CUSTOM_EVENT``). What
the discovery document cannot say is added here and explained where it is added: which
fields an export needs, that IDs are digit strings, and how each parameter type is shaped
(research/gtm-export-format.md §1-§6).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).with_name("export.schema.json")
DISCOVERY_NAME = "tagmanager.v2.json"

Schema = dict[str, Any]

# The resources an export holds, reached from ContainerVersion (plus what they refer to).
RESOURCES = (
    "ContainerVersion",
    "Container",
    "ContainerFeatures",
    "Tag",
    "Trigger",
    "Variable",
    "Folder",
    "BuiltInVariable",
    "CustomTemplate",
    "GalleryReference",
    "Client",
    "Transformation",
    "Zone",
    "ZoneBoundary",
    "ZoneChildContainer",
    "ZoneTypeRestriction",
    "GtagConfig",
    "Condition",
    "SetupTag",
    "TeardownTag",
    "TagConsentSetting",
    "VariableFormatValue",
)

# Fields without which GTM cannot place an entity (its ID, name and type).
REQUIRED = {
    "ContainerVersion": ["container"],
    "Container": ["usageContext"],
    "Tag": ["tagId", "name", "type"],
    "Trigger": ["triggerId", "name", "type"],
    "Variable": ["variableId", "name", "type"],
    "Folder": ["folderId", "name"],
    "BuiltInVariable": ["type", "name"],
    "CustomTemplate": ["templateId", "name", "templateData"],
    "Client": ["clientId", "name", "type"],
    "Transformation": ["transformationId", "name", "type"],
    "Zone": ["zoneId", "name"],
    "GtagConfig": ["gtagConfigId", "type"],
    "Condition": ["type", "parameter"],
    "SetupTag": ["tagName"],
    "TeardownTag": ["tagName"],
    "TagConsentSetting": ["consentStatus"],
}

# IDs are strings of decimal digits in every real export (research §3).
ID_FIELDS = {
    "accountId",
    "containerId",
    "containerVersionId",
    "tagId",
    "triggerId",
    "variableId",
    "folderId",
    "templateId",
    "clientId",
    "transformationId",
    "zoneId",
    "gtagConfigId",
    "workspaceId",
    "parentFolderId",
}
ID_LIST_FIELDS = {
    "firingTriggerId",
    "blockingTriggerId",
    "enablingTriggerId",
    "disablingTriggerId",
    "customEvaluationTriggerId",
}
NAME_FIELDS = {"name", "type", "tagName"}  # must not be empty where the API has them
# `parameter` lists of these resources hold keyed parameters ("Required for top-level
# parameters, as well as map values" -- the API's Parameter.key description).
KEYED_PARAMETER_LISTS = {"parameter"}


def upper_snake(name: str) -> str:
    """The export's spelling of an API enum value: ``youTubeVideo`` -> ``YOU_TUBE_VIDEO``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def _enum(values: list[str]) -> list[str]:
    # `...Unspecified` is the API's "not set" sentinel, never a setting an export carries.
    return [upper_snake(v) for v in values if not v.endswith("Unspecified")]


def _property(resource: str, name: str, spec: Schema) -> Schema:
    if name == "fingerprint":
        return {"$ref": "#/$defs/fingerprint"}
    if name in ID_FIELDS:
        return {"$ref": "#/$defs/id"}
    if name in ID_LIST_FIELDS:
        return {"type": "array", "items": {"$ref": "#/$defs/id"}}
    if "$ref" in spec:
        return {"$ref": f"#/$defs/{spec['$ref']}"}
    kind = spec.get("type")
    if kind == "array":
        items = spec["items"]
        if items.get("$ref") == "Parameter" and name in KEYED_PARAMETER_LISTS:
            return {"type": "array", "items": {"$ref": "#/$defs/KeyedParameter"}}
        return {"type": "array", "items": _property(resource, name + "[]", items)}
    if "enum" in spec:
        return {"enum": _enum(spec["enum"])}
    out: Schema = {"type": kind}
    if name in NAME_FIELDS and resource != "Parameter":
        out["minLength"] = 1
    return out


def _resource(name: str, spec: Schema) -> Schema:
    props = {key: _property(name, key, value) for key, value in sorted(spec["properties"].items())}
    if name == "Parameter":
        # Parameter.list items: "keys will be ignored"; Parameter.map items "must have keys".
        props["list"] = {"type": "array", "items": {"$ref": "#/$defs/Parameter"}}
        props["map"] = {"type": "array", "items": {"$ref": "#/$defs/KeyedParameter"}}
    out: Schema = {"type": "object", "properties": props, "additionalProperties": False}
    if name in REQUIRED:
        out["required"] = REQUIRED[name]
    if name == "Container":
        props["usageContext"]["minItems"] = 1
    return out


def _parameter_rules() -> Schema:
    """How each parameter type is shaped (API Parameter.type description, research §5).

    One if/then/else chain, most frequent type first (TEMPLATE 6,329, BOOLEAN 1,964, MAP
    1,465 ... in the corpus): a parameter is tested against about two conditions instead
    of seven, which halves the time to validate a large export.
    """
    none: Schema = {"not": {}}

    def only(kind: str, forbidden: list[str], extra: Schema | None = None) -> Schema:
        then: Schema = {
            "properties": {
                key: dict(none, description=f"not a field of {kind} parameters")
                for key in forbidden
            }
        }
        if extra:
            then["properties"].update(extra.get("properties", {}))
            if "required" in extra:
                then["required"] = extra["required"]
        return {"if": {"properties": {"type": {"const": kind}}, "required": ["type"]}, "then": then}

    def valued(pattern: str | None, description: str) -> Schema:
        value: Schema = {"pattern": pattern, "description": description} if pattern else {}
        return {"properties": {"value": value}, "required": ["value"]}

    rules = [
        only("TEMPLATE", ["list", "map"]),
        only("BOOLEAN", ["list", "map"], valued("^(true|false)$", "'true' or 'false'")),
        only("MAP", ["value", "list"]),
        only("INTEGER", ["list", "map"], valued("^-?[0-9]+$", "a decimal integer")),
        only("LIST", ["value", "map"]),
        only("TAG_REFERENCE", ["list", "map"], valued(None, "")),
        only(
            "TRIGGER_REFERENCE",
            ["list", "map"],
            valued("^[0-9]+$", "a trigger ID (a string of digits)"),
        ),
    ]
    chain = rules[-1]
    for rule in reversed(rules[:-1]):
        chain = {**rule, "else": chain}
    return chain


def build_schema(discovery: Schema) -> Schema:
    schemas = discovery["schemas"]
    defs: Schema = {
        "id": {"type": "string", "pattern": "^[0-9]+$", "description": "a string of digits"},
        "fingerprint": {
            "type": "string",
            "pattern": "^[0-9]*$",
            "description": "a string of digits",
        },
    }
    for name in (*RESOURCES, "Parameter"):
        defs[name] = _resource(name, schemas[name])
    defs["Parameter"]["required"] = ["type"]
    defs["Parameter"].update(_parameter_rules())
    defs["KeyedParameter"] = {"$ref": "#/$defs/Parameter", "required": ["key"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:gtmgen:gtm-container-export:2",
        "title": "Google Tag Manager container export (exportFormatVersion 2)",
        "description": (
            "Generated by gtmgen/validate/_generate_schema.py from the Tag Manager API v2 "
            f"discovery document, revision {discovery.get('revision', '?')}. Enums use the "
            "export's UPPER_SNAKE spelling."
        ),
        "type": "object",
        "required": ["exportFormatVersion", "exportTime", "containerVersion"],
        "properties": {
            "exportFormatVersion": {"const": 2},
            "exportTime": {
                "type": "string",
                "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
                "description": "'YYYY-MM-DD HH:MM:SS'",
            },
            "containerVersion": {"$ref": "#/$defs/ContainerVersion"},
        },
        "additionalProperties": False,
        "$defs": defs,
    }


def render(discovery: Schema) -> str:
    return json.dumps(build_schema(discovery), indent=1, ensure_ascii=False) + "\n"


def find_discovery() -> Path:
    """The discovery document inside the installed google-api-python-client."""
    import importlib.util

    spec = importlib.util.find_spec("googleapiclient")
    if spec is None or spec.origin is None:
        raise SystemExit("google-api-python-client is not installed (pip install -e '.[test]')")
    return Path(spec.origin).parent / "discovery_cache" / "documents" / DISCOVERY_NAME


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    source = Path(paths[0]) if paths else find_discovery()
    text = render(json.loads(source.read_text(encoding="utf-8")))
    if check:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            print(f"{SCHEMA_FILE} is stale: run python -m gtmgen.validate._generate_schema")
            return 1
        return 0
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
