"""How TikTok events are wired in a container, read statically: which dataLayer events a
tag fires on, which TikTok event name it sends and where its event_id comes from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gtmgen.audit.jsargs import (
    TTQ_PAGE,
    TTQ_TRACK,
    calls,
    object_key,
    string_literal,
    strip_comments,
)
from gtmgen.gtm.conditions import Match, evaluate
from gtmgen.gtm.container import Container, Entity, dicts, ids, raw_value, table_rows
from gtmgen.gtm.format import BUILTIN_TRIGGER_EVENTS, TRIGGER_EVENTS
from gtmgen.platforms.classify import classify

# GA4 event -> TikTok event, as both official TikTok templates map them (TTEventMap,
# tiktok/gtm-template-pixel and gtm-template-eapi v0.2.01; research/tiktok.md §4.2).
TT_EVENT_MAP = {
    "add_payment_info": "AddPaymentInfo",
    "add_to_cart": "AddToCart",
    "add_to_wishlist": "AddToWishlist",
    "begin_checkout": "InitiateCheckout",
    "page_view": "Pageview",
    "purchase": "CompletePayment",
    "search": "Search",
    "sign_up": "CompleteRegistration",
    "view_item": "ViewContent",
}
EVENT_REFS = ("{{Event}}", "{{_event}}")
NAME_REFS = (*EVENT_REFS, "{{Event Name}}")


@dataclass(frozen=True)
class TikTokSend:
    """One TikTok event a tag sends: its name (None when not literal) and event_id text."""

    tag: Entity
    event: str | None
    event_id: str  # the raw text ("" when absent)


def trigger_events(container: Container, tag: Entity) -> list[str]:
    """The dataLayer event names (or regex patterns, prefixed ``~``) a tag fires on."""
    out: list[str] = []
    triggers = container.triggers
    for trigger_id in ids(tag.get("firingTriggerId")):
        if trigger_id in BUILTIN_TRIGGER_EVENTS:
            out.append(BUILTIN_TRIGGER_EVENTS[trigger_id])
            continue
        trigger = triggers.get(trigger_id) or {}
        kind = str(trigger.get("type", ""))
        if kind in TRIGGER_EVENTS:
            out.append(TRIGGER_EVENTS[kind])
        for condition in dicts(trigger.get("customEventFilter")):
            by_key = {
                p.get("key"): str(p.get("value", "")) for p in dicts(condition.get("parameter"))
            }
            if by_key.get("arg0") in NAME_REFS:
                prefix = "" if condition.get("type") == "EQUALS" else "~"
                out.append(prefix + by_key.get("arg1", ""))
    return out


def fires_on(container: Container, tag: Entity, event: str, *, client: str = "") -> bool:
    """Could ``tag`` fire on dataLayer/server event ``event``? Conditions on variables
    other than the event name and the client name are taken as possibly true."""
    if tag.get("paused") is True:
        return False
    known = {"{{_event}}": event, "{{Event}}": event, "{{Event Name}}": event}
    if client:
        known["{{Client Name}}"] = client
    for trigger_id in ids(tag.get("firingTriggerId")):
        if trigger_id in BUILTIN_TRIGGER_EVENTS:
            if BUILTIN_TRIGGER_EVENTS[trigger_id] == event:
                return True
            continue
        trigger = container.triggers.get(trigger_id) or {}
        kind = trigger.get("type")
        if kind != "CUSTOM_EVENT" and kind != "ALWAYS" and TRIGGER_EVENTS.get(str(kind)) != event:
            continue
        conditions = [*dicts(trigger.get("customEventFilter")), *dicts(trigger.get("filter"))]
        if not any(_decided_false(c, known) for c in conditions):
            return True
    return False


def _decided_false(condition: Entity, known: dict[str, str]) -> bool:
    arg0 = next(
        (
            str(p.get("value", ""))
            for p in dicts(condition.get("parameter"))
            if p.get("key") == "arg0"
        ),
        "",
    )
    if arg0 not in known:
        return False
    return evaluate(condition, lambda text: known.get(text, text), _regex()) is False


def tiktok_sends(container: Container, tag: Entity) -> list[TikTokSend]:
    """What a TikTok tag sends (empty for other tags)."""
    kind = classify(container, tag)
    if kind.platform != "tiktok":
        return []
    if kind.builder == "html":
        html = strip_comments(raw_value(tag, "html") or "")
        sends = []
        for call in calls(TTQ_TRACK, html):
            name = string_literal(call.args[0]) if call.args else None
            event_id = object_key(call.args[2], ("event_id",)) if len(call.args) > 2 else None
            sends.append(TikTokSend(tag, name, event_id or ""))
        for _ in calls(TTQ_PAGE, html):
            sends.append(TikTokSend(tag, "Pageview", ""))
        return sends
    if kind.builder == "ours":
        if raw_value(tag, "tagType") == "base":
            return []  # the base tag: stub, events.js and the Pageview, no deduplicated event
        return [
            TikTokSend(tag, _literal(raw_value(tag, "eventName")), raw_value(tag, "eventId") or "")
        ]
    if kind.builder == "gallery":
        return [
            TikTokSend(tag, _literal(raw_value(tag, "event")), raw_value(tag, "event_id") or "")
        ]
    return [TikTokSend(tag, None, raw_value(tag, "eventId") or raw_value(tag, "event_id") or "")]


def _literal(text: str | None) -> str | None:
    if text is None or "{{" in text:
        return None if text is None or text not in NAME_REFS else text
    return text


def tiktok_name(sent: str | None, event: str) -> str | None:
    """The TikTok event name actually sent for dataLayer/GA4 event ``event``."""
    if sent is None:
        return None
    if sent in NAME_REFS:
        sent = event
    return TT_EVENT_MAP.get(sent, sent)


@dataclass(frozen=True)
class Ga4Send:
    tag: Entity
    event_name: str  # raw; "{{Event}}" resolved by the caller
    params: dict[str, str]  # eventSettingsTable, raw


def ga4_sends(container: Container) -> list[Ga4Send]:
    """GA4 event tags and Google tags that send a page_view (send_page_view defaults on)."""
    out = []
    for tag in container.tags:
        if tag.get("paused") is True:
            continue
        if tag.get("type") == "gaawe":
            rows = {
                r.get("parameter", ""): r.get("parameterValue", "")
                for r in table_rows(_param(tag, "eventSettingsTable"))
            }
            out.append(Ga4Send(tag, raw_value(tag, "eventName") or "", rows))
        elif tag.get("type") == "googtag":
            config = {
                r.get("parameter", ""): r.get("parameterValue", "")
                for r in table_rows(_param(tag, "configSettingsTable"))
            }
            shared = {
                r.get("parameter", ""): r.get("parameterValue", "")
                for r in table_rows(_param(tag, "eventSettingsTable"))
            }
            if config.get("send_page_view", "true") != "false":
                out.append(Ga4Send(tag, "page_view", {**config, **shared}))
    return out


def _param(tag: Entity, key: str) -> Entity | None:
    for param in dicts(tag.get("parameter")):
        if param.get("key") == key:
            return dict(param)
    return None


@cache
def _regex() -> Match:
    """Trigger regexes of the export, bounded: one that runs out of time may match (the
    tag is taken as possibly firing, as for conditions the audit cannot decide)."""
    from gtmgen.simulate import bounded_regex

    return bounded_regex(on_timeout=True)
