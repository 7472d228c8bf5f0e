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


def ga4_param(tiktok_property: str) -> str:
    return _GA4_PARAM.get(tiktok_property, tiktok_property)


def server_key_for_user_field(field: str) -> str:
    if field == "external_id":
        return EXTERNAL_ID_PARAM
    return USER_FIELDS[field][1]


def data_layer_paths(event: Event) -> list[str]:
    """Every data layer path an event reads, in spec order."""
    paths = list(event.properties.values())
    if event.user_data is not None:
        paths.extend(path for _, path in event.user_data.items())
    return paths
