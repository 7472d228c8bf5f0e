"""Meta's platform data: standard events and the spec property -> Meta parameter mapping."""

from __future__ import annotations

import pytest

from gtmgen.platforms.meta import capi, events, mapping


def test_standard_events_are_metas_eighteen() -> None:
    assert len(events.STANDARD_EVENTS) == len(set(events.STANDARD_EVENTS)) == 18
    for name in (
        "Purchase",
        "AddToCart",
        "InitiateCheckout",
        "Lead",
        "PageView",
        "Search",
        "ViewContent",
        "CompleteRegistration",
        "Subscribe",
    ):
        assert events.is_standard(name)
    assert not events.is_standard("purchase") and not events.is_standard("CompletePayment")


def test_ga4_names_map_to_standard_events() -> None:
    assert set(events.GA4_EVENTS.values()) <= set(events.STANDARD_EVENTS)
    assert events.for_ga4_event("begin_checkout") == "InitiateCheckout"
    assert events.for_ga4_event("sign_up") == "CompleteRegistration"
    assert events.for_ga4_event("newsletter") is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("purchase", "Purchase"),
        ("add_to_cart", "AddToCart"),
        ("PAGEVIEW", "PageView"),
        ("CompletePayment", None),
    ],
)
def test_suggest(given: str, expected: str | None) -> None:
    assert events.suggest(given) == expected


def test_property_names() -> None:
    assert mapping.meta_parameter("query") == "search_string"
    assert mapping.meta_parameter("transaction_id") == "order_id"
    assert mapping.meta_parameter("value") == "value"
    assert mapping.meta_parameter("my_custom") == "my_custom"
    assert {name for name, _ in mapping.TABLE} >= set(mapping.PARAMETER_NAMES)


def test_ga4_items_become_contents_ids_type_and_count() -> None:
    items = [
        {"item_id": "SKU-1", "item_name": "Mug", "price": 12.5, "quantity": 2},
        {"item_id": 42, "price": "3.20", "quantity": "1"},
        {"item_name": "no id"},
    ]
    params = mapping.parameters({"value": "28.20", "currency": "EUR", "contents": items})
    assert params == {
        "value": 28.2,
        "currency": "EUR",
        "contents": [
            {"id": "SKU-1", "quantity": 2, "item_price": 12.5},
            {"id": "42", "quantity": 1, "item_price": 3.2},
            {"quantity": 1},
        ],
        "content_ids": ["SKU-1", "42"],
        "content_type": "product",
        "num_items": 4,
    }


def test_the_spec_can_set_what_contents_would_derive() -> None:
    params = mapping.parameters(
        {"contents": [{"item_id": "A"}], "content_type": "product_group", "num_items": "7"}
    )
    assert params["content_type"] == "product_group" and params["num_items"] == 7
    assert params["content_ids"] == ["A"]


def test_contents_accepts_json_text_one_item_and_meta_shaped_items() -> None:
    assert mapping.contents('[{"item_id": "A", "price": 1}]') == [
        {"id": "A", "quantity": 1, "item_price": 1}
    ]
    assert mapping.contents({"id": "B", "item_price": "2.5", "quantity": 3}) == [
        {"id": "B", "quantity": 3, "item_price": 2.5}
    ]
    assert mapping.contents("not json") is None
    assert mapping.contents(7) is None


def test_empty_values_are_left_out_and_others_pass_unchanged() -> None:
    assert mapping.parameters(
        {"value": None, "currency": "", "query": "mug", "status": True, "": "x"}
    ) == {"search_string": "mug", "status": True}
    assert mapping.parameters({"value": "n/a"}) == {"value": "n/a"}


def test_endpoint() -> None:
    version = capi.GRAPH_API_VERSION
    assert capi.events_endpoint("123") == f"https://graph.facebook.com/{version}/123/events"


def test_the_docs_show_the_mapping_table() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "meta.md").read_text("utf-8")
    for name, meaning in mapping.TABLE:
        shown = name if name.startswith("(") else f"`{name}`"
        assert f"| {shown} | {meaning} |" in docs, name
    assert f"v{float(capi.GRAPH_API_VERSION[1:]):.1f}" in docs
