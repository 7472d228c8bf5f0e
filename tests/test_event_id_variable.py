"""The Custom JavaScript event_id variable, run in V8 with a stand-in for GTM."""

from __future__ import annotations

import re

import pytest

from gtmgen.generate.pipeline import build_spec
from gtmgen.generate.web import event_id_javascript
from gtmgen.spec import load_spec_text
from tests.jsm_harness import JsmPage

pytest.importorskip("py_mini_racer")


@pytest.fixture(scope="module")
def javascript() -> str:
    web = build_spec(None, environ={}).web
    [variable] = [v for v in web["containerVersion"]["variable"] if v["type"] == "jsm"]
    assert variable["name"] == "gtmgen - event_id"
    return str(variable["parameter"][0]["value"])


def test_same_value_for_every_read_during_one_message(javascript: str) -> None:
    page = JsmPage(javascript)
    page.push({"event": "add_to_cart", "ecommerce": {"value": 3}})
    first = page.read()
    assert first == page.read() == page.read()
    assert re.fullmatch(r"tt_evt_\d{13}_[0-9a-z]{1,8}", first)


def test_new_value_for_the_next_message(javascript: str) -> None:
    page = JsmPage(javascript)
    page.push({"event": "add_to_cart"})
    first = page.read()
    page.push({"event": "add_to_cart"})
    second = page.read()
    assert first != second
    assert second == page.read()


def test_id_carried_by_the_current_message_wins(javascript: str) -> None:
    page = JsmPage(javascript)
    page.push({"event": "add_to_cart", "event_id": "site-123"})
    assert page.read() == "site-123"


def test_id_of_an_earlier_message_is_not_reused(javascript: str) -> None:
    # GTM's data layer model keeps event_id from earlier pushes; the variable must not.
    page = JsmPage(javascript)
    page.push({"event": "add_to_cart", "event_id": "site-123"})
    page.read()
    page.push({"event": "view_item"})
    later = page.read()
    assert later != "site-123"
    assert later.startswith("tt_evt_")


def test_event_id_from_derives_the_id_from_the_order(javascript: str) -> None:
    page = JsmPage(javascript)
    page.push({"event": "purchase", "ecommerce": {"transaction_id": "T-1001", "value": 10}})
    assert page.read() == "tt_evt_T-1001"
    page.push({"event": "purchase", "ecommerce": {"transaction_id": "T-1002"}})
    assert page.read() == "tt_evt_T-1002"


def test_event_id_from_applies_only_to_its_event(javascript: str) -> None:
    page = JsmPage(javascript)
    page.push({"event": "add_to_cart", "ecommerce": {"transaction_id": "T-1"}})
    assert page.read() != "tt_evt_T-1"


def test_event_id_from_falls_back_to_a_generated_id(javascript: str) -> None:
    page = JsmPage(javascript)
    page.push({"event": "purchase", "ecommerce": {"value": 10}})
    assert re.fullmatch(r"tt_evt_\d{13}_[0-9a-z]{1,8}", page.read())


def test_site_id_beats_event_id_from(javascript: str) -> None:
    page = JsmPage(javascript)
    page.push({"event": "purchase", "event_id": "abc", "ecommerce": {"transaction_id": "T-1"}})
    assert page.read() == "abc"


def test_custom_key_and_prefix() -> None:
    spec = load_spec_text(
        """
version: 1
name: Custom keys
web: {ga4: {measurement_id: G-ABCDEF1234, server_container_url: "https://s.example.com"}}
tiktok: {pixel_id: CABCDEFGHIJK1234567}
event_id: {data_layer_key: meta.dedup_id, prefix: "x-"}
events:
  - {event: signup, tiktok_event: CompleteRegistration, event_id_from: user.id}
""",
        environ={},
    )
    page = JsmPage(event_id_javascript(spec, "1"))
    page.push({"event": "signup", "meta": {"dedup_id": "D1"}})
    assert page.read() == "D1"
    page.push({"event": "signup", "user": {"id": 42}})
    assert page.read() == "x-42"
    page.push({"event": "signup"})
    assert page.read().startswith("x-")


def test_cache_stays_bounded(javascript: str) -> None:
    page = JsmPage(javascript)
    for _ in range(120):
        page.push({"event": "view_item"})
        page.read()
    size = page.ctx.eval(
        "(function(){for (var k in window) { if (k.indexOf('__gtmgen_event_ids_') === 0) "
        "{ return window[k].order.length; } } return -1; })()"
    )
    assert size == 50
