"""How spec values travel: data layer path (web) -> GA4 event parameter -> event data key."""

from __future__ import annotations

from gtmgen.spec.model import Event

# TikTok `contents` travels as GA4 `items`, which the GA4 client exposes as `items`.
_GA4_PARAM = {"contents": "items"}

# user_data field -> (GA4 user-provided data field, event data key in the server container)
USER_FIELDS = {
    "email": ("email", "user_data.email_address"),
    "phone_number": ("phone_number", "user_data.phone_number"),
}
EXTERNAL_ID_PARAM = "user_id"  # sent as a GA4 parameter; the GA4 client exposes `user_id`

# GA4's recommended e-commerce events (developers.google.com/analytics/devguides/collection/
# ga4/reference/events): their GA4 event tag sends the data layer's `ecommerce` object
# ("Send Ecommerce data", source Data Layer) unless the spec maps `ga4_params` itself.
GA4_ECOMMERCE_EVENTS = frozenset(
    {
        "add_payment_info",
        "add_shipping_info",
        "add_to_cart",
        "add_to_wishlist",
        "begin_checkout",
        "purchase",
        "refund",
        "remove_from_cart",
        "select_item",
        "select_promotion",
        "view_cart",
        "view_item",
        "view_item_list",
        "view_promotion",
    }
)
# The parameters GA4 requires for a valid event of that name.
GA4_REQUIRED = {
    "purchase": ("transaction_id", "value", "currency", "items"),
    "refund": ("transaction_id", "value", "currency", "items"),
}


def sends_ecommerce_data(event: Event) -> bool:
    """The GA4 event tag reads GA4's own e-commerce data from the data layer."""
    return event.event in GA4_ECOMMERCE_EVENTS and not event.ga4_params


def ga4_param(tiktok_property: str) -> str:
    return _GA4_PARAM.get(tiktok_property, tiktok_property)


def server_key_for_user_field(field: str) -> str:
    if field == "external_id":
        return EXTERNAL_ID_PARAM
    return USER_FIELDS[field][1]


def data_layer_paths(event: Event) -> list[str]:
    """Every data layer path an event reads, in spec order."""
    paths = list(event.properties.values())
    paths.extend(path for path in event.ga4_params.values() if path not in paths)
    if event.user_data is not None:
        paths.extend(path for _, path in event.user_data.items())
    return paths
