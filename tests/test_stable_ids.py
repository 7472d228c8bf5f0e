"""Stable IDs and names: editing one event changes only that event's entities, byte for byte.

Each tests/specs/vcs-shop-*.yaml is tests/specs/vcs-shop.yaml with one change. The
exports are compared entity by entity on their JSON text, IDs included; only
containerVersion.fingerprint may differ besides the changed event's entities.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gtmgen.generate import names
from gtmgen.generate.pipeline import build_spec
from gtmgen.gtm.export import IdAllocator

SPECS = Path(__file__).resolve().parent / "specs"
ID_KEYS = {
    "tag": "tagId",
    "trigger": "triggerId",
    "variable": "variableId",
    "folder": "folderId",
    "customTemplate": "templateId",
    "client": "clientId",
}
COLLECTIONS = (*ID_KEYS, "builtInVariable")

Key = tuple[str, str]


@cache
def exports(spec: str) -> dict[str, dict[str, Any]]:
    """{"web"|"server": parsed export} of tests/specs/<spec>.yaml."""
    files = build_spec(SPECS / f"{spec}.yaml", environ={}).files
    return {name.split(".")[-2]: json.loads(text) for name, text in files.items()}


def entities(export: dict[str, Any]) -> dict[Key, str]:
    """(kind, name) -> the entity's JSON text, exactly as in the export (ID included)."""
    out: dict[Key, str] = {}
    for kind in COLLECTIONS:
        for entity in export["containerVersion"].get(kind, []):
            key = (kind, entity["name"])
            assert key not in out, f"two {kind}s named {entity['name']!r}"
            out[key] = json.dumps(entity, ensure_ascii=False)
    return out


def differing(old: dict[Key, str], new: dict[Key, str]) -> set[Key]:
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def event_entities(
    event: str, *, extra_web: set[Key], extra_server: set[Key], user_data: bool
) -> dict[str, set[Key]]:
    """What belongs to one event alone: its trigger and tags, plus the variables only it
    reads (given by the caller, who knows the spec)."""
    web = {
        ("tag", names.tiktok_tag(event)),
        ("tag", names.ga4_tag(event)),
        ("trigger", names.trigger(event)),
        *extra_web,
    }
    if user_data:
        web.add(("variable", names.user_data(event)))
    server = {("tag", names.tiktok_tag(event)), ("trigger", names.trigger(event)), *extra_server}
    return {"web": web, "server": server}


def assert_only(base: str, variant: str, expected: dict[str, set[Key]]) -> None:
    for side in ("web", "server"):
        old, new = entities(exports(base)[side]), entities(exports(variant)[side])
        changed = differing(old, new)
        assert changed == expected[side], (side, sorted(changed ^ expected[side]))
        untouched = old.keys() - changed
        assert len(untouched) > 10  # the assertion below is about many entities
        for key in untouched:
            assert old[key] == new[key]  # same ID, same bytes


def test_event_added_in_the_middle_changes_only_its_entities() -> None:
    expected = event_entities(
        "add_to_wishlist",
        user_data=True,
        extra_web={("variable", names.dlv("wishlist.name"))},
        extra_server={("variable", names.event_data("description"))},
    )
    assert_only("vcs-shop", "vcs-shop-added", expected)
    for side, keys in expected.items():  # all of them are new, none was moved
        assert keys.isdisjoint(entities(exports("vcs-shop")[side]))


def test_event_removed_changes_only_its_entities() -> None:
    expected = event_entities(
        "search",
        user_data=False,
        extra_web={("variable", names.dlv("search_term"))},
        extra_server={("variable", names.event_data("query"))},
    )
    assert_only("vcs-shop", "vcs-shop-removed", expected)
    for side, keys in expected.items():  # all of them are gone
        assert keys.isdisjoint(entities(exports("vcs-shop-removed")[side]))


def test_shared_variables_survive_a_removal_byte_for_byte() -> None:
    """ecommerce.value is read by every remaining event: its DLV and ED variable stay."""
    for base, variant in (("vcs-shop", "vcs-shop-removed"), ("vcs-shop", "vcs-shop-added")):
        for side, key in (
            ("web", ("variable", names.dlv("ecommerce.value"))),
            ("server", ("variable", names.event_data("value"))),
            ("web", ("variable", names.EVENT_ID)),
            ("server", ("variable", names.ED_EVENT_ID)),
        ):
            assert entities(exports(base)[side])[key] == entities(exports(variant)[side])[key]


def test_reversed_events_give_byte_identical_exports() -> None:
    for side in ("web", "server"):
        old, new = exports("vcs-shop")[side], exports("vcs-shop-reversed")[side]
        assert json.dumps(old) == json.dumps(new)  # fingerprint included


def test_removing_the_only_event_id_from_event_also_changes_the_event_id_variable() -> None:
    """The event_id variable holds the event_id_from table of the spec: when the only
    event with event_id_from goes, that variable changes, and nothing else outside the
    event does."""
    expected = event_entities(
        "purchase",
        user_data=True,
        extra_web={("variable", names.dlv("user_data.phone_number")), ("variable", names.EVENT_ID)},
        extra_server=set(),  # the server tag reads the hop's phone keys itself
    )
    assert_only("vcs-shop", "vcs-shop-no-purchase", expected)


def test_changing_the_tiktok_event_keeps_every_name_and_id() -> None:
    for side in ("web", "server"):
        old, new = exports("vcs-shop")[side], exports("vcs-shop-retarget")[side]
        old_entities, new_entities = entities(old), entities(new)
        assert old_entities.keys() == new_entities.keys()
        tag = ("tag", names.tiktok_tag("add_to_cart"))
        assert differing(old_entities, new_entities) == {tag}
        before, after = (json.loads(e[tag]) for e in (old_entities, new_entities))
        assert before[ID_KEYS["tag"]] == after[ID_KEYS["tag"]]
        event_names = [
            (p["value"], q["value"])
            for p, q in zip(before["parameter"], after["parameter"], strict=True)
            if p["key"] == "eventName"
        ]
        assert event_names == [("AddToCart", "AddToWishlist")]


@pytest.mark.parametrize("spec", ["vcs-shop", "vcs-shop-added", "vcs-shop-removed"])
def test_entities_are_sorted_by_id_and_ids_are_unique(spec: str) -> None:
    for export in exports(spec).values():
        seen: set[str] = set()
        for kind, id_key in ID_KEYS.items():
            ids = [e[id_key] for e in export["containerVersion"].get(kind, [])]
            assert ids == sorted(ids, key=int)
            assert seen.isdisjoint(ids)
            seen.update(ids)


def test_an_id_depends_only_on_kind_and_name() -> None:
    keys = [f"tag\x00gtmgen - TikTok - e{i}" for i in range(300)]
    alone = IdAllocator().allocate(keys[:1])
    among = IdAllocator().allocate(list(reversed(keys)))
    assert alone[keys[0]] == among[keys[0]]
    assert len(set(among.values())) == len(keys)


def test_colliding_ids_are_told_apart_and_only_the_later_key_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a tiny ID space, collisions are certain: every key still gets its own ID, and a
    key keeps its ID unless it collides with a key that sorts before it."""
    monkeypatch.setattr("gtmgen.gtm.export.ID_SPACE", 40)
    keys = [f"variable\x00v{i}" for i in range(30)]
    full = IdAllocator().allocate(keys)
    assert len(set(full.values())) == len(keys)
    assert IdAllocator().allocate(list(reversed(keys))) == full
    first_choice = {k: IdAllocator().allocate([k])[k] for k in keys}
    moved = [k for k in keys if full[k] != first_choice[k]]
    assert moved  # the tiny space did produce collisions
    for key in moved:  # a moved key lost its first choice to a key sorting before it
        owner = [k for k in keys if full[k] == first_choice[key]]
        assert owner and owner[0] < key
