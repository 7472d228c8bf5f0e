"""docs/plan.md's worked example is the real output of today's code."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmgen.plan import run_plan

ROOT = Path(__file__).resolve().parent.parent
MARK = "<!-- plan-example"
COMMAND = "$ gtmgen plan tests/plan/handmade-tiktok.web.json output/acme-shop.web.json\n"


def test_the_pasted_plan_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the report names the files as given
    doc = (ROOT / "docs" / "plan.md").read_text(encoding="utf-8")
    block = doc.split(MARK, 1)[1].split(COMMAND, 1)[1]
    pasted = block.split("\n```", 1)[0]
    outcome = run_plan(
        Path("tests/plan/handmade-tiktok.web.json"), Path("output/acme-shop.web.json")
    )
    assert isinstance(outcome.payload, str)
    assert pasted + "\n" == outcome.payload
    assert outcome.exit_code == 1
