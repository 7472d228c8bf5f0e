"""The spec's JSON Schema, generated from the pydantic model (for yaml-language-server)."""

from __future__ import annotations

import json

from gtmgen.platforms.meta.events import STANDARD_EVENTS as META_STANDARD_EVENTS
from gtmgen.platforms.tiktok.events import STANDARD_EVENTS
from gtmgen.spec.model import Spec

# Hover text for editors, by model and field (docs/spec.md says the same).
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Spec": {
        "version": "Spec format version: 1.",
        "name": "Names the containers and the folder holding every generated entity.",
        "web": "The web container.",
        "server": "The server container.",
        "tiktok": "The TikTok pixel and Events API settings (a platform block: tiktok, "
        "meta or both).",
        "meta": "The Meta Pixel and Conversions API settings (a platform block: tiktok, "
        "meta or both).",
        "matching": "How user data is normalised before hashing, on every platform.",
        "event_id": "How the shared event_id is chosen.",
        "events": "One entry per dataLayer event to send to the platforms from both containers.",
    },
    "Web": {
        "public_id": "The target web container's public ID (GTM-...).",
        "ga4": "The GA4 hop that carries events to the server container.",
    },
    "Ga4": {
        "measurement_id": "The GA4 measurement ID (G-...).",
        "server_container_url": "Your server container's URL (https://...).",
    },
    "Server": {
        "public_id": "The target server container's public ID (GTM-...).",
        "forward_ga4": "true adds a Google Analytics: GA4 tag that forwards every event the "
        "GA4 client claims to Google Analytics (default false: the GA4 data "
        "reaches only the TikTok tags).",
    },
    "TikTok": {
        "pixel_id": "The TikTok pixel code (upper-case letters and digits).",
        "access_token": "env:NAME reads the Events API token from the environment at build "
        "time; omit it to fill the token in after import. Never a literal.",
        "test_event_code": "Sent with every Events API request (Events Manager > Test Events).",
        "consent": "GTM consent types the TikTok tags need (default [ad_storage]).",
    },
    "Meta": {
        "pixel_id": "The Meta pixel (dataset) ID, digits in quotes.",
        "access_token": "env:NAME reads the Conversions API token from the environment at "
        "build time; omit it to fill the token in after import. Never a "
        "literal.",
        "test_event_code": "Sent with every Conversions API request (Events Manager > Test "
        "events).",
        "consent": "GTM consent types the Meta event tags need (default [ad_storage]).",
    },
    "Matching": {
        "default_country_code": 'Country calling code in quotes, digits only (e.g. "49"): '
        "national phone numbers get +CODE before hashing; '+...' and "
        "'00...' are international, one leading 0 is the trunk "
        "prefix (dropped), digits already starting with CODE are "
        "kept. Without it numbers are only cleaned.",
    },
    "EventIdSettings": {
        "data_layer_key": "A site-provided ID under this key in the current push wins.",
        "prefix": "Prefix of the IDs the container generates itself.",
    },
    "Event": {
        "event": "The dataLayer event that triggers it (exact match).",
        "tiktok_event": "The TikTok event name, the same on both sides.",
        "meta_event": "The Meta event name, the same on both sides.",
        "custom_event": "true for names outside the platforms' standard events.",
        "event_id_from": "Data layer path: the ID becomes prefix + this value (e.g. the order "
        "ID), so reloads and the backend can reproduce it.",
        "properties": "TikTok property <- data layer path; contents takes GA4 items.",
        "user_data": "Advanced matching <- data layer path.",
        "ga4_params": "GA4 event parameter <- data layer path, sent by the GA4 event tag. "
        "For a GA4 e-commerce event this replaces the tag's own e-commerce "
        "data (the data layer's ecommerce object), e.g. transaction_id: "
        "order.id.",
    },
    "UserData": {
        "email": "Data layer path of the email address (hashed on the server).",
        "phone_number": "Data layer path of the phone number, E.164 (hashed on the server).",
        "external_id": "Data layer path of your user ID (hashed on the server).",
    },
}


def spec_json_schema() -> str:
    schema = Spec.model_json_schema()
    definitions = {"Spec": schema, **schema["$defs"]}
    for model, fields in DESCRIPTIONS.items():
        for field, text in fields.items():
            definitions[model]["properties"][field]["description"] = text
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gtmgen spec (version 1)"
    event = schema["$defs"]["Event"]["properties"]["tiktok_event"]
    event["description"] = (
        "A TikTok standard event (" + ", ".join(sorted(STANDARD_EVENTS)) + "), or any "
        "name with custom_event: true."
    )
    event["examples"] = sorted(STANDARD_EVENTS)
    meta = schema["$defs"]["Event"]["properties"]["meta_event"]
    meta["description"] = (
        "A Meta standard event (" + ", ".join(sorted(META_STANDARD_EVENTS)) + "), or any "
        "name with custom_event: true."
    )
    meta["examples"] = sorted(META_STANDARD_EVENTS)
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True)
