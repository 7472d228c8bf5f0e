"""Jinja renders JavaScript only; user data enters it only through ``js_literal``."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jinja2

from gtmgen.resources import templates_dir


def js_literal(value: Any) -> str:
    """A JSON literal that is also safe inside a <script> element and in ES5 source.

    ``</`` is written ``<\\/`` and U+2028/U+2029 (line terminators in ES5 string
    literals) as escapes; everything else is plain JSON, so the string that runs is
    exactly the string given.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if _has_proto_key(value):
        # In an object literal, "__proto__": v sets the prototype instead of making a
        # property (the key is lost); JSON.parse makes it an ordinary own property.
        text = "JSON.parse(" + json.dumps(text, ensure_ascii=False) + ")"
    return (
        text.replace("</", "<\\/")
        .replace("<!--", "<\\!--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _has_proto_key(value: Any) -> bool:
    if isinstance(value, dict):
        return "__proto__" in value or any(_has_proto_key(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_proto_key(v) for v in value)
    return False


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["js"] = js_literal
    return env


def render_js(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)
