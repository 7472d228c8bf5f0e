"""The hop: a fired GA4 event tag (``gaawe``) becomes the event data that the server
container's GA4 client exposes (research/tiktok.md §6.1; Google's "common event data",
https://developers.google.com/tag-platform/tag-manager/server-side/common-event-data).

GA4 sends event parameters as text or numbers (``ep.`` / ``epn.``), items as ``items``
and user-provided data as ``user_data``; any other object or array parameter arrives
as JavaScript's ``String(value)``. Custom parameters keep their own name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from gtmgen.gtm.container import Entity, params, raw_value, table_rows
from gtmgen.gtm.javascript import UNDEFINED
from gtmgen.simulate.consent import ConsentState
from gtmgen.simulate.resolve import Resolver
from gtmgen.simulate.values import is_missing, js_string

ITEM_NUMBERS = ("price", "quantity", "discount", "index")
AWEC_TO_GA4 = {
    "email": "email_address",
    "phone_number": "phone_number",
    "sha256_email_address": "sha256_email_address",
    "sha256_phone_number": "sha256_phone_number",
}
# How a hop may carry the User-Provided Data (research/tiktok.md "Production notes"):
# Google's documented keys, the short keys several reports and templates read (as text or
# as an array), or hashed by the page (sha256_*).
HOP_USER_DATA_FORMS = ("email_address", "email", "array", "sha256")
_SHORT = {"email_address": "email", "phone_number": "phone"}


@dataclass(frozen=True)
class HopContext:
    page_url: str
    referrer: str
    title: str
    user_agent: str
    ip: str
    client_id: str
    gcs: str | None = "G111"  # None: Consent Mode not in use, the hit carries no gcs/gcd
    gcd: str | None = None
    user_data_form: str = "email_address"  # one of HOP_USER_DATA_FORMS


# x-ga-gcd letters of a type set by default only (no update on the page): t granted, p
# denied; l: not set (docs/consent-and-hop.md).
GCD_ORDER = ("ad_storage", "analytics_storage", "ad_user_data", "ad_personalization")


def consent_signals(consent: ConsentState) -> tuple[str | None, str | None]:
    """The ``gcs`` and ``gcd`` a GA4 hit carries on a page in this consent state."""
    if not consent.in_use:
        return None, None
    digit = {True: "1", False: "0"}
    gcs = (
        "G1"
        + digit[consent.is_granted("ad_storage")]
        + digit[consent.is_granted("analytics_storage")]
    )
    letters = ["t" if consent.is_granted(kind) else "p" for kind in GCD_ORDER]
    return gcs, "11" + "1".join(letters) + "5"


@dataclass
class GoogleTags:
    """Google tags (``googtag``) that fired on the page: measurement ID -> settings."""

    config: dict[str, dict[str, Any]] = field(default_factory=dict)
    shared: dict[str, dict[str, Any]] = field(default_factory=dict)

    def record(self, tag: Entity, resolver: Resolver) -> None:
        by_key = params(tag)
        tag_id = js_string(resolver.render(raw_value(tag, "tagId") or ""))
        config = _table(resolver, by_key.get("configSettingsTable"))
        shared = _table(resolver, by_key.get("eventSettingsTable"))
        for key, extra in (("configSettingsVariable", config), ("eventSettingsVariable", shared)):
            value = resolver.render(raw_value(tag, key) or "") if key in by_key else UNDEFINED
            if isinstance(value, dict):
                extra.update({k: v for k, v in value.items() if k not in extra})
        self.config[tag_id] = config
        self.shared[tag_id] = shared


def _table(resolver: Resolver, param: Entity | None) -> dict[str, Any]:
    return {
        row.get("parameter", ""): resolver.render(row.get("parameterValue", ""))
        for row in table_rows(param)
    }


@dataclass
class Ga4Hit:
    tag_name: str
    measurement_id: str
    url: str | None  # None: the hit goes to Google Analytics, not the server container
    event_data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def measurement_id(tag: Entity, resolver: Resolver, tags: list[Entity]) -> str:
    override = raw_value(tag, "measurementIdOverride")
    if override:
        return js_string(resolver.render(override))
    reference = raw_value(tag, "measurementId")  # legacy: TAG_REFERENCE to a config tag
    for other in tags:
        if reference and other.get("name") == reference:
            return js_string(
                resolver.render(
                    raw_value(other, "tagId") or raw_value(other, "measurementId") or ""
                )
            )
    return ""


def ga4_hit(
    tag: Entity,
    resolver: Resolver,
    google: GoogleTags,
    tags: list[Entity],
    context: HopContext,
    ecommerce: Any,
) -> Ga4Hit:
    mid = measurement_id(tag, resolver, tags)
    by_key = params(tag)
    parameters: dict[str, Any] = dict(google.shared.get(mid, {}))
    variable = raw_value(tag, "eventSettingsVariable")
    if variable:
        settings = resolver.render(variable)
        if isinstance(settings, dict):
            parameters.update(settings)
    parameters.update(_table(resolver, by_key.get("eventSettingsTable")))
    user = parameters.pop("user_data", UNDEFINED)
    if "userDataVariable" in by_key:
        user = resolver.render(raw_value(tag, "userDataVariable") or "")
    if by_key.get("sendEcommerceData", {}).get("value") == "true" and isinstance(ecommerce, dict):
        for key, value in ecommerce.items():
            parameters.setdefault(key, value)
    hit = Ga4Hit(str(tag.get("name")), mid, None, {})
    data = _page_data(context, mid)
    data["event_name"] = js_string(resolver.render(raw_value(tag, "eventName") or ""))
    for key, value in parameters.items():
        converted = _wire(key, value, hit)
        if converted is not UNDEFINED:
            data[key] = converted
    if isinstance(user, dict) and user:
        data["user_data"] = _user_data(user, context.user_data_form)
    hit.event_data = data
    server = google.config.get(mid, {}).get("server_container_url")
    if isinstance(server, str) and server:
        hit.url = server.rstrip("/") + "/g/collect"
    return hit


def _page_data(context: HopContext, mid: str) -> dict[str, Any]:
    url = urlsplit(context.page_url)
    data: dict[str, Any] = {
        "page_location": context.page_url,
        "page_hostname": url.hostname or "",
        "page_path": url.path or "/",
        "page_title": context.title,
        "user_agent": context.user_agent,
        "ip_override": context.ip,
        "client_id": context.client_id,
        "language": "en-us",
        "screen_resolution": "1920x1080",
        "x-ga-protocol_version": "2",
        "x-ga-measurement_id": mid,
    }
    if context.gcs is not None:
        data["x-ga-gcs"] = context.gcs
    if context.gcd is not None:
        data["x-ga-gcd"] = context.gcd
    if context.referrer:
        data["page_referrer"] = context.referrer
    return data


def _wire(key: str, value: Any, hit: Ga4Hit) -> Any:
    if is_missing(value):
        return UNDEFINED
    if key == "items":
        if not isinstance(value, list):
            hit.notes.append(f"{hit.tag_name}: 'items' is not an array; GA4 drops it")
            return UNDEFINED
        return [_item(item) for item in value if isinstance(item, dict)]
    if isinstance(value, bool):
        return js_string(value)
    if isinstance(value, (int, float, str)):
        return value
    hit.notes.append(
        f"{hit.tag_name}: parameter {key!r} is an object or array; GA4 sends "
        "it as the text " + repr(js_string(value))
    )
    return js_string(value)


def _item(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in item.items():
        if is_missing(value):
            continue
        if key in ITEM_NUMBERS and isinstance(value, str):
            try:
                number = float(value)
                out[key] = int(number) if number.is_integer() and key != "price" else number
                continue
            except ValueError:
                pass
        out[key] = value if isinstance(value, (int, float, str)) else js_string(value)
    return out


def _user_data(user: dict[str, Any], form: str = "email_address") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in user.items():
        if key == "address" and isinstance(value, dict):
            out["address"] = {k: js_string(v) for k, v in value.items() if not is_missing(v)}
        elif key in AWEC_TO_GA4 and not is_missing(value):
            name, text = AWEC_TO_GA4[key], js_string(value)
            if form in ("email", "array") and name in _SHORT:
                out[_SHORT[name]] = [text] if form == "array" else text
            elif form == "sha256" and name in _SHORT:
                out["sha256_" + name] = _page_hash(name, text)
            else:
                out[name] = text
    return out


def _page_hash(name: str, text: str) -> str:
    """What a page that hashes user data itself sends: email trimmed and lower-cased,
    phone without separators, as SHA-256 hex."""
    if name == "email_address":
        normal = text.strip().lower()
    else:
        normal = "".join(c for c in text if c not in " -().\t/")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()
