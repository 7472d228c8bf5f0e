"""The web template "gtmgen TikTok Pixel", as the bundled example's web export embeds it,
run in the sandbox with the fields of the export's own TikTok tags."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest

from gtmgen.generate import names
from gtmgen.sandbox import WebPage, WebTagRun, parse_template, run_web_tag
from tests.conftest import build_exports

pytest.importorskip("py_mini_racer")

PIXEL = "CACMESHOP0000000001"  # the bundled example's pixel ID
SDK = f"https://analytics.tiktok.com/i18n/pixel/events.js?sdkid={PIXEL}&lib=ttq"
ITEMS = [
    {
        "item_id": "SKU-1",
        "item_name": "Mug",
        "price": 12.5,
        "quantity": 2,
        "item_category": "Kitchen",
        "item_brand": "Acme",
    },
    {"item_id": 42, "item_name": "Tea", "price": "3.20", "quantity": "1"},
]
CONTENTS = [
    {
        "content_id": "SKU-1",
        "content_type": "product",
        "content_name": "Mug",
        "content_category": "Kitchen",
        "brand": "Acme",
        "price": 12.5,
        "quantity": 2,
    },
    {
        "content_id": "42",
        "content_type": "product",
        "content_name": "Tea",
        "price": 3.2,
        "quantity": 1,
    },
]


@cache
def export(kind: str) -> dict[str, Any]:
    exports = build_exports(None)
    return next(e for n, e in exports.items() if n.endswith(f".{kind}.json"))


def template_data(kind: str, name: str) -> str:
    templates = export(kind)["containerVersion"]["customTemplate"]
    return str(next(t for t in templates if t["name"] == name)["templateData"])


def lookup(values: dict[str, Any], path: str) -> Any:
    node: Any = values
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def tag_data(kind: str, tag_name: str, values: dict[str, Any]) -> dict[str, Any]:
    """The fields of one tag of the export as GTM hands them to the template: a value that
    is exactly one {{variable}} is that variable's typed value (constants from the export,
    data layer / event data variables read from ``values``, others ``values[name]``)."""
    version = export(kind)["containerVersion"]
    variables = {v["name"]: v for v in version["variable"]}

    def variable(name: str) -> Any:
        entity = variables.get(name)
        params = {p["key"]: p.get("value") for p in (entity or {}).get("parameter", [])}
        if entity is None or entity["type"] not in ("c", "v", "ed"):
            return values.get(name)
        if entity["type"] == "c":
            return params["value"]
        return lookup(values, params["name"] if entity["type"] == "v" else params["keyPath"])

    def field(text: str) -> Any:
        whole = re.fullmatch(r"\{\{([^{}]+)\}\}", text)
        if whole:
            return variable(whole.group(1))
        return re.sub(r"\{\{([^{}]+)\}\}", lambda m: str(variable(m.group(1)) or ""), text)

    tag = next(t for t in version["tag"] if t["name"] == tag_name)
    data: dict[str, Any] = {}
    for param in tag["parameter"]:
        if param["type"] == "BOOLEAN":
            data[param["key"]] = param["value"] == "true"
        elif param["type"] == "LIST":
            data[param["key"]] = [
                {m["key"]: field(m["value"]) for m in row["map"]} for row in param["list"]
            ]
        else:
            data[param["key"]] = field(param["value"])
    return data


WEB = template_data("web", names.WEB_TEMPLATE)


def push(event: str, event_id: str, **extra: Any) -> dict[str, Any]:
    """The fields of the example's TikTok tag for `event`, with a data layer."""
    layer = {
        "ecommerce": {"value": 25.0, "currency": "EUR", "items": ITEMS},
        names.EVENT_ID: event_id,
        **extra,
    }
    return tag_data("web", names.tiktok_tag(event), layer)


def fire(page: WebPage, event: str, event_id: str, **extra: Any) -> WebTagRun:
    return run_web_tag(WEB, push(event, event_id, **extra), page=page, now_ms=1_700_000_000_000)


def sent(run: WebTagRun, method: str) -> list[list[Any]]:
    """The arguments of the run's ``ttq.<method>`` calls for our pixel, whichever way they
    went (the pixel's own queue before events.js has loaded, the SDK after)."""
    return [args for pixel, args in run.ttq_calls(method) if pixel in (PIXEL, None)]


def test_two_events_on_one_page_inject_the_script_once() -> None:
    with WebPage() as page:
        first = fire(page, "view_item", "tt_evt_1")
        second = fire(page, "add_to_cart", "tt_evt_2")
        assert first.injected_scripts == [SDK]
        assert second.injected_scripts == []
        assert page.injected_scripts == [SDK]
        assert first.succeeded and second.succeeded
        assert page.window_value("TiktokAnalyticsObject") == "ttq"
        assert list(page.window_value("ttq._i")) == [PIXEL]
        assert page.window_value("ttq._t") == {PIXEL: 1_700_000_000_000}
    with WebPage() as next_page:  # a new page view loads it again
        assert fire(next_page, "view_item", "tt_evt_3").injected_scripts == [SDK]


def test_page_view_once_per_page() -> None:
    with WebPage() as page:
        runs = [fire(page, "view_item", "a"), fire(page, "add_to_cart", "b")]
        assert [len(sent(r, "page")) for r in runs] == [1, 0]
        assert runs[0].ttq_calls("page") == [(PIXEL, [])]


def test_track_gets_name_properties_and_the_event_id_in_the_third_argument() -> None:
    with WebPage() as page:
        run = fire(page, "add_to_cart", "tt_evt_42")
        [call] = sent(run, "track")
        name, properties, options = call
        assert name == "AddToCart"
        assert options == {"event_id": "tt_evt_42", "pixel_code": PIXEL}
        assert "event_id" not in properties
        assert properties == {"value": 25.0, "currency": "EUR", "contents": CONTENTS}
        # before events.js has loaded, on the pixel's own queue, after the Pageview
        queue = page.window_value(f"ttq._i.{PIXEL}")
        assert queue == [["page"], ["track", "AddToCart", properties, options]]
        assert page.window_value("ttq") == []
        # once it has loaded, through ttq.track with the pixel_code
        later = fire(page, "view_item", "tt_evt_43")
        assert later.calls_to("ttq.track")[0][2] == {"event_id": "tt_evt_43", "pixel_code": PIXEL}


def test_search_sends_the_query_and_no_contents() -> None:
    with WebPage() as page:
        run = fire(page, "search", "s1", search_term="blue mug")
        assert sent(run, "track") == [
            ["Search", {"query": "blue mug"}, {"event_id": "s1", "pixel_code": PIXEL}]
        ]


def test_empty_values_are_dropped_and_event_id_optional() -> None:
    data = push("add_to_cart", "")
    data["properties"] = [
        {"name": "value", "value": None},
        {"name": "currency", "value": ""},
        {"name": "contents", "value": ITEMS[:1]},
        {"name": "", "value": 1},
    ]
    run = run_web_tag(WEB, data)
    assert sent(run, "track") == [["AddToCart", {"contents": CONTENTS[:1]}, {"pixel_code": PIXEL}]]


def test_identify_is_called_only_with_user_data() -> None:
    with WebPage() as page:
        plain = fire(page, "add_to_cart", "a")
        assert sent(plain, "identify") == []
        user = {
            "user_data": {"email_address": " Jane@Example.com ", "phone_number": "+12133734253"},
            "user_id": "u-9",
        }
        purchase = fire(page, "purchase", "b", **user)
        assert sent(purchase, "identify") == [
            [{"email": "Jane@Example.com", "phone_number": "+12133734253", "external_id": "u-9"}]
        ]
        paths = [c.path for c in purchase.window_calls]
        assert paths.index(f"ttq._i.{PIXEL}.identify") < paths.index("ttq.track")
    with WebPage() as page:  # before events.js: both on the pixel's queue, in order
        run = fire(page, "purchase", "b", **user)
        assert [p.value[0] for p in run.queue_pushes] == ["page", "identify", "track"]


def test_a_custom_event_without_properties() -> None:
    run = run_web_tag(
        WEB, push("newsletter_signup", "n1", user_data={"email_address": "jane@example.com"})
    )
    assert sent(run, "identify") == [[{"email": "jane@example.com"}]]
    assert sent(run, "track") == [["NewsletterSignup", {}, {"event_id": "n1", "pixel_code": PIXEL}]]


def test_a_hashed_email_goes_as_sha256_email() -> None:
    digest = "a" * 64
    run = run_web_tag(WEB, push("begin_checkout", "x", user_data={"email_address": digest}))
    assert sent(run, "identify") == [[{"sha256_email": digest}]]


@pytest.mark.parametrize(
    ("phone", "code", "expected"),
    [
        ("030 123-4567", "49", "+49301234567"),  # national: trunk 0 dropped, code added
        ("0049 30 1234567", "49", "+49301234567"),  # 00 is international
        ("+1 (213) 373-4253", "49", "+12133734253"),  # + is international as written
        ("49301234567", "49", "+49301234567"),  # already starts with the code
        ("301234567", "49", "+49301234567"),  # any other: national
        ("030 123-4567", "", "0301234567"),  # no default: cleaned, never guessed
    ],
)
def test_the_phone_follows_the_server_tags_rule(phone: str, code: str, expected: str) -> None:
    data = push("purchase", "p1", user_data={"phone_number": phone})
    data["defaultCountryCode"] = code
    assert sent(run_web_tag(WEB, data), "identify") == [[{"phone_number": expected}]]


@pytest.mark.parametrize("missing", ["pixelId", "eventName"])
def test_an_empty_pixel_id_or_event_name_fails_and_does_nothing(missing: str) -> None:
    data = push("view_item", "e")
    data[missing] = ""
    with WebPage() as page:
        run = run_web_tag(WEB, data, page=page)
        assert run.outcome == "failure"
        assert run.window_calls == [] and run.injected_scripts == []
        assert page.window_value("ttq") is None


def test_a_script_that_does_not_load_fails_the_tag() -> None:
    with WebPage(failing_scripts=["https://analytics.tiktok.com/"]) as page:
        run = fire(page, "view_item", "e")
        assert run.outcome == "failure"
        assert sent(run, "track")  # queued before the load failed


def test_pixel_loaded_by_the_pages_own_base_code_is_reused() -> None:
    from tests.tiktok_page import BASE_CODE

    with WebPage() as page:
        page.run_script(BASE_CODE, {"pixel": PIXEL})
        run = fire(page, "view_item", "e")
        assert run.succeeded
        assert run.injected_scripts == [] and sent(run, "page") == []
        # the site's events.js has not run yet: the event waits on the pixel's own queue
        assert run.ttq_calls("track")[0][0] == PIXEL
        assert run.ttq_calls("track")[0][1][2] == {"event_id": "e", "pixel_code": PIXEL}


def test_logs_only_in_preview_and_without_user_data() -> None:
    user = {"user_data": {"email_address": "jane@example.com", "phone_number": "+4915112345"}}
    with WebPage(debug=False) as page:
        assert fire(page, "purchase", "e", **user).logs == []
    with WebPage(debug=True) as page:
        logs = fire(page, "purchase", "e", **user).logs
        assert logs and any("CompletePayment" in line for line in logs)
        assert not any("jane" in line or "4915112345" in line for line in logs)


def test_the_export_sets_only_fields_the_template_has() -> None:
    fields = {p["name"]: p["type"] for p in _fields(parse_template(WEB).parameters)}
    kinds = {"TEXT": "TEMPLATE", "PARAM_TABLE": "LIST", "CHECKBOX": "BOOLEAN", "SELECT": "TEMPLATE"}
    version = export("web")["containerVersion"]
    template_id = next(
        t["templateId"] for t in version["customTemplate"] if t["name"] == names.WEB_TEMPLATE
    )
    ours = [t for t in version["tag"] if t["type"].endswith(f"_{template_id}")]
    assert ours
    for tag in ours:
        for param in tag["parameter"]:
            assert kinds[fields[param["key"]]] == param["type"], (tag["name"], param["key"])


def _fields(params: list[Any]) -> list[dict[str, Any]]:
    out = []
    for param in params:
        if param.get("type") == "GROUP":
            out += _fields(param.get("subParams", []))
        else:
            out.append(param)
    return out
