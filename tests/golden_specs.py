"""The golden exports: which specs have them and where they live.

Regenerate every golden file with:  python -m tests.update_golden
"""

from __future__ import annotations

from pathlib import Path

from gtmgen.pipeline import build_spec

ROOT = Path(__file__).resolve().parents[1]
UPDATE_COMMAND = "python -m tests.update_golden"

# spec path (None = the bundled example) -> folder holding its expected exports
GOLDEN: dict[str, tuple[Path | None, Path]] = {
    "bundled example": (None, ROOT / "output"),
    "minimal": (ROOT / "tests" / "specs" / "minimal.yaml", ROOT / "tests" / "golden"),
    "lead-gen": (ROOT / "tests" / "specs" / "lead-gen.yaml", ROOT / "tests" / "golden"),
}


def expected_files(name: str) -> dict[Path, str]:
    """What the spec builds now: {golden file path: text}. No token is ever embedded."""
    spec, folder = GOLDEN[name]
    files = build_spec(spec, environ={}).files
    return {folder / file_name: text for file_name, text in files.items()}
