"""Meta tags built by others: the gallery templates people use for the Meta Pixel and the
Conversions API, and the fields that hold their pixel ID, event name and event ID.

Read from the templates' own parameter lists and code (research/meta.md, "Templates
read"; the same templates sit in the corpus of real exports):

- ``facebookarchive/GoogleTagManager-WebTemplate-For-FacebookPixel`` (web, "Facebook
  Pixel"): ``pixelId`` (comma-separated IDs), ``eventName`` = ``standard`` |
  ``custom`` | ``variable`` choosing ``standardEventName`` / ``customEventName`` /
  ``variableEventName`` (``enhancedEcommerce`` derives the name from the ecommerce
  object instead), ``eventId`` (the 4th argument ``{eventID}`` only when non-empty).
- ``stape-io/fb-tag`` (web, "Facebook Pixel by Stape"): ``pixelIds`` (comma-separated),
  ``inheritEventName`` = ``inherit`` (the dataLayer event, GA4 names mapped) or
  ``override`` with ``eventName`` = ``standard`` | ``custom`` choosing
  ``eventNameStandard`` / ``eventNameCustom``; ``eventId`` (``{eventID}`` only when
  non-empty).
- ``facebookincubator/ConversionsAPI-Tag-for-GoogleTagManager`` (server, "Conversions API
  Tag"): ``pixelId``, ``apiAccessToken``; ``event_id`` is always the event data key
  ``event_id`` (no field), the event name the GA4 event name mapped.
- ``stape-io/facebook-tag`` (server, "Facebook Conversion API"): ``pixelId``,
  ``accessToken`` and, with ``enableMultipixelSetup``, rows ``pixelId``/``accessToken``
  of ``pixelIdAndAccessTokenTable``; ``event_id`` from event data ``event_id``, else
  ``transaction_id``, overridden by an ``event_id`` row of ``serverEventDataList``; the
  event name as the stape web tag's (``inherit`` maps the GA4 event name).
"""

from __future__ import annotations

from gtmgen.platforms.meta.events import GA4_EVENTS

FB_WEB = "facebook-pixel"  # facebookarchive's web template
STAPE_WEB = "stape-fb-tag"
CAPI = "conversions-api-tag"  # facebookincubator's server template
STAPE_SERVER = "stape-facebook-tag"

# (gallery owner, repository), lowercased -> (which template, side)
GALLERY: dict[tuple[str, str], tuple[str, str]] = {
    ("facebookarchive", "googletagmanager-webtemplate-for-facebookpixel"): (FB_WEB, "web"),
    ("stape-io", "fb-tag"): (STAPE_WEB, "web"),
    ("facebookincubator", "conversionsapi-tag-for-googletagmanager"): (CAPI, "server"),
    ("stape-io", "facebook-tag"): (STAPE_SERVER, "server"),
}

# The event data key a server template reads event_id from when no field overrides it.
SERVER_EVENT_ID_KEY = "event_id"

# GA4 event name -> Meta event name, as each server template maps an inherited name.
# Meta's CAPI tag maps fewer names than stape's (research/meta.md §2).
CAPI_EVENTS: dict[str, str] = {
    "page_view": "PageView",
    "gtm.dom": "PageView",
    "view_item": "ViewContent",
    "add_to_cart": "AddToCart",
    "add_to_wishlist": "AddToWishlist",
    "begin_checkout": "InitiateCheckout",
    "add_payment_info": "AddPaymentInfo",
    "purchase": "Purchase",
    "search": "Search",
    "generate_lead": "Lead",
    "sign_up": "CompleteRegistration",
}
STAPE_EVENTS: dict[str, str] = {**GA4_EVENTS, "gtm.dom": "PageView"}


def gallery_kind(owner: str, repository: str) -> tuple[str, str] | None:
    """(template, side) for one of the Meta gallery templates above, else None."""
    return GALLERY.get((owner.lower(), repository.lower()))
