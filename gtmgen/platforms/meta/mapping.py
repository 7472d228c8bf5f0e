"""Spec properties -> Meta standard parameters (Pixel ``params`` and Conversions API
``custom_data``: the same names on both sides).

The templates ``templates/meta_pixel_web.tpl`` and ``templates/meta_conversions_api_server.tpl``
apply this same mapping inside GTM; tests run both and compare with :func:`parameters`.

Parameters: https://developers.facebook.com/docs/meta-pixel/reference (value, currency,
content_ids, content_type, contents, content_name, content_category, num_items,
search_string, status, predicted_ltv) and the Conversions API custom data parameters
(order_id). GA4 items -> contents as in research/meta.md §2.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

# Spec property name -> Meta parameter name, where they differ. Other names are sent as
# they are (Meta accepts custom parameters).
PARAMETER_NAMES: dict[str, str] = {
    "query": "search_string",
    "search_term": "search_string",
    "transaction_id": "order_id",
}
# Sent as numbers when the data layer gives a numeric string.
NUMERIC = frozenset({"value", "predicted_ltv", "num_items"})
# Filled in from `contents` unless the spec maps them itself.
DERIVED_FROM_CONTENTS = ("content_ids", "content_type", "num_items")
DEFAULT_CONTENT_TYPE = "product"

# The documented table (docs/meta.md): spec property -> what Meta receives.
TABLE: tuple[tuple[str, str], ...] = (
    ("value", "value (number)"),
    ("currency", "currency (ISO 4217)"),
    (
        "contents",
        "contents [{id, quantity, item_price}], content_ids, content_type 'product', num_items",
    ),
    ("content_type", "content_type (overrides 'product')"),
    ("content_name", "content_name"),
    ("content_category", "content_category"),
    ("query", "search_string"),
    ("search_term", "search_string"),
    ("transaction_id", "order_id"),
    ("status", "status"),
    ("predicted_ltv", "predicted_ltv (number)"),
    ("(any other)", "the same name, as a custom parameter"),
)


def meta_parameter(spec_property: str) -> str:
    """The Meta parameter a spec property is sent as."""
    return PARAMETER_NAMES.get(spec_property, spec_property)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any) -> Any:
    """A number for a numeric string (as GTM's makeNumber); anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, str) or not value.strip():
        return value
    try:
        parsed = float(value.strip())
    except ValueError:
        return value
    if math.isnan(parsed):
        return value
    return int(parsed) if parsed.is_integer() else parsed


def _empty(value: Any) -> bool:
    return value is None or value == ""


def content(item: Mapping[str, Any]) -> dict[str, Any]:
    """One GA4 item (item_id, price, quantity) or Meta content (id, item_price, quantity)
    as a Meta content; the quantity defaults to 1."""
    out: dict[str, Any] = {}
    ident = item.get("id") if not _empty(item.get("id")) else item.get("item_id")
    if _empty(ident):
        ident = item.get("content_id")
    if not _empty(_text(ident)):
        out["id"] = _text(ident)
    quantity = _number(item.get("quantity"))
    out["quantity"] = 1 if _empty(quantity) else quantity
    price = item.get("item_price") if not _empty(item.get("item_price")) else item.get("price")
    if not _empty(price):
        out["item_price"] = _number(price)
    return out


def contents(value: Any) -> list[dict[str, Any]] | None:
    """GA4 items (a list, one item, or their JSON text) as Meta contents."""
    items = value
    if isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            return None
    if isinstance(items, Mapping):
        items = [items]
    if not isinstance(items, list):
        return None
    return [content(item) for item in items if isinstance(item, Mapping)]


def parameters(properties: Mapping[str, Any]) -> dict[str, Any]:
    """Resolved spec properties (name -> data layer value) as Meta parameters. Empty values
    are left out; ``contents`` also gives content_ids, content_type and num_items unless
    the properties set them."""
    out: dict[str, Any] = {}
    derived: dict[str, Any] = {}
    for name, value in properties.items():
        if not name or _empty(value):
            continue
        if name == "contents":
            found = contents(value)
            if found is None:
                continue
            out["contents"] = found
            ids = [c["id"] for c in found if "id" in c]
            if ids:
                derived["content_ids"] = ids
            derived["content_type"] = DEFAULT_CONTENT_TYPE
            quantities = [c["quantity"] for c in found]
            if all(isinstance(q, int | float) and not isinstance(q, bool) for q in quantities):
                derived["num_items"] = sum(quantities)
            continue
        key = meta_parameter(name)
        out[key] = _number(value) if key in NUMERIC else value
    for key, value in derived.items():
        out.setdefault(key, value)
    return out
