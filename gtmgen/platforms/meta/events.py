"""Meta's standard events and the GA4 event names that usually stand for them.

Standard events: https://developers.facebook.com/docs/meta-pixel/reference (the list the
Meta Pixel reference names; a standard name goes through ``trackSingle``, any other
through ``trackSingleCustom``). GA4 names: the mapping Meta's own Conversions API tag
for server GTM and stape's Facebook tag apply (research/meta.md §2).
"""

from __future__ import annotations

STANDARD_EVENTS: tuple[str, ...] = (
    "AddPaymentInfo",
    "AddToCart",
    "AddToWishlist",
    "CompleteRegistration",
    "Contact",
    "CustomizeProduct",
    "Donate",
    "FindLocation",
    "InitiateCheckout",
    "Lead",
    "PageView",
    "Purchase",
    "Schedule",
    "Search",
    "StartTrial",
    "SubmitApplication",
    "Subscribe",
    "ViewContent",
)

# GA4 event name -> Meta standard event.
GA4_EVENTS: dict[str, str] = {
    "page_view": "PageView",
    "view_item": "ViewContent",
    "add_to_cart": "AddToCart",
    "add_to_wishlist": "AddToWishlist",
    "begin_checkout": "InitiateCheckout",
    "add_payment_info": "AddPaymentInfo",
    "purchase": "Purchase",
    "search": "Search",
    "generate_lead": "Lead",
    "sign_up": "CompleteRegistration",
    "contact": "Contact",
    "customize_product": "CustomizeProduct",
    "donate": "Donate",
    "find_location": "FindLocation",
    "schedule": "Schedule",
    "start_trial": "StartTrial",
    "submit_application": "SubmitApplication",
    "subscribe": "Subscribe",
}


def is_standard(name: str) -> bool:
    """True for one of Meta's standard event names (exact spelling)."""
    return name in STANDARD_EVENTS


def suggest(name: str) -> str | None:
    """The standard event closest to a misspelt name (case and ``_`` ignored), if any."""
    wanted = name.replace("_", "").lower()
    for standard in STANDARD_EVENTS:
        if standard.lower() == wanted:
            return standard
    return None


def for_ga4_event(ga4_name: str) -> str | None:
    """The Meta standard event usually sent for a GA4 event name, if there is one."""
    return GA4_EVENTS.get(ga4_name)
