"""No export, however mangled, makes the validator raise: every node of a small export is
replaced in turn by values of every JSON type."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from gtmgen.validate import check_export
from tests.conftest import build_exports

JUNK: list[Any] = [None, -1.5, True, "x{{", [None], {}, {"type": "LIST"}]
Path = tuple[str | int, ...]


def small_export() -> dict[str, Any]:
    """Our server export cut to one entity per kind (a client, a template, conditions)."""
    export = copy.deepcopy(build_exports(None)["acme-shop.server.json"])
    version = export["containerVersion"]
    for key, value in version.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            version[key] = value[:1]
    return export


def node_paths(value: Any, path: Path = ()) -> Iterator[Path]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from node_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from node_paths(child, (*path, index))


def replaced(export: dict[str, Any], path: Path, junk: Any) -> Any:
    if not path:
        return copy.deepcopy(junk)
    out = copy.deepcopy(export)
    node: Any = out  # a dict or a list, depending on the path
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = copy.deepcopy(junk)
    return out


EXPORT = small_export()
PATHS = [p for p in node_paths(EXPORT) if "templateData" not in p]


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_any_node_replaced_by_junk(junk: Any) -> None:
    assert len(PATHS) > 100
    crashed = []
    for path in PATHS:
        try:
            findings = check_export(replaced(EXPORT, path, junk), file="f.json")
        except Exception as exc:  # the point of the test: report, never raise
            crashed.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        assert isinstance(findings, list)
    assert crashed == []


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_template_data_replaced_by_junk(junk: Any) -> None:
    version = copy.deepcopy(EXPORT)
    version["containerVersion"]["customTemplate"][0]["templateData"] = copy.deepcopy(junk)
    assert isinstance(check_export(version, file="f.json"), list)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "___INFO___",
        "___INFO___\n\n[1, 2]",
        "___TESTS___\n\n: : :\n",
        "___TESTS___\n\n- a",
        '___INFO___\n\n{"type": [], "containerContexts": [1]}',
        "\x00\ufeff___INFO___\n",
        '___INFO___\n\n{"type": "TAG", "containerContexts": "SERVER"}',
    ],
)
def test_odd_template_texts(text: str) -> None:
    version = copy.deepcopy(EXPORT)
    version["containerVersion"]["customTemplate"][0]["templateData"] = text
    assert isinstance(check_export(version, file="f.json"), list)
