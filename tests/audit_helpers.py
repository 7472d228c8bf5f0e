"""Shared helpers for the simulate and audit tests: our exports, built in memory, and
small surgical edits that break them the way people break containers by hand."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, cast

from gtmgen.generate import names
from gtmgen.generate.pipeline import build_spec
from tests.cases import building_specs

ROOT = Path(__file__).resolve().parents[1]


# The bundled example as it was before it gained Meta: TikTok only (a golden case), for
# the tests of TikTok's own behaviour.
TIKTOK_SHOP = Path(__file__).parent / "cases" / "tiktok-shop" / "tiktok-shop.yaml"


def example_specs() -> list[Path]:
    """The bundled example and every other spec of the tests that builds."""
    return building_specs()


def exports(spec: Path | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    result = build_spec(spec, environ={})
    return copy.deepcopy(result.web), copy.deepcopy(result.server)


def entities(export: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(export["containerVersion"].get(kind, []))


def tag(export: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in export["containerVersion"]["tag"] if t["name"] == name)


def set_param(entity: dict[str, Any], key: str, value: str) -> None:
    for param in entity["parameter"]:
        if param["key"] == key:
            param["value"] = value
            return
    entity["parameter"].append({"type": "TEMPLATE", "key": key, "value": value})


def add_variable(
    export: dict[str, Any], name: str, type_: str, parameter: list[dict[str, Any]]
) -> None:
    version = export["containerVersion"]
    used = {int(e.get("variableId", 0)) for e in version.get("variable", [])}
    version["variable"].append(
        {
            "accountId": version["accountId"],
            "containerId": version["containerId"],
            "variableId": str(max(used) + 1),
            "name": name,
            "type": type_,
            "parameter": parameter,
            "fingerprint": "1",
            "formatValue": {},
        }
    )


def add_html_tag(export: dict[str, Any], name: str, html: str, trigger_id: str) -> None:
    version = export["containerVersion"]
    version["tag"].append(
        {
            "accountId": version["accountId"],
            "containerId": version["containerId"],
            "tagId": "999999",
            "name": name,
            "type": "html",
            "parameter": [
                {"type": "TEMPLATE", "key": "html", "value": html},
                {"type": "BOOLEAN", "key": "supportDocumentWrite", "value": "false"},
            ],
            "fingerprint": "1",
            "firingTriggerId": [trigger_id],
            "tagFiringOption": "ONCE_PER_EVENT",
        }
    )


RANDOM_ID_JS = (
    "function() {\n  return 'rnd_' + Math.random().toString(36).slice(2) + new Date().getTime();\n}"
)


def break_pair(web: dict[str, Any], server: dict[str, Any], event: str = "purchase") -> None:
    """The hand-broken pair of the tests: the pixel tag's eventId points at a new Custom
    JavaScript variable that returns a fresh random ID; the server tag sends another
    event name."""
    add_variable(
        web,
        "Fresh random ID",
        "jsm",
        [{"type": "TEMPLATE", "key": "javascript", "value": RANDOM_ID_JS}],
    )
    set_param(tag(web, names.tiktok_tag(event)), "eventId", "{{Fresh random ID}}")
    set_param(tag(server, names.tiktok_tag(event)), "eventName", "Purchase")


def write(tmp: Path, web: dict[str, Any], server: dict[str, Any]) -> tuple[Path, Path]:
    web_path, server_path = tmp / "site.web.json", tmp / "site.server.json"
    web_path.write_text(json.dumps(web, indent=4), encoding="utf-8")
    server_path.write_text(json.dumps(server, indent=4), encoding="utf-8")
    return web_path, server_path


def trigger_id(export: dict[str, Any], event: str) -> str:
    wanted = names.trigger(event)
    return cast(
        str,
        next(t["triggerId"] for t in export["containerVersion"]["trigger"] if t["name"] == wanted),
    )
