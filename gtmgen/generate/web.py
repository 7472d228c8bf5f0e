"""The web container: event_id variable, data layer variables and the GA4 hop to the
server container; each enabled platform adds its pixel tags (gtmgen/platforms/)."""

from __future__ import annotations

from collections.abc import Sequence

from gtmgen.generate import mapping, names
from gtmgen.generate.container import ContainerBuilder
from gtmgen.generate.javascript import render_js
from gtmgen.gtm import params as p
from gtmgen.gtm.format import INITIALIZATION
from gtmgen.platforms.base import Platform, WebContext
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


def _data_layer_variable(b: ContainerBuilder, path: str) -> str:
    return b.once(
        ("dlv", path),
        lambda: b.variable(
            names.dlv(path),
            "v",
            [
                p.integer("dataLayerVersion", 2),
                p.boolean("setDefaultValue", False),
                p.template("name", path),
            ],
        ),
    )


def build_web(spec: Spec, b: ContainerBuilder, platforms: Sequence[Platform]) -> None:
    note = NOTE.format(name=spec.name)
    b.builtin("EVENT", "Event")
    _data_layer_variable(b, "gtm.uniqueEventId")
    _data_layer_variable(b, spec.event_id.data_layer_key)
    b.variable(
        names.EVENT_ID,
        "jsm",
        [p.template("javascript", event_id_javascript(spec, b.container_id))],
        notes=_event_id_note(platforms) + note,
    )
    ctx = WebContext(
        builder=b,
        note=note,
        event_id=p.ref(names.EVENT_ID),
        dlv=lambda path: p.ref(_data_layer_variable(b, path)),
    )
    for platform in platforms:
        platform.web(spec, ctx)
    ga4 = spec.web.ga4
    b.tag(
        names.GOOGLE_TAG,
        "googtag",
        [
            p.template("tagId", ga4.measurement_id),
            p.table(
                "configSettingsTable",
                [("server_container_url", ga4.server_container_url)],
                ("parameter", "parameterValue"),
            ),
        ],
        triggers=[INITIALIZATION],
        notes=note,
    )
    for event in spec.events:
        _event(spec, b, event, note, platforms, ctx)


def _event_id_note(platforms: Sequence[Platform]) -> str:
    if [pl.key for pl in platforms] == ["tiktok"]:  # the wording of TikTok-only exports
        return (
            "One event_id per dataLayer message, shared by the TikTok Pixel tag and the "
            "GA4 hop so that TikTok deduplicates. "
        )
    labels = " and ".join(pl.label for pl in platforms)
    return (
        f"One event_id per dataLayer message, shared by the {labels} Pixel tags and the "
        "GA4 hop so that each platform deduplicates. "
    )


def _event(
    spec: Spec,
    b: ContainerBuilder,
    event: Event,
    note: str,
    platforms: Sequence[Platform],
    ctx: WebContext,
) -> None:
    trigger = b.event_trigger(names.trigger(event.event), event.event)
    refs = {path: p.ref(_data_layer_variable(b, path)) for path in mapping.data_layer_paths(event)}
    event_id = p.ref(names.EVENT_ID)
    for platform in platforms:
        if platform.event_name(event) is not None:
            platform.web_event(spec, event, trigger, ctx)
    user = dict(event.user_data.items()) if event.user_data else {}

    rows = [("event_id", event_id)]
    rows += [(mapping.ga4_param(k), refs[v]) for k, v in event.properties.items()]
    provided = [
        (mapping.USER_FIELDS[f][0], refs[path])
        for f, path in user.items()
        if f in mapping.USER_FIELDS
    ]
    if provided:
        rows.append(
            (
                "user_data",
                p.ref(
                    b.variable(
                        names.user_data(event.event),
                        "awec",
                        [p.template("mode", "MANUAL"), *(p.template(k, v) for k, v in provided)],
                    )
                ),
            )
        )
    if "external_id" in user:
        rows.append((mapping.EXTERNAL_ID_PARAM, refs[user["external_id"]]))
    rows += [(name, refs[path]) for name, path in event.ga4_params.items()]
    ecommerce = mapping.sends_ecommerce_data(event)
    source = [p.template("getEcommerceDataFrom", "dataLayer")] if ecommerce else []
    b.tag(
        names.ga4_tag(event.event),
        "gaawe",
        [
            p.boolean("sendEcommerceData", ecommerce),
            p.table("eventSettingsTable", rows, ("parameter", "parameterValue")),
            *source,
            p.template("eventName", event.event),
            p.template("measurementIdOverride", spec.web.ga4.measurement_id),
        ],
        triggers=[trigger],
        notes=note,
    )
