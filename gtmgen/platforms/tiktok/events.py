"""TikTok's standard event names (research/tiktok.md §1.5)."""

from __future__ import annotations

# The 14 events of TikTok's GTM templates plus the current help-centre list.
STANDARD_EVENTS: frozenset[str] = frozenset(
    {
        "AddPaymentInfo",
        "AddToCart",
        "AddToWishlist",
        "ApplicationApproval",
        "ClickButton",
        "CompletePayment",
        "CompleteRegistration",
        "Contact",
        "CustomizeProduct",
        "Download",
        "FindLocation",
        "InitiateCheckout",
        "Lead",
        "PlaceAnOrder",
        "Purchase",
        "Schedule",
        "Search",
        "StartTrial",
        "SubmitApplication",
        "SubmitForm",
        "Subscribe",
        "ViewContent",
    }
)
