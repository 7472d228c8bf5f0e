"""The server container: GA4 client, event data variables and TikTok Events API tags."""

from __future__ import annotations

from typing import Any

from gtmgen.generate import mapping, names
from gtmgen.generate.container import ContainerBuilder
from gtmgen.generate.web import NOTE
from gtmgen.gtm import params as p
from gtmgen.resources import read_template
from gtmgen.spec.model import Event, Spec


def _event_data_variable(b: ContainerBuilder, key: str) -> str:
    return b.once(("ed", key), lambda: b.variable(
        names.event_data(key), "ed",
        [p.boolean("setDefaultValue", False), p.template("keyPath", key)],
    ))


def build_server(spec: Spec, b: ContainerBuilder, access_token: str) -> None:
    note = NOTE.format(name=spec.name)
    b.builtin("CLIENT_NAME", "Client Name")
    b.builtin("EVENT_NAME", "Event Name")
    b.client(
        names.GA4_CLIENT, "gaaw_client",
        [p.template("cookieDomain", "auto"), p.template("cookieMaxAgeInSec", "63072000"),
         p.boolean("activateDefaultPaths", True), p.template("cookiePath", "/"),
         p.template("cookieManagement", "server"), p.template("cookieName", "FPID")],
        priority=0,
    )
    _event_data_variable(b, "event_id")
    b.variable(names.PIXEL_ID, "c", [p.template("value", spec.tiktok.pixel_id)])
    b.variable(
        names.ACCESS_TOKEN, "c", [p.template("value", access_token)],
        notes="TikTok Events API access token (Events Manager > Settings > Generate Access "
              "Token). Empty until you fill it in after import, unless built with env:NAME.",
    )
    b.custom_template(names.SERVER_TEMPLATE, read_template("tiktok_events_api_server.tpl"))
    for event in spec.events:
        _event(spec, b, event, note)
    if spec.server.forward_ga4:
        _ga4_forward(b, note)


def _ga4_forward(b: ContainerBuilder, note: str) -> None:
    """Opt-in: GTM's own "Google Analytics: GA4" server tag sends every event the GA4 client
    claims on to Google Analytics, with all event and user parameters (the corpus's server
    exports configure it the same way)."""
    trigger = b.trigger(names.GA4_CLIENT_EVENTS, {
        "type": "CUSTOM_EVENT",
        "customEventFilter": [p.condition("MATCH_REGEX", "{{_event}}", ".*")],
        "filter": [p.condition("EQUALS", "{{Client Name}}", names.GA4_CLIENT)],
    })
    b.tag(names.GA4_FORWARD_TAG, "sgtmgaaw",
          [p.boolean("redactVisitorIp", False), p.template("epToIncludeDropdown", "all"),
           p.template("upToIncludeDropdown", "all")],
          triggers=[trigger], notes=note)


def _event(spec: Spec, b: ContainerBuilder, event: Event, note: str) -> None:
    trigger = b.event_trigger(names.trigger(event.event), event.event, client=names.GA4_CLIENT)
    params: list[dict[str, Any]] = [
        p.template("pixelId", p.ref(names.PIXEL_ID)),
        p.template("accessToken", p.ref(names.ACCESS_TOKEN)),
        p.template("eventName", event.tiktok_event),
        p.template("eventId", p.ref(names.ED_EVENT_ID)),
    ]
    if spec.tiktok.test_event_code:
        params.append(p.template("testEventCode", spec.tiktok.test_event_code))
    if event.properties:
        rows = [(k, p.ref(_event_data_variable(b, mapping.ga4_param(k))))
                for k in event.properties]
        params.append(p.table("properties", rows, ("name", "value")))
    mapped = dict(event.user_data.items()) if event.user_data is not None else {}
    if "external_id" in mapped:
        variable = _event_data_variable(b, mapping.server_key_for_user_field("external_id"))
        params.append(p.template("externalId", p.ref(variable)))
    # Email and phone: the template reads every user_data key the GA4 hop may use.
    params.append(p.boolean("userDataFromHop", "email" in mapped or "phone_number" in mapped))
    if spec.matching.default_country_code:
        params.append(p.template("defaultCountryCode", spec.matching.default_country_code))
    params.append(p.boolean("respectAdStorageConsent", "ad_storage" in spec.tiktok.consent))
    params.append(p.boolean("respectAdUserDataConsent", True))
    b.tag(names.tiktok_tag(event.event), "", params, triggers=[trigger],
          template=names.SERVER_TEMPLATE, notes=note)
