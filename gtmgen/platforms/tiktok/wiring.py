"""TikTok's entities in the two containers: the pixel constant, the "gtmgen TikTok Pixel"
template with a base tag and one event tag per event (web); the pixel and token
constants and one Events API tag per event (server)."""

from __future__ import annotations

import json
import re
from typing import Any

from gtmgen.generate import mapping
from gtmgen.gtm import params as p
from gtmgen.gtm.format import INITIALIZATION
from gtmgen.platforms.base import ServerContext, WebContext
from gtmgen.platforms.tiktok import names
from gtmgen.resources import read_template
from gtmgen.spec.model import Event, Spec


# The access_globals keys of one pixel: its own queue and load records (ttq._i[id] with
# _u, _t[id], _o[id]). GTM's access_globals permission names exact keys, so the
# template's permissions get them for the spec's pixel (docs/tiktok-web.md).
def _pixel_keys(pixel_id: str) -> list[dict[str, Any]]:
    def key(
        name: str, read: bool = False, write: bool = False, execute: bool = False
    ) -> dict[str, Any]:
        return {"key": name, "read": read, "write": write, "execute": execute}

    return [
        key(f"ttq._i.{pixel_id}", read=True, write=True),
        key(f"ttq._i.{pixel_id}._u", write=True),
        key(f"ttq._i.{pixel_id}.track", read=True),
        key(f"ttq._i.{pixel_id}.identify", execute=True),
        key(f"ttq._t.{pixel_id}", read=True, write=True),
        key(f"ttq._o.{pixel_id}", write=True),
    ]


def _typed_map(values: dict[str, Any]) -> dict[str, Any]:
    """A flat map of strings and booleans in GTM's typed form (1 string, 3 map, 8 boolean)."""

    def typed(v: Any) -> dict[str, Any]:
        return {"type": 8, "boolean": v} if isinstance(v, bool) else {"type": 1, "string": v}

    return {
        "type": 3,
        "mapKey": [typed(k) for k in values],
        "mapValue": [typed(v) for v in values.values()],
    }


_PERMISSIONS = re.compile(r"(___WEB_PERMISSIONS___\n\n)(.*?)(\n\n\n___)", re.DOTALL)


def pixel_template(template_data: str, pixel_id: str) -> str:
    """The web template with the pixel's own keys added to its access_globals permission."""
    match = _PERMISSIONS.search(template_data)
    if match is None:
        raise ValueError("the web template has no ___WEB_PERMISSIONS___ section")
    entries = json.loads(match.group(2))
    for entry in entries:
        if entry["instance"]["key"]["publicId"] == "access_globals":
            [param] = [p for p in entry["instance"]["param"] if p["key"] == "keys"]
            param["value"]["listItem"] += [_typed_map(k) for k in _pixel_keys(pixel_id)]
    text = json.dumps(entries, indent=2, ensure_ascii=False)
    return template_data[: match.start(2)] + text + template_data[match.end(2) :]


class TikTok:
    key = "tiktok"
    label = names.LABEL
    templates = (names.WEB_TEMPLATE, names.SERVER_TEMPLATE)

    def enabled(self, spec: Spec) -> bool:
        return spec.tiktok is not None

    def event_name(self, event: Event) -> str | None:
        return event.tiktok_event

    def token_env(self, spec: Spec) -> str | None:
        return spec.tiktok.access_token_env if spec.tiktok else None

    def test_event_code(self, spec: Spec) -> str | None:
        return spec.tiktok.test_event_code if spec.tiktok else None

    def web(self, spec: Spec, ctx: WebContext) -> None:
        assert spec.tiktok is not None
        b = ctx.builder
        b.variable(names.PIXEL_ID, "c", [p.template("value", spec.tiktok.pixel_id)])
        b.custom_template(
            names.WEB_TEMPLATE,
            pixel_template(read_template("tiktok_pixel_web.tpl"), spec.tiktok.pixel_id),
        )
        b.tag(
            names.BASE_TAG,
            "",
            [p.template("tagType", "base"), p.template("pixelId", p.ref(names.PIXEL_ID))],
            triggers=[INITIALIZATION],
            template=names.WEB_TEMPLATE,
            notes="The TikTok pixel on every page: builds the ttq stub at once; loads "
            "events.js and sends the Pageview once ad_storage is granted (it has no "
            "GTM consent requirement so that it can wait for the visitor's choice). " + ctx.note,
        )

    def web_event(self, spec: Spec, event: Event, trigger: str, ctx: WebContext) -> None:
        assert spec.tiktok is not None and event.tiktok_event is not None
        pixel: list[dict[str, Any]] = [
            p.template("pixelId", p.ref(names.PIXEL_ID)),
            p.template("eventName", event.tiktok_event),
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
        user = dict(event.user_data.items()) if event.user_data else {}
        for field, key in (
            ("email", "email"),
            ("phone_number", "phoneNumber"),
            ("external_id", "externalId"),
        ):
            if field in user:
                pixel.append(p.template(key, ctx.dlv(user[field])))
        if "phone_number" in user and spec.matching.default_country_code:
            # the same rule as the server tag's, so that both sides hash the same number
            pixel.append(p.template("defaultCountryCode", spec.matching.default_country_code))
        ctx.builder.tag(
            names.event_tag(event.event),
            "",
            pixel,
            triggers=[trigger],
            consent=list(spec.tiktok.consent) or None,
            template=names.WEB_TEMPLATE,
            notes=ctx.note,
        )

    def server(self, spec: Spec, ctx: ServerContext, access_token: str) -> None:
        assert spec.tiktok is not None
        b = ctx.builder
        b.variable(names.PIXEL_ID, "c", [p.template("value", spec.tiktok.pixel_id)])
        b.variable(
            names.ACCESS_TOKEN,
            "c",
            [p.template("value", access_token)],
            notes="TikTok Events API access token (Events Manager > Settings > Generate "
            "Access Token). Empty until you fill it in after import, unless built "
            "with env:NAME.",
        )
        b.custom_template(names.SERVER_TEMPLATE, read_template("tiktok_events_api_server.tpl"))

    def server_event(self, spec: Spec, event: Event, trigger: str, ctx: ServerContext) -> None:
        assert spec.tiktok is not None and event.tiktok_event is not None
        params: list[dict[str, Any]] = [
            p.template("pixelId", p.ref(names.PIXEL_ID)),
            p.template("accessToken", p.ref(names.ACCESS_TOKEN)),
            p.template("eventName", event.tiktok_event),
            p.template("eventId", ctx.event_id),
        ]
        if spec.tiktok.test_event_code:
            params.append(p.template("testEventCode", spec.tiktok.test_event_code))
        if event.properties:
            rows = [(k, ctx.event_data(mapping.ga4_param(k))) for k in event.properties]
            params.append(p.table("properties", rows, ("name", "value")))
        mapped = dict(event.user_data.items()) if event.user_data is not None else {}
        if "external_id" in mapped:
            key = mapping.server_key_for_user_field("external_id")
            params.append(p.template("externalId", ctx.event_data(key)))
        # Email and phone: the template reads every user_data key the GA4 hop may use.
        params.append(p.boolean("userDataFromHop", "email" in mapped or "phone_number" in mapped))
        if spec.matching.default_country_code:
            params.append(p.template("defaultCountryCode", spec.matching.default_country_code))
        params.append(p.boolean("respectAdStorageConsent", "ad_storage" in spec.tiktok.consent))
        params.append(p.boolean("respectAdUserDataConsent", True))
        ctx.builder.tag(
            names.event_tag(event.event),
            "",
            params,
            triggers=[trigger],
            template=names.SERVER_TEMPLATE,
            notes=ctx.note,
        )


PLATFORM = TikTok()
