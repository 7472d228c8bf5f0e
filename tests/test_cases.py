"""Every golden case of tests/cases/ builds (or fails) exactly as its expected files say,
and builds are deterministic."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cases import ROOT, UPDATE_COMMAND, Case, cases


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.name)
def test_case_matches_its_expected_files(case: Case) -> None:
    built = case.built()
    assert sorted(built) == case.expected_paths(), (
        f"{case.name}: the expected files differ from what gtmgen makes now; if the change "
        f"is intended, run: {UPDATE_COMMAND}"
    )
    for path, text in built.items():
        current = path.read_bytes().decode("utf-8")
        if current != text:
            diff = "".join(
                list(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        text.splitlines(keepends=True),
                        str(path.relative_to(ROOT)),
                        "built now",
                    )
                )[:80]
            )
            pytest.fail(
                f"{path} is stale; if the change is intended, run: {UPDATE_COMMAND}\n{diff}"
            )


def test_cases_cover_the_example_builds_and_failures() -> None:
    names = {case.name for case in cases()}
    assert {"acme-shop", "minimal", "lead-gen"} <= names
    assert sum(case.stderr.exists() for case in cases()) >= 3


def _build(spec: Path, out: Path, seed: str) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if k != "TIKTOK_ACCESS_TOKEN"}
    env["PYTHONHASHSEED"] = seed
    subprocess.run(
        [sys.executable, "-m", "gtmgen", "build", str(spec), "-o", str(out)],
        check=True,
        env=env,
        capture_output=True,
        cwd=ROOT,
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.mark.parametrize("name", ["lead-gen", "minimal", "both", "meta-only"])
def test_byte_identical_across_runs_and_hash_seeds(name: str, tmp_path: Path) -> None:
    path = Case(name).spec
    runs = [_build(path, tmp_path / f"run{seed}", seed) for seed in ("0", "1", "12345")]
    assert runs[0] == runs[1] == runs[2]
    assert len(runs[0]) == 2


def test_exports_hold_no_wall_clock_time() -> None:
    for case in cases():
        for path in case.expected_paths():
            if path.suffix == ".json":
                assert '"exportTime": "2000-01-01 00:00:00"' in path.read_text(encoding="utf-8")
