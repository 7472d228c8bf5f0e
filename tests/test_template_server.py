"""The server template "gtmgen TikTok Events API", as the bundled example's server export
embeds it, run in the sandbox with the fields of the export's own TikTok tags resolved
from GA4 event data."""

from __future__ import annotations

import hashlib
from typing import Any, TypedDict

import pytest

from gtmgen.generate import names
from gtmgen.sandbox import (
    HttpFailure,
    HttpResponse,
    ServerTagRun,
    parse_template,
    run_server_tag,
)
from gtmgen.sandbox.permissions import unused_grants
from tests.test_template_web import CONTENTS, ITEMS, PIXEL, tag_data, template_data

pytest.importorskip("py_mini_racer")

SERVER = template_data("server", names.SERVER_TEMPLATE)
ENDPOINT = "https://business-api.tiktok.com/open_api/v1.3/event/track/"
TOKEN = "tok-SECRET-123"
NOW_MS = 1_700_000_123_987
OK = HttpResponse()
EMAIL = "  Jane.Doe@Example.COM "
PHONE = "+49 (151) 123-456.78"

# the consent keys the GA4 hop puts in event data; not Python names, so passed as **HopConsent
HopConsent = TypedDict("HopConsent", {"x-ga-gcs": str | None, "x-ga-gcd": str | None}, total=False)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_data(**extra: Any) -> dict[str, Any]:
    """What the GA4 client gives the server container for the example's purchase."""
    data: dict[str, Any] = {
        "event_name": "purchase",
        "event_id": "tt_evt_9",
        "value": 25.0,
        "currency": "EUR",
        "items": ITEMS,
        "page_location": "https://shop.example/checkout?ttclid=E.C.P.url&x=1",
        "page_referrer": "https://www.tiktok.com/",
        "ip_override": "198.51.100.7",
        "user_agent": "Mozilla/5.0 (X11)",
        "x-ga-gcs": "G111",
        "user_data": {"email_address": EMAIL, "phone_number": PHONE},
        "user_id": " u-77 ",
    }
    data.update(extra)
    return data


def fields(event: str = "purchase", token: str = TOKEN, **extra: Any) -> dict[str, Any]:
    data = tag_data("server", names.tiktok_tag(event), event_data(**extra))
    data["accessToken"] = token  # the example is built without a token
    return data


def send(
    data: dict[str, Any] | None = None,
    *,
    cookies: dict[str, str] | None = None,
    debug: bool = False,
    response: HttpResponse | HttpFailure = OK,
    **extra: Any,
) -> ServerTagRun:
    return run_server_tag(
        SERVER,
        data if data is not None else fields(**extra),
        event_data=event_data(**extra),
        debug=debug,
        now_ms=NOW_MS,
        cookies=cookies if cookies is not None else {"_ttp": "ttp-cookie"},
        response=response,
    )


def body(run: ServerTagRun) -> dict[str, Any]:
    [request] = run.requests
    parsed = request.json
    assert isinstance(parsed, dict)
    return parsed


def test_request_url_method_and_headers() -> None:
    run = send()
    [request] = run.requests
    assert (request.url, request.method) == (ENDPOINT, "POST")
    assert request.headers == {"Access-Token": TOKEN, "Content-Type": "application/json"}
    assert run.succeeded


def test_body_carries_pixel_test_code_event_and_seconds() -> None:
    assert "test_event_code" not in body(send())  # the bundled example has none
    data = fields()
    data["testEventCode"] = "TEST12345"
    sent = body(send(data))
    assert sent["event_source"] == "web"
    assert sent["event_source_id"] == PIXEL
    assert sent["test_event_code"] == "TEST12345"
    [event] = sent["data"]
    assert event["event"] == "CompletePayment"
    assert event["event_id"] == "tt_evt_9"
    assert event["event_time"] == NOW_MS // 1000 and isinstance(event["event_time"], int)


def test_user_fields_are_normalised_and_hashed() -> None:
    user = body(send())["data"][0]["user"]
    assert user["email"] == sha("jane.doe@example.com")
    assert user["phone"] == sha("+4915112345678")
    assert user["external_id"] == sha("u-77")
    assert user["ip"] == "198.51.100.7"
    assert user["user_agent"] == "Mozilla/5.0 (X11)"


def test_already_hashed_values_pass_through() -> None:
    digest = sha("someone@example.com").upper()
    user = body(send(user_data={"email_address": digest}))["data"][0]["user"]
    assert user["email"] == digest.lower()
    assert "phone" not in user


def test_ip_falls_back_to_the_request_ip() -> None:
    user = body(send(ip_override=None, ip="203.0.113.5"))["data"][0]["user"]
    assert user["ip"] == "203.0.113.5"


def test_ga4_items_become_contents_and_numbers_stay_numbers() -> None:
    properties = body(send())["data"][0]["properties"]
    assert properties == {"value": 25.0, "currency": "EUR", "contents": CONTENTS}


def test_search_sends_the_query() -> None:
    event = body(
        send(
            fields("search", search_term="mug", query="blue mug"),
            search_term="mug",
            query="blue mug",
        )
    )["data"][0]
    assert event["event"] == "Search" and event["properties"] == {"query": "blue mug"}
    assert "email" not in event["user"]


def test_page_url_and_referrer() -> None:
    page = body(send())["data"][0]["page"]
    assert page == {
        "url": "https://shop.example/checkout?ttclid=E.C.P.url&x=1",
        "referrer": "https://www.tiktok.com/",
    }


def test_ttclid_from_the_url_first_then_the_cookie_and_ttp_from_its_cookie() -> None:
    from_url = send(cookies={"ttclid": "E.C.P.cookie", "_ttp": "ttp-1"})
    assert body(from_url)["data"][0]["user"]["ttclid"] == "E.C.P.url"
    assert body(from_url)["data"][0]["user"]["ttp"] == "ttp-1"
    [cookie] = from_url.cookies_set
    assert (cookie.name, cookie.value) == ("ttclid", "E.C.P.url")
    assert cookie.options["max-age"] == 30 * 24 * 3600 and cookie.options["domain"] == "auto"
    from_cookie = send(cookies={"ttclid": "E.C.P.cookie"}, page_location="https://shop.example/")
    user = body(from_cookie)["data"][0]["user"]
    assert user["ttclid"] == "E.C.P.cookie" and "ttp" not in user
    assert from_cookie.cookies_set == []


def test_empty_fields_are_omitted() -> None:
    data = fields()
    data.update(testEventCode="", eventId="", email="", phoneNumber=None, externalId="")
    sent = body(
        send(
            data,
            cookies={},
            page_location=None,
            page_referrer=None,
            user_agent=None,
            ip_override=None,
            user_data=None,
        )
    )
    assert "test_event_code" not in sent
    [event] = sent["data"]
    assert "event_id" not in event
    assert event["user"] == {} and event["page"] == {}


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse(200, '{"code":40001,"message":"No permission to operate pixel code"}'),
        HttpResponse(200, '{"code":40100,"message":"Too many requests"}'),
        HttpResponse(500, '{"code":0}'),
        HttpResponse(403, "Forbidden"),
        HttpResponse(200, "<html>not json</html>"),
        HttpResponse(200, ""),
        HttpFailure("timed_out"),
        HttpFailure("failed"),
    ],
    ids=[
        "code-40001",
        "code-40100",
        "http-500",
        "http-403",
        "not-json",
        "empty",
        "timeout",
        "failed",
    ],
)
def test_anything_but_2xx_with_code_0_fails(response: HttpResponse | HttpFailure) -> None:
    run = send(response=response)
    assert run.outcome == "failure" and run.failures == 1
    assert len(run.requests) == 1


def test_2xx_with_code_0_succeeds() -> None:
    run = send(response=HttpResponse(200, '{"code":0,"message":"OK","request_id":"r1"}'))
    assert run.outcome == "success" and run.successes == 1


@pytest.mark.parametrize("missing", ["accessToken", "pixelId", "eventName"])
def test_missing_configuration_fails_without_a_request(missing: str) -> None:
    data = fields()
    data[missing] = ""
    run = send(data, debug=True)
    assert run.outcome == "failure" and run.requests == []
    assert any("required" in line for line in run.logs)


def test_denied_ad_storage_sends_nothing_and_succeeds() -> None:
    run = send(**HopConsent({"x-ga-gcs": "G100"}), debug=True)
    assert run.requests == [] and run.cookies_set == []
    assert run.succeeded
    assert any("ad_storage" in line for line in run.logs)


def test_consent_is_ignored_when_the_tag_does_not_respect_it() -> None:
    data = fields(**{"x-ga-gcs": "G100"})
    data["respectAdStorageConsent"] = False
    assert len(send(data, **HopConsent({"x-ga-gcs": "G100"})).requests) == 1
    assert len(send(**HopConsent({"x-ga-gcs": None})).requests) == 1  # no consent signal: send


def test_logs_only_in_debug_and_never_raw_user_data_or_the_token() -> None:
    assert send(debug=False).logs == []
    assert send(debug=False, response=HttpFailure()).logs == []
    for response in (HttpResponse(), HttpResponse(200, '{"code":40002,"message":"bad"}')):
        logs = "\n".join(send(debug=True, response=response).logs)
        assert ENDPOINT in logs
        for secret in (
            TOKEN,
            "Jane",
            "jane.doe",
            "151",
            "198.51.100.7",
            "E.C.P.url",
            "u-77",
            "ttp-cookie",
            "Mozilla",
        ):
            assert secret not in logs, secret
        assert sha("jane.doe@example.com") in logs  # what was sent, hashed


def test_declared_permissions_are_exactly_the_ones_used() -> None:
    runs = [
        send(debug=True),
        send(ip_override=None, ip="203.0.113.5"),
        send(cookies={"ttclid": "x"}, page_location="https://shop.example/"),
        send(user_data=None),
    ]
    uses = [use for run in runs for use in run.permission_uses]
    assert unused_grants(parse_template(SERVER).declared, uses) == []


# --- issue 10 §3: every user_data key the GA4 hop may use -----------------------------

EMAIL_SHA = sha("jane.doe@example.com")
PHONE_SHA = sha("+4915112345678")


@pytest.mark.parametrize(
    "user_data",
    [
        {"email": EMAIL, "phone": PHONE},
        {"email_address": EMAIL, "phone_number": PHONE},
        {"sha256_email_address": EMAIL_SHA, "sha256_phone_number": PHONE_SHA},
        {"sha256_email_address": EMAIL_SHA.upper(), "sha256_phone_number": PHONE_SHA.upper()},
        {"email": [EMAIL], "phone": [PHONE]},
        {"email": ["", None, EMAIL, "other@example.com"], "phone": ["", PHONE]},
        {"email": "", "email_address": EMAIL, "phone": [], "phone_number": PHONE},
        {"email": "  ", "sha256_email_address": EMAIL_SHA, "phone_number": PHONE},
    ],
    ids=[
        "short",
        "google",
        "sha256",
        "sha256-upper",
        "arrays",
        "array-first-non-empty",
        "empty-short-then-google",
        "blank-then-sha256",
    ],
)
def test_every_hop_key_variant_gives_the_same_hashed_user(user_data: dict[str, Any]) -> None:
    user = body(send(user_data=user_data))["data"][0]["user"]
    assert (user["email"], user["phone"]) == (EMAIL_SHA, PHONE_SHA)


def test_the_first_non_empty_key_wins_in_documented_order() -> None:
    user = body(
        send(
            user_data={
                "email": "a@example.com",
                "email_address": "b@example.com",
                "phone_number": "+111",
                "sha256_phone_number": PHONE_SHA,
            }
        )
    )
    assert user["data"][0]["user"]["email"] == sha("a@example.com")
    assert user["data"][0]["user"]["phone"] == sha("+111")


def test_a_filled_field_wins_over_the_hop() -> None:
    data = fields()
    data["email"] = "field@example.com"
    user = body(send(data))["data"][0]["user"]
    assert user["email"] == sha("field@example.com") and user["phone"] == PHONE_SHA


def test_the_hop_is_not_read_when_the_tag_says_so() -> None:
    data = fields()
    data["userDataFromHop"] = False
    user = body(send(data))["data"][0]["user"]
    assert "email" not in user and "phone" not in user and user["external_id"] == sha("u-77")


def test_objects_in_user_data_are_not_taken_as_an_email() -> None:
    user = body(send(user_data={"email": {"x": 1}, "email_address": EMAIL}))["data"][0]["user"]
    assert user["email"] == EMAIL_SHA


# --- issue 10 §4: consent the hop carries (x-ga-gcs and x-ga-gcd) ---------------------


@pytest.mark.parametrize(
    "gcs, gcd",
    [
        ("G100", None),
        ("G101", None),
        (None, "11p1p1p1p5"),
        (None, "11q1t1t1t5"),
        (None, "13m3t3t3t5"),
        (None, "13u3r3n3v5"),
        ("G111", "11p1t1t1t5"),
    ],
    ids=["gcs-G100", "gcs-G101", "gcd-p", "gcd-q", "gcd-m", "gcd-u", "gcs-granted-gcd-denied"],
)
def test_denied_ad_storage_in_either_form_sends_nothing(gcs: str | None, gcd: str | None) -> None:
    run = send(**HopConsent({"x-ga-gcs": gcs, "x-ga-gcd": gcd}), debug=True)
    assert run.requests == [] and run.cookies_set == [] and run.succeeded


@pytest.mark.parametrize("gcd", ["11t1t1p1t5", "11r1r1q1r5", "13v3v3m3v5", "13t3t3u3t5"])
def test_denied_ad_user_data_sends_the_event_without_user_data(gcd: str) -> None:
    run = send(**HopConsent({"x-ga-gcd": gcd}), debug=True)
    user = body(run)["data"][0]["user"]
    assert not {"email", "phone", "external_id"} & set(user)
    assert user["ip"] == "198.51.100.7" and user["ttp"] == "ttp-cookie"
    assert any("ad_user_data is denied" in line for line in run.logs)


@pytest.mark.parametrize(
    "gcs, gcd",
    [
        ("G111", "11t1t1t1t5"),
        ("G111", "13l3l3l3l1l1"),
        (None, "11n1n1n1n5"),
        ("G111", "11v1v1r1v5"),
        (None, None),
        ("G111", ""),
    ],
    ids=["granted", "not-set", "granted-by-update", "updated", "no-signal", "empty-gcd"],
)
def test_granted_or_unknown_consent_sends_user_data(gcs: str | None, gcd: str | None) -> None:
    user = body(send(**HopConsent({"x-ga-gcs": gcs, "x-ga-gcd": gcd})))["data"][0]["user"]
    assert {"email", "phone", "external_id"} <= set(user)


def test_ad_user_data_is_ignored_when_the_tag_does_not_respect_it() -> None:
    data = fields(**{"x-ga-gcd": "11t1t1p1t5"})
    data["respectAdUserDataConsent"] = False
    user = body(send(data, **HopConsent({"x-ga-gcd": "11t1t1p1t5"})))["data"][0]["user"]
    assert user["email"] == EMAIL_SHA


# --- issue 10 §7: phone numbers with matching.default_country_code ----------------------


@pytest.mark.parametrize(
    "code, raw, e164",
    [
        ("49", "+49 151 1234 5678", "+4915112345678"),  # + : international as written
        ("49", "+1 (213) 373-4253", "+12133734253"),
        ("49", "0049 151 12345678", "+4915112345678"),  # 00 : international
        ("49", "001-213-373-4253", "+12133734253"),
        ("49", "0151 / 123 456 78", "+4915112345678"),  # one 0 : trunk prefix dropped
        ("49", "49 151 12345678", "+4915112345678"),  # starts with the code: kept
        ("49", "151.1234.5678", "+4915112345678"),  # national: code added
        ("1", "(213) 373-4253", "+12133734253"),
        ("1", "1 213 373 4253", "+12133734253"),
        ("", "0151 123 456 78", "015112345678"),  # no code: only cleaned, never guessed
        ("", "0049 151 12345678", "004915112345678"),
        ("", "+49 151 12345678", "+4915112345678"),
    ],
)
def test_phone_numbers_follow_the_default_country_code_rule(code: str, raw: str, e164: str) -> None:
    data = fields()
    data["defaultCountryCode"] = code
    user = body(send(data, user_data={"phone_number": raw}))["data"][0]["user"]
    assert user["phone"] == sha(e164)


def test_a_hashed_phone_is_not_given_a_country_code() -> None:
    data = fields()
    data["defaultCountryCode"] = "49"
    user = body(send(data, user_data={"sha256_phone_number": PHONE_SHA}))["data"][0]["user"]
    assert user["phone"] == PHONE_SHA
