"""Issue 10 §3-§7 and §9 end to end: the GA4 hop's user_data keys, Consent Mode states
(`gtmgen simulate --consent`), the test-code warning, GA4 e-commerce parameters, phone
numbers with `matching.default_country_code` and the names a spec may not use."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.errors import ExitCode, InputError
from gtmgen.simulate import Options, load, simulate
from gtmgen.simulate.consent import ConsentState, parse_consent
from gtmgen.simulate.hop import HOP_USER_DATA_FORMS, consent_signals
from gtmgen.simulate.pushes import SAMPLE_EMAIL
from gtmgen.simulate.runner import PushReport
from tests.audit_helpers import TIKTOK_SHOP, add_variable, exports, set_param, tag

NOW = 1_714_564_800_000
PURCHASE = {
    "event": "purchase",
    "ecommerce": {
        "transaction_id": "T-9",
        "value": 59.9,
        "currency": "EUR",
        "items": [{"item_id": "S1", "price": 59.9, "quantity": 1}],
    },
    "user_data": {"email_address": SAMPLE_EMAIL, "phone_number": "+1 213 373 4253"},
    "user_id": "u-1",
}
EMAIL_SHA = hashlib.sha256(b"jane.doe@example.com").hexdigest()
PHONE_SHA = hashlib.sha256(b"+12133734253").hexdigest()
TIKTOK_PURCHASE = "gtmgen - TikTok - purchase"

BASE_SPEC = """\
version: 1
name: Shop
web:
  ga4:
    measurement_id: G-ABCDEF1234
    server_container_url: https://sgtm.shop.example
tiktok:
  pixel_id: CABCDEFGHIJK1234567
{extra}events:
  - event: purchase
    tiktok_event: CompletePayment
    properties:
      value: ecommerce.value
      currency: ecommerce.currency
{event_extra}    user_data:
      phone_number: user.phone
"""


def spec_text(extra: str = "", event_extra: str = "") -> str:
    return BASE_SPEC.format(extra=extra, event_extra=event_extra)


def _py_mini_racer() -> None:
    pytest.importorskip("py_mini_racer")


def _run(
    pushes: list[dict[str, Any]], spec: Path | None = None, **options: Any
) -> list[PushReport]:
    _py_mini_racer()
    return simulate(
        load(spec or TIKTOK_SHOP, None, None), pushes, Options(seed=3, now_ms=NOW, **options)
    )


def _user(report: PushReport) -> dict[str, Any]:
    [server] = report.servers
    [request] = server.requests
    assert isinstance(request.body, dict)
    user = request.body["data"][0]["user"]
    assert isinstance(user, dict)
    return user


# --- §3: each hop key variant, end to end -----------------------------------------------


@pytest.mark.parametrize("form", HOP_USER_DATA_FORMS)
def test_each_hop_user_data_form_reaches_tiktok_hashed(form: str) -> None:
    [report] = _run([PURCHASE], hop_user_data=form)
    assert report.verdict.deduplicates, report.verdict.reason
    hop_user = report.servers[0].hit.event_data["user_data"]
    expected_keys = {
        "email_address": {"email_address", "phone_number"},
        "email": {"email", "phone"},
        "array": {"email", "phone"},
        "sha256": {"sha256_email_address", "sha256_phone_number"},
    }[form]
    assert set(hop_user) == expected_keys
    if form == "array":
        assert all(isinstance(v, list) for v in hop_user.values())
    user = _user(report)
    assert user["email"] == EMAIL_SHA and user["phone"] == PHONE_SHA
    assert user["external_id"] == hashlib.sha256(b"u-1").hexdigest()


@pytest.mark.parametrize("form", HOP_USER_DATA_FORMS)
def test_cli_hop_user_data_option(form: str) -> None:
    _py_mini_racer()
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(TIKTOK_SHOP),
            "--seed",
            "1",
            "--now",
            "1714564800000",
            "--json",
            "--hop-user-data",
            form,
            "--push",
            json.dumps(PURCHASE),
        ],
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    [line] = result.stdout.splitlines()
    body = json.loads(line)["events_api"][0]["body"]
    assert body["data"][0]["user"]["email"] == EMAIL_SHA


def test_cli_refuses_an_unknown_hop_user_data_form() -> None:
    result = CliRunner().invoke(app, ["simulate", "--hop-user-data", "mail"])
    assert result.exit_code == ExitCode.INVALID
    assert result.stderr.strip().count("\n") == 0 and "--hop-user-data" in result.stderr


# --- §4: consent states -------------------------------------------------------------------


def test_consent_signals_follow_the_state() -> None:
    assert consent_signals(ConsentState()) == (None, None)
    assert consent_signals(parse_consent("")) == ("G111", "11t1t1t1t5")
    assert consent_signals(parse_consent("ad_storage=denied,ad_user_data=denied")) == (
        "G101",
        "11p1t1p1t5",
    )
    assert consent_signals(parse_consent("analytics_storage=denied")) == ("G110", "11t1p1t1t5")


def test_without_consent_mode_the_hop_carries_no_consent_signal() -> None:
    [report] = _run([PURCHASE])
    data = report.servers[0].hit.event_data
    assert "x-ga-gcs" not in data and "x-ga-gcd" not in data
    assert report.consent_blocked == []


def test_all_granted_fires_everything_and_sends_user_data() -> None:
    [report] = _run([PURCHASE], consent=parse_consent("ad_storage=granted"))
    assert report.verdict.deduplicates, report.verdict.reason
    assert report.consent_blocked == [] and TIKTOK_PURCHASE in report.web_fired
    data = report.servers[0].hit.event_data
    assert (data["x-ga-gcs"], data["x-ga-gcd"]) == ("G111", "11t1t1t1t5")
    assert {"email", "phone", "external_id"} <= set(_user(report))


def test_denied_ad_storage_blocks_the_pixel_tag_and_the_server_request() -> None:
    [report] = _run([PURCHASE], consent=parse_consent("ad_storage=denied"))
    assert TIKTOK_PURCHASE not in report.web_fired
    assert report.consent_blocked == [f"{TIKTOK_PURCHASE} (needs ad_storage)"]
    assert "gtmgen - GA4 - purchase" in report.web_fired  # GA4 still pings (gcs G101)
    [server] = report.servers
    assert server.hit.event_data["x-ga-gcs"] == "G101"
    assert server.fired == [TIKTOK_PURCHASE] and server.requests == []
    assert server.outcomes[0].succeeded
    assert report.pixel == [] and report.api == []
    assert report.verdict.deduplicates and "ad_storage is denied" in report.verdict.reason


def test_denied_ad_user_data_sends_both_events_without_user_data() -> None:
    [report] = _run([PURCHASE], consent=parse_consent("ad_user_data=denied"))
    assert report.verdict.deduplicates, report.verdict.reason
    assert report.servers[0].hit.event_data["x-ga-gcd"] == "11t1t1p1t5"
    user = _user(report)
    assert not {"email", "phone", "external_id"} & set(user)
    assert user["ip"] and user["user_agent"]


def test_the_gate_reads_each_tags_consent_settings(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(spec_text("  consent: [ad_storage, ad_personalization]\n"), "utf-8")
    push = {"event": "purchase", "ecommerce": {"value": 1, "currency": "EUR"}}
    [report] = _run([push], spec, consent=parse_consent("ad_personalization=denied"))
    assert report.consent_blocked == [f"{TIKTOK_PURCHASE} (needs ad_personalization)"]
    [report] = _run([push], spec, consent=parse_consent("ad_user_data=denied"))
    assert report.consent_blocked == [] and TIKTOK_PURCHASE in report.web_fired


def test_cli_consent_run_shows_what_each_side_does() -> None:
    _py_mini_racer()
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(TIKTOK_SHOP),
            "--seed",
            "1",
            "--now",
            "1714564800000",
            "--consent",
            "ad_storage=denied,ad_user_data=denied",
            "--push",
            json.dumps(PURCHASE),
        ],
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout
    assert "with consent ad_storage=denied, analytics_storage=granted, ad_user_data=denied" in out
    assert f"consent        not fired: {TIKTOK_PURCHASE} (needs ad_storage) is denied" in out
    assert "hop consent    gcs=G101 gcd=11p1t1p1t5" in out
    assert "server tag     reported success, sent no request" in out
    assert "Events API     POST" not in out


@pytest.mark.parametrize("bad", ["ad_storage", "ad_storage=maybe", "cookies=denied"])
def test_cli_refuses_a_bad_consent_in_one_line(bad: str) -> None:
    result = CliRunner().invoke(app, ["simulate", "--consent", bad])
    assert result.exit_code == ExitCode.INVALID
    assert result.stderr.startswith("--consent: ") and result.stderr.count("\n") == 1


def test_parse_consent_names_the_option() -> None:
    with pytest.raises(InputError):
        parse_consent("ad_storage=yes")


# --- §5: the test event code ----------------------------------------------------------------


def test_build_warns_about_a_test_event_code(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(spec_text("  test_event_code: TEST1\n"), "utf-8")
    result = CliRunner().invoke(app, ["build", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "test_event_code" in line]
    assert warnings == [
        f"warning: {spec}: tiktok.test_event_code 'TEST1' sends every server "
        "event to TikTok's Test Events only (not counted in reporting or "
        "optimisation); remove it before you publish the server container"
    ]


def test_build_without_a_test_code_does_not_warn(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 0 and "test_event_code" not in result.stderr


def _audit(server: dict[str, Any]) -> list[str]:
    from gtmgen.audit import audit_containers
    from gtmgen.gtm.container import Container

    report = audit_containers([Container(server, file="server.json")])
    return [f.message for f in report.findings if f.code == "tiktok-test-event-code"]


def test_audit_reports_a_literal_or_constant_test_code_but_not_a_debug_lookup() -> None:
    _web, server = exports(TIKTOK_SHOP)
    assert _audit(server) == []
    purchase = tag(server, TIKTOK_PURCHASE)
    purchase["parameter"].append({"type": "TEMPLATE", "key": "testEventCode", "value": "T1"})
    [message] = _audit(server)
    assert "'T1'" in message
    add_variable(server, "Test code", "c", [{"type": "TEMPLATE", "key": "value", "value": "T2"}])
    set_param(purchase, "testEventCode", "{{Test code}}")
    assert "'T2'" in _audit(server)[0]
    add_variable(server, "Test code by mode", "smm", [])
    set_param(purchase, "testEventCode", "{{Test code by mode}}")
    assert _audit(server) == []


def test_audit_cli_reports_the_test_code_as_medium(tmp_path: Path) -> None:
    _web, server = exports(TIKTOK_SHOP)
    tag(server, TIKTOK_PURCHASE)["parameter"].append(
        {"type": "TEMPLATE", "key": "testEventCode", "value": "T1"}
    )
    path = tmp_path / "server.json"
    path.write_text(json.dumps(server), "utf-8")
    result = CliRunner().invoke(app, ["audit", str(path)])
    assert result.exit_code == 1
    assert "medium" in result.stdout and "[tiktok-test-event-code]" in result.stdout


# --- §6: GA4 e-commerce events --------------------------------------------------------------


def _ga4_tag(web: dict[str, Any], event: str) -> dict[str, Any]:
    return tag(web, f"gtmgen - GA4 - {event}")


def _params(entity: dict[str, Any]) -> dict[str, Any]:
    return {p["key"]: p for p in entity["parameter"]}


def test_ga4_ecommerce_events_send_the_data_layers_ecommerce_object() -> None:
    web, _server = exports(TIKTOK_SHOP)
    for event in ("purchase", "view_item", "add_to_cart", "begin_checkout"):
        params = _params(_ga4_tag(web, event))
        assert params["sendEcommerceData"] == {
            "type": "BOOLEAN",
            "key": "sendEcommerceData",
            "value": "true",
        }
        assert params["getEcommerceDataFrom"]["value"] == "dataLayer"
    for event in ("search", "newsletter_signup"):
        assert _params(_ga4_tag(web, event))["sendEcommerceData"]["value"] == "false"


def test_the_purchase_hit_carries_ga4s_required_parameters() -> None:
    [report] = _run([PURCHASE])
    data = report.servers[0].hit.event_data
    assert (data["transaction_id"], data["value"], data["currency"]) == ("T-9", 59.9, "EUR")
    assert data["items"] == [{"item_id": "S1", "price": 59.9, "quantity": 1}]


def test_ga4_params_replace_the_ecommerce_object(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(
        spec_text(
            event_extra="    ga4_params:\n      transaction_id: order.id\n"
            "      items: order.lines\n"
        ),
        "utf-8",
    )
    _py_mini_racer()
    from gtmgen.generate.pipeline import build_spec

    files = build_spec(spec).files
    web = json.loads(files["shop.web.json"])
    params = _params(_ga4_tag(web, "purchase"))
    assert params["sendEcommerceData"]["value"] == "false"
    rows = {
        r["map"][0]["value"]: r["map"][1]["value"] for r in params["eventSettingsTable"]["list"]
    }
    assert rows["transaction_id"] == "{{gtmgen - DLV - order.id}}"
    assert rows["items"] == "{{gtmgen - DLV - order.lines}}"
    push = {
        "event": "purchase",
        "ecommerce": {"value": 5, "currency": "EUR"},
        "order": {"id": "O-1", "lines": [{"item_id": "A", "quantity": 1}]},
    }
    [report] = _run([push], spec)
    data = report.servers[0].hit.event_data
    assert (data["transaction_id"], data["items"]) == ("O-1", [{"item_id": "A", "quantity": 1}])


# --- §7: default country code on the server tag ---------------------------------------------


def test_default_country_code_reaches_the_server_tag_and_normalises(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(spec_text('matching:\n  default_country_code: "49"\n'), "utf-8")
    push = {
        "event": "purchase",
        "ecommerce": {"value": 5, "currency": "EUR"},
        "user": {"phone": "0151 123 456 78"},
    }
    [report] = _run([push], spec)
    assert _user(report)["phone"] == hashlib.sha256(b"+4915112345678").hexdigest()
    [report] = _run([push], None)  # the bundled example has no default: only cleaned
    assert "phone" not in _user(report)  # (it maps user_data.phone_number, not user.phone)


def test_without_a_default_country_code_a_national_number_is_only_cleaned(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(spec_text(), "utf-8")
    push = {"event": "purchase", "user": {"phone": "0151 123 456 78"}}
    [report] = _run([push], spec)
    assert _user(report)["phone"] == hashlib.sha256(b"015112345678").hexdigest()


# --- §6: opt-in GA4 forwarding on the server --------------------------------------------------


def test_forward_ga4_adds_a_ga4_tag_for_every_ga4_client_event(tmp_path: Path) -> None:
    from gtmgen.generate.pipeline import build_spec

    spec = tmp_path / "shop.yaml"
    spec.write_text(
        spec_text().replace("tiktok:\n", "server:\n  forward_ga4: true\ntiktok:\n"), "utf-8"
    )
    files = build_spec(spec).files  # build_spec validates both exports
    server = json.loads(files["shop.server.json"])
    forward = tag(server, "gtmgen - GA4 forward")
    assert forward["type"] == "sgtmgaaw"
    assert {p["key"]: p["value"] for p in forward["parameter"]} == {
        "redactVisitorIp": "false",
        "epToIncludeDropdown": "all",
        "upToIncludeDropdown": "all",
    }
    [report] = _run([{"event": "purchase", "ecommerce": {"value": 1, "currency": "EUR"}}], spec)
    [run] = report.servers
    assert "gtmgen - GA4 forward" in run.fired and "gtmgen - GA4 forward" in run.not_simulated
    assert report.verdict.deduplicates, report.verdict.reason
    _web, default_server = exports(TIKTOK_SHOP)
    assert all(t["type"] != "sgtmgaaw" for t in default_server["containerVersion"]["tag"])


def test_json_lines_show_the_consent_gate_and_the_hops_signals() -> None:
    _py_mini_racer()
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(TIKTOK_SHOP),
            "--seed",
            "1",
            "--now",
            "1714564800000",
            "--json",
            "--consent",
            "ad_storage=denied",
            "--push",
            json.dumps(PURCHASE),
        ],
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    [line] = result.stdout.splitlines()
    push = json.loads(line)
    assert push["consent_blocked"] == [f"{TIKTOK_PURCHASE} (needs ad_storage)"]
    assert push["ga4_hits"][0]["consent"] == {"gcs": "G101", "gcd": "11p1t1t1t5"}
    assert push["events_api"] == [] and push["pixel"] == [] and push["deduplicates"]
