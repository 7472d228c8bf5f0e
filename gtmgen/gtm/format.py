"""What a GTM container export is made of, for every tool that reads or writes one: the
entity kinds and their ID keys, the triggers and variables GTM provides without an entity,
and the ``cvt_`` types that point at custom templates (research/gtm-export-format.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str  # the containerVersion collection: "tag", "trigger", ...
    id_key: str | None  # the entity's ID field; built-in variables have none
    label: str  # how messages name one


# The collections of containerVersion that hold entities, in the order tools report them.
KINDS: tuple[Kind, ...] = (
    Kind("tag", "tagId", "tag"),
    Kind("trigger", "triggerId", "trigger"),
    Kind("variable", "variableId", "variable"),
    Kind("folder", "folderId", "folder"),
    Kind("builtInVariable", None, "built-in variable"),
    Kind("customTemplate", "templateId", "template"),
    Kind("client", "clientId", "client"),
    Kind("transformation", "transformationId", "transformation"),
    Kind("zone", "zoneId", "zone"),
    Kind("gtagConfig", "gtagConfigId", "Google tag config"),
)
ID_KEYS = {kind.key: kind.id_key for kind in KINDS if kind.id_key}
LABELS = {kind.key: kind.label for kind in KINDS}
COLLECTIONS = tuple(kind.key for kind in KINDS)


@dataclass(frozen=True)
class BuiltinTrigger:
    name: str
    contexts: frozenset[str]  # container types it was seen in
    event: str | None  # the dataLayer event it fires on (web), None on the server


# Triggers GTM provides without a trigger entity, referenced by fixed IDs (§3; the
# contexts are where the 54 real exports use them: googtag/gclidw and consent tools fire
# on the Initialization ones, the server Conversion Linker on the server's).
ALL_PAGES = "2147479553"
CONSENT_INITIALIZATION = "2147479572"
INITIALIZATION = "2147479573"
SERVER_BUILTIN = "2147479574"
BUILTIN_TRIGGERS = {
    ALL_PAGES: BuiltinTrigger("All Pages", frozenset({"WEB", "AMP"}), "gtm.js"),
    CONSENT_INITIALIZATION: BuiltinTrigger(
        "Consent Initialization - All Pages", frozenset({"WEB"}), "gtm.init_consent"
    ),
    INITIALIZATION: BuiltinTrigger("Initialization - All Pages", frozenset({"WEB"}), "gtm.init"),
    SERVER_BUILTIN: BuiltinTrigger(
        "the server container's built-in trigger", frozenset({"SERVER"}), None
    ),
}

# Built-in trigger ID -> the dataLayer event it fires on, for the web's.
BUILTIN_TRIGGER_EVENTS = {
    ident: trigger.event for ident, trigger in BUILTIN_TRIGGERS.items() if trigger.event is not None
}

# Web trigger type -> the gtm.* event it listens to.
TRIGGER_EVENTS = {
    "PAGEVIEW": "gtm.js",
    "DOM_READY": "gtm.dom",
    "WINDOW_LOADED": "gtm.load",
    "INIT": "gtm.init",
    "CONSENT_INIT": "gtm.init_consent",
    "CLICK": "gtm.click",
    "LINK_CLICK": "gtm.linkClick",
    "FORM_SUBMISSION": "gtm.formSubmit",
    "HISTORY_CHANGE": "gtm.historyChange-v2",
    "TIMER": "gtm.timer",
    "JS_ERROR": "gtm.pageError",
    "SCROLL_DEPTH": "gtm.scrollDepth",
    "ELEMENT_VISIBILITY": "gtm.elementVisibility",
    "YOU_TUBE_VIDEO": "gtm.video",
}

# Variable names GTM knows without an entity: `_event` is the event name custom event
# triggers compare (all 221 custom event triggers in the corpus use {{_event}}).
ALWAYS_KNOWN_VARIABLES = frozenset({"_event"})

# GTM's names of built-in variables (as builtInVariable entries name them), to tell "you
# forgot to enable Page URL" from "no such variable".
BUILTIN_VARIABLE_NAMES = frozenset(
    {
        "Page URL",
        "Page Hostname",
        "Page Path",
        "Referrer",
        "Event",
        "Click Element",
        "Click Classes",
        "Click ID",
        "Click Target",
        "Click URL",
        "Click Text",
        "Form Element",
        "Form Classes",
        "Form ID",
        "Form Target",
        "Form URL",
        "Form Text",
        "Error Message",
        "Error URL",
        "Error Line",
        "New History URL",
        "Old History URL",
        "New History Fragment",
        "Old History Fragment",
        "New History State",
        "Old History State",
        "History Source",
        "Container Version",
        "Debug Mode",
        "Random Number",
        "Container ID",
        "HTML ID",
        "Environment Name",
        "Video Provider",
        "Video URL",
        "Video Title",
        "Video Duration",
        "Video Percent",
        "Video Visible",
        "Video Status",
        "Video Current Time",
        "Scroll Depth Threshold",
        "Scroll Depth Units",
        "Scroll Direction",
        "Percent Visible",
        "On-Screen Duration",
        "Event Name",
        "Client Name",
        "Request Path",
        "Request Method",
        "Query String",
        "Visitor Region",
        "Browser Language",
        "Page Client ID",
        "Document Referrer",
    }
)

CVT = "cvt_"
_LONG_CVT = re.compile(r"cvt_([0-9]+)_([0-9]+)")


@dataclass(frozen=True)
class CustomType:
    """A ``cvt_`` type: ``cvt_<containerId>_<templateId>`` names a template of the export
    by ID (the long form); ``cvt_<code>`` names one by its gallery ID or its ___INFO___ id."""

    type: str
    container_id: str | None = None
    template_id: str | None = None
    code: str | None = None


def custom_type(type_: str) -> CustomType | None:
    """The template a tag, variable or client ``type`` points at, or None if it is not a
    custom template type."""
    if not type_.startswith(CVT):
        return None
    long_form = _LONG_CVT.fullmatch(type_)
    if long_form:
        return CustomType(type_, container_id=long_form.group(1), template_id=long_form.group(2))
    return CustomType(type_, code=type_[len(CVT) :])


def template_type(container_id: str, template_id: str) -> str:
    """The long-form type an export gives the users of its own template."""
    return f"{CVT}{container_id}_{template_id}"
