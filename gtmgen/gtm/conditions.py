"""Trigger conditions as GTM evaluates them (``{"type": OP, "parameter": [arg0, arg1,
ignore_case?, negate?]}``, research/gtm-export-format.md §7)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gtmgen.gtm.container import Entity, params

Render = Callable[[str], str]


def _compare(op: str, left: str, right: str, *, ignore_case: bool = False) -> bool | None:
    if ignore_case and op != "MATCH_REGEX":
        left, right = left.lower(), right.lower()
    if op == "EQUALS":
        return left == right
    if op == "CONTAINS":
        return right in left
    if op == "STARTS_WITH":
        return left.startswith(right)
    if op == "ENDS_WITH":
        return left.endswith(right)
    if op == "MATCH_REGEX":
        try:
            return re.search(right, left, re.IGNORECASE if ignore_case else 0) is not None
        except re.error:
            return False
    if op in ("GREATER", "GREATER_OR_EQUALS", "LESS", "LESS_OR_EQUALS"):
        try:
            a, b = float(left), float(right)
        except ValueError:
            return False
        return {"GREATER": a > b, "GREATER_OR_EQUALS": a >= b,
                "LESS": a < b, "LESS_OR_EQUALS": a <= b}[op]
    return None  # CSS_SELECTOR and the like: not decidable without a page


def evaluate(condition: Entity, render: Render) -> bool | None:
    """True/False, or None when the operator cannot be evaluated here."""
    by_key = params(condition)
    left = render(str(by_key.get("arg0", {}).get("value", "")))
    right = str(by_key.get("arg1", {}).get("value", ""))
    ignore_case = str(by_key.get("ignore_case", {}).get("value", "false")) == "true"
    negate = str(by_key.get("negate", {}).get("value", "false")) == "true"
    op = str(condition.get("type", ""))
    result = _compare(op, left, right, ignore_case=ignore_case)
    if result is None:
        return None
    return not result if negate else result


def all_conditions(conditions: list[Any], render: Render) -> bool | None:
    """Every condition holds (None when one cannot be decided and none is false)."""
    undecided = False
    for condition in conditions or []:
        if not isinstance(condition, dict):
            continue
        result = evaluate(condition, render)
        if result is False:
            return False
        if result is None:
            undecided = True
    return None if undecided else True
