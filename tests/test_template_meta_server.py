"""The server template "gtmgen Meta Conversions API" run in the sandbox (permissions
enforced) with GA4 event data as the GA4 client hands it to the server container."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from gtmgen.platforms.meta import capi, mapping
from gtmgen.resources import read_template
from gtmgen.sandbox import HttpFailure, HttpResponse, ServerTagRun, parse_template, run_server_tag
from gtmgen.sandbox.permissions import unused_grants

pytest.importorskip("py_mini_racer")

SERVER = read_template("meta_conversions_api_server.tpl")
PIXEL = "1234567890123456"
TOKEN = "EAAB-SECRET-token-123"
NOW_MS = 1_700_000_123_987
OK = HttpResponse(body='{"events_received":1,"messages":[],"fbtrace_id":"AbC"}')
EMAIL = "  Jane.Doe@Example.COM "
ITEMS = [
    {"item_id": "SKU-1", "item_name": "Mug", "price": 12.5, "quantity": 2},
    {"item_id": 42, "item_name": "Tea", "price": "3.20", "quantity": "1"},
]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "event_name": "purchase",
        "event_id": "evt_9",
        "value": 25.0,
        "currency": "EUR",
        "items": ITEMS,
        "page_location": "https://shop.example/checkout?x=1",
        "page_referrer": "https://www.facebook.com/",
        "ip_override": "198.51.100.7",
        "user_agent": "Mozilla/5.0 (X11)",
        "x-ga-gcs": "G111",
        "user_data": {"email": EMAIL},
    }
    data.update(extra)
    return data


def fields(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pixelId": PIXEL,
        "accessToken": TOKEN,
        "eventName": "Purchase",
        "eventId": "evt_9",
        "properties": [
            {"name": "value", "value": 25.0},
            {"name": "currency", "value": "EUR"},
            {"name": "contents", "value": ITEMS},
        ],
        "respectAdStorageConsent": True,
        "respectAdUserDataConsent": True,
    }
    data.update(extra)
    return data


def send(
    data: dict[str, Any] | None = None,
    *,
    events: dict[str, Any] | None = None,
    cookies: dict[str, str] | None = None,
    debug: bool = False,
    response: HttpResponse | HttpFailure = OK,
) -> ServerTagRun:
    return run_server_tag(
        SERVER,
        data if data is not None else fields(),
        event_data=events if events is not None else event_data(),
        cookies=cookies if cookies is not None else {"_fbp": "fb.1.1.2"},
        debug=debug,
        now_ms=NOW_MS,
        response=response,
    )


def sent(run: ServerTagRun) -> dict[str, Any]:
    [request] = run.requests
    body = request.json
    assert isinstance(body, dict)
    [event] = body["data"]
    assert isinstance(event, dict)
    return event


def test_request_endpoint_token_and_event() -> None:
    run = send(fields(testEventCode="TEST42"))
    [request] = run.requests
    assert request.url == f"{capi.events_endpoint(PIXEL)}?access_token={TOKEN}"
    assert request.url.startswith("https://graph.facebook.com/v26.0/")
    assert (request.method, request.headers) == ("POST", {"Content-Type": "application/json"})
    assert request.json["test_event_code"] == "TEST42"
    event = sent(run)
    assert {
        k: event[k]
        for k in (
            "event_name",
            "event_id",
            "event_time",
            "action_source",
            "event_source_url",
            "referrer_url",
        )
    } == {
        "event_name": "Purchase",
        "event_id": "evt_9",
        "event_time": NOW_MS // 1000,
        "action_source": "website",
        "event_source_url": "https://shop.example/checkout?x=1",
        "referrer_url": "https://www.facebook.com/",
    }
    assert event["user_data"] == {
        "em": sha("jane.doe@example.com"),
        "client_ip_address": "198.51.100.7",
        "client_user_agent": "Mozilla/5.0 (X11)",
        "fbp": "fb.1.1.2",
    }
    assert run.succeeded


def test_no_test_event_code_unless_set() -> None:
    assert "test_event_code" not in (send().requests[0].json or {})


def test_custom_data_is_the_platform_mapping() -> None:
    props = {
        "value": "25.00",
        "currency": "EUR",
        "contents": ITEMS,
        "query": "blue mug",
        "transaction_id": "T-1",
        "status": "",
    }
    run = send(fields(properties=[{"name": k, "value": v} for k, v in props.items()]))
    custom = sent(run)["custom_data"]
    assert custom == mapping.parameters(props)
    assert custom == {
        "value": 25,
        "currency": "EUR",
        "search_string": "blue mug",
        "order_id": "T-1",
        "contents": [
            {"id": "SKU-1", "quantity": 2, "item_price": 12.5},
            {"id": "42", "quantity": 1, "item_price": 3.2},
        ],
        "content_ids": ["SKU-1", "42"],
        "content_type": "product",
        "num_items": 3,
    }


@pytest.mark.parametrize(
    "user_data",
    [
        {"email": EMAIL},
        {"email_address": EMAIL},
        {"email": ["", EMAIL]},
        {"email": "", "email_address": [EMAIL]},
        {"sha256_email_address": sha("jane.doe@example.com").upper()},
    ],
)
def test_every_email_key_of_the_hop(user_data: dict[str, Any]) -> None:
    run = send(events=event_data(user_data=user_data))
    assert sent(run)["user_data"]["em"] == sha("jane.doe@example.com")


def test_the_tag_field_wins_over_the_hop() -> None:
    run = send(fields(email="other@example.com"))
    assert sent(run)["user_data"]["em"] == sha("other@example.com")


@pytest.mark.parametrize(
    ("phone", "country", "digits"),
    [
        ("+1 (650) 555-1212", "", "16505551212"),
        ("+49 (151) 123-456.78", "49", "4915112345678"),
        ("0049 151 1234567", "49", "491511234567"),
        ("0151 1234567", "49", "491511234567"),
        ("49 151 1234567", "49", "491511234567"),
        ("151 1234567", "+49", "491511234567"),
        ("0151 1234567", "", "01511234567"),  # without a default code: only cleaned
    ],
)
def test_phones_are_digits_with_the_country_code(phone: str, country: str, digits: str) -> None:
    events = event_data(user_data={"phone_number": phone})
    run = send(fields(defaultCountryCode=country), events=events)
    assert sent(run)["user_data"]["ph"] == sha(digits)


@pytest.mark.parametrize("key", ["phone", "phone_number"])
def test_phone_keys_and_hashed_phone(key: str) -> None:
    run = send(events=event_data(user_data={key: "+1 650 555 1212"}))
    assert sent(run)["user_data"]["ph"] == sha("16505551212")
    hashed = sha("16505551212")
    run = send(events=event_data(user_data={"sha256_phone_number": hashed}))
    assert sent(run)["user_data"]["ph"] == hashed


def test_external_id_from_user_id_is_hashed() -> None:
    run = send(events=event_data(user_id=" u-77 "))
    assert sent(run)["user_data"]["external_id"] == sha("u-77")


def test_fbc_is_built_from_fbclid_and_kept_in_the_cookie() -> None:
    url = "https://shop.example/landing?utm_source=fb&fbclid=IwAR2xYz_AbC-9"
    run = send(events=event_data(page_location=url), cookies={})
    expected = f"fb.1.{NOW_MS}.IwAR2xYz_AbC-9"  # the click ID exactly as received
    assert sent(run)["user_data"]["fbc"] == expected
    [cookie] = run.cookies_set
    assert (cookie.name, cookie.value) == ("_fbc", expected)
    assert cookie.options == {
        "domain": "auto",
        "path": "/",
        "max-age": 7_776_000,
        "secure": True,
        "sameSite": "lax",
        "httpOnly": False,
    }


def test_an_existing_fbc_is_reused() -> None:
    old = "fb.1.1690000000000.IwAR2xYz_AbC-9"
    for url in ("https://shop.example/next", "https://shop.example/p?fbclid=IwAR2xYz_AbC-9"):
        run = send(events=event_data(page_location=url), cookies={"_fbc": old})
        assert sent(run)["user_data"]["fbc"] == old
        assert run.cookies_set == []


def test_a_new_click_replaces_an_old_fbc() -> None:
    run = send(
        events=event_data(page_location="https://shop.example/?fbclid=NewClick"),
        cookies={"_fbc": "fb.1.1690000000000.OldClick"},
    )
    assert sent(run)["user_data"]["fbc"] == f"fb.1.{NOW_MS}.NewClick"
    assert [c.value for c in run.cookies_set] == [f"fb.1.{NOW_MS}.NewClick"]


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse(
            status=400,
            body='{"error":{"message":"Invalid parameter","code":100,'
            '"error_subcode":2804001,"fbtrace_id":"X"}}',
        ),
        HttpResponse(status=500, body="Internal error"),
        HttpResponse(status=302, body=""),
        HttpResponse(
            status=200, body='{"error":{"message":"Invalid OAuth access token","code":190}}'
        ),
        HttpResponse(status=200, body="<html></html>"),
        HttpFailure("failed"),
        HttpFailure("timed_out"),
    ],
)
def test_each_failure_calls_gtm_on_failure(response: HttpResponse | HttpFailure) -> None:
    run = send(response=response, debug=True)
    assert run.outcome == "failure" and run.failures == 1
    assert any("failure" in line for line in run.logs)


@pytest.mark.parametrize("missing", ["pixelId", "accessToken", "eventName"])
def test_a_missing_field_fails_and_sends_nothing(missing: str) -> None:
    run = send(fields(**{missing: ""}))
    assert run.outcome == "failure" and run.requests == []


@pytest.mark.parametrize(
    "consent",
    [
        {"x-ga-gcs": "G100"},
        {"x-ga-gcs": "G101"},
        {"x-ga-gcd": "11p1t1t1t5"},
        {"x-ga-gcd": "11u1t1t1t5"},
    ],
)
def test_ad_storage_denied_sends_nothing_and_sets_no_cookie(consent: dict[str, str]) -> None:
    events = event_data(page_location="https://shop.example/?fbclid=abc", **consent)
    run = send(events=events, cookies={})
    assert run.requests == [] and run.cookies_set == []
    assert run.succeeded
    allowed = send(fields(respectAdStorageConsent=False), events=events, cookies={})
    assert len(allowed.requests) == 1


@pytest.mark.parametrize("gcd", ["11t1t1p1t5", "11r1r1q1r5", "13r3r3m3r5", "11t1t1u1t5"])
def test_ad_user_data_denied_sends_no_customer_information(gcd: str) -> None:
    events = event_data(
        user_id="u-1",
        **{"x-ga-gcd": gcd},
        user_data={"email": EMAIL, "phone_number": "+16505551212"},
    )
    user = sent(send(events=events))["user_data"]
    assert "em" not in user and "ph" not in user and "external_id" not in user
    assert user["client_user_agent"] == "Mozilla/5.0 (X11)" and user["fbp"] == "fb.1.1.2"
    with_it = sent(send(fields(respectAdUserDataConsent=False), events=events))["user_data"]
    assert "em" in with_it


@pytest.mark.parametrize("gcd", ["11t1t1t1t5", "11r1r1r1r5", "11l1l1l1l5", "13v3v3n3v5"])
def test_ad_user_data_granted_or_unset_sends_it(gcd: str) -> None:
    user = sent(send(events=event_data(**{"x-ga-gcd": gcd})))["user_data"]
    assert user["em"] == sha("jane.doe@example.com")


def test_logs_only_in_preview_and_never_the_token_or_clear_user_data() -> None:
    events = event_data(
        page_location="https://shop.example/?fbclid=click&email=jane",
        user_data={"email": EMAIL, "phone_number": "+16505551212"},
    )
    assert send(events=events).logs == []
    for response in (
        OK,
        HttpResponse(status=400, body='{"error":{"code":190}}'),
        HttpFailure("timed_out"),
    ):
        logs = "\n".join(send(events=events, debug=True, response=response).logs)
        assert logs and "Purchase" in logs
        assert TOKEN not in logs and "SECRET" not in logs and "(masked)" in logs
        assert "jane" not in logs.lower() and "6505551212" not in logs
        assert "198.51.100.7" not in logs and "fbclid" not in logs


def test_declared_permissions_are_exactly_the_ones_used() -> None:
    uses: list[str] = []
    user = {
        "email": EMAIL,
        "phone_number": "1",
        "sha256_email_address": "",
        "email_address": "",
        "phone": "",
        "sha256_phone_number": "",
    }
    runs = [
        send(
            debug=True,
            events=event_data(user_data={"email": ""}, ip_override="", ip="1.2.3.4", user_id="u"),
        ),
        send(
            events=event_data(
                page_location="https://a.example/?fbclid=x",
                user_data=user,
                **{"x-ga-gcd": "11t1t1t1t5"},
            ),
            cookies={},
        ),
    ]
    for run in runs:
        uses += run.permission_uses
    assert unused_grants(parse_template(SERVER).declared, uses) == []


def test_the_version_constant_is_the_platforms() -> None:
    assert f"const API_VERSION = '{capi.GRAPH_API_VERSION}';" in parse_template(SERVER).code
    assert float(capi.GRAPH_API_VERSION.removeprefix("v")) >= 24.0


def test_without_an_event_id_the_event_still_goes_and_preview_says_so() -> None:
    run = send(fields(eventId=""), debug=True)
    assert "event_id" not in sent(run) and run.succeeded
    assert any("no event_id" in line for line in run.logs)
