"""Entity names. GTM matches entities by name on a Merge import, so these never depend on
anything but the data they describe (never on order or on the TikTok event name)."""

from __future__ import annotations

PREFIX = "gtmgen"

EVENT_ID = f"{PREFIX} - event_id"
UNIQUE_EVENT_ID = f"{PREFIX} - DLV - gtm.uniqueEventId"
PIXEL_ID = f"{PREFIX} - TikTok pixel ID"
ACCESS_TOKEN = f"{PREFIX} - TikTok access token"
GOOGLE_TAG = f"{PREFIX} - Google tag"
GA4_CLIENT = f"{PREFIX} - GA4"
WEB_TEMPLATE = "gtmgen TikTok Pixel"
SERVER_TEMPLATE = "gtmgen TikTok Events API"
ED_EVENT_ID = f"{PREFIX} - ED - event_id"
GA4_FORWARD_TAG = f"{PREFIX} - GA4 forward"  # server: opt-in (server.forward_ga4)
GA4_CLIENT_EVENTS = f"{PREFIX} - every GA4 client event"


TIKTOK_BASE = f"{PREFIX} - TikTok - base"


def dlv(path: str) -> str:
    return f"{PREFIX} - DLV - {path}"


def event_data(key: str) -> str:
    return f"{PREFIX} - ED - {key}"


def user_data(event: str) -> str:
    return f"{PREFIX} - user data - {event}"


def trigger(event: str) -> str:
    return f"{PREFIX} - event - {event}"


def tiktok_tag(event: str) -> str:
    return f"{PREFIX} - TikTok - {event}"


def ga4_tag(event: str) -> str:
    return f"{PREFIX} - GA4 - {event}"
