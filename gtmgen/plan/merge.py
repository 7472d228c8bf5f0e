"""What an import does: entity by entity (added / modified / deleted, or the new name
merge-rename gives), and the container GTM holds afterwards.

Entities are matched by kind and name (rules R1, R2); their contents are compared in
diff's normal form (IDs, fingerprints and paths left out, references by name), so an
entity whose only difference is its ID is unchanged.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gtmgen.diff.compare import CHANGED, diff_exports
from gtmgen.diff.normalize import Export, _entity_name, normalise
from gtmgen.gtm import reader
from gtmgen.gtm.container import Container
from gtmgen.gtm.format import ID_KEYS
from gtmgen.plan import rules

ADDED, MODIFIED, DELETED, UNCHANGED = "added", "modified", "deleted", "unchanged"


@dataclass
class Side:
    """One export, read once: raw JSON, the simulator's index and diff's normal form."""

    file: str
    data: dict[str, Any]
    normal: Export
    container: Container = field(init=False)

    def __post_init__(self) -> None:
        self.container = Container(self.data, file=self.file)

    @property
    def version(self) -> dict[str, Any]:
        return self.data["containerVersion"]  # type: ignore[no-any-return]

    def named(self, kind: str) -> dict[str, dict[str, Any]]:
        """Raw entities of one kind by name (a repeated name gets diff's ``(#2)``)."""
        out: dict[str, dict[str, Any]] = {}
        seen: dict[str, int] = {}
        items = self.version.get(kind)
        for raw in items if isinstance(items, list) else []:
            if not isinstance(raw, dict):
                continue
            name = _entity_name(kind, raw)
            seen[name] = seen.get(name, 0) + 1
            out[name if seen[name] == 1 else f"{name} (#{seen[name]})"] = raw
        return out


def read_side(path: Path) -> Side:
    """Read an export with the one reader (InputError, exit 2, when it is not one)."""
    data = reader.read_export(path).data
    return Side(str(path), data, normalise(data, file=str(path)))


@dataclass(frozen=True)
class Item:
    """One line of the import's confirmation: what happens to one entity."""

    kind: str
    name: str  # in NEW (in TARGET for a deleted entity)
    action: str  # ADDED, MODIFIED, DELETED or UNCHANGED
    new_name: str | None = None  # merge-rename: the name the imported copy gets
    theirs: bool = False  # the TARGET entity it replaces or deletes is not gtmgen's
    ours_in_target: bool = False  # ... is gtmgen's
    fields: tuple[str, ...] = ()  # the fields that change (modified)
    template_type: str = ""  # customTemplate: TAG, MACRO or CLIENT (___INFO___.type)


def plan_items(target: Side, new: Side, mode: str) -> list[Item]:
    """Every entity the import adds, modifies or deletes (and the unchanged ones), by kind."""
    items = _plan_items(target, new, mode)
    types = {**_template_types(target), **_template_types(new)}
    return [
        replace(i, template_type=types.get(i.name, "")) if i.kind == "customTemplate" else i
        for i in items
    ]


def _template_types(side: Side) -> dict[str, str]:
    out = {}
    for name, raw in side.named("customTemplate").items():
        data = raw.get("templateData")
        match = (
            re.search(r'"type"\s*:\s*"(TAG|MACRO|CLIENT)"', data) if isinstance(data, str) else None
        )
        out[name] = match.group(1) if match else ""
    return out


def _plan_items(target: Side, new: Side, mode: str) -> list[Item]:
    items: list[Item] = []
    changes = {
        (c.kind, c.name): tuple(f.field for f in c.fields)
        for c in diff_exports(target.normal, new.normal)
        if c.change == CHANGED
    }
    for kind in rules.KINDS:
        old, incoming = target.named(kind), new.named(kind)
        taken = set(old) | set(incoming)
        for name in sorted(incoming):
            before = old.get(name)
            if before is None:
                items.append(Item(kind, name, ADDED))
                continue
            changed = changes.get((kind, name), ())
            ours = rules.made_by_gtmgen(kind, before)
            theirs = not ours and kind != "builtInVariable"
            if not changed:
                items.append(Item(kind, name, UNCHANGED, ours_in_target=ours))
            elif mode == rules.MERGE_RENAME and kind != "builtInVariable":
                new_name = rules.renamed(name, taken)
                taken.add(new_name)
                items.append(
                    Item(kind, name, ADDED, new_name=new_name, ours_in_target=ours, fields=changed)
                )
            else:
                items.append(
                    Item(kind, name, MODIFIED, theirs=theirs, ours_in_target=ours, fields=changed)
                )
        if mode == rules.OVERWRITE:
            for name in sorted(old):
                raw = old[name]
                if name not in incoming:
                    ours = rules.made_by_gtmgen(kind, raw)
                    items.append(Item(kind, name, DELETED, theirs=not ours, ours_in_target=ours))
    return items


# --- the container after the import ------------------------------------------------


def merged_export(target: Side, new: Side, items: list[Item], mode: str) -> dict[str, Any]:
    """The export of the workspace as GTM would hold it after the import (R1-R8).

    NEW's entities get TARGET's account and container IDs, the ID of the TARGET entity
    they replace or a fresh one, and their references (triggers, folder, ``cvt_`` type,
    setup and teardown tags, renamed ``{{variables}}``) follow.
    """
    tv = copy.deepcopy(target.version)
    account, container_id = str(tv.get("accountId", "0")), str(tv.get("containerId", "0"))
    by_key = {(i.kind, i.name): i for i in items}
    final_name = {(i.kind, i.name): i.new_name or i.name for i in items}
    id_map: dict[str, dict[str, str]] = {}
    for kind in rules.ID_KINDS:
        id_key = ID_KEYS[kind]
        old = target.named(kind)
        used = {str(e.get(id_key)) for e in old.values()}
        numbers = [int(x) for x in used if x.isdigit()]
        next_id = max(numbers, default=0) + 1
        mapping: dict[str, str] = {}
        for name, raw in new.named(kind).items():
            item = by_key.get((kind, name))
            keep = old.get(name) if item and item.new_name is None else None
            if keep is not None:
                mapping[str(raw.get(id_key))] = str(keep.get(id_key))
            else:
                while str(next_id) in used:
                    next_id += 1
                mapping[str(raw.get(id_key))] = str(next_id)
                used.add(str(next_id))
        id_map[kind] = mapping
    new_container_id = str(new.version.get("containerId", ""))
    renamed_vars = {i.name: i.new_name for i in items if i.kind == "variable" and i.new_name}
    renamed_tags = {i.name: i.new_name for i in items if i.kind == "tag" and i.new_name}

    def rewrite(kind: str, name: str, raw: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(raw)
        out["accountId"], out["containerId"] = account, container_id
        if kind in ID_KEYS:
            out[ID_KEYS[kind]] = id_map[kind].get(str(raw.get(ID_KEYS[kind])), "0")
        out["name"] = final_name.get((kind, name), name)
        for key in ("firingTriggerId", "blockingTriggerId"):
            if isinstance(out.get(key), list):
                out[key] = [_trigger(id_map, t) for t in out[key]]
        if "parentFolderId" in out:
            out["parentFolderId"] = id_map["folder"].get(
                str(out["parentFolderId"]), str(out["parentFolderId"])
            )
        type_ = out.get("type")
        if isinstance(type_, str):
            match = re.fullmatch(r"cvt_(\d+)_(\d+)", type_)
            if match and match.group(1) == new_container_id:
                template = id_map["customTemplate"].get(match.group(2), match.group(2))
                out["type"] = f"cvt_{container_id}_{template}"
        for key in ("setupTag", "teardownTag"):
            for ref in out.get(key) or []:
                if isinstance(ref, dict) and ref.get("tagName") in renamed_tags:
                    ref["tagName"] = renamed_tags[ref["tagName"]]
        for key in ("path", "tagManagerUrl", "workspaceId"):
            out.pop(key, None)
        if renamed_vars:
            out = _rename_refs(out, renamed_vars)
        return out

    for kind in rules.KINDS:
        incoming = new.named(kind)
        if not incoming and mode != rules.OVERWRITE:
            continue
        current = target.named(kind)
        result: list[dict[str, Any]] = []
        if mode == rules.OVERWRITE:
            result = [rewrite(kind, n, raw) for n, raw in incoming.items()]
        else:
            replaced = {i.name for i in items if i.kind == kind and i.action == MODIFIED}
            result = [
                rewrite(kind, n, incoming[n]) if n in replaced else raw
                for n, raw in current.items()
            ]
            result += [
                rewrite(kind, i.name, incoming[i.name])
                for i in items
                if i.kind == kind and i.action == ADDED
            ]
        if kind == "builtInVariable":
            result = [
                {
                    "accountId": account,
                    "containerId": container_id,
                    "type": b.get("type"),
                    "name": b.get("name"),
                }
                for b in result
            ]
        if result:
            tv[kind] = result
        else:
            tv.pop(kind, None)
    return {
        "exportFormatVersion": target.data.get("exportFormatVersion", 2),
        "exportTime": target.data.get("exportTime", ""),
        "containerVersion": tv,
    }


def _trigger(id_map: dict[str, dict[str, str]], value: Any) -> Any:
    text = str(value)
    if text.isdigit() and int(text) >= rules.BUILTIN_TRIGGER_MIN:
        return text
    return id_map["trigger"].get(text, text)


def _rename_refs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, str):
        return re.sub(
            r"\{\{([^{}]+)\}\}", lambda m: "{{" + renamed.get(m.group(1), m.group(1)) + "}}", node
        )
    if isinstance(node, list):
        return [_rename_refs(x, renamed) for x in node]
    if isinstance(node, dict):
        return {k: _rename_refs(v, renamed) for k, v in node.items()}
    return node
