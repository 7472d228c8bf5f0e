"""JavaScript source for values: the one way any value of gtmgen enters JavaScript code,
whether it runs in a visitor's browser (the generated Custom JavaScript variable) or in the
engine of ``gtmgen simulate`` (dataLayer pushes, variable values).

``None`` stands for ``null``; :data:`UNDEFINED` for ``undefined``, which JSON cannot carry.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final


class _Undefined:
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Final = _Undefined()

_SURROGATE = re.compile("[\ud800-\udfff]")


def js_literal(value: Any, *, sort_keys: bool = False) -> str:
    """A JavaScript expression for ``value`` that evaluates to exactly that value.

    JSON as ``json.dumps`` writes it, where JSON can say it; ``undefined``, ``NaN`` and
    the infinities at any depth where it cannot. Safe inside a <script> element and in ES5
    source: ``</`` is written ``<\\/``, ``<!--`` ``<\\!--``, U+2028/U+2029 and lone
    surrogates as escapes. An object with a ``__proto__`` key is made with JSON.parse,
    since in a literal that key would set the prototype instead of making a property.
    """
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", _literal(value, sort_keys))
    return (
        text.replace("</", "<\\/")
        .replace("<!--", "<\\!--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _literal(value: Any, sort_keys: bool) -> str:
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v, sort_keys) for v in value) + "]"
    if isinstance(value, dict):
        if "__proto__" in value and _plain_json(value):
            return (
                "JSON.parse("
                + json.dumps(
                    json.dumps(value, ensure_ascii=False, sort_keys=sort_keys), ensure_ascii=False
                )
                + ")"
            )
        keys = sorted(value, key=str) if sort_keys else list(value)
        return (
            "{"
            + ", ".join(
                json.dumps(str(k), ensure_ascii=False) + ": " + _literal(value[k], sort_keys)
                for k in keys
            )
            + "}"
        )
    return json.dumps(value, ensure_ascii=False)


def _plain_json(value: Any) -> bool:
    if value is UNDEFINED or (isinstance(value, float) and not math.isfinite(value)):
        return False
    if isinstance(value, dict):
        return all(_plain_json(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_plain_json(v) for v in value)
    return True
