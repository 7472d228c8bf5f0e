"""Meta's entity names (stable: GTM matches entities by name on a Merge import)."""

from __future__ import annotations

LABEL = "Meta"
PIXEL_ID = "gtmgen - Meta pixel ID"
ACCESS_TOKEN = "gtmgen - Meta access token"
WEB_TEMPLATE = "gtmgen Meta Pixel"
SERVER_TEMPLATE = "gtmgen Meta Conversions API"
BASE_TAG = f"gtmgen - {LABEL} - base"


def event_tag(event: str) -> str:
    return f"gtmgen - {LABEL} - {event}"
