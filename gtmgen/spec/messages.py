"""Spec problems in a tracking engineer's words: key paths, expected kinds, suggestions."""

from __future__ import annotations

import datetime
import difflib
from typing import Any, get_args

from gtmgen.spec.model import PATTERN_HELP, Spec

Loc = tuple[str | int, ...]


def key_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out or "(top level)"


_EXPECTED = {
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}


def error_message(loc: Loc, err: Any) -> str:
    """A message a tracking engineer can act on, always naming the key path."""
    kind, value = err["type"], err.get("input")
    if loc and loc[-1] == "[key]":  # a dict key (a property name) failed
        loc = loc[:-1]
        return f"{key_path(loc[:-1])}: the key {loc[-1]!r} {_text(err)}"
    dotted = key_path(loc)
    if kind == "extra_forbidden":
        known = _known_keys(Spec, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(known)
        return f"unknown key {dotted!r}; {hint}" if known else f"unknown key {dotted!r}"
    if kind == "missing":
        return f"missing required key {dotted!r}"
    if kind in _EXPECTED:
        text = f"expected {_EXPECTED[kind]}, got {describe(value)}"
        if isinstance(value, (bool, int, float, datetime.date)) and kind == "string_type":
            text += "; put the value in quotes"
        return f"{dotted}: {text}"
    if kind == "string_pattern_mismatch":
        field = next((p for p in reversed(loc) if isinstance(p, str)), "")
        if f"{loc[0]}.{field}" in PATTERN_HELP:
            field = f"{loc[0]}.{field}"
        if field in PATTERN_HELP:
            return f"{dotted}: {value!r} is not {PATTERN_HELP[field]}"
    if kind == "literal_error" and loc == ("version",):
        return f"version: gtmgen reads spec version 1 only (got {value!r}); write version: 1"
    if kind == "too_short" and loc == ("events",):
        return "events: list at least one event"
    return f"{dotted}: {_text(err)}"


def _text(err: Any) -> str:
    if err["type"] == "string_too_short":
        return "must not be empty"
    return str(err["msg"]).removeprefix("Value error, ")


def describe(value: Any) -> str:
    """What YAML made of a value, in a user's words."""
    if value is None:
        return "nothing (an empty value)"
    kinds: tuple[tuple[type | tuple[type, ...], str], ...] = (
        (bool, "true/false"),
        ((int, float), "a number"),
        (str, "text"),
        ((list, tuple), "a list"),
        (dict, "a mapping"),
        (datetime.date, "a date"),
        (bytes, "binary data"),
    )
    return next((name for t, name in kinds if isinstance(value, t)), type(value).__name__)


def _known_keys(model: Any, loc: Loc) -> list[str]:
    """The field names of the model found at ``loc`` (for "did you mean")."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        candidates = [annotation, *get_args(annotation)]
        for arg in list(candidates):
            candidates.extend(get_args(arg))
        nxt = next((c for c in candidates if hasattr(c, "model_fields")), None)
        if nxt is None:
            return []
        current = nxt
    return list(getattr(current, "model_fields", {}))
