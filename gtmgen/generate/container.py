"""Collects the entities of one container by name, then gives them stable IDs.

Entities refer to each other by name while they are built (triggers, folder, template);
``finish`` allocates IDs from (kind, name), resolves those names and computes
fingerprints, so the output depends only on what is in the container, never on the
order in which it was added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gtmgen.generate import names
from gtmgen.gtm import export as gtm_export
from gtmgen.gtm.format import ID_KEYS, template_type
from gtmgen.gtm.params import Param, condition


@dataclass
class _Entity:
    kind: str
    name: str
    body: dict[str, Any]  # everything after accountId, containerId, <id>, name
    triggers: list[str] = field(default_factory=list)  # trigger names or built-in IDs
    template: str | None = None  # custom template name whose cvt_ type this entity has


class ContainerBuilder:
    def __init__(self, *, account_id: str, container_id: str, folder: str, note: str = "") -> None:
        self.account_id = account_id
        self.container_id = container_id
        self.folder = folder
        self.note = note  # gtmgen's marker (names.MARKER), given to every entity with notes
        self._entities: dict[tuple[str, str], _Entity] = {}
        self._builtins: dict[str, str] = {}
        self._made: dict[tuple[str, str], str] = {}

    def _add(self, entity: _Entity) -> str:
        key = (entity.kind, entity.name)
        existing = self._entities.get(key)
        if existing is not None and existing != entity:
            raise ValueError(f"two different {entity.kind}s named {entity.name!r}")
        self._entities[key] = entity
        return entity.name

    def once(self, key: tuple[str, str], make: Callable[[], str]) -> str:
        """The name ``make()`` returns, called for the first ``key`` only: for an entity
        that depends on ``key`` alone and that many events share (the variable of one data
        layer path), so that it is built once, not once per event and compared."""
        name = self._made.get(key)
        if name is None:
            name = self._made[key] = make()
        return name

    def variable(
        self, name: str, type_: str, parameter: list[Param], *, notes: str | None = None
    ) -> str:
        body: dict[str, Any] = {"type": type_}
        if notes:
            body["notes"] = notes
        body["parameter"] = parameter
        return self._add(_Entity("variable", name, body))

    def trigger(self, name: str, body: dict[str, Any]) -> str:
        return self._add(_Entity("trigger", name, body))

    def event_trigger(self, name: str, event: str, *, client: str | None = None) -> str:
        """A Custom Event trigger: exact match on the event name (and on the client)."""
        body: dict[str, Any] = {
            "type": "CUSTOM_EVENT",
            "customEventFilter": [condition("EQUALS", "{{_event}}", event)],
        }
        if client is not None:
            body["filter"] = [condition("EQUALS", "{{Client Name}}", client)]
        return self.trigger(name, body)

    def tag(
        self,
        name: str,
        type_: str,
        parameter: list[Param],
        *,
        triggers: list[str],
        consent: list[str] | None = None,
        template: str | None = None,
        notes: str | None = None,
    ) -> str:
        body: dict[str, Any] = {"type": type_}
        if notes:
            body["notes"] = notes
        body["parameter"] = parameter
        if consent is None:
            settings: dict[str, Any] = {"consentStatus": "NOT_SET"}
        else:
            settings = {
                "consentStatus": "NEEDED",
                "consentType": {
                    "type": "LIST",
                    "list": [{"type": "TEMPLATE", "value": c} for c in consent],
                },
            }
        body["__consent"] = settings
        return self._add(_Entity("tag", name, body, triggers=list(triggers), template=template))

    def client(self, name: str, type_: str, parameter: list[Param], *, priority: int) -> str:
        body = {"type": type_, "parameter": parameter, "priority": priority}
        return self._add(_Entity("client", name, body))

    def custom_template(self, name: str, template_data: str) -> str:
        return self._add(_Entity("customTemplate", name, {"templateData": template_data}))

    def builtin(self, type_: str, name: str) -> str:
        self._builtins[type_] = name
        return name

    def finish(self, container: dict[str, Any]) -> dict[str, Any]:
        folder = _Entity("folder", self.folder, {})
        self._entities[("folder", self.folder)] = folder
        if self.note:
            _mark(self._entities.values(), self.note)
        ids = gtm_export.IdAllocator().allocate(
            [f"{kind}\x00{name}" for kind, name in self._entities]
        )

        def id_of(kind: str, name: str) -> str:
            return ids[f"{kind}\x00{name}"]

        folder_id = id_of("folder", self.folder)
        collections: dict[str, list[dict[str, Any]]] = {}
        for (kind, name), entity in self._entities.items():
            head = {
                "accountId": self.account_id,
                "containerId": self.container_id,
                ID_KEYS[kind]: id_of(kind, name),
                "name": name,
            }
            if entity.template is not None:
                template_id = id_of("customTemplate", entity.template)
                entity.body["type"] = template_type(self.container_id, template_id)
            resolved = _layout(kind, head, entity, folder_id, id_of)
            collections.setdefault(kind, []).append(resolved)
        for items in collections.values():
            items.sort(key=lambda e: int(e[ID_KEYS[_kind_of(e)]]))
        collections["builtInVariable"] = [
            {
                "accountId": self.account_id,
                "containerId": self.container_id,
                "type": type_,
                "name": name,
            }
            for type_, name in sorted(self._builtins.items())
        ]
        return gtm_export.container_version(
            account_id=self.account_id,
            container_id=self.container_id,
            container=container,
            collections=collections,
        )


def _mark(entities: Any, note: str) -> None:
    """Give every entity of a kind that has notes (all but templates) the marker note."""
    for entity in entities:
        if entity.kind == "customTemplate":
            continue
        own = entity.body.get("notes")
        if not own:
            entity.body["notes"] = note
        elif names.MARKER not in own:
            entity.body["notes"] = f"{own} {note}"


def _kind_of(entity: dict[str, Any]) -> str:
    for kind, key in ID_KEYS.items():
        if key in entity:
            return kind
    raise KeyError("entity without an ID")


def _layout(
    kind: str, head: dict[str, Any], entity: _Entity, folder_id: str, id_of: Any
) -> dict[str, Any]:
    """Put the entity's keys in GTM's order (research/gtm-export-format.md §4)."""
    body = dict(entity.body)
    out = dict(head)
    if kind == "folder":
        out["fingerprint"] = ""
        if body.get("notes"):
            out["notes"] = body["notes"]
        out["fingerprint"] = gtm_export.fingerprint(out)
        return out
    if kind == "customTemplate":
        out["fingerprint"] = ""
        out["templateData"] = body["templateData"]
        out["fingerprint"] = gtm_export.fingerprint(out)
        return out
    notes = body.pop("notes", None)
    consent = body.pop("__consent", None)
    out["type"] = body.pop("type")
    if notes and kind in ("tag", "variable"):
        out["notes"] = notes
    if kind == "trigger":
        out.update(body)
        out["fingerprint"] = ""
        out["parentFolderId"] = folder_id
        if notes:
            out["notes"] = notes
    elif kind == "client":
        out["parameter"] = body["parameter"]
        out["priority"] = body["priority"]
        out["fingerprint"] = ""
        out["parentFolderId"] = folder_id
        if notes:
            out["notes"] = notes
    elif kind == "variable":
        out["parameter"] = body["parameter"]
        out["fingerprint"] = ""
        out["parentFolderId"] = folder_id
        out["formatValue"] = {}
    else:  # tag
        out["parameter"] = body["parameter"]
        out["fingerprint"] = ""
        out["firingTriggerId"] = [
            t if t.isdigit() else id_of("trigger", t) for t in entity.triggers
        ]
        out["parentFolderId"] = folder_id
        out["tagFiringOption"] = "ONCE_PER_EVENT"
        out["monitoringMetadata"] = {"type": "MAP"}
        out["consentSettings"] = consent
    out["fingerprint"] = gtm_export.fingerprint(out)
    return out
