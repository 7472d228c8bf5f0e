"""Our built-in entity types look like the real thing: for every built-in (non-template)
type we emit, each parameter key we write, with its parameter type, appears on that same
type somewhere in the corpus of real exports. The types come from our exports."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

KINDS = ("tag", "variable", "client", "transformation")
Shape = tuple[str, str]  # ("eventSettingsTable[].parameter", "TEMPLATE")


def shapes(parameters: Any, prefix: str = "") -> Iterator[Shape]:
    """(key path, parameter type) of every parameter; list items add ``[]``."""
    for param in parameters or ():
        key = param.get("key")
        path = f"{prefix}.{key}" if prefix and key else (key or prefix)
        yield path, param["type"]
        if param["type"] == "LIST":
            yield from shapes(param.get("list"), f"{path}[]")
        elif param["type"] == "MAP":
            yield from shapes(param.get("map"), path)


def entity_shapes(exports: list[dict[str, Any]]) -> dict[tuple[str, str], set[Shape]]:
    """(kind, built-in type) -> shapes of its parameters across ``exports``."""
    out: dict[tuple[str, str], set[Shape]] = defaultdict(set)
    for export in exports:
        version = export["containerVersion"]
        for kind in KINDS:
            for entity in version.get(kind, ()):
                if not entity["type"].startswith("cvt_"):
                    out[kind, entity["type"]].update(shapes(entity.get("parameter")))
    return out


@cache
def corpus_shapes(folder: Path) -> dict[tuple[str, str], set[Shape]]:
    exports = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return entity_shapes(exports)


def test_shapes_of_a_settings_table() -> None:
    table = [
        {
            "type": "LIST",
            "key": "eventSettingsTable",
            "list": [
                {"type": "MAP", "map": [{"type": "TEMPLATE", "key": "parameter", "value": "a"}]}
            ],
        }
    ]
    assert list(shapes(table)) == [
        ("eventSettingsTable", "LIST"),
        ("eventSettingsTable[]", "MAP"),
        ("eventSettingsTable[].parameter", "TEMPLATE"),
    ]


def test_our_built_in_types_are_derived_from_our_exports(
    our_exports: dict[str, dict[str, Any]],
) -> None:
    ours = entity_shapes(list(our_exports.values()))
    types = {t for _, t in ours}
    assert {"googtag", "gaawe", "jsm", "v", "c", "ed", "gaaw_client"} <= types


def test_every_built_in_parameter_we_emit_occurs_in_the_corpus(
    our_exports: dict[str, dict[str, Any]],
    corpus_dir: Path,
) -> None:
    real = corpus_shapes(corpus_dir)
    missing = []
    for (kind, type_), ours in sorted(entity_shapes(list(our_exports.values())).items()):
        if (kind, type_) not in real:
            missing.append(f"{kind} type {type_!r} never occurs in the corpus")
            continue
        for key, param_type in sorted(ours - real[kind, type_]):
            missing.append(
                f"{kind} {type_!r}: parameter {key!r} ({param_type}) never "
                "occurs on this type in the corpus"
            )
    assert missing == []


def test_our_built_in_variables_and_triggers_occur_in_the_corpus(
    our_exports: dict[str, dict[str, Any]],
    corpus_dir: Path,
) -> None:
    real_builtins: set[tuple[str, str]] = set()
    real_triggers: set[tuple[str, str]] = set()
    for path in sorted(corpus_dir.glob("*.json")):
        version = json.loads(path.read_text(encoding="utf-8"))["containerVersion"]
        real_builtins |= {(b["type"], b["name"]) for b in version.get("builtInVariable", ())}
        real_triggers |= {(t["type"], key) for t in version.get("trigger", ()) for key in t}
    for export in our_exports.values():
        version = export["containerVersion"]
        for builtin in version.get("builtInVariable", ()):
            assert (builtin["type"], builtin["name"]) in real_builtins
        for trigger in version.get("trigger", ()):
            for key in trigger:
                # notes (gtmgen's marker, docs/plan.md) do not depend on the trigger's type:
                # enough that real triggers of some type carry them
                seen = (trigger["type"], key) in real_triggers or (
                    key == "notes" and any(k == "notes" for _, k in real_triggers)
                )
                assert seen, (trigger["name"], key)


@pytest.mark.parametrize("kind", KINDS)
def test_corpus_has_shapes_to_compare_with(corpus_dir: Path, kind: str) -> None:
    if kind == "transformation":
        assert any(k == kind for k, _ in corpus_shapes(corpus_dir))
    else:
        assert len([t for k, t in corpus_shapes(corpus_dir) if k == kind]) >= 3


def test_a_parameter_real_exports_never_have_is_noticed(corpus_dir: Path) -> None:
    made_up = {
        "containerVersion": {
            "tag": [
                {
                    "type": "gaawe",
                    "parameter": [
                        {"type": "TEMPLATE", "key": "eventName", "value": "x"},
                        {"type": "BOOLEAN", "key": "eventName2", "value": "true"},
                    ],
                }
            ]
        }
    }
    ours = entity_shapes([made_up])["tag", "gaawe"]
    assert ours - corpus_shapes(corpus_dir)["tag", "gaawe"] == {("eventName2", "BOOLEAN")}
