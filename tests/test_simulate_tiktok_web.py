"""`gtmgen simulate` on the web side of TikTok: the base tag runs at the page's
Initialization, its Pageview shows; its consent API answers from Options.consent; a
gtag consent update pushed later on the page updates the state and calls the listeners."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.simulate import Options, Simulation, load
from gtmgen.simulate.consent import ConsentState
from gtmgen.simulate.pushes import parse_push
from gtmgen.simulate.report import push_json
from gtmgen.simulate.runner import PushReport, consent_update
from tests.audit_helpers import TIKTOK_SHOP

pytest.importorskip("py_mini_racer")

SPEC = TIKTOK_SHOP  # TikTok only: the bundled example also has Meta
PIXEL = "CACMESHOP0000000001"
NOW = 1_714_564_800_000
CART = {"event": "add_to_cart", "ecommerce": {"value": 10, "currency": "EUR", "items": []}}
PURCHASE = {
    "event": "purchase",
    "ecommerce": {"value": 10, "currency": "EUR", "items": []},
    "user_data": {"email_address": "jane@example.com"},
}
DENIED = ConsentState(frozenset())
NO_CONSENT_MODE = ConsentState()
GRANT = ["consent", "update", {"ad_storage": "granted", "ad_user_data": "granted"}]


def run(
    pushes: list[Any], consent: ConsentState = NO_CONSENT_MODE
) -> tuple[list[PushReport], list[str]]:
    simulation = Simulation(load(SPEC, None, None), Options(seed=5, now_ms=NOW, consent=consent))
    try:
        reports = simulation.run(pushes)
        page = simulation.session.page
        injected = list(page.injected_scripts) if page is not None else []
    finally:
        simulation.close()
    return reports, injected


def test_the_base_tag_runs_at_initialization_and_its_pageview_shows() -> None:
    reports, injected = run([CART, CART])
    assert len(injected) == 1 and f"sdkid={PIXEL}" in injected[0]
    first, second = reports
    assert [p.pixel_id for p in first.page_views] == [PIXEL]
    assert second.page_views == []
    assert first.verdict.deduplicates and second.verdict.deduplicates
    assert push_json(first)["pageview"] == [{"pixel_id": PIXEL}]


def test_denied_sends_nothing_to_tiktok_from_the_browser() -> None:
    reports, injected = run([CART], consent=DENIED)
    assert injected == []
    assert reports[0].page_views == [] and reports[0].pixel == []


def test_a_later_consent_update_loads_the_pixel_and_sends_the_pageview_once() -> None:
    reports, injected = run([CART, GRANT, PURCHASE, CART], consent=DENIED)
    before, after, last = reports
    assert before.pixel == [] and before.page_views == []
    assert [p.pixel_id for p in after.page_views] == [PIXEL]
    assert any("consent update (ad_storage=granted" in n for n in after.notes)
    assert any("TikTok consent: grantConsent" in n for n in after.notes)
    assert [c.event for c in after.pixel] == ["CompletePayment"]
    assert [c.event for c in last.pixel] == ["AddToCart"] and last.page_views == []
    assert len(injected) == 1


def test_a_consent_withdrawal_revokes_tiktok_consent() -> None:
    revoke = {"0": "consent", "1": "update", "2": {"ad_storage": "denied"}}
    reports, _ = run(
        [CART, revoke, CART],
        consent=ConsentState().with_granted(
            "ad_storage", "ad_user_data", "analytics_storage", "ad_personalization"
        ),
    )
    first, second = reports
    assert [c.event for c in first.pixel] == ["AddToCart"]
    assert any("TikTok consent: revokeConsent" in n for n in second.notes)
    assert second.pixel == []


def test_gtag_consent_pushes_are_read_in_both_forms() -> None:
    assert consent_update(GRANT) == {"ad_storage": "granted", "ad_user_data": "granted"}
    assert consent_update({"0": "consent", "1": "update", "2": {"ad_storage": "x"}}) == {
        "ad_storage": "denied"
    }
    assert consent_update({"event": "consent"}) is None
    assert consent_update(["consent", "default", {}]) is None
    assert parse_push(json.dumps(GRANT), source="--push") == GRANT


def test_cli_shows_the_pageview(tmp_path: Path) -> None:
    pushes = tmp_path / "pushes.json"
    pushes.write_text(json.dumps([GRANT, CART]), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["simulate", str(SPEC), "--pushes", str(pushes), "--seed", "3"]
    )
    assert result.exit_code == 0, result.stdout
    assert f"Pageview (ttq.page) for pixel {PIXEL}" in result.stdout
