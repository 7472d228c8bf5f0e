"""Trigger conditions as GTM evaluates them (``{"type": OP, "parameter": [arg0, arg1,
ignore_case?, negate?]}``, research/gtm-export-format.md §7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from gtmgen.gtm.container import Entity, params
from gtmgen.gtm.format import BUILTIN_TRIGGER_EVENTS, TRIGGER_EVENTS

Render = Callable[[str], str]


class Match(Protocol):
    """A bounded regular expression test: a pattern from someone else's export may
    backtrack for ever, so there is no unbounded default (gtmgen.simulate.bounded_regex)."""

    def __call__(self, pattern: str, text: str, *, ignore_case: bool = ...) -> bool: ...


def _compare(
    op: str, left: str, right: str, *, match: Match, ignore_case: bool = False
) -> bool | None:
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
        return match(right, left, ignore_case=ignore_case)
    if op in ("GREATER", "GREATER_OR_EQUALS", "LESS", "LESS_OR_EQUALS"):
        try:
            a, b = float(left), float(right)
        except ValueError:
            return False
        return {
            "GREATER": a > b,
            "GREATER_OR_EQUALS": a >= b,
            "LESS": a < b,
            "LESS_OR_EQUALS": a <= b,
        }[op]
    return None  # CSS_SELECTOR and the like: not decidable without a page


def evaluate(condition: Entity, render: Render, match: Match) -> bool | None:
    """True/False, or None when the operator cannot be evaluated here. ``match`` runs
    MATCH_REGEX, bounded."""
    by_key = params(condition)
    left = render(str(by_key.get("arg0", {}).get("value", "")))
    right = str(by_key.get("arg1", {}).get("value", ""))
    ignore_case = str(by_key.get("ignore_case", {}).get("value", "false")) == "true"
    negate = str(by_key.get("negate", {}).get("value", "false")) == "true"
    op = str(condition.get("type", ""))
    result = _compare(op, left, right, ignore_case=ignore_case, match=match)
    if result is None:
        return None
    return not result if negate else result


def all_conditions(conditions: list[Any], render: Render, match: Match) -> bool | None:
    """Every condition holds (None when one cannot be decided and none is false)."""
    undecided = False
    for condition in conditions or []:
        if not isinstance(condition, dict):
            continue
        result = evaluate(condition, render, match)
        if result is False:
            return False
        if result is None:
            undecided = True
    return None if undecided else True


def _fixed_event(
    trigger: Entity | None,
    trigger_id: str,
    builtins: dict[str, str],
    variables: dict[str, Any],
    *,
    web: bool,
) -> frozenset[str] | None:
    """The events a trigger can fire on: a set (often of one), or None for "any"."""
    if web and trigger_id in BUILTIN_TRIGGER_EVENTS:
        return frozenset([BUILTIN_TRIGGER_EVENTS[trigger_id]])
    if trigger is None:
        return frozenset()
    kind = str(trigger.get("type", ""))
    if kind != "CUSTOM_EVENT":
        if web:
            event = TRIGGER_EVENTS.get(kind)
            return frozenset([event]) if event else frozenset()
        return None if kind == "ALWAYS" else frozenset()
    if "_event" in variables or "_event" in builtins:
        return None
    first = (
        next(iter(c for c in trigger.get("customEventFilter") or [] if isinstance(c, dict)), None)
        if isinstance(trigger.get("customEventFilter"), list)
        else None
    )
    if first is None or first.get("type") != "EQUALS":
        return None
    by_key = params(first)
    flags = [str(by_key.get(k, {}).get("value", "false")) for k in ("ignore_case", "negate")]
    if str(by_key.get("arg0", {}).get("value", "")) != "{{_event}}" or "true" in flags:
        return None
    return frozenset([str(by_key.get("arg1", {}).get("value", ""))])


class TagIndex:
    """Which tags can fire on an event, worked out once per container.

    A trigger whose first custom event condition is ``{{_event}} equals X`` (how GTM and
    gtmgen write custom event triggers), or whose type listens to one gtm.* event, can
    only fire on that event: the other tags are not evaluated at all for a push (their
    conditions would be false at the first test), so the cost of a push does not grow with
    the number of tags for other events. Every other tag is evaluated on every push."""

    def __init__(
        self,
        tags: list[Entity],
        triggers: dict[str, Entity],
        builtins: dict[str, str],
        variables: dict[str, Any],
        *,
        web: bool,
    ) -> None:
        self.tags = tags
        self._by_event: dict[str, list[int]] = {}
        self._any: list[int] = []
        for position, tag in enumerate(tags):
            firing = tag.get("firingTriggerId")
            trigger_ids = (
                [str(t) for t in firing if isinstance(t, (str, int))]
                if isinstance(firing, list)
                else []
            )
            events: set[str] = set()
            for trigger_id in trigger_ids:
                fixed = _fixed_event(
                    triggers.get(trigger_id), trigger_id, builtins, variables, web=web
                )
                if fixed is None:
                    self._any.append(position)
                    break
                events |= fixed
            else:
                for event in events:
                    self._by_event.setdefault(event, []).append(position)
        self._cache: dict[str, list[Entity]] = {}

    def candidates(self, event: str) -> list[Entity]:
        """The tags to evaluate for ``event``, in the container's order."""
        found = self._cache.get(event)
        if found is None:
            positions = sorted(set(self._by_event.get(event, [])) | set(self._any))
            found = [self.tags[p] for p in positions]
            if len(self._cache) < 10_000:
                self._cache[event] = found
        return found
