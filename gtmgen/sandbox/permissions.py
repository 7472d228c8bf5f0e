"""Which sandboxed API needs which permission, and the declared permissions in plain form.

The tables follow Google's API references ("Associated permissions" of each API):
https://developers.google.com/tag-platform/tag-manager/templates/api (web) and
https://developers.google.com/tag-platform/tag-manager/server-side/api (server).
"""

from __future__ import annotations

import re
from typing import Any

# API -> the permission it needs; None: the API needs no permission.
_COMMON: dict[str, str | None] = {
    "JSON": None,
    "Math": None,
    "Object": None,
    "getType": None,
    "makeString": None,
    "makeNumber": None,
    "makeInteger": None,
    "makeTableMap": None,
    "encodeUri": None,
    "encodeUriComponent": None,
    "decodeUri": None,
    "decodeUriComponent": None,
    "toBase64": None,
    "fromBase64": None,
    "parseUrl": None,
    "getTimestampMillis": None,
    "getTimestamp": None,
    "generateRandom": None,
    "callLater": None,
    "queryPermission": None,
    "logToConsole": "logging",
    "getContainerVersion": "read_container_data",
    "getCookieValues": "get_cookies",
}
WEB_APIS: dict[str, str | None] = {
    **_COMMON,
    "copyFromWindow": "access_globals",
    "setInWindow": "access_globals",
    "callInWindow": "access_globals",
    "createQueue": "access_globals",
    "createArgumentsQueue": "access_globals",
    "aliasInWindow": "access_globals",
    "injectScript": "inject_script",
    "templateStorage": "access_template_storage",
    "sha256": None,
    "isConsentGranted": "access_consent",
    "addConsentListener": "access_consent",
}
SERVER_APIS: dict[str, str | None] = {
    **_COMMON,
    "getAllEventData": "read_event_data",
    "getEventData": "read_event_data",
    "setCookie": "set_cookies",
    "getRequestHeader": "read_request",
    "sendHttpRequest": "send_http",
    "sendHttpGet": "send_http",
    "sha256Sync": None,
    "sha256": None,
    "Promise": None,
}
APIS = {"WEB": WEB_APIS, "SERVER": SERVER_APIS}

_REQUIRE = re.compile(r"\brequire\s*\(\s*(?:'([^'\\]*)'|\"([^\"\\]*)\")\s*\)")
_ANY_REQUIRE = re.compile(r"\brequire\s*\(")

# Types of GTM's typed values in permission params: 1 string, 2 list, 3 map, 8 boolean.
_STRING, _LIST, _MAP, _BOOLEAN = 1, 2, 3, 8


def plain(value: Any) -> Any:
    """A permission param's typed value as plain JSON (strings, lists, dicts, booleans)."""
    if not isinstance(value, dict):
        return value
    kind = value.get("type")
    if kind == _LIST:
        return [plain(item) for item in value.get("listItem", [])]
    if kind == _MAP:
        keys = [plain(k) for k in value.get("mapKey", [])]
        values = [plain(v) for v in value.get("mapValue", [])]
        return dict(zip(keys, values, strict=False))
    if kind == _BOOLEAN:
        return value.get("boolean") is True
    if kind == _STRING:
        return value.get("string", "")
    return None


def permission_config(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{publicId: {param key: plain value}} of a template's permission entries."""
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        instance = entry.get("instance", {}) if isinstance(entry, dict) else {}
        public_id = instance.get("key", {}).get("publicId")
        if isinstance(public_id, str):
            out[public_id] = {
                p["key"]: plain(p.get("value"))
                for p in instance.get("param", [])
                if isinstance(p, dict) and isinstance(p.get("key"), str)
            }
    return out


def required_apis(code: str) -> list[str]:
    """The API names the code requires, in order of first use."""
    names: list[str] = []
    for match in _REQUIRE.finditer(code):
        name = match.group(1) if match.group(1) is not None else match.group(2)
        if name not in names:
            names.append(name)
    return names


def permission_problems(code: str, context: str, declared: set[str]) -> list[str]:
    """What is wrong between the code's require() calls and the declared permissions:
    an unknown API, an API whose permission is missing, a permission nothing needs."""
    table = APIS[context]
    problems = []
    literal = len(_REQUIRE.findall(code))
    if len(_ANY_REQUIRE.findall(code)) != literal:
        problems.append("require() is called with a name that is not a string literal")
    needed: set[str] = set()
    for api in required_apis(code):
        if api not in table:
            problems.append(f"unknown {context} API {api!r}")
            continue
        permission = table[api]
        if permission is not None:
            needed.add(permission)
            if permission not in declared:
                problems.append(f"{api} needs the permission {permission}, which is not declared")
    for permission in sorted(declared - needed):
        problems.append(f"the permission {permission} is declared but no API needs it")
    return problems


def typed(value: Any) -> dict[str, Any]:
    """A plain value in GTM's typed form (the inverse of :func:`plain`)."""
    if isinstance(value, bool):
        return {"type": _BOOLEAN, "boolean": value}
    if isinstance(value, list):
        return {"type": _LIST, "listItem": [typed(item) for item in value]}
    if isinstance(value, dict):
        return {
            "type": _MAP,
            "mapKey": [typed(str(k)) for k in value],
            "mapValue": [typed(v) for v in value.values()],
        }
    return {"type": _STRING, "string": str(value)}


def permission_entry(public_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """One ___*_PERMISSIONS___ entry as the template editor writes it."""
    entry: dict[str, Any] = {
        "instance": {
            "key": {"publicId": public_id, "versionId": "1"},
            "param": [{"key": k, "value": typed(v)} for k, v in params.items()],
        }
    }
    if params:
        entry["clientAnnotations"] = {"isEditedByUser": True}
    entry["isRequired"] = True
    return entry


def _grants(public_id: str, params: dict[str, Any]) -> list[str]:
    """What a declared permission allows, one item per key, name, URL pattern or mode."""
    if public_id == "access_globals":
        return [
            f"access_globals:{e.get('key')}:{mode}"
            for e in params.get("keys", [])
            for mode in ("read", "write", "execute")
            if e.get(mode) is True
        ]
    if public_id == "access_consent":
        return [
            f"access_consent:{e.get('consentType')}:{mode}"
            for e in params.get("consentTypes", [])
            for mode in ("read", "write")
            if e.get(mode) is True
        ]
    lists = {
        "inject_script": "urls",
        "send_http": "urls",
        "get_cookies": "cookieNames",
        "read_event_data": "keyPatterns",
    }
    if public_id in lists and params.get(lists[public_id]):
        return [f"{public_id}:{item}" for item in params[lists[public_id]]]
    if public_id == "set_cookies":
        return [f"set_cookies:{c.get('name')}" for c in params.get("allowedCookies", [])]
    return [public_id]


def _covers(grant: str, use: str) -> bool:
    kind, _, item = grant.partition(":")
    if use != kind and not use.startswith(kind + ":"):
        return False
    if not item:  # the whole permission (no list of keys, names or URLs)
        return True
    if kind in ("inject_script", "send_http") and item.endswith("*"):
        return use.startswith(f"{kind}:{item[:-1]}")
    if kind == "read_event_data" and item.endswith("*"):
        return use.startswith(f"{kind}:{item[:-1]}")
    return grant == use


def unused_grants(declared: dict[str, dict[str, Any]], uses: list[str]) -> list[str]:
    """The parts of the declared permissions that none of ``uses`` (the
    ``permission_uses`` of some runs) needed: what the template could drop."""
    return [
        grant
        for public_id, params in declared.items()
        for grant in _grants(public_id, params)
        if not any(_covers(grant, use) for use in uses)
    ]
