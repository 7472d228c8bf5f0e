"""Container export skeleton, stable IDs, fingerprints and GTM's own JSON layout."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_json  # loaded with pydantic, which every build imports

EXPORT_TIME = "2000-01-01 00:00:00"  # fixed: exports carry no wall-clock time
ID_SPACE = 10**9  # IDs below GTM's built-in trigger IDs (2147479553 and up)

# GTM's key order for containerVersion (research/gtm-export-format.md §2).
VERSION_KEYS = (
    "path",
    "accountId",
    "containerId",
    "containerVersionId",
    "name",
    "description",
    "container",
    "tag",
    "trigger",
    "variable",
    "folder",
    "builtInVariable",
    "fingerprint",
    "tagManagerUrl",
    "customTemplate",
    "client",
    "transformation",
)


def digits(text: str | bytes, width: int) -> str:
    """A stable decimal string of ``width`` digits (no leading zero) derived from ``text``."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    number = int.from_bytes(hashlib.sha256(data).digest()[:8], "big")
    low = 10 ** (width - 1)
    return str(low + number % (9 * low))


class IdAllocator:
    """IDs derived from each entity's (kind, name), unique across kinds in one container.

    An entity keeps its ID whatever else the spec adds, removes or reorders. Two keys that
    hash to the same number are told apart by probing in the order of their keys, so a
    collision (about one in 10^5 for a 1,000-event spec) moves only the entities involved.
    """

    def __init__(self) -> None:
        self._taken: dict[str, str] = {}

    def allocate(self, keys: list[str]) -> dict[str, str]:
        result = {}
        for key in sorted(keys):
            attempt = 0
            while True:
                salt = key if attempt == 0 else f"{key}#{attempt}"
                number = int.from_bytes(hashlib.sha256(salt.encode("utf-8")).digest()[:8], "big")
                candidate = str(1 + number % (ID_SPACE - 1))
                if candidate not in self._taken:
                    self._taken[candidate] = key
                    result[key] = candidate
                    break
                attempt += 1
        return result


def fingerprint(entity: dict[str, Any]) -> str:
    """A 13-digit fingerprint derived from the entity's content (GTM uses a timestamp).

    The content is the entity's compact JSON in its own key order, which the builder
    fixes (GTM's), as pydantic-core writes it: about twice as fast as the json module's
    sorted encoding used before, which gave other digits.
    """
    return digits(to_json(entity), 13)


def _version_fingerprint(version: dict[str, Any]) -> str:
    """The version's fingerprint, from its entities' fingerprints.

    Each entity's fingerprint already covers all of its content, so hashing them (with
    the few fields that have none) gives a fingerprint that changes whenever anything in
    the version does, without encoding the whole version a second time (that took as
    long as the rest of the build for 1,000 events).
    """

    def summary(value: Any) -> Any:
        if isinstance(value, list):
            return [summary(item) for item in value]
        if isinstance(value, dict) and value.get("fingerprint"):
            return value["fingerprint"]
        return value

    body = {key: summary(value) for key, value in version.items()}
    return fingerprint(body)


@dataclass(frozen=True)
class Serialised:
    """An export in GTM's layout, and as compact JSON (no indentation): its size is
    gtmgen's estimate of the container's size (see pipeline._sizes), its text what the
    build's export check scans for references (see validate.check_data)."""

    text: str
    compact: bytes

    @property
    def compact_bytes(self) -> int:
        return len(self.compact)


def dumps(export: dict[str, Any]) -> str:
    """GTM's layout: 4-space indent, raw UTF-8, no trailing newline."""
    return serialise(export).text


def serialise(export: dict[str, Any]) -> Serialised:
    """The same text as ``json.dumps(export, indent=4, ensure_ascii=False)``, and the
    export's size as compact JSON.

    pydantic-core (already loaded with pydantic) writes both in Rust: three times as fast
    as a hand-made Python writer, and about six times as fast as the json module, which
    falls back to pure Python when it indents. Its layout is serde_json's, the json
    module's for everything an export holds (objects with string keys, lists, strings,
    integers, booleans, null; tests compare the two byte for byte). Floats could differ
    (1e-05 comes out as 0.00001), but no export holds one.
    """
    return Serialised(to_json(export, indent=4).decode("utf-8"), to_json(export))


def container_version(
    *,
    account_id: str,
    container_id: str,
    container: dict[str, Any],
    collections: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """Assemble ``containerVersion`` in GTM's key order, omitting empty collections."""
    path = f"accounts/{account_id}/containers/{container_id}/versions/0"
    version: dict[str, Any] = {
        "path": path,
        "accountId": account_id,
        "containerId": container_id,
        "containerVersionId": "0",
        "container": container,
    }
    for key in ("tag", "trigger", "variable", "folder", "builtInVariable"):
        if collections.get(key):
            version[key] = collections[key]
    version["fingerprint"] = _version_fingerprint(version)
    version["tagManagerUrl"] = (
        f"https://tagmanager.google.com/#/versions/accounts/{account_id}/containers/"
        f"{container_id}/versions/0?apiLink=version"
    )
    for key in ("customTemplate", "client", "transformation"):
        if collections.get(key):
            version[key] = collections[key]
    return {"exportFormatVersion": 2, "exportTime": EXPORT_TIME, "containerVersion": version}


def container_entity(
    *,
    account_id: str,
    container_id: str,
    name: str,
    public_id: str,
    context: str,
    tagging_server_urls: list[str] | None = None,
) -> dict[str, Any]:
    server = context == "SERVER"
    entity: dict[str, Any] = {
        "path": f"accounts/{account_id}/containers/{container_id}",
        "accountId": account_id,
        "containerId": container_id,
        "name": name,
        "publicId": public_id,
        "usageContext": [context],
        "fingerprint": "",
        "tagManagerUrl": (
            f"https://tagmanager.google.com/#/container/accounts/{account_id}/containers/"
            f"{container_id}/workspaces?apiLink=container"
        ),
        "features": {
            "supportUserPermissions": True,
            "supportEnvironments": True,
            "supportWorkspaces": True,
            "supportGtagConfigs": False,
            "supportBuiltInVariables": True,
            "supportClients": server,
            "supportFolders": True,
            "supportTags": True,
            "supportTemplates": True,
            "supportTriggers": True,
            "supportVariables": True,
            "supportVersions": True,
            "supportZones": True,
            "supportTransformations": server,
        },
        "tagIds": [public_id],
    }
    if tagging_server_urls:
        entity["taggingServerUrls"] = tagging_server_urls
    entity["fingerprint"] = fingerprint(entity)
    return entity
