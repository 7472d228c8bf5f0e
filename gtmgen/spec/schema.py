"""The spec's JSON Schema, generated from the pydantic model (for yaml-language-server)."""

from __future__ import annotations

import json

from gtmgen.spec.model import Spec
from gtmgen.spec.tiktok_events import STANDARD_EVENTS


def spec_json_schema() -> str:
    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gtmgen spec (version 1)"
    event = schema["$defs"]["Event"]["properties"]["tiktok_event"]
    event["description"] = (
        "A TikTok standard event (" + ", ".join(sorted(STANDARD_EVENTS)) + "), or any "
        "name with custom_event: true."
    )
    event["examples"] = sorted(STANDARD_EVENTS)
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True)
