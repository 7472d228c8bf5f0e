"""The Conversions API endpoint gtmgen's server template calls.

Graph API versions: https://developers.facebook.com/docs/graph-api/changelog/versions/
(v24.0 released 2025-10-08, v25.0 2026-02-18, v26.0 2026-07-29; each is supported for at
least two years, https://developers.facebook.com/docs/marketing-api/conversions-api/using-the-api).
The template ``templates/meta_conversions_api_server.tpl`` holds the same constant; a test
keeps the two equal.
"""

from __future__ import annotations

GRAPH_API_VERSION = "v26.0"
GRAPH_HOST = "https://graph.facebook.com/"


def events_endpoint(pixel_id: str) -> str:
    """The events edge of a pixel (dataset), without the access token."""
    return f"{GRAPH_HOST}{GRAPH_API_VERSION}/{pixel_id}/events"
