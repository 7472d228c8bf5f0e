"""The golden cases of tests/cases/ (see README.md there); ``python -m tests.cases``
regenerates their expected files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CASES = Path(__file__).resolve().parent
ROOT = CASES.parents[1]
EXAMPLES = ROOT / "gtmgen" / "examples"
UPDATE_COMMAND = "python -m tests.cases"


@dataclass(frozen=True)
class Case:
    name: str

    @property
    def folder(self) -> Path:
        return CASES / self.name

    @property
    def spec(self) -> Path:
        own = self.folder / f"{self.name}.yaml"
        return own if own.exists() else EXAMPLES / f"{self.name}.yaml"

    @property
    def stderr(self) -> Path:
        return self.folder / f"{self.name}.stderr"

    def expected_paths(self) -> list[Path]:
        """The expected files the folder holds now."""
        return sorted(p for p in self.folder.iterdir() if p.suffix in (".json", ".stderr"))

    def built(self) -> dict[Path, str]:
        """What gtmgen makes of the spec now: {expected file path: text}."""
        work = Path(tempfile.mkdtemp(prefix="gtmgen-case-"))
        out = work / "out"
        run = subprocess.run(
            [sys.executable, "-m", "gtmgen", "build", self.spec.name, "-o", str(out)],
            cwd=self.spec.parent,
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)},
        )
        try:
            if run.returncode == 2 and not out.exists():
                return {self.stderr: run.stderr}
            if run.returncode != 0:
                raise AssertionError(
                    f"gtmgen build {self.spec} exited {run.returncode}:\n{run.stderr}"
                )
            return {
                self.folder / p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())
            }
        finally:
            shutil.rmtree(work)


def cases() -> list[Case]:
    return [
        Case(p.name)
        for p in sorted(CASES.iterdir())
        if p.is_dir() and not p.name.startswith((".", "_"))
    ]


def building_specs() -> list[Path]:
    """Every spec of the test suite that builds: the golden cases' and tests/specs/*.yaml."""
    specs = [case.spec for case in cases() if not case.stderr.exists()]
    return specs + sorted((ROOT / "tests" / "specs").glob("*.yaml"))
