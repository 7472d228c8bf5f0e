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

from gtmgen import pipeline
from gtmgen.build import BuildResult
from gtmgen.cli import app
from gtmgen.errors import GtmgenError
from gtmgen.validate import Severity, check_export, validate_export


def test_our_exports_have_no_findings(our_exports: dict[str, dict[str, Any]]) -> None:
    assert len(our_exports) >= 6  # the example and at least two specs, web and server
    found = {name: [str(f) for f in check_export(export, file=name)]
             for name, export in our_exports.items()}
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
    assert " tags, " in lines[1] and "1 template" in lines[1]


def test_validate_export_returns_errors_not_warnings(
    our_exports: dict[str, dict[str, Any]],
) -> None:
    export = json.loads(json.dumps(our_exports["acme-shop.web.json"]))
    export["containerVersion"]["tag"][0]["colour"] = "red"  # a warning
    export["containerVersion"]["tag"][1]["firingTriggerId"] = ["1"]  # an error
    findings = check_export(export, file="w.json")
    assert {f.severity for f in findings} == {Severity.WARNING, Severity.ERROR}
    errors = validate_export(export, file="w.json")
    assert [str(e) for e in errors] == [
        str(f) for f in findings if f.severity is Severity.ERROR]
    assert any("trigger '1' does not exist" in str(e) for e in errors)


def test_build_refuses_an_export_that_does_not_validate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    real_build = pipeline.build

    def broken_build(*args: Any, **kwargs: Any) -> BuildResult:
        result = real_build(*args, **kwargs)
        result.web["containerVersion"]["tag"][0]["firingTriggerId"] = ["1"]
        return result

    monkeypatch.setattr(pipeline, "build", broken_build)
    with pytest.raises(GtmgenError) as caught:
        pipeline.build_files(None, tmp_path, environ={})
    messages = [str(p) for p in caught.value.problems]
    assert "internal error: the generated export does not validate" in messages[0]
    assert any(m.startswith("acme-shop.web.json: containerVersion.tag[0].firingTriggerId[0]")
               and m.endswith("trigger '1' does not exist") for m in messages)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("module", ["gtmgen.cli", "gtmgen.validate"])
def test_heavy_libraries_load_only_when_used(module: str) -> None:
    code = (f"import sys, {module}; "
            "print(sorted(m for m in ('jsonschema', 'yaml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
