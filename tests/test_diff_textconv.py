"""``gtmgen textconv``: one export as stable, normalised text, and git's diff driver with it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.generate import names
from gtmgen.generate.pipeline import build_spec
from tests.test_stable_ids import SPECS


def export_text(spec: str, side: str) -> str:
    files = build_spec(SPECS / f"{spec}.yaml", environ={}).files
    return files[f"{spec}.{side}.json"]


def textconv(path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["textconv", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_textconv_is_stable_and_leaves_out_ids_and_fingerprints(tmp_path: Path) -> None:
    text = export_text("vcs-shop", "web")
    path = tmp_path / "shop.web.json"
    path.write_text(text, encoding="utf-8")
    code, first, err = textconv(path)
    assert (code, err) == (0, "")
    assert textconv(path)[1] == first
    export = json.loads(text)["containerVersion"]
    for tag in export["tag"]:
        assert f"tag '{tag['name']}'" in first.splitlines()
        assert tag["tagId"] not in first and tag["fingerprint"] not in first
    assert "containerId" not in first and "exportTime" not in first
    # references by name, one entity per block, sorted by kind then name
    block = first.split(f"tag '{names.tiktok_tag('purchase')}'\n")[1].split("\n\n")[0]
    assert f'  firingTriggers: ["{names.trigger("purchase")}"]' in block.splitlines()
    assert '  type: "custom template: gtmgen TikTok Pixel"' in block.splitlines()
    headers = [line for line in first.splitlines() if line and not line.startswith((" ", "#"))]
    kinds = [h.split(" ")[0] for h in headers]
    assert kinds == sorted(
        kinds,
        key=[
            "container",
            "tag",
            "trigger",
            "variable",
            "folder",
            "builtInVariable",
            "customTemplate",
        ].index,
    )


def test_textconv_ignores_entity_order_ids_and_layout(tmp_path: Path) -> None:
    data = json.loads(export_text("vcs-shop", "server"))
    version = data["containerVersion"]
    shuffled = json.loads(json.dumps(data))
    shuffled["exportTime"] = "2030-05-05 05:05:05"
    for kind in ("tag", "trigger", "variable"):
        shuffled["containerVersion"][kind].reverse()
    original, changed = tmp_path / "a.json", tmp_path / "b.json"
    original.write_text(json.dumps(data, indent=4), encoding="utf-8")
    changed.write_text(json.dumps(shuffled, separators=(",", ":")), encoding="utf-8")
    assert textconv(original)[1] == textconv(changed)[1]
    assert version["tag"]  # the premise: there was something to reorder


def test_multi_line_values_are_shown_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "web.json"
    path.write_text(export_text("vcs-shop", "web"), encoding="utf-8")
    text = textconv(path)[1]
    assert "    javascript: |\n      function() {\n" in text


def test_a_file_that_is_not_an_export_is_shown_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "conflict.json"
    path.write_text("<<<<<<< HEAD\n{}\n=======\n[]\n>>>>>>> other\n", encoding="utf-8")
    code, out, err = textconv(path)
    assert code == 0
    assert out == path.read_text(encoding="utf-8")
    assert err.startswith(f"warning: {path}:1:1: not valid JSON")
    code, out, err = textconv(tmp_path / "missing.json")
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'missing.json'}: no such file\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_with_the_textconv_driver_is_semantic(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            [
                "git",
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.invalid",
                "-c",
                "commit.gpgsign=false",
                *args,
            ],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
            encoding="utf-8",
        ).stdout

    git("init", "-q")
    # the setup docs/version-control.md documents, with this interpreter instead of a gtmgen on PATH
    (tmp_path / ".gitattributes").write_text(
        "*.web.json diff=gtm\n*.server.json diff=gtm\n", encoding="utf-8"
    )
    git("config", "diff.gtm.textconv", f"'{sys.executable}' -m gtmgen textconv")
    export = tmp_path / "shop.web.json"
    export.write_text(export_text("vcs-shop", "web"), encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    export.write_text(export_text("vcs-shop-retarget", "web"), encoding="utf-8")
    diff = git("diff")
    changed = [
        line
        for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert changed == ['-    eventName: "AddToCart"', '+    eventName: "AddToWishlist"']
    assert git("diff", "--no-textconv").count("fingerprint") >= 2  # what it saves you from


def test_a_file_that_is_not_utf8_is_shown_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"name": "caf\xe9"}')
    result = CliRunner().invoke(app, ["textconv", str(path)])
    assert result.exit_code == 0
    assert result.stdout_bytes == path.read_bytes()
    assert result.stderr.startswith(f"warning: {path}:1:14: not UTF-8 text")
