"""`gtmgen simulate` at scale: the work of one push does not grow with the number of
pushes or of events in the containers (nothing here is timed: the counts are).
bench/bench.py measures the time (h/g)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gtmgen.sandbox import engine
from gtmgen.simulate import Options, load, simulate
from gtmgen.simulate.pushes import default_pushes
from gtmgen.simulate.web import WebContainer

pytest.importorskip("py_mini_racer")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gtmgen_bench_scale", ROOT / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _contexts(pushes: list[dict[str, Any]]) -> int:
    before = engine.contexts_created
    exported = load(None, None, None)
    reports = simulate(exported, pushes, Options(seed=3, now_ms=0))
    assert all(r.verdict.deduplicates for r in reports)
    return engine.contexts_created - before


def test_v8_contexts_do_not_grow_with_the_pushes() -> None:
    pushes = default_pushes(load(None, None, None).spec)
    assert _contexts(pushes) == _contexts(pushes * 10)


def test_tags_evaluated_per_push_do_not_grow_with_the_events(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: Counter[str] = Counter()
    original = WebContainer._fires

    def counting(self: WebContainer, tag: dict[str, Any], event: str) -> bool:
        seen[event] += 1
        return bool(original(self, tag, event))

    monkeypatch.setattr(WebContainer, "_fires", counting)
    per_push = {}
    for events in (10, 200):
        exported = load(bench.write_spec(tmp_path / f"s{events}.yaml", events), None, None)
        seen.clear()
        pushes = default_pushes(exported.spec)[:5]
        reports = simulate(exported, pushes, Options(seed=3, now_ms=0))
        assert all(r.verdict.deduplicates for r in reports)
        per_push[events] = [seen[str(p["event"])] for p in pushes if "event" in p]
    assert per_push[10] == per_push[200]
    assert max(per_push[200]) <= 4
