"""`gtmgen simulate`: every example spec deduplicates end to end (dataLayer push -> web
container -> GA4 hop -> server container -> Events API request), and each way of
breaking it is caught and named."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.gtm.secrets import is_masked
from gtmgen.simulate import Options, load, simulate
from gtmgen.simulate.inputs import Exports
from gtmgen.simulate.pushes import SAMPLE_EMAIL, default_pushes
from gtmgen.simulate.runner import PushReport
from tests.audit_helpers import TIKTOK_SHOP, break_pair, example_specs, exports, write

pytest.importorskip("py_mini_racer")

NOW = 1_714_564_800_000  # 2024-05-01T12:00:00Z
ENDPOINT = "https://business-api.tiktok.com/open_api/v1.3/event/track/"


def _run(
    pushes: list[dict[str, Any]], spec: Path | None = None, **options: Any
) -> list[PushReport]:
    return simulate(load(spec, None, None), pushes, Options(seed=11, now_ms=NOW, **options))


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["simulate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _body(report: PushReport) -> dict[str, Any]:
    [server] = report.servers
    [request] = server.requests
    assert isinstance(request.body, dict)
    return request.body


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.stem)
def test_every_event_of_every_example_spec_deduplicates(spec: Path) -> None:
    exported: Exports = load(spec, None, None)
    pushes = default_pushes(exported.spec)
    reports = simulate(exported, pushes, Options(seed=5, now_ms=NOW))
    assert [r.event for r in reports] == [e.event for e in exported.spec.events]
    spec_ = exported.spec
    for report, event in zip(reports, spec_.events, strict=True):
        assert report.verdict.deduplicates, (event.event, report.verdict.reason)
        named = {
            pl: name
            for pl, name in (("tiktok", event.tiktok_event), ("meta", event.meta_event))
            if name
        }
        assert {c.platform for c in report.pixel} == set(named)
        assert set(report.verdict.platforms) == set(named)
        for platform, name in named.items():
            [call] = [c for c in report.pixel if c.platform == platform]
            [api] = [a for a in report.api if a.platform == platform]
            assert call.event == api.event == name
            assert call.pixel_id == api.pixel_id == getattr(spec_, platform).pixel_id
            assert call.event_id == api.event_id and call.event_id
        assert len({c.event_id for c in report.pixel}) == 1  # one ID for every platform
    ids = [r.pixel[0].event_id for r in reports]
    assert len(set(ids)) == len(ids)  # one ID per message


def test_cli_default_run_exits_0() -> None:
    code, out, err = _cli("--seed", "1", "--now", "2024-05-01T12:00:00Z")
    assert code == 0, out + err
    assert out.rstrip().endswith("7 of 7 push(es) deduplicate")
    assert "placeholder token" in err


def test_two_pushes_of_the_same_event_get_different_ids() -> None:
    first, second = _run([{"event": "add_to_cart"}, {"event": "add_to_cart"}])
    assert first.verdict.deduplicates and second.verdict.deduplicates
    assert first.pixel[0].event_id != second.pixel[0].event_id
    assert second.api[0].event_id == second.pixel[0].event_id


def test_a_site_provided_event_id_is_kept_on_both_sides() -> None:
    [report] = _run([{"event": "add_to_cart", "event_id": "site-abc-123"}])
    assert report.verdict.deduplicates
    assert report.pixel[0].event_id == report.api[0].event_id == "site-abc-123"


def test_site_provided_id_under_a_nested_key() -> None:
    spec = next(p for p in example_specs() if p.stem == "lead-gen")
    [report] = _run([{"event": "contact_click", "tracking": {"dedup_id": "crm-77"}}], spec)
    assert report.pixel[0].event_id == report.api[0].event_id == "crm-77"


def test_event_id_from_gives_the_order_derived_id() -> None:
    [report] = _run([{"event": "purchase", "ecommerce": {"transaction_id": "T-1001"}}])
    assert report.verdict.deduplicates
    assert report.pixel[0].event_id == report.api[0].event_id == "tt_evt_T-1001"
    hop = report.servers[0].hit.event_data
    assert hop["event_id"] == "tt_evt_T-1001"


def test_request_matches_tiktok_v1_3_through_the_whole_chain() -> None:
    push = {
        "event": "purchase",
        "ecommerce": {
            "transaction_id": "T-1",
            "value": "59.90",
            "currency": "EUR",
            "items": [
                {
                    "item_id": "SKU-1",
                    "item_name": "Shoe",
                    "item_brand": "Acme",
                    "item_category": "Shoes",
                    "price": 29.95,
                    "quantity": 2,
                }
            ],
        },
        "user_data": {"email_address": SAMPLE_EMAIL, "phone_number": "+1 213-373-4253"},
        "user_id": "user-42",
    }
    [report] = _run(
        [push],
        TIKTOK_SHOP,
        access_token="tok-0123456789",
        page_url="https://shop.example/thanks?ttclid=E.C.P.abc",
        cookies={"_ttp": "ttp-cookie-1"},
        ip="198.51.100.9",
        user_agent="TestBrowser/1.0",
    )
    assert report.verdict.deduplicates, report.verdict.reason
    [server] = report.servers
    [request] = server.requests
    assert (request.method, request.url) == ("POST", ENDPOINT)
    assert request.headers["Access-Token"] == "tok-0123456789"
    body = _body(report)
    assert (body["event_source"], body["event_source_id"]) == ("web", "CACMESHOP0000000001")
    assert "test_event_code" not in body  # the bundled example sends to production
    [event] = body["data"]
    assert event["event"] == "CompletePayment" and event["event_id"] == "tt_evt_T-1"
    assert event["event_time"] == (NOW + 1000) // 1000  # seconds, at the push's time
    user = event["user"]
    assert user["email"] == hashlib.sha256(b"jane.doe@example.com").hexdigest()
    assert user["phone"] == hashlib.sha256(b"+12133734253").hexdigest()
    assert user["external_id"] == hashlib.sha256(b"user-42").hexdigest()
    assert (user["ip"], user["user_agent"], user["ttp"], user["ttclid"]) == (
        "198.51.100.9",
        "TestBrowser/1.0",
        "ttp-cookie-1",
        "E.C.P.abc",
    )
    assert event["properties"]["value"] == 59.9 and event["properties"]["currency"] == "EUR"
    assert event["properties"]["contents"] == [
        {
            "content_id": "SKU-1",
            "content_type": "product",
            "content_name": "Shoe",
            "content_category": "Shoes",
            "brand": "Acme",
            "price": 29.95,
            "quantity": 2,
        }
    ]
    assert event["page"]["url"] == "https://shop.example/thanks?ttclid=E.C.P.abc"
    # the web side saw the same data: the pixel's contents come from the same push
    assert report.pixel[0].properties["contents"] == event["properties"]["contents"]
    assert server.outcomes[0].succeeded


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (
            {"response": '{"code": 40001, "message": "No permission to operate pixel code"}'},
            "TikTok code 40001: No permission to operate pixel code",
        ),
        ({"status": 500, "response": "upstream error"}, "HTTP 500"),
        (
            {"status": 401, "response": '{"code": 40105, "message": "Access token is incorrect"}'},
            "HTTP 401",
        ),
    ],
)
def test_a_rejected_request_makes_the_server_tag_fail(options: dict[str, Any], reason: str) -> None:
    [report] = _run([{"event": "add_to_cart"}], **options)
    assert not report.verdict.deduplicates
    assert not report.servers[0].outcomes[0].succeeded
    assert "reported failure" in report.verdict.reason and reason in report.verdict.reason


def test_cli_exits_1_on_a_rejected_request() -> None:
    code, out, _ = _cli(
        "--seed",
        "1",
        "--push",
        '{"event": "view_item"}',
        "--response",
        '{"code": 40002, "message": "Invalid value"}',
    )
    assert code == 1
    assert "FAILURE (TikTok code 40002: Invalid value)" in out


def test_a_missing_token_fails_clearly(tmp_path: Path) -> None:
    web, server = write(tmp_path, *exports())  # as built: the token is left empty
    code, out, _ = _cli(
        "--web",
        str(web),
        "--server",
        str(server),
        "--seed",
        "1",
        "--push",
        '{"event": "add_to_cart"}',
    )
    assert code == 1
    assert "access token is empty" in out
    assert "DOES NOT DEDUPLICATE" in out
    code, _, _ = _cli(
        "--web",
        str(web),
        "--server",
        str(server),
        "--seed",
        "1",
        "--push",
        '{"event": "add_to_cart"}',
        "--access-token",
        "tok-123456789",
    )
    assert code == 0


def test_hand_broken_pair_fails_naming_the_causes(tmp_path: Path) -> None:
    web, server = exports(TIKTOK_SHOP)
    break_pair(web, server)
    web_path, server_path = write(tmp_path, web, server)
    code, out, _ = _cli(
        "--web",
        str(web_path),
        "--server",
        str(server_path),
        "--seed",
        "2",
        "--access-token",
        "tok-123456789",
        "--json",
        "--push",
        '{"event": "purchase", "ecommerce": {"transaction_id": "T-5"}}',
    )
    assert code == 1
    [line] = out.splitlines()
    result = json.loads(line)
    assert result["deduplicates"] is False
    assert (
        "event name differs (pixel 'CompletePayment', Events API 'Purchase')" in (result["reason"])
    )
    assert "event_id differs" in result["reason"]
    [pixel] = result["pixel"]
    assert pixel["event_id"].startswith("rnd_")  # the fresh random ID the pixel got
    assert result["events_api"][0]["body"]["data"][0]["event_id"] == "tt_evt_T-5"


def test_json_lines_shape() -> None:
    code, out, _ = _cli(
        str(TIKTOK_SHOP),
        "--seed",
        "4",
        "--json",
        "--push",
        '{"event": "search", "search_term": "shoes"}',
        "--push",
        '{"no_event": true}',
        "--push",
        '{"event": "view_item"}',
    )
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["event"] for d in lines] == ["search", "view_item"]
    first = lines[0]
    assert set(first) >= {"event", "pixel", "events_api", "deduplicates", "reason"}
    assert set(first["pixel"][0]) == {"pixel_id", "event", "event_id", "properties"}
    assert set(first["events_api"][0]) >= {"url", "headers", "body"}
    assert is_masked(first["events_api"][0]["headers"]["Access-Token"])
    assert first["pixel"][0]["properties"] == {"query": "shoes"}


def test_seeded_runs_are_reproducible_and_unseeded_runs_differ() -> None:
    args = ("--json", "--seed", "9", "--now", "1714564800000", "--push", '{"event": "view_item"}')
    assert _cli(*args)[1] == _cli(*args)[1]
    unseeded = ("--json", "--push", '{"event": "view_item"}')
    first, second = (json.loads(_cli(*unseeded)[1]) for _ in range(2))
    assert first["pixel"][0]["event_id"] != second["pixel"][0]["event_id"]


@pytest.mark.parametrize(
    "args",
    [
        ("--push", "{not json"),
        ("--push", "[1, 2]"),
        ("--web", "missing.web.json"),
        ("--status", "42", "--push", '{"event": "x"}'),
        ("--now", "yesterday", "--push", '{"event": "x"}'),
        ("--cookie", "no-equals-sign", "--push", '{"event": "x"}'),
    ],
)
def test_invalid_input_exits_2(args: tuple[str, ...]) -> None:
    code, _, err = _cli(*args)
    assert code == 2
    assert err.strip() and "Traceback" not in err


def test_exports_of_the_wrong_kind_are_refused(tmp_path: Path) -> None:
    web, server = write(tmp_path, *exports())
    code, _, err = _cli("--web", str(server), "--server", str(web), "--push", '{"event": "x"}')
    assert code == 2
    assert "expected a WEB container export, found a SERVER one" in err
    code, _, err = _cli(str(tmp_path / "spec.yaml"), "--web", str(web), "--server", str(server))
    assert code == 2 and "not both" in err


def test_logs_show_the_templates_console_output() -> None:
    args = ("--seed", "1", "--push", '{"event": "search", "search_term": "x"}')
    _, quiet, _ = _cli(*args)
    _, loud, _ = _cli(*args, "--logs")
    assert "log: gtmgen TikTok Pixel: queued Search" not in quiet
    assert "log: gtmgen TikTok Pixel: queued Search" in loud
    assert "log: gtmgen TikTok Events API: accepted" in loud


def test_random_number_as_the_event_id_differs_between_the_two_reads(tmp_path: Path) -> None:
    from gtmgen.generate import names
    from tests.audit_helpers import set_param, tag

    web, server = exports()
    set_param(tag(web, names.tiktok_tag("view_item")), "eventId", "{{Random Number}}")
    hop = tag(web, names.ga4_tag("view_item"))
    table = next(p for p in hop["parameter"] if p["key"] == "eventSettingsTable")
    for row in table["list"]:
        if row["map"][0]["value"] == "event_id":
            row["map"][1]["value"] = "{{Random Number}}"
    web["containerVersion"]["builtInVariable"].append(
        {"accountId": "1", "containerId": "2", "type": "RANDOM_NUMBER", "name": "Random Number"}
    )
    web_path, server_path = write(tmp_path, web, server)
    code, out, _ = _cli(
        "--web",
        str(web_path),
        "--server",
        str(server_path),
        "--seed",
        "1",
        "--access-token",
        "tok-123456789",
        "--json",
        "--push",
        '{"event": "view_item"}',
    )
    assert code == 1
    result = json.loads(out)
    assert "event_id differs" in result["reason"]
    pixel_id = result["pixel"][0]["event_id"]
    api_id = result["events_api"][0]["body"]["data"][0]["event_id"]
    assert pixel_id.isdigit() and api_id.isdigit() and pixel_id != api_id
