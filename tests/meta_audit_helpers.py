"""Meta tags in our exports: the builder's own when the spec has a ``meta`` block (the
bundled example), else added the way the builder wires them (pixel eventId = the web's
event_id variable, Conversions API eventId = the hop's event data event_id); and gallery
Meta templates as they appear in real exports, for the audit tests."""

from __future__ import annotations

from typing import Any

from gtmgen.generate import names
from gtmgen.gtm.format import ALL_PAGES
from gtmgen.platforms.meta import names as meta_names
from gtmgen.platforms.meta.events import for_ga4_event
from gtmgen.resources import read_template
from tests.audit_helpers import add_variable, tag

PIXEL = "1234567890123456"
WEB_TEMPLATE_ID, SERVER_TEMPLATE_ID = "880001", "880002"


def meta_tag(event: str) -> str:
    return meta_names.event_tag(event)


def _template(
    export: dict[str, Any],
    template_id: str,
    name: str,
    data: str,
    gallery: tuple[str, str] | None = None,
) -> str:
    version = export["containerVersion"]
    entry: dict[str, Any] = {
        "accountId": version["accountId"],
        "containerId": version["containerId"],
        "templateId": template_id,
        "name": name,
        "fingerprint": "1",
        "templateData": data,
    }
    if gallery:
        entry["galleryReference"] = {
            "host": "github.com",
            "owner": gallery[0],
            "repository": gallery[1],
            "version": "0" * 40,
        }
    version.setdefault("customTemplate", []).append(entry)
    return f"cvt_{version['containerId']}_{template_id}"


def _tag(
    export: dict[str, Any],
    tag_id: str,
    name: str,
    type_: str,
    parameter: dict[str, str],
    triggers: list[str],
) -> dict[str, Any]:
    version = export["containerVersion"]
    entity = {
        "accountId": version["accountId"],
        "containerId": version["containerId"],
        "tagId": tag_id,
        "name": name,
        "type": type_,
        "parameter": [{"type": "TEMPLATE", "key": k, "value": v} for k, v in parameter.items()],
        "fingerprint": "1",
        "firingTriggerId": triggers,
        "tagFiringOption": "ONCE_PER_EVENT",
    }
    version["tag"].append(entity)
    return entity


def _events(export: dict[str, Any]) -> list[str]:
    prefix = names.tiktok_tag("")
    return [
        t["name"][len(prefix) :]
        for t in export["containerVersion"]["tag"]
        if t["name"].startswith(prefix) and t["name"] != names.TIKTOK_BASE
    ]


def meta_name(event: str) -> str:
    return for_ga4_event(event) or event


def add_meta(web: dict[str, Any], server: dict[str, Any], pixel: str = PIXEL) -> None:
    """gtmgen's two Meta templates beside every TikTok tag of our exports: same triggers,
    the pixel's eventId the TikTok pixel's, the Conversions API's the hop's event_id.
    Nothing when the builder already wrote them (a spec with a ``meta`` block)."""
    if any(
        t["name"] == meta_names.WEB_TEMPLATE
        for t in web["containerVersion"].get("customTemplate", [])
    ):
        return
    web_type = _template(
        web, WEB_TEMPLATE_ID, "gtmgen Meta Pixel", read_template("meta_pixel_web.tpl")
    )
    server_type = _template(
        server,
        SERVER_TEMPLATE_ID,
        "gtmgen Meta Conversions API",
        read_template("meta_conversions_api_server.tpl"),
    )
    for export in (web, server):
        add_variable(
            export, meta_names.PIXEL_ID, "c", [{"type": "TEMPLATE", "key": "value", "value": pixel}]
        )
    add_variable(
        server,
        "gtmgen - Meta access token",
        "c",
        [{"type": "TEMPLATE", "key": "value", "value": ""}],
    )
    _tag(
        web,
        "880100",
        meta_names.BASE_TAG,
        web_type,
        {"mode": "base", "pixelId": "{{gtmgen - Meta pixel ID}}"},
        [ALL_PAGES],
    )
    for number, event in enumerate(_events(web)):
        pixel_tag = tag(web, names.tiktok_tag(event))
        _tag(
            web,
            str(880200 + number),
            meta_tag(event),
            web_type,
            {
                "mode": "event",
                "pixelId": "{{gtmgen - Meta pixel ID}}",
                "eventName": meta_name(event),
                "eventId": _param(pixel_tag, "eventId"),
            },
            pixel_tag["firingTriggerId"],
        )
    for number, event in enumerate(_events(server)):
        api_tag = tag(server, names.tiktok_tag(event))
        _tag(
            server,
            str(880300 + number),
            meta_tag(event),
            server_type,
            {
                "pixelId": "{{gtmgen - Meta pixel ID}}",
                "accessToken": "{{gtmgen - Meta access token}}",
                "eventName": meta_name(event),
                "eventId": _param(api_tag, "eventId"),
            },
            api_tag["firingTriggerId"],
        )


def _param(entity: dict[str, Any], key: str) -> str:
    return next(str(p["value"]) for p in entity["parameter"] if p["key"] == key)


GALLERY = {
    "facebook-pixel": (
        "facebookarchive",
        "GoogleTagManager-WebTemplate-For-FacebookPixel",
        "Facebook Pixel",
    ),
    "stape-web": ("stape-io", "fb-tag", "Facebook Pixel by Stape"),
    "capi": ("facebookincubator", "ConversionsAPI-Tag-for-GoogleTagManager", "Conversions API Tag"),
    "stape-server": ("stape-io", "facebook-tag", "Facebook Conversion API"),
}


def add_gallery_tag(
    export: dict[str, Any],
    which: str,
    name: str,
    parameter: dict[str, str],
    triggers: list[str],
    tag_id: str = "881000",
) -> dict[str, Any]:
    """A tag of one of the Meta gallery templates (the template's code is not needed:
    the audit reads the gallery reference and the fields)."""
    owner, repository, title = GALLERY[which]
    version = export["containerVersion"]
    existing = next((t for t in version.get("customTemplate", []) if t.get("name") == title), None)
    if existing:
        type_ = f"cvt_{version['containerId']}_{existing['templateId']}"
    else:
        template_id = str(882000 + len(version.get("customTemplate", [])))
        type_ = _template(export, template_id, title, "___INFO___\n\n{}\n", (owner, repository))
    return _tag(export, tag_id, name, type_, parameter, triggers)
