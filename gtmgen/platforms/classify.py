"""Which ad platform a tag of any export sends to, and how it was built (gtmgen's own
template, the platform's gallery template, Custom HTML, another template).

Meta: gtmgen's own "gtmgen Meta Pixel" / "gtmgen Meta Conversions API", the gallery
templates of ``gtmgen/platforms/meta/gallery.py`` (Meta's, facebookarchive's and
stape's), Custom HTML that calls ``fbq(...)``, and other templates named for Facebook or
Meta."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gtmgen.gtm.container import Container, CustomTemplate, Entity, raw_value
from gtmgen.platforms.meta.gallery import gallery_kind

TTQ = re.compile(r"\bttq\s*\.\s*(?:track|page|identify|load|instance)\b|\bttq\s*\(")
FBQ = re.compile(r"\bfbq\s*\(")

OUR_TEMPLATES = ("gtmgen TikTok Pixel", "gtmgen TikTok Events API")
OUR_META_TEMPLATES = ("gtmgen Meta Pixel", "gtmgen Meta Conversions API")
TIKTOK_GALLERY = {"gtm-template-pixel": "web", "gtm-template-eapi": "server"}
META_LABEL = re.compile(r"facebook|\bmeta\b|\bfb\b|conversions\s*api", re.I)
OTHER_PLATFORMS = re.compile(r"linkedin|pinterest|snap|reddit|twitter|microsoft|bing", re.I)


def is_ours(template: CustomTemplate) -> bool:
    return template.name in OUR_TEMPLATES or template.display_name in OUR_TEMPLATES


def is_our_meta(template: CustomTemplate) -> bool:
    return template.name in OUR_META_TEMPLATES or template.display_name in OUR_META_TEMPLATES


def tiktok_gallery_side(template: CustomTemplate) -> str | None:
    """ "web"/"server" for TikTok's own gallery templates, else None."""
    if template.gallery_owner.lower() != "tiktok":
        return None
    return TIKTOK_GALLERY.get(template.gallery_repository)


@dataclass(frozen=True)
class TagKind:
    platform: str | None  # "tiktok", "meta" or None
    builder: str  # "ours", "gallery", "html", "template", "google", "other"
    side: str | None = None  # "web" / "server" for ours and the gallery templates
    template: CustomTemplate | None = None


def classify(container: Container, tag: Entity) -> TagKind:
    type_ = str(tag.get("type", ""))
    if type_ == "html":
        html = raw_value(tag, "html") or ""
        platform = "tiktok" if TTQ.search(html) else ("meta" if FBQ.search(html) else None)
        return TagKind(platform, "html")
    if type_ in ("gaawe", "googtag", "gaawc", "sgtmgaaw"):
        return TagKind(None, "google")
    template = container.template(type_)
    if template is None:
        return TagKind(None, "other")
    if is_ours(template):
        side = "server" if container.context == "SERVER" else "web"
        return TagKind("tiktok", "ours", side, template)
    if is_our_meta(template):
        side = "server" if container.context == "SERVER" else "web"
        return TagKind("meta", "ours", side, template)
    gallery_side = tiktok_gallery_side(template)
    if gallery_side:
        return TagKind("tiktok", "gallery", gallery_side, template)
    meta_gallery = gallery_kind(template.gallery_owner, template.gallery_repository)
    if meta_gallery:
        return TagKind("meta", "gallery", meta_gallery[1], template)
    label = f"{template.name} {template.display_name} {template.gallery_repository}".lower()
    if "tiktok" in label:
        return TagKind("tiktok", "template", None, template)
    if META_LABEL.search(label) and not OTHER_PLATFORMS.search(label):
        return TagKind("meta", "template", None, template)
    return TagKind(None, "template", None, template)
