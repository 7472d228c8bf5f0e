"""The web template on a page, through a stand-in of TikTok's events.js
(tests/tiktok_page.py): base and event tags, on a fresh page, on a page whose own base
code loaded the same pixel, and on a page with another pixel, under each consent state.
What reached each pixel is what the stand-in recorded."""

from __future__ import annotations

from typing import Any

import pytest

from gtmgen.sandbox import WebPage, WebTagRun, run_web_tag
from gtmgen.sandbox.permissions import unused_grants
from gtmgen.sandbox.template import parse_template
from tests.test_template_web import PIXEL, WEB, push
from tests.tiktok_page import BASE_CODE, EVENTS_JS, SDK

pytest.importorskip("py_mini_racer")

OTHER = "CSITEOTHERPIXEL0001"
OUR_SDK = f"{SDK}?sdkid={PIXEL}&lib=ttq"
GRANTED = {"ad_storage": "granted", "ad_user_data": "granted"}
DENIED = {"ad_storage": "denied", "ad_user_data": "denied"}
NO_USER_DATA = {"ad_storage": "granted", "ad_user_data": "denied"}
USER = {"user_data": {"email_address": "jane@example.com"}, "user_id": "u-1"}
USES: list[str] = []


def page(
    consent: dict[str, str] | None, site: str | None = None, site_loaded: bool = True
) -> WebPage:
    """A page with the events.js stand-in; ``site``: a pixel the page's own base code
    loaded first (its events.js already run when ``site_loaded``)."""
    web = WebPage(consent=consent, scripts={SDK: EVENTS_JS})
    if site is not None:
        web.run_script(BASE_CODE, {"pixel": site})
        if site_loaded:
            web.run_script(EVENTS_JS, {"url": f"{SDK}?sdkid={site}&lib=ttq"})
    return web


def base(web: WebPage) -> WebTagRun:
    run = run_web_tag(WEB, {"tagType": "base", "pixelId": PIXEL}, page=web)
    USES.extend(run.permission_uses)
    assert run.exception is None, run.exception
    return run


def event(web: WebPage, name: str = "add_to_cart", event_id: str = "e1", **extra: Any) -> WebTagRun:
    run = run_web_tag(WEB, push(name, event_id, **extra), page=web)
    USES.extend(run.permission_uses)
    assert run.exception is None, run.exception
    return run


def consent(web: WebPage, changes: dict[str, str]) -> WebTagRun:
    run = web.update_consent(changes)
    USES.extend(run.permission_uses)
    assert run.exception is None, run.exception
    return run


def tiktok(web: WebPage) -> dict[str, Any]:
    return web.window_value("__tiktok") or {"loads": [], "calls": {}, "consent": []}


def calls(web: WebPage, pixel: str = PIXEL) -> list[list[Any]]:
    return list(tiktok(web)["calls"].get(pixel, []))


def methods(web: WebPage, pixel: str = PIXEL) -> list[str]:
    return [c[0] if c[0] != "track" else f"track:{c[1]}" for c in calls(web, pixel)]


def test_fresh_page_granted_loads_once_and_sends_pageview_then_events() -> None:
    with page(GRANTED) as web:
        assert base(web).injected_scripts == [OUR_SDK]
        event(web, "add_to_cart", "a1")
        event(web, "purchase", "p1", **USER)
        assert web.injected_scripts == [OUR_SDK]
        assert tiktok(web)["loads"] == [PIXEL]
        assert methods(web) == ["page", "track:AddToCart", "identify", "track:CompletePayment"]
        [identify] = [c for c in calls(web) if c[0] == "identify"]
        assert identify[1] == {"email": "jane@example.com", "external_id": "u-1"}
        [track] = [c for c in calls(web) if c[:2] == ["track", "AddToCart"]]
        assert track[3] == {"pixel_code": PIXEL, "event_id": "a1"}
        assert web.window_value(f"ttq._t.{PIXEL}") == 0
        assert web.window_value("ttq.methods")[-3:] == [
            "holdConsent",
            "revokeConsent",
            "grantConsent",
        ]


@pytest.mark.parametrize("order", ["base first", "event first"])
def test_base_and_event_in_either_order_load_once_and_page_once(order: str) -> None:
    with page(GRANTED) as web:
        if order == "base first":
            base(web)
            event(web)
        else:
            event(web)
            base(web)
        event(web, "purchase", "p2")
        assert web.injected_scripts == [OUR_SDK]
        assert methods(web).count("page") == 1
        assert methods(web)[0] == "page"


def test_fresh_page_denied_loads_and_sends_nothing() -> None:
    with page(DENIED) as web:
        run = base(web)
        assert run.succeeded
        event(web)  # GTM would not fire it; the template checks again
        assert web.injected_scripts == []
        assert tiktok(web)["loads"] == []
        assert web.window_value(f"ttq._i.{PIXEL}") is None
        assert web.window_value("ttq") == []
        # the stub is complete: page code calling TikTok's methods does not throw
        web.run_script(
            "var ttq = window.ttq; ttq.holdConsent(); ttq.grantConsent();"
            "ttq.revokeConsent(); ttq.enableCookie(); ttq.load('X1');"
            "ttq.instance('X1').track('A'); ttq.instance('X1').page();"
        )
        assert web.injected_scripts == []


def test_denied_then_granted_on_the_page_loads_and_pages_once_then_events() -> None:
    with page(DENIED) as web:
        base(web)
        assert web.injected_scripts == []
        run = consent(web, {"ad_storage": "granted", "ad_user_data": "granted"})
        assert run.injected_scripts == [OUR_SDK]
        granted = [c.path for c in run.window_calls if c.path.endswith("Consent")]
        assert granted == ["ttq.grantConsent"]
        event(web, "purchase", "a1", **USER)
        consent(web, {"ad_storage": "granted"})  # no change: no second load
        assert web.injected_scripts == [OUR_SDK]
        assert methods(web) == ["page", "identify", "track:CompletePayment"]
        assert tiktok(web)["consent"] == ["grantConsent"]


def test_granted_then_revoked_revokes_tiktok_consent() -> None:
    with page(GRANTED) as web:
        base(web)
        event(web)
        run = consent(web, {"ad_storage": "denied"})
        assert [c.path for c in run.window_calls] == ["ttq.revokeConsent"]
        assert tiktok(web)["consent"] == ["revokeConsent"]
        event(web, "purchase", "late")  # GTM would block it; nothing is sent
        assert "track:CompletePayment" not in methods(web)


def test_ad_user_data_denied_sends_events_without_identify() -> None:
    with page(NO_USER_DATA) as web:
        base(web)
        event(web, "purchase", "p1", **USER)
        assert methods(web) == ["page", "track:CompletePayment"]


@pytest.mark.parametrize("site_loaded", [True, False])
def test_same_pixel_loaded_by_the_site_is_not_loaded_or_paged_again(site_loaded: bool) -> None:
    with page(GRANTED, site=PIXEL, site_loaded=site_loaded) as web:
        base(web)
        event(web, "purchase", "a1", **USER)
        assert web.injected_scripts == []
        if not site_loaded:  # the site's own events.js arrives now
            web.run_script(EVENTS_JS, {"url": f"{SDK}?sdkid={PIXEL}&lib=ttq"})
        assert tiktok(web)["loads"] == [PIXEL]
        sent = methods(web)
        assert sorted(sent) == ["identify", "page", "track:CompletePayment"]
        assert sent.index("identify") < sent.index("track:CompletePayment")


def test_same_pixel_loaded_by_the_site_is_held_until_consent() -> None:
    with page(DENIED, site=PIXEL) as web:
        run = base(web)
        assert "ttq.holdConsent" in [c.path for c in run.window_calls]
        consent(web, {"ad_storage": "granted"})
        assert web.injected_scripts == []
        assert tiktok(web)["consent"] == ["holdConsent", "grantConsent"]
        assert methods(web).count("page") == 1  # the site's own


@pytest.mark.parametrize("consent", [GRANTED, None])
def test_another_pixel_of_the_site_gets_none_of_our_calls(consent: dict[str, str] | None) -> None:
    with page(consent, site=OTHER) as web:
        theirs = calls(web, OTHER)
        base(web)
        event(web, "add_to_cart", "a1")
        event(web, "purchase", "p1", **USER)
        assert web.injected_scripts == [OUR_SDK]
        assert calls(web, OTHER) == theirs == [["page"]]
        assert methods(web) == ["page", "track:AddToCart", "identify", "track:CompletePayment"]


def test_another_pixel_denied_then_granted() -> None:
    with page(DENIED, site=OTHER) as web:
        base(web)
        assert tiktok(web)["consent"] == []  # not our pixel: nothing to hold
        consent(web, GRANTED)
        event(web, "purchase", "p1", **USER)
        assert calls(web, OTHER) == [["page"]]
        assert methods(web) == ["page", "identify", "track:CompletePayment"]


def test_declared_permissions_are_exactly_the_ones_used() -> None:
    """Runs after the tests above (same module): together they use every grant."""
    assert USES
    assert unused_grants(parse_template(WEB).declared, USES) == []
