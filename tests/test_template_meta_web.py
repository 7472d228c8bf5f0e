"""The web template "gtmgen Meta Pixel" in the sandbox (permissions enforced) on pages
with a stand-in of Meta's fbevents.js: a fresh page, a page whose own base code inits the
same pixel, a page with another pixel, every consent state, base and event tags in any
order."""

from __future__ import annotations

from itertools import permutations
from typing import Any

import pytest

from gtmgen.platforms.meta import mapping
from gtmgen.sandbox import parse_template
from gtmgen.sandbox.permissions import unused_grants
from tests.meta_page import SDK, SITE_BASE_CODE, WEB, MetaPage

pytest.importorskip("py_mini_racer")

PIXEL = "1234567890123456"
OTHER = "9999999999999999"
ITEMS = [
    {"item_id": "SKU-1", "item_name": "Mug", "price": 12.5, "quantity": 2},
    {"item_id": 42, "price": "3.20", "quantity": "1"},
]
PROPS = {"value": "28.20", "currency": "EUR", "contents": ITEMS}


def base(pixel: str = PIXEL) -> dict[str, Any]:
    return {"mode": "base", "pixelId": pixel}


def event(
    name: str = "Purchase",
    event_id: str = "evt_1",
    pixel: str = PIXEL,
    props: dict[str, Any] | None = None,
) -> dict[str, Any]:
    rows = [{"name": k, "value": v} for k, v in (PROPS if props is None else props).items()]
    return {
        "mode": "event",
        "pixelId": pixel,
        "eventName": name,
        "eventId": event_id,
        "properties": rows,
    }


def sent(page: MetaPage, pixel: str = PIXEL) -> list[tuple[str, str, Any]]:
    """(method, event name, eventID) of what reached Meta for `pixel`."""
    return [
        (e["method"], e["name"], e["options"].get("eventID"))
        for e in page.meta.get("events", [])
        if e["pixel"] == pixel
    ]


PAGE_VIEW = ("trackSingle", "PageView", None)
PURCHASE = ("trackSingle", "Purchase", "evt_1")


def test_fresh_page_base_then_event() -> None:
    with MetaPage() as page:
        first = page.fire(base())
        second = page.fire(event())
        assert first.succeeded and second.succeeded
        assert page.page.injected_scripts == [SDK]
        assert page.meta["loads"] == 1 and page.meta["inits"] == [PIXEL]
        assert sent(page) == [PAGE_VIEW, PURCHASE]
        [purchase] = [e for e in page.meta["events"] if e["name"] == "Purchase"]
        assert purchase["params"] == mapping.parameters(PROPS)
        assert purchase["options"] == {"eventID": "evt_1"}


def test_the_stub_is_metas_base_code_contract() -> None:
    with MetaPage(defer_load=True) as page:
        page.fire(base())
        assert page.window("fbq") == "<function>"
        assert page.window("_fbq") == "<function>"
        assert page.window("fbq.push") == "<function>"
        assert (page.window("fbq.loaded"), page.window("fbq.version")) == (True, "2.0")
        assert page.window("fbq.queue") == [["init", PIXEL], ["trackSingle", PIXEL, "PageView"]]
        page.load()
        assert page.window("fbq.queue") == [] and page.window("fbq.version") != "2.0"
        assert sent(page) == [PAGE_VIEW]


def test_the_stub_hands_calls_to_fbevents_once_it_is_there() -> None:
    site_call = "window.fbq('trackSingleCustom', 'PIXEL', 'SiteEvent', {}, {eventID: 's1'});"
    with MetaPage(defer_load=True) as page:
        page.fire(base())
        page.site(site_call, pixel=PIXEL)  # queued by our stub
        page.load()
        page.site(site_call.replace("s1", "s2"), pixel=PIXEL)  # through callMethod
        page.fire(event())
        assert sent(page) == [
            PAGE_VIEW,
            ("trackSingleCustom", "SiteEvent", "s1"),
            ("trackSingleCustom", "SiteEvent", "s2"),
            PURCHASE,
        ]
        assert page.window("fbq.queue") == []


ORDERS = list(permutations(["base", "view", "purchase"]))


@pytest.mark.parametrize("defer", [False, True])
@pytest.mark.parametrize("order", ORDERS, ids=["-".join(o) for o in ORDERS])
def test_any_order_one_load_one_init_one_page_view(order: tuple[str, ...], defer: bool) -> None:
    tags = {"base": base(), "view": event("ViewContent", "evt_v"), "purchase": event()}
    with MetaPage(defer_load=defer) as page:
        runs = [page.fire(tags[name]) for name in order]
        page.load()
        assert all(r.succeeded for r in runs)
        assert page.page.injected_scripts == [SDK]
        assert page.meta["loads"] == 1 and page.meta["inits"] == [PIXEL]
        events = sent(page)
        assert events[0] == PAGE_VIEW and events.count(PAGE_VIEW) == 1
        assert sorted(events[1:]) == sorted([PURCHASE, ("trackSingle", "ViewContent", "evt_v")])


@pytest.mark.parametrize("loaded", [False, True], ids=["site-script-pending", "site-loaded"])
def test_page_whose_own_base_code_inited_the_same_pixel(loaded: bool) -> None:
    with MetaPage() as page:
        page.site(SITE_BASE_CODE, pixel=PIXEL, loaded=loaded)
        runs = [page.fire(base()), page.fire(event())]
        if not loaded:
            page.site("", loaded=True)  # the site's fbevents.js arrives
        assert all(r.succeeded for r in runs)
        assert page.page.injected_scripts == []  # the site loads fbevents.js
        assert all(r.calls_to("fbq") == [] or r.calls_to("fbq")[0][0] != "init" for r in runs)
        assert page.meta["loads"] == 1 and page.meta["inits"] == [PIXEL]
        assert sent(page) == [("track", "PageView", None), PURCHASE]


def test_page_with_another_pixel_gets_none_of_ours() -> None:
    with MetaPage() as page:
        page.site(SITE_BASE_CODE, pixel=OTHER, loaded=True)
        page.fire(base())
        page.fire(event())
        page.fire(event("Lead", "evt_2", props={}))
        assert page.meta["inits"] == [OTHER, PIXEL]
        assert page.page.injected_scripts == []
        assert sent(page, OTHER) == [("track", "PageView", None)]
        assert sent(page) == [PAGE_VIEW, PURCHASE, ("trackSingle", "Lead", "evt_2")]


def test_a_custom_event_goes_to_our_pixel_with_track_single_custom() -> None:
    with MetaPage() as page:
        page.site(SITE_BASE_CODE, pixel=OTHER, loaded=True)
        page.fire(event("NewsletterSignup", "n1", props={"query": "mugs", "empty": ""}))
        assert sent(page) == [PAGE_VIEW, ("trackSingleCustom", "NewsletterSignup", "n1")]
        assert page.meta["events"][-1]["params"] == {"search_string": "mugs"}
        assert sent(page, OTHER) == [("track", "PageView", None)]


def test_consent_denied_loads_and_sends_nothing() -> None:
    with MetaPage() as page:
        page.consent(ad_storage=False)
        runs = [page.fire(base()), page.fire(event())]
        assert all(r.succeeded for r in runs)
        assert page.page.injected_scripts == [] and page.meta == {}
        assert page.window("fbq.queue") == [["consent", "revoke"]]
        assert all(r.calls_to("fbq") in ([], [["consent", "revoke"]]) for r in runs)


def test_consent_granted_later_loads_the_pixel_on_the_same_page() -> None:
    with MetaPage() as page:
        page.consent(ad_storage=False)
        page.fire(base())
        page.fire(event("ViewContent", "blocked"))  # its tag needs ad_storage: not sent
        granted = page.consent(ad_storage=True)
        assert granted.exception is None
        assert granted.injected_scripts == [SDK]
        page.fire(event())
        assert page.meta["loads"] == 1 and page.meta["inits"] == [PIXEL]
        assert page.meta["consent"] == ["revoke", "grant"]
        assert sent(page) == [PAGE_VIEW, PURCHASE]


def test_consent_revoked_later_tells_fbevents() -> None:
    with MetaPage() as page:
        page.fire(base())
        page.consent(ad_storage=False)
        blocked = page.fire(event("Lead", "evt_x", props={}))
        page.site("window.fbq('trackCustom', 'SiteAfterRevoke');")
        assert page.meta["consent"] == ["revoke"]
        assert blocked.calls_to("fbq") == []
        assert sent(page) == [PAGE_VIEW]  # the site's call is held by fbevents
        page.consent(ad_storage=True)
        assert page.meta["consent"] == ["revoke", "grant"]
        assert sent(page) == [PAGE_VIEW, ("trackCustom", "SiteAfterRevoke", None)]
        assert page.meta["loads"] == 1 and page.page.injected_scripts == [SDK]


def test_consent_denied_with_the_sites_pixel_already_loaded() -> None:
    with MetaPage() as page:
        page.site(SITE_BASE_CODE, pixel=PIXEL, loaded=True)
        page.consent(ad_storage=False)
        page.fire(base())
        assert page.meta["consent"] == ["revoke"]
        page.consent(ad_storage=True)
        page.fire(event())
        assert page.meta["consent"] == ["revoke", "grant"]
        assert page.meta["inits"] == [PIXEL] and page.page.injected_scripts == []
        assert sent(page) == [("track", "PageView", None), PURCHASE]


def test_a_script_that_does_not_load_fails_the_tag() -> None:
    with MetaPage(failing=True) as page:
        assert page.fire(base()).outcome == "failure"
        assert page.fire(event()).outcome == "failure"
        assert page.page.injected_scripts == [SDK]


@pytest.mark.parametrize(
    ("missing", "mode"), [("pixelId", "base"), ("pixelId", "event"), ("eventName", "event")]
)
def test_a_missing_field_fails_and_does_nothing(missing: str, mode: str) -> None:
    data = base() if mode == "base" else event()
    data[missing] = ""
    with MetaPage() as page:
        run = page.fire(data)
        assert run.outcome == "failure" and run.window_calls == []
        assert page.window("fbq") is None


def test_without_an_event_id_the_event_still_goes() -> None:
    with MetaPage(debug=True) as page:
        run = page.fire(event(event_id=""))
        assert sent(page)[-1] == ("trackSingle", "Purchase", None)
        assert any("no event ID" in line for line in run.logs)


def test_logs_only_in_preview() -> None:
    with MetaPage() as page:
        assert page.fire(event()).logs == []
    with MetaPage(debug=True) as page:
        assert any("Purchase" in line for line in page.fire(event()).logs)


def test_declared_permissions_are_exactly_the_ones_used() -> None:
    uses: list[str] = []
    with MetaPage(debug=True) as page:  # our stub, fbevents loaded, consent changes
        page.consent(ad_storage=False)
        page.fire(base())
        page.consent(ad_storage=True)
        page.fire(event())
        uses += [u for r in page.runs for u in r.permission_uses]
    with MetaPage() as page:  # the site's stub, its pixel still queued
        page.site(SITE_BASE_CODE, pixel=PIXEL)
        page.fire(event())
        uses += [u for r in page.runs for u in r.permission_uses]
    assert unused_grants(parse_template(WEB).declared, uses) == []


def test_two_pushes_of_the_same_event_keep_their_own_ids() -> None:
    with MetaPage() as page:
        page.fire(event(event_id="evt_a"))
        page.fire(event(event_id="evt_b"))
        assert sent(page) == [
            PAGE_VIEW,
            ("trackSingle", "Purchase", "evt_a"),
            ("trackSingle", "Purchase", "evt_b"),
        ]
        assert page.meta["loads"] == 1 and page.meta["inits"] == [PIXEL]


def test_consent_granted_before_the_tags() -> None:
    with MetaPage() as page:
        page.consent(ad_storage=False)
        page.consent(ad_storage=True)  # the banner's answer comes before any tag
        page.fire(base())
        page.fire(event())
        assert page.meta["consent"] == [] and page.window("fbq.queue") == []
        assert page.meta["loads"] == 1 and sent(page) == [PAGE_VIEW, PURCHASE]
