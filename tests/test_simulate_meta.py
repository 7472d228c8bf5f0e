"""`gtmgen simulate` with Meta: gtmgen's Meta Pixel and Conversions API templates run in
the sandbox, and each push gets a verdict per platform (same pixel, event name and
event_id on the browser and the server side of that platform)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.simulate import Options, load, simulate
from gtmgen.simulate.runner import PushReport
from tests.audit_helpers import exports, set_param, tag, write

pytest.importorskip("py_mini_racer")

NOW = 1_714_564_800_000  # 2024-05-01T12:00:00Z
CASES = Path(__file__).parent / "cases"
META_ONLY = CASES / "meta-only" / "meta-only.yaml"
BOTH = CASES / "both" / "both.yaml"
GRAPH = "https://graph.facebook.com/"
PURCHASE = {
    "event": "purchase",
    "ecommerce": {
        "transaction_id": "T-1001",
        "value": "59.90",
        "currency": "EUR",
        "items": [{"item_id": "SKU-1", "price": 29.95, "quantity": 2}],
    },
    "user_data": {"email_address": "  Jane.Doe@Example.COM ", "phone_number": "0151 2345678"},
    "user_id": "user-42",
}


def _run(spec: Path, pushes: list[Any], **options: Any) -> list[PushReport]:
    return simulate(load(spec, None, None), pushes, Options(seed=3, now_ms=NOW, **options))


def _ids(report: PushReport, platform: str) -> tuple[Any, Any]:
    [call] = [c for c in report.pixel if c.platform == platform]
    [api] = [a for a in report.api if a.platform == platform]
    return call.event_id, api.event_id


def _meta_body(report: PushReport) -> dict[str, Any]:
    [request] = [r for s in report.servers for r in s.requests if r.url.startswith(GRAPH)]
    assert isinstance(request.body, dict)
    return request.body


def test_meta_only_every_event_deduplicates() -> None:
    reports = _run(META_ONLY, [PURCHASE, {"event": "generate_lead"}])
    for report in reports:
        assert report.verdict.deduplicates, report.verdict.reason
        assert set(report.verdict.platforms) == {"meta"}
        web_id, server_id = _ids(report, "meta")
        assert web_id == server_id and web_id
    [call] = reports[0].pixel
    assert (call.pixel_id, call.event) == ("123456789012345", "Purchase")
    assert call.properties["content_ids"] == ["SKU-1"]
    assert call.properties["value"] == 59.9


def test_both_platforms_share_one_event_id_per_push() -> None:
    reports = _run(
        BOTH,
        [
            PURCHASE,
            {"event": "search", "search_term": "shoes"},
            {"event": "generate_lead"},
            {"event": "newsletter_signup"},
        ],
    )
    for report in reports:
        assert report.verdict.deduplicates, report.verdict.reason
        assert len({c.event_id for c in report.pixel} | {a.event_id for a in report.api}) == 1
    assert set(reports[0].verdict.platforms) == {"tiktok", "meta"}
    assert set(reports[2].verdict.platforms) == {"meta"}  # generate_lead names Meta only
    assert _ids(reports[0], "meta") == ("tt_evt_T-1001", "tt_evt_T-1001")  # event_id_from
    assert _ids(reports[0], "tiktok") == ("tt_evt_T-1001", "tt_evt_T-1001")
    [custom] = [c for c in reports[3].pixel if c.platform == "meta"]
    assert custom.event == "NewsletterSignup"


def test_two_pushes_of_the_same_event_get_two_ids() -> None:
    first, second = _run(
        BOTH, [{"event": "search", "search_term": "a"}, {"event": "search", "search_term": "b"}]
    )
    assert first.verdict.deduplicates and second.verdict.deduplicates
    assert _ids(first, "meta")[0] != _ids(second, "meta")[0]
    assert _ids(first, "meta") == _ids(first, "tiktok")


def test_a_site_provided_id_is_kept_on_both_platforms() -> None:
    [report] = _run(BOTH, [{"event": "generate_lead", "event_id": "site-77"}])
    assert report.verdict.deduplicates
    assert _ids(report, "meta") == ("site-77", "site-77")


def test_the_email_reaches_the_conversions_api_normalised_and_hashed() -> None:
    [report] = _run(BOTH, [PURCHASE])
    user = _meta_body(report)["data"][0]["user_data"]
    assert user["em"] == hashlib.sha256(b"jane.doe@example.com").hexdigest()
    # Meta's phone form: digits with the country code (matching.default_country_code 49)
    assert user["ph"] == hashlib.sha256(b"491512345678").hexdigest()
    assert user["external_id"] == hashlib.sha256(b"user-42").hexdigest()


def test_fbc_is_built_from_fbclid_and_reused() -> None:
    first, second = _run(
        BOTH,
        [{"event": "generate_lead"}, {"event": "generate_lead"}],
        page_url="https://shop.example/?fbclid=IwAR0abc-DEF",
    )
    fbc = _meta_body(first)["data"][0]["user_data"]["fbc"]
    assert fbc.startswith("fb.1.") and fbc.endswith(".IwAR0abc-DEF")
    assert int(fbc.split(".")[2]) >= NOW
    assert _meta_body(second)["data"][0]["user_data"]["fbc"] == fbc  # kept in _fbc


def test_cli_shows_both_platforms_and_json_has_a_verdict_per_platform() -> None:
    push = json.dumps({"event": "search", "search_term": "x"})
    result = CliRunner().invoke(app, ["simulate", str(BOTH), "--seed", "1", "--push", push])
    assert result.exit_code == 0, result.stdout + result.stderr
    for line in (
        "TikTok Pixel (browser)",
        "Meta Pixel (browser)",
        "Conversions API (server)",
        "TikTok verdict DEDUPLICATES",
        "Meta verdict   DEDUPLICATES",
        "verdict        DEDUPLICATES: every platform deduplicates",
    ):
        assert line in result.stdout
    result = CliRunner().invoke(
        app, ["simulate", str(BOTH), "--seed", "1", "--json", "--push", push]
    )
    data = json.loads(result.stdout.splitlines()[0])
    assert set(data["platforms"]) == {"tiktok", "meta"}
    meta = data["platforms"]["meta"]
    assert meta["deduplicates"] and meta["browser"][0]["event_id"] == meta["server"][0]["event_id"]


def test_exit_1_when_one_platform_would_not_deduplicate(tmp_path: Path) -> None:
    web, server = exports(BOTH)
    set_param(tag(web, "gtmgen - Meta - search"), "eventId", "{{Random Number}}")
    web_path, server_path = write(tmp_path, web, server)
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            "--web",
            str(web_path),
            "--server",
            str(server_path),
            "--seed",
            "1",
            "--json",
            "--access-token",
            "TOKEN123",
            "--push",
            json.dumps({"event": "search", "search_term": "x"}),
        ],
    )
    assert result.exit_code == 1, result.stdout + result.stderr
    data = json.loads(result.stdout.splitlines()[0])
    assert not data["deduplicates"]
    assert data["platforms"]["tiktok"]["deduplicates"]
    assert not data["platforms"]["meta"]["deduplicates"]
    assert "event_id differs" in data["platforms"]["meta"]["reason"]
