"""Meta's entities in the two containers: the pixel constant, the "gtmgen Meta Pixel"
template with a base tag and one event tag per event (web); the pixel and token
constants and one Conversions API tag per event (server). The templates map the spec's
properties to Meta's parameters themselves (``mapping.py``), so the tags pass the spec's
property names with their data layer (web) or event data (server) values."""

from __future__ import annotations

from typing import Any

from gtmgen.generate import mapping
from gtmgen.gtm import params as p
from gtmgen.gtm.format import INITIALIZATION
from gtmgen.platforms.base import ServerContext, WebContext
from gtmgen.platforms.meta import names
from gtmgen.resources import read_template
from gtmgen.spec.model import Event, Spec


class Meta:
    key = "meta"
    label = names.LABEL
    templates = (names.WEB_TEMPLATE, names.SERVER_TEMPLATE)

    def enabled(self, spec: Spec) -> bool:
        return spec.meta is not None

    def event_name(self, event: Event) -> str | None:
        return event.meta_event

    def token_env(self, spec: Spec) -> str | None:
        return spec.meta.access_token_env if spec.meta else None

    def test_event_code(self, spec: Spec) -> str | None:
        return spec.meta.test_event_code if spec.meta else None

    def web(self, spec: Spec, ctx: WebContext) -> None:
        assert spec.meta is not None
        b = ctx.builder
        b.variable(names.PIXEL_ID, "c", [p.template("value", spec.meta.pixel_id)])
        b.custom_template(names.WEB_TEMPLATE, read_template("meta_pixel_web.tpl"))
        b.tag(
            names.BASE_TAG,
            "",
            [p.template("mode", "base"), p.template("pixelId", p.ref(names.PIXEL_ID))],
            triggers=[INITIALIZATION],
            template=names.WEB_TEMPLATE,
            notes="The Meta pixel on every page: builds the fbq stub at once; loads "
            "fbevents.js, inits the pixel and sends the PageView once ad_storage is "
            "granted (it has no GTM consent requirement so that it can wait for the "
            "visitor's choice). " + ctx.note,
        )

    def web_event(self, spec: Spec, event: Event, trigger: str, ctx: WebContext) -> None:
        assert spec.meta is not None and event.meta_event is not None
        pixel: list[dict[str, Any]] = [
            p.template("mode", "event"),
            p.template("pixelId", p.ref(names.PIXEL_ID)),
            p.template("eventName", event.meta_event),
            p.template("eventId", ctx.event_id),
        ]
        if event.properties:
            pixel.append(
                p.table(
                    "properties",
                    [(k, ctx.dlv(v)) for k, v in event.properties.items()],
                    ("name", "value"),
                )
            )
        ctx.builder.tag(
            names.event_tag(event.event),
            "",
            pixel,
            triggers=[trigger],
            consent=list(spec.meta.consent) or None,
            template=names.WEB_TEMPLATE,
            notes=ctx.note,
        )

    def server(self, spec: Spec, ctx: ServerContext, access_token: str) -> None:
        assert spec.meta is not None
        b = ctx.builder
        b.variable(names.PIXEL_ID, "c", [p.template("value", spec.meta.pixel_id)])
        b.variable(
            names.ACCESS_TOKEN,
            "c",
            [p.template("value", access_token)],
            notes="Meta Conversions API access token (Events Manager > Settings > "
            "Conversions API > Generate access token). Empty until you fill it in "
            "after import, unless built with env:NAME.",
        )
        b.custom_template(names.SERVER_TEMPLATE, read_template("meta_conversions_api_server.tpl"))

    def server_event(self, spec: Spec, event: Event, trigger: str, ctx: ServerContext) -> None:
        assert spec.meta is not None and event.meta_event is not None
        params: list[dict[str, Any]] = [
            p.template("pixelId", p.ref(names.PIXEL_ID)),
            p.template("accessToken", p.ref(names.ACCESS_TOKEN)),
            p.template("eventName", event.meta_event),
            p.template("eventId", ctx.event_id),
        ]
        if spec.meta.test_event_code:
            params.append(p.template("testEventCode", spec.meta.test_event_code))
        if event.properties:
            rows = [(k, ctx.event_data(mapping.ga4_param(k))) for k in event.properties]
            params.append(p.table("properties", rows, ("name", "value")))
        # Email and phone: the template reads every user_data key the GA4 hop may use.
        mapped = dict(event.user_data.items()) if event.user_data is not None else {}
        if "external_id" in mapped:
            key = mapping.server_key_for_user_field("external_id")
            params.append(p.template("externalId", ctx.event_data(key)))
        if spec.matching.default_country_code:
            params.append(p.template("defaultCountryCode", spec.matching.default_country_code))
        params.append(p.boolean("respectAdStorageConsent", "ad_storage" in spec.meta.consent))
        params.append(p.boolean("respectAdUserDataConsent", True))
        ctx.builder.tag(
            names.event_tag(event.event),
            "",
            params,
            triggers=[trigger],
            template=names.SERVER_TEMPLATE,
            notes=ctx.note,
        )


PLATFORM = Meta()
