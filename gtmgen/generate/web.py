"""The web container: event_id variable, data layer variables, TikTok Pixel tags and the
GA4 hop to the server container."""

from __future__ import annotations

import json
import re
from typing import Any

from gtmgen.generate import mapping, names
from gtmgen.generate.container import ContainerBuilder
from gtmgen.generate.javascript import render_js
from gtmgen.gtm import params as p
from gtmgen.gtm.format import INITIALIZATION
from gtmgen.resources import read_template
from gtmgen.spec.model import Event, Spec

DATA_LAYER_NAME = "dataLayer"
NOTE = names.MARKER + " from the spec {name!r}: change the spec and rebuild, not this entity."


def event_id_javascript(spec: Spec, container_id: str) -> str:
    return render_js(
        "event_id_variable.js.j2",
        unique_event_id_variable=names.UNIQUE_EVENT_ID,
        event_variable="Event",
        site_id_variable=names.dlv(spec.event_id.data_layer_key),
        prefix=spec.event_id.prefix,
        data_layer_key=spec.event_id.data_layer_key,
        event_id_from={e.event: e.event_id_from for e in spec.events if e.event_id_from},
        store_key=f"__gtmgen_event_ids_{container_id}",
        data_layer_name=DATA_LAYER_NAME,
        max_scan=200,
    )


# The access_globals keys of one pixel: its own queue and load records (ttq._i[id] with
# _u, _t[id], _o[id]). GTM's access_globals permission names exact keys, so the
# template's permissions get them for the spec's pixel (docs/tiktok-web.md).
def _pixel_keys(pixel_id: str) -> list[dict[str, Any]]:
    def key(name: str, read: bool = False, write: bool = False,
            execute: bool = False) -> dict[str, Any]:
        return {"key": name, "read": read, "write": write, "execute": execute}

    return [key(f"ttq._i.{pixel_id}", read=True, write=True),
            key(f"ttq._i.{pixel_id}._u", write=True),
            key(f"ttq._i.{pixel_id}.track", read=True),
            key(f"ttq._i.{pixel_id}.identify", execute=True),
            key(f"ttq._t.{pixel_id}", read=True, write=True),
            key(f"ttq._o.{pixel_id}", write=True)]


def _typed_map(values: dict[str, Any]) -> dict[str, Any]:
    """A flat map of strings and booleans in GTM's typed form (1 string, 3 map, 8 boolean)."""
    def typed(v: Any) -> dict[str, Any]:
        return {"type": 8, "boolean": v} if isinstance(v, bool) else {"type": 1, "string": v}

    return {"type": 3, "mapKey": [typed(k) for k in values],
            "mapValue": [typed(v) for v in values.values()]}


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
    return template_data[:match.start(2)] + text + template_data[match.end(2):]


def _data_layer_variable(b: ContainerBuilder, path: str) -> str:
    return b.once(("dlv", path), lambda: b.variable(
        names.dlv(path),
        "v",
        [p.integer("dataLayerVersion", 2), p.boolean("setDefaultValue", False),
         p.template("name", path)],
    ))


def build_web(spec: Spec, b: ContainerBuilder) -> None:
    note = NOTE.format(name=spec.name)
    b.builtin("EVENT", "Event")
    _data_layer_variable(b, "gtm.uniqueEventId")
    _data_layer_variable(b, spec.event_id.data_layer_key)
    b.variable(
        names.EVENT_ID, "jsm",
        [p.template("javascript", event_id_javascript(spec, b.container_id))],
        notes="One event_id per dataLayer message, shared by the TikTok Pixel tag and the "
              "GA4 hop so that TikTok deduplicates. " + note,
    )
    b.variable(names.PIXEL_ID, "c", [p.template("value", spec.tiktok.pixel_id)])
    b.custom_template(names.WEB_TEMPLATE,
                      pixel_template(read_template("tiktok_pixel_web.tpl"),
                                     spec.tiktok.pixel_id))
    b.tag(names.TIKTOK_BASE, "",
          [p.template("tagType", "base"), p.template("pixelId", p.ref(names.PIXEL_ID))],
          triggers=[INITIALIZATION], template=names.WEB_TEMPLATE,
          notes="The TikTok pixel on every page: builds the ttq stub at once; loads "
                "events.js and sends the Pageview once ad_storage is granted (it has no GTM "
                "consent requirement so that it can wait for the visitor's choice). " + note)
    ga4 = spec.web.ga4
    b.tag(
        names.GOOGLE_TAG, "googtag",
        [p.template("tagId", ga4.measurement_id),
         p.table("configSettingsTable", [("server_container_url", ga4.server_container_url)],
                 ("parameter", "parameterValue"))],
        triggers=[INITIALIZATION], notes=note,
    )
    for event in spec.events:
        _event(spec, b, event, note)


def _event(spec: Spec, b: ContainerBuilder, event: Event, note: str) -> None:
    trigger = b.event_trigger(names.trigger(event.event), event.event)
    refs = {path: p.ref(_data_layer_variable(b, path)) for path in mapping.data_layer_paths(event)}
    event_id = p.ref(names.EVENT_ID)

    pixel: list[dict[str, Any]] = [
        p.template("pixelId", p.ref(names.PIXEL_ID)),
        p.template("eventName", event.tiktok_event),
        p.template("eventId", event_id),
    ]
    if event.properties:
        pixel.append(p.table("properties", [(k, refs[v]) for k, v in event.properties.items()],
                             ("name", "value")))
    user = dict(event.user_data.items()) if event.user_data else {}
    for field, key in (("email", "email"), ("phone_number", "phoneNumber"),
                       ("external_id", "externalId")):
        if field in user:
            pixel.append(p.template(key, refs[user[field]]))
    b.tag(names.tiktok_tag(event.event), "", pixel, triggers=[trigger],
          consent=list(spec.tiktok.consent) or None, template=names.WEB_TEMPLATE, notes=note)

    rows = [("event_id", event_id)]
    rows += [(mapping.ga4_param(k), refs[v]) for k, v in event.properties.items()]
    provided = [(mapping.USER_FIELDS[f][0], refs[path]) for f, path in user.items()
                if f in mapping.USER_FIELDS]
    if provided:
        rows.append(("user_data", p.ref(b.variable(
            names.user_data(event.event), "awec",
            [p.template("mode", "MANUAL"), *(p.template(k, v) for k, v in provided)],
        ))))
    if "external_id" in user:
        rows.append((mapping.EXTERNAL_ID_PARAM, refs[user["external_id"]]))
    rows += [(name, refs[path]) for name, path in event.ga4_params.items()]
    ecommerce = mapping.sends_ecommerce_data(event)
    source = [p.template("getEcommerceDataFrom", "dataLayer")] if ecommerce else []
    b.tag(
        names.ga4_tag(event.event), "gaawe",
        [p.boolean("sendEcommerceData", ecommerce),
         p.table("eventSettingsTable", rows, ("parameter", "parameterValue")),
         *source,
         p.template("eventName", event.event),
         p.template("measurementIdOverride", spec.web.ga4.measurement_id)],
        triggers=[trigger], notes=note,
    )
