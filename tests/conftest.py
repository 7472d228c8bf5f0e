"""Shared fixtures: the corpus of real exports (outside this repository) and built specs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Property tests: a quick profile while developing, the full one in CI (CI=true) or when
# HYPOTHESIS_PROFILE names it. Tests set no example counts of their own.
_SLOW_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
settings.register_profile("ci", max_examples=500, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=_SLOW_OK)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

ROOT = Path(__file__).resolve().parents[1]


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


def build_exports(spec: Path | None) -> dict[str, dict[str, Any]]:
    """{file name: export dict} for one spec (None = the bundled example), no token."""
    from gtmgen.generate.pipeline import build_spec

    built = build_spec(spec, environ={})
    return {f"{built.stem}.web.json": built.web, f"{built.stem}.server.json": built.server}


@pytest.fixture(scope="session")
def our_exports() -> dict[str, dict[str, Any]]:
    """The exports of every spec of the tests that builds (the bundled example first)."""
    from tests.cases import building_specs

    exports: dict[str, dict[str, Any]] = {}
    for spec in building_specs():
        exports.update(build_exports(spec))
    return exports
