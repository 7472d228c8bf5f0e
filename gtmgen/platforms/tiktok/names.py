"""TikTok's entity names (stable: GTM matches entities by name on a Merge import)."""

from __future__ import annotations

LABEL = "TikTok"
PIXEL_ID = "gtmgen - TikTok pixel ID"
ACCESS_TOKEN = "gtmgen - TikTok access token"
WEB_TEMPLATE = "gtmgen TikTok Pixel"
SERVER_TEMPLATE = "gtmgen TikTok Events API"
BASE_TAG = f"gtmgen - {LABEL} - base"


def event_tag(event: str) -> str:
    return f"gtmgen - {LABEL} - {event}"
