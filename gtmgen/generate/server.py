"""The server container: GA4 client and event data variables; each enabled platform adds
its server tags (gtmgen/platforms/)."""

from __future__ import annotations

from collections.abc import Sequence

from gtmgen.generate import names
from gtmgen.generate.container import ContainerBuilder
from gtmgen.generate.web import NOTE
from gtmgen.gtm import params as p
from gtmgen.platforms.base import Platform, ServerContext
from gtmgen.spec.model import Spec


def _event_data_variable(b: ContainerBuilder, key: str) -> str:
    return b.once(
        ("ed", key),
        lambda: b.variable(
            names.event_data(key),
            "ed",
            [p.boolean("setDefaultValue", False), p.template("keyPath", key)],
        ),
    )


def build_server(
    spec: Spec, b: ContainerBuilder, platforms: Sequence[Platform], tokens: dict[str, str]
) -> None:
    note = NOTE.format(name=spec.name)
    b.builtin("CLIENT_NAME", "Client Name")
    b.builtin("EVENT_NAME", "Event Name")
    b.client(
        names.GA4_CLIENT,
        "gaaw_client",
        [
            p.template("cookieDomain", "auto"),
            p.template("cookieMaxAgeInSec", "63072000"),
            p.boolean("activateDefaultPaths", True),
            p.template("cookiePath", "/"),
            p.template("cookieManagement", "server"),
            p.template("cookieName", "FPID"),
        ],
        priority=0,
    )
    _event_data_variable(b, "event_id")
    ctx = ServerContext(
        builder=b,
        note=note,
        event_id=p.ref(names.ED_EVENT_ID),
        event_data=lambda key: p.ref(_event_data_variable(b, key)),
    )
    for platform in platforms:
        platform.server(spec, ctx, tokens.get(platform.key, ""))
    for event in spec.events:
        named = [pl for pl in platforms if pl.event_name(event) is not None]
        if not named:
            continue
        trigger = b.event_trigger(names.trigger(event.event), event.event, client=names.GA4_CLIENT)
        for platform in named:
            platform.server_event(spec, event, trigger, ctx)
    if spec.server.forward_ga4:
        _ga4_forward(b, note)


def _ga4_forward(b: ContainerBuilder, note: str) -> None:
    """Opt-in: GTM's own "Google Analytics: GA4" server tag sends every event the GA4 client
    claims on to Google Analytics, with all event and user parameters (the corpus's server
    exports configure it the same way)."""
    trigger = b.trigger(
        names.GA4_CLIENT_EVENTS,
        {
            "type": "CUSTOM_EVENT",
            "customEventFilter": [p.condition("MATCH_REGEX", "{{_event}}", ".*")],
            "filter": [p.condition("EQUALS", "{{Client Name}}", names.GA4_CLIENT)],
        },
    )
    b.tag(
        names.GA4_FORWARD_TAG,
        "sgtmgaaw",
        [
            p.boolean("redactVisitorIp", False),
            p.template("epToIncludeDropdown", "all"),
            p.template("upToIncludeDropdown", "all"),
        ],
        triggers=[trigger],
        notes=note,
    )
