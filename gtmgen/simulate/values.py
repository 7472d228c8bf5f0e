"""JavaScript values in Python: JS string conversion, lookups, JSON copies.

GTM variables hold JavaScript values. ``None`` stands for ``null``; :data:`UNDEFINED`
for ``undefined`` (a variable that finds nothing), which JSON cannot carry.
"""

from __future__ import annotations

import math
from typing import Any

from gtmgen.gtm.javascript import UNDEFINED


def is_missing(value: Any) -> bool:
    return value is UNDEFINED or value is None


def js_number(value: float | int) -> str:
    """``String(n)`` for the numbers data layers carry (integers print without ``.0``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def js_string(value: Any) -> str:
    """JavaScript's ``String(value)``: how GTM writes a variable into a text field."""
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join("" if is_missing(v) else js_string(v) for v in value)
    return "[object Object]"


def to_json(value: Any) -> Any:
    """A JSON-ready copy: ``undefined`` members dropped, as ``JSON.stringify`` does."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items() if v is not UNDEFINED}
    if isinstance(value, list):
        return [None if v is UNDEFINED else to_json(v) for v in value]
    if value is UNDEFINED:
        return None
    return value


def lookup(obj: Any, path: str) -> Any:
    """A dotted path into nested objects and arrays (``items.0.item_id``)."""
    current = obj
    for part in path.split("."):
        if isinstance(current, dict):
            if part not in current:
                return UNDEFINED
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return UNDEFINED
    return current
