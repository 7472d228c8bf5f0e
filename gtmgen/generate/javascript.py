"""Jinja renders JavaScript only; user data enters it only through ``js_literal``
(the ``js`` filter)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from gtmgen.gtm.javascript import js_literal
from gtmgen.resources import templates_dir


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
    env.filters["js"] = _sorted_literal
    return env


def _sorted_literal(value: Any) -> str:
    """Keys sorted, so that the code depends on the spec's content, not its order."""
    return js_literal(value, sort_keys=True)


def render_js(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)
