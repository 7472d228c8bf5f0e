"""A web and a server export checked together: for every dataLayer event with a TikTok
Pixel tag, the GA4 hop that carries it to the server container and the Events API tag
there must send the same TikTok event name and the same event ID."""

from __future__ import annotations

from gtmgen.audit import findings as f
from gtmgen.audit.findings import Finding
from gtmgen.audit.ids import only_variable
from gtmgen.audit.wiring import (
    EVENT_REFS,
    Ga4Send,
    TikTokSend,
    fires_on,
    ga4_sends,
    tiktok_name,
    tiktok_sends,
    trigger_events,
)
from gtmgen.gtm.container import Container, claiming_client, raw_value, references
from gtmgen.platforms.classify import classify


def check_pair(web: Container, server: Container) -> list[Finding]:
    out: list[Finding] = []
    client = claiming_client(server) or ""
    server_tags = [t for t in server.tags if classify(server, t).platform == "tiktok"]
    hops = ga4_sends(web)
    for tag in web.tags:
        if tag.get("paused") is True:
            continue
        for send in tiktok_sends(web, tag):
            for event in trigger_events(web, tag):
                if event.startswith("~"):
                    continue  # a regex trigger: no single event name to follow
                out += _follow(web, server, client, send, event, hops, server_tags)
    return _dedupe(out)


def _follow(
    web: Container,
    server: Container,
    client: str,
    send: TikTokSend,
    event: str,
    hops: list[Ga4Send],
    server_tags: list[dict[str, object]],
) -> list[Finding]:
    pixel_name = tiktok_name(send.event, event)
    where = f.tag(send.tag.get("name"))
    out: list[Finding] = []
    reached = False
    for hop in hops:
        if not fires_on(web, hop.tag, event):
            continue
        ga4_event = event if hop.event_name in EVENT_REFS else hop.event_name
        for server_tag in server_tags:
            if not fires_on(server, server_tag, ga4_event, client=client):
                continue
            for api in tiktok_sends(server, server_tag):
                reached = True
                out += _compare(web, server, send, pixel_name, hop, ga4_event, api, event)
    if not reached and pixel_name:
        out.append(
            Finding(
                web.file,
                "note",
                "pixel-only",
                where,
                f"sends {pixel_name!r} on {event!r}, but no GA4 hop of that event "
                "reaches a TikTok tag in the server container: browser only",
            )
        )
    return out


def _compare(
    web: Container,
    server: Container,
    send: TikTokSend,
    pixel_name: str | None,
    hop: Ga4Send,
    ga4_event: str,
    api: TikTokSend,
    event: str,
) -> list[Finding]:
    api_name = tiktok_name(api.event, ga4_event)
    names = (
        f"{f.tag(send.tag.get('name'))} (web) and {f.tag(api.tag.get('name'))} "
        f"(server, via GA4 {ga4_event!r} from {f.tag(hop.tag.get('name'))})"
    )
    out = []
    if pixel_name and api_name and pixel_name != api_name:
        out.append(
            Finding(
                f"{web.file} + {server.file}",
                "high",
                "event-name-mismatch",
                names,
                f"dataLayer event {event!r}: the pixel sends {pixel_name!r}, the "
                f"Events API sends {api_name!r}; TikTok only deduplicates "
                "identical event names",
            )
        )
    key = _event_data_key(server, api)
    if key is None or not send.event_id:
        return out
    carried = hop.params.get(key)
    if not carried:
        out.append(
            Finding(
                f"{web.file} + {server.file}",
                "high",
                "event-id-not-forwarded",
                names,
                f"the pixel has an event_id, but the GA4 hop sends no "
                f"{key!r} parameter, which the server tag reads",
            )
        )
    elif references(carried) != references(send.event_id) and references(send.event_id):
        out.append(
            Finding(
                f"{web.file} + {server.file}",
                "medium",
                "event-id-sources-differ",
                names,
                f"the pixel takes its event_id from {send.event_id.strip()} "
                f"but the GA4 hop sends {carried}: they match only if both give "
                "the same value",
            )
        )
    return out


def _event_data_key(server: Container, api: TikTokSend) -> str | None:
    """The event data key the server TikTok tag reads its event_id from."""
    text = api.event_id.strip()
    if not text:
        return "event_id" if classify(server, api.tag).builder == "gallery" else None
    found = only_variable(server, text, "ed")
    return None if found is None else raw_value(found[1], "keyPath")


def _dedupe(found: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(found))
