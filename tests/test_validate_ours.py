"""Our own exports pass `gtmgen validate` with nothing to report, and `gtmgen build`
refuses to write an export that does not validate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.errors import GtmgenError
from gtmgen.generate import BuildResult, build, pipeline
from gtmgen.gtm.export import serialise
from gtmgen.validate import Severity, check_export, validate_export


def test_our_exports_have_no_findings(our_exports: dict[str, dict[str, Any]]) -> None:
    assert len(our_exports) >= 6  # the example and at least two specs, web and server
    found = {
        name: [str(f) for f in check_export(export, file=name)]
        for name, export in our_exports.items()
    }
    assert found == {name: [] for name in our_exports}


def test_build_then_validate_on_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    built = runner.invoke(app, ["build", "-o", str(tmp_path)])
    assert built.exit_code == 0, built.output
    files = sorted(tmp_path.glob("*.json"))
    assert [f.name for f in files] == ["acme-shop.server.json", "acme-shop.web.json"]
    result = runner.invoke(app, ["validate", *map(str, files)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{files[0]}: ok (server, ")
    assert lines[1].startswith(f"{files[1]}: ok (web, ")
    assert " tags, " in lines[1] and "2 templates" in lines[1]  # TikTok's and Meta's


def test_validate_export_returns_errors_not_warnings(
    our_exports: dict[str, dict[str, Any]],
) -> None:
    export = json.loads(json.dumps(our_exports["acme-shop.web.json"]))
    export["containerVersion"]["tag"][0]["colour"] = "red"  # a warning
    export["containerVersion"]["tag"][1]["firingTriggerId"] = ["1"]  # an error
    findings = check_export(export, file="w.json")
    assert {f.severity for f in findings} == {Severity.WARNING, Severity.ERROR}
    errors = validate_export(export, file="w.json")
    assert [str(e) for e in errors] == [str(f) for f in findings if f.severity is Severity.ERROR]
    assert any("trigger '1' does not exist" in str(e) for e in errors)


def test_build_refuses_an_export_that_does_not_validate(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    real_build = build  # what pipeline.build is until patched

    def broken_build(*args: Any, **kwargs: Any) -> BuildResult:
        result = real_build(*args, **kwargs)
        result.web["containerVersion"]["tag"][0]["firingTriggerId"] = ["1"]
        return result

    monkeypatch.setattr(pipeline, "build", broken_build)
    with pytest.raises(GtmgenError) as caught:
        pipeline.build_files(None, tmp_path, environ={})
    messages = [str(p) for p in caught.value.problems]
    assert "internal error: the generated export does not validate" in messages[0]
    assert any(
        m.startswith("acme-shop.web.json: containerVersion.tag[0].firingTriggerId[0]")
        and m.endswith("trigger '1' does not exist")
        for m in messages
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("module", ["gtmgen.cli", "gtmgen.validate"])
def test_heavy_libraries_load_only_when_used(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('jsonschema', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the lighter check `gtmgen build` runs on what it has just built --------------------


def built_check(export: dict[str, Any]) -> list[str]:
    """The findings of the check `gtmgen build` runs (with the export's compact JSON)."""
    return [
        str(f) for f in check_export(export, file="w.json", built_json=serialise(export).compact)
    ]


def full_check(export: dict[str, Any]) -> list[str]:
    return [str(f) for f in check_export(export, file="w.json")]


def test_built_check_of_our_exports_finds_nothing(
    our_exports: dict[str, dict[str, Any]],
) -> None:
    assert {name: built_check(export) for name, export in our_exports.items()} == {
        name: [] for name in our_exports
    }


def with_row(export: dict[str, Any], *params: dict[str, Any]) -> dict[str, Any]:
    """A copy of the export with a row of ``params`` added to the first tag's first table."""
    export = json.loads(json.dumps(export))
    tag = next(
        t
        for t in export["containerVersion"]["tag"]
        if any(p["type"] == "LIST" for p in t["parameter"])
    )
    table = next(p for p in tag["parameter"] if p["type"] == "LIST")
    table["list"].append({"type": "MAP", "map": list(params)})
    return export


@pytest.mark.parametrize(
    ("param", "expected"),
    [
        (
            {"type": "TEMPLATE", "key": "value", "value": "x {{nope}} y"},
            "{{nope}} names no variable in this export",
        ),
        (
            {"type": "TEMPLATE", "key": "value", "value": "{{Page URL}}"},
            "{{Page URL}} is a built-in variable this export does not enable",
        ),
        (
            {"type": "TEMPLATE", "key": "value", "value": '{{quote " and back\\slash}}'},
            "names no variable in this export",
        ),
        ({"type": "TRIGGER_REFERENCE", "key": "t", "value": "999"}, "trigger '999' does not exist"),
        (
            {"type": "TAG_REFERENCE", "key": "t", "value": "no such tag"},
            "tag 'no such tag' does not exist",
        ),
    ],
)
def test_built_check_finds_what_the_full_check_finds_in_parameters(
    our_exports: dict[str, dict[str, Any]],
    param: dict[str, Any],
    expected: str,
) -> None:
    """Without walking the parameters unless the JSON text holds something to find, the
    build's check reports a bad reference deep in a parameter exactly as `validate` does."""
    export = with_row(our_exports["acme-shop.web.json"], param)
    found = built_check(export)
    assert found == full_check(export)
    assert len(found) == 1 and expected in found[0] and ".list[" in found[0]


def test_built_check_knows_variables_whose_names_json_escapes(
    our_exports: dict[str, dict[str, Any]],
) -> None:
    export = json.loads(json.dumps(our_exports["acme-shop.web.json"]))
    variable = export["containerVersion"]["variable"][0]
    old, new = variable["name"], 'quote " back\\slash tab\t é'
    text = json.dumps(export).replace(
        json.dumps("{{" + old + "}}")[1:-1], json.dumps("{{" + new + "}}")[1:-1]
    )
    export = json.loads(text)
    export["containerVersion"]["variable"][0]["name"] = new
    assert built_check(export) == full_check(export) == []


def test_built_check_leaves_duplicate_map_keys_to_validate(
    our_exports: dict[str, dict[str, Any]],
) -> None:
    """gtmgen writes every MAP row with two fixed, distinct keys, so the build does not
    look for duplicates inside maps; `gtmgen validate` does."""
    export = with_row(
        our_exports["acme-shop.web.json"],
        {"type": "TEMPLATE", "key": "k", "value": "v"},
        {"type": "TEMPLATE", "key": "k", "value": "again"},
    )
    assert built_check(export) == []
    assert any("parameter key 'k' appears twice" in f for f in full_check(export))
    for name, ours in our_exports.items():
        for row in _maps(ours["containerVersion"]):
            keys = [p["key"] for p in row["map"]]
            assert len(keys) == len(set(keys)) == 2, (name, keys)


def _maps(node: Any) -> Any:
    """Every MAP parameter below ``node``."""
    if isinstance(node, dict):
        if node.get("type") == "MAP" and "map" in node:
            yield node
        for value in node.values():
            yield from _maps(value)
    elif isinstance(node, list):
        for value in node:
            yield from _maps(value)
