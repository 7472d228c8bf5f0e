"""bench/bench.py's own logic (nothing timed here): the environment of the measured commands,
and how rounds become ratios and verdicts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gtmgen_bench_logic", ROOT / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_measured_commands_may_write_byte_code(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("GTMGEN_BENCH_PROBE", "kept")
    env = bench.child_environment()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["GTMGEN_BENCH_PROBE"] == "kept"


def test_the_note_says_when_byte_code_was_off(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    _, notes = bench.make_cases(tmp_path)
    assert any(n.startswith("PYTHONDONTWRITEBYTECODE is set here") for n in notes)
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE")
    _, notes = bench.make_cases(tmp_path)
    assert not any("PYTHONDONTWRITEBYTECODE" in n for n in notes)


def case(
    bench: ModuleType, key: str, seconds: list[float], rss: float = 100.0, code: int = 0
) -> object:
    made = bench.Case(key, key, ["true"])
    made.runs = [bench.Run(s, code, rss, "") for s in seconds]
    return made


def test_ratios_are_medians_of_each_rounds_ratio_and_verdicts(bench: ModuleType) -> None:
    cases = [
        case(bench, "a", [0.30, 0.25, 0.24]),
        case(bench, "b", [0.20, 0.21, 0.19]),
        case(bench, "c", [0.01] * 3),
        case(bench, "d", [1.0, 0.9, 0.8], rss=151.0),
        case(bench, "e", [0.08] * 3),
    ]
    lines, ok, result = bench.report(cases, [], None, 3)
    # a/b by round: 1.5, 1.19, 1.26 -> 1.26; the medians give 0.25 / 0.20 = 1.25
    assert result["a/b"] == 1.263
    assert result["a/b of medians"] == 1.25
    assert result["d/a"] == 3.333  # by round: 3.33, 3.6, 3.33; the medians give 3.6
    assert result["e/b"] == 0.4
    assert "a/b = 1.26   target <= 1.3   ok   (ratio of the medians 1.25)" in lines
    assert "d/a = 3.33   target <= 3.0   MISSED   (ratio of the medians 3.60)" in lines
    assert "peak memory of d = 151.0 MiB   target <= 150 MiB   MISSED" in lines
    assert ok is False


def test_a_busy_round_hits_both_sides_of_a_ratio(bench: ModuleType) -> None:
    """Two busy rounds of five: each round's d/a is 2.5, whatever the medians pair up."""
    a = [0.20, 0.20, 0.40, 0.40, 0.20]
    cases = [
        case(bench, "a", a),
        case(bench, "b", [0.2] * 5),
        case(bench, "c", [0.01] * 5),
        case(bench, "d", [2.5 * x for x in a]),
        case(bench, "e", [0.1] * 5),
    ]
    _, _, result = bench.report(cases, [], None, 5)
    assert result["d/a"] == 2.5
    assert result["a/b"] == 1.0


def test_a_crashed_command_is_no_ratio(bench: ModuleType) -> None:
    cases = [
        case(bench, "a", [0.3], code=1),
        case(bench, "b", [0.2]),
        case(bench, "c", [0.01]),
        case(bench, "d", [0.6]),
        case(bench, "e", [0.1]),
    ]
    lines, ok, _ = bench.report(cases, [], None, 1)
    assert "a/b: not available (a command failed)" in lines
    assert any(line.startswith("a  ") and "FAILED (exit 1)" in line for line in lines)
    assert ok is False


def test_the_simulate_ratio_is_h_over_g(bench: ModuleType) -> None:
    cases = [
        case(bench, "a", [0.3] * 3),
        case(bench, "b", [0.2] * 3),
        case(bench, "c", [0.01] * 3),
        case(bench, "d", [0.6] * 3),
        case(bench, "e", [0.1] * 3),
        case(bench, "g", [1.0, 1.0, 2.0]),
        case(bench, "h", [12.0, 30.0, 20.0]),
    ]
    lines, _, result = bench.report(cases, [], None, 3)
    assert result["h/g"] == 12.0  # by round: 12, 30, 10
    assert any(line.startswith("h/g = 12.00   target <= 20.0   ok") for line in lines)
