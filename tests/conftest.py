"""Shared fixtures: the corpus of real exports (outside this repository) and built specs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "tests" / "specs"


def corpus_path() -> Path:
    env = os.environ.get("GTMGEN_CORPUS")
    if env:
        return Path(env)
    return ROOT.parent / "shared" / "corpus" / "gtm-exports"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = corpus_path()
    if not path.is_dir():
        pytest.skip(
            f"the corpus of real GTM exports is not at {path} (it lives outside this "
            "repository; set GTMGEN_CORPUS to its folder to run these tests)"
        )
    return path
