"""``gtmgen build --check``: writes nothing, exits 0 on fresh output and 1 on stale or
missing output (naming the entities that differ), and the pre-commit hooks that run it."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.generate import names
from tests import docs
from tests.test_stable_ids import SPECS

ROOT = Path(__file__).resolve().parents[1]


def gtmgen(*args: str | Path) -> tuple[int, str]:
    result = CliRunner(env={"TIKTOK_ACCESS_TOKEN": None}).invoke(app, [str(a) for a in args])
    return result.exit_code, result.stderr


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the folder: its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's project: shop.yaml (the base spec) built into out/."""
    shutil.copy(SPECS / "vcs-shop.yaml", tmp_path / "shop.yaml")
    assert gtmgen("build", tmp_path / "shop.yaml", "-o", tmp_path / "out")[0] == 0
    return tmp_path


def test_fresh_output_passes_and_nothing_is_written(project: Path) -> None:
    before = snapshot(project / "out")
    code, err = gtmgen("build", project / "shop.yaml", "--check", "-o", project / "out")
    assert code == 0
    assert err.splitlines() == [
        f"{project / 'out' / f'shop.{s}.json'}: up to date" for s in ("web", "server")
    ]
    assert snapshot(project / "out") == before


def test_stale_output_fails_names_the_entities_and_stays_untouched(project: Path) -> None:
    before = snapshot(project / "out")
    shutil.copy(SPECS / "vcs-shop-added.yaml", project / "shop.yaml")
    code, err = gtmgen("build", project / "shop.yaml", "--check", "-o", project / "out")
    assert code == 1
    web, server = (project / "out" / f"shop.{s}.json" for s in ("web", "server"))
    lines = err.splitlines()
    assert f"{web}: stale (run gtmgen build)" in lines
    assert f"{server}: stale (run gtmgen build)" in lines
    for line in (
        f"  added tag '{names.tiktok_tag('add_to_wishlist')}'",
        f"  added tag '{names.ga4_tag('add_to_wishlist')}'",
        f"  added trigger '{names.trigger('add_to_wishlist')}'",
        f"  added variable '{names.dlv('wishlist.name')}'",
        f"  added variable '{names.event_data('description')}'",
    ):
        assert line in lines
    assert not [line for line in lines if "changed" in line or "removed" in line]
    assert snapshot(project / "out") == before  # byte-identical, not even rewritten


def test_a_changed_parameter_is_named(project: Path) -> None:
    shutil.copy(SPECS / "vcs-shop-retarget.yaml", project / "shop.yaml")
    code, err = gtmgen("build", project / "shop.yaml", "--check", "-o", project / "out")
    assert code == 1
    line = f"  changed tag '{names.tiktok_tag('add_to_cart')}': parameter eventName"
    assert err.splitlines().count(line) == 2  # web and server


def test_layout_only_difference_is_stale_but_no_entity_differs(project: Path) -> None:
    web = project / "out" / "shop.web.json"
    web.write_bytes(web.read_bytes() + b"\n")  # what an end-of-file fixer does
    code, err = gtmgen("build", project / "shop.yaml", "--check", "-o", project / "out")
    assert code == 1
    assert err.splitlines() == [
        f"{web}: stale (run gtmgen build)",
        "  no entity differs: only the layout, IDs, fingerprints or export time",
    ]


def test_missing_output_folder_fails_and_is_not_created(tmp_path: Path) -> None:
    out = tmp_path / "never-built"
    code, err = gtmgen("build", SPECS / "vcs-shop.yaml", "--check", "-o", out)
    assert code == 1
    assert err.splitlines() == [
        f"{out / f'vcs-shop.{s}.json'}: missing (run gtmgen build)" for s in ("web", "server")
    ]
    assert not out.exists()


def test_an_invalid_spec_exits_2_and_writes_nothing(project: Path) -> None:
    (project / "shop.yaml").write_text("version: 1\nname: [\n", encoding="utf-8")
    before = snapshot(project / "out")
    code, err = gtmgen("build", project / "shop.yaml", "--check", "-o", project / "out")
    assert code == 2
    assert err.startswith(str(project / "shop.yaml") + ":")
    assert snapshot(project / "out") == before


def hooks() -> dict[str, dict[str, object]]:
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in manifest}


def test_pre_commit_manifest_declares_the_hooks() -> None:
    found = hooks()
    assert set(found) == {"gtmgen-check", "gtmgen-build"}
    for hook in found.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this package for it
        assert hook["pass_filenames"] is False  # the spec comes from args, not file names
    assert found["gtmgen-check"]["entry"] == "gtmgen build --check"


def test_pre_commit_manifest_is_valid_for_pre_commit() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    loaded = clientlib.load_manifest(ROOT / ".pre-commit-hooks.yaml")
    assert {hook["id"] for hook in loaded} == {"gtmgen-check", "gtmgen-build"}


@pytest.mark.parametrize(("spec", "expected"), [("vcs-shop.yaml", 0), ("vcs-shop-removed.yaml", 1)])
def test_the_check_hook_command_as_pre_commit_runs_it(
    project: Path, spec: str, expected: int
) -> None:
    """pre-commit runs ``entry`` followed by the user's ``args`` (no file names)."""
    shutil.copy(SPECS / spec, project / "shop.yaml")
    entry = shlex.split(str(hooks()["gtmgen-check"]["entry"]))
    assert entry[0] == "gtmgen"
    args = ["shop.yaml", "--output", "out"]  # as in the docs' example config
    env = {k: v for k, v in os.environ.items() if k != "TIKTOK_ACCESS_TOKEN"}
    before = snapshot(project / "out")
    run = subprocess.run(
        [sys.executable, "-m", "gtmgen", *entry[1:], *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == expected, run.stderr
    assert snapshot(project / "out") == before


def test_readme_pre_commit_snippet_uses_the_shipped_hooks() -> None:
    snippet = docs.section("vcs").split("## pre-commit")[1].split("```yaml\n")[1].split("```")[0]
    config = yaml.safe_load(snippet)
    [repo] = config["repos"]
    for hook in repo["hooks"]:
        assert hook["id"] in hooks()
        assert hook["args"][1:] == ["--output", "gtm"]


def test_an_output_path_that_is_a_file_exits_2(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "out"
    not_a_folder.write_text("x", encoding="utf-8")
    code, err = gtmgen("build", SPECS / "vcs-shop.yaml", "--check", "-o", not_a_folder)
    assert code == 2
    assert err == f"{not_a_folder}: the output path is a file, not a folder\n"
    assert not_a_folder.read_text(encoding="utf-8") == "x"
