"""The platforms' own audit rules (``gtmgen/platforms/<name>/audit.py``), registered and
run here: each gets the JavaScript scanner of :mod:`gtmgen.audit.jsargs`; its faults
become findings of a file, its secrets are printed masked, and for a web/server pair the
GA4 hops are followed here (the same reading of triggers as the TikTok pair check)."""

from __future__ import annotations

from gtmgen.audit import jsargs
from gtmgen.audit.findings import Finding
from gtmgen.audit.wiring import EVENT_REFS, Ga4Send, fires_on, ga4_sends, trigger_events
from gtmgen.gtm.container import Container, Entity, claiming_client
from gtmgen.gtm.secrets import mask
from gtmgen.platforms.meta import audit as meta
from gtmgen.platforms.rules import Fault


def event_id_texts(container: Container, tag: Entity) -> list[str]:
    """The texts platform tags take event IDs from, for the generic ID rules."""
    return meta.event_id_texts(container, tag, jsargs)


def check_container(container: Container, found: list[Finding]) -> list[Finding]:
    """Platform rules on one export; ``found`` are the generic findings so far (a secret
    already reported on an entity is not reported again)."""
    out = [_finding(container.file, x) for x in meta.check_container(container, jsargs)]
    web = container.context == "WEB"
    code = "token-in-web-container" if web else "token-in-export"
    seen = {(x.code, x.entity) for x in found}
    for secret in meta.secrets(container):
        if (code, secret.entity) in seen:
            continue
        seen.add((code, secret.entity))
        if web:
            out.append(
                Finding(
                    container.file,
                    "high",
                    code,
                    secret.entity,
                    f"holds a Meta access token ({mask(secret.value)}) in a web "
                    "container: every visitor can read it",
                )
            )
        else:
            out.append(
                Finding(
                    container.file,
                    "low",
                    code,
                    secret.entity,
                    f"holds a literal Meta access token ({mask(secret.value)}): "
                    "keep this export out of version control",
                )
            )
    return out


def check_pair(web: Container, server: Container) -> list[Finding]:
    pair = f"{web.file} + {server.file}"
    out = [_finding(pair, x) for x in meta.check_pixels(web, server, jsargs)]
    client = claiming_client(server) or ""
    api_tags = meta.meta_tags(server)
    hops = ga4_sends(web)
    for tag in web.tags:
        if tag.get("paused") is True:
            continue
        for pixel in meta.sends(web, tag, jsargs):
            for event in trigger_events(web, tag):
                if event.startswith("~"):
                    continue  # a regex trigger: no single event name to follow
                reached = [
                    (hop, ga4_event, api_tag, api)
                    for hop, ga4_event in _hops(web, hops, event)
                    for api_tag in api_tags
                    if fires_on(server, api_tag, ga4_event, client=client)
                    for api in meta.sends(server, api_tag, jsargs)
                ]
                for hop, ga4_event, api_tag, api in _counterparts(pixel, event, reached):
                    names = (
                        f"tag {str(tag.get('name'))!r} (web) and tag "
                        f"{str(api_tag.get('name'))!r} (server, via GA4 "
                        f"{ga4_event!r} from tag {str(hop.tag.get('name'))!r})"
                    )
                    out += [
                        _finding(pair, x)
                        for x in meta.compare(
                            server, pixel, hop.params, api, event, ga4_event, names
                        )
                    ]
    return list(dict.fromkeys(out))


def _hops(web: Container, hops: list[Ga4Send], event: str) -> list[tuple[Ga4Send, str]]:
    """The GA4 hops that fire on dataLayer event ``event``, with the GA4 event they send."""
    return [
        (hop, event if hop.event_name in EVENT_REFS else hop.event_name)
        for hop in hops
        if fires_on(web, hop.tag, event)
    ]


Reached = tuple[Ga4Send, str, Entity, meta.MetaSend]


def _counterparts(pixel: meta.MetaSend, event: str, reached: list[Reached]) -> list[Reached]:
    """The server events a pixel event is deduplicated against: those of the same Meta
    event name when there are any; otherwise, for a site's own dataLayer event, every
    server event its hops reach (a different name is then a fault). On GTM's built-in
    events (page load, clicks) many tags fire under conditions the audit takes as
    possibly true, so a server event of another name there is no evidence of a pairing."""
    name = pixel.name_for(event)
    same = [r for r in reached if name is not None and r[3].name_for(r[1]) == name]
    if same:
        return same
    return [] if event.startswith("gtm.") else reached


def _finding(file: str, fault: Fault) -> Finding:
    return Finding(file, fault.severity, fault.code, fault.entity, fault.message)
