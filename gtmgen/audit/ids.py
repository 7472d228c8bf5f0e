"""Where a container takes event IDs from, and whether a variable keeps its value for
one dataLayer message (research/tiktok.md §5: GTM evaluates a variable afresh at every
read, so a random or time-based ID differs between the pixel tag and the GA4 hop)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gtmgen.gtm.container import Container, Entity, params, raw_value, references

RANDOM = re.compile(
    r"Math\s*\.\s*random|Date\s*\.\s*now|randomUUID|getRandomValues|"
    r"new\s+Date\s*\(\s*\)\s*\.\s*(?:getTime|valueOf)|\+\s*new\s+Date\b|"
    r"performance\s*\.\s*now"
)
PER_MESSAGE = re.compile(r"gtm\.uniqueEventId|uniqueEventId")
PAGE_CACHE = re.compile(r"\bwindow\b|localStorage|sessionStorage|document\.cookie")
# Gallery ID generators keyed on gtm.uniqueEventId (their template code reads it).
STABLE_GALLERY = ("unique-event-id-variable", "event-id", "gtm-unique-event-id-variable")


@dataclass(frozen=True)
class IdBehaviour:
    kind: str  # "fresh" (new at every read), "page" (one per page), "stable", "missing",
    # or "unknown"
    why: str


def behaviour(container: Container, name: str, _seen: frozenset[str] = frozenset()) -> IdBehaviour:
    """How ``{{name}}`` behaves across reads within one dataLayer message."""
    if name in _seen:
        return IdBehaviour("unknown", "reference cycle")
    builtin = container.builtins.get(name) or (
        "RANDOM_NUMBER" if name == "Random Number" and name not in container.variables else None
    )
    if builtin == "RANDOM_NUMBER":
        return IdBehaviour(
            "fresh", "the built-in Random Number variable gives a new number at every read"
        )
    variable = container.variables.get(name)
    if variable is None:
        if name in container.builtins or name == "_event":
            return IdBehaviour("unknown", "a built-in variable")
        return IdBehaviour("missing", "no variable of that name is in this export")
    type_ = str(variable.get("type", ""))
    if type_ == "jsm":
        return _javascript(container, variable, _seen | {name})
    if type_.startswith("cvt_"):
        template = container.template(type_)
        code = template.template_data if template else ""
        if (template and template.gallery_repository in STABLE_GALLERY) or PER_MESSAGE.search(code):
            return IdBehaviour("stable", "an ID template keyed on gtm.uniqueEventId")
        if RANDOM.search(code) or "generateRandom" in code:
            return IdBehaviour("fresh", "a variable template that draws a random value")
        return IdBehaviour("unknown", "a variable template")
    text = " ".join(str(p.get("value", "")) for p in params(variable).values())
    for ref in references(text):
        inner = behaviour(container, ref, _seen | {name})
        if inner.kind == "fresh":
            return IdBehaviour("fresh", f"it reads {{{{{ref}}}}}, which {inner.why}")
    return IdBehaviour("stable" if type_ in ("v", "c", "ed") else "unknown", type_)


def _javascript(container: Container, variable: Entity, seen: frozenset[str]) -> IdBehaviour:
    code = raw_value(variable, "javascript") or ""
    refs = references(code)
    keyed = bool(PER_MESSAGE.search(code)) or any(_reads_unique_id(container, r) for r in refs)
    draws = RANDOM.search(code)
    if draws and keyed:
        return IdBehaviour("stable", "cached per gtm.uniqueEventId")
    if draws and PAGE_CACHE.search(code) and re.search(r"\|\||if\s*\(\s*!", code):
        return IdBehaviour(
            "page",
            f"its code uses {draws.group(0)} and keeps the value for "
            "the page (not per gtm.uniqueEventId), so two events of the "
            "same name on one page share an ID",
        )
    if draws:
        return IdBehaviour(
            "fresh",
            f"its code uses {draws.group(0)} with no cache keyed on "
            "gtm.uniqueEventId, so each read gives a new value",
        )
    for ref in refs:
        inner = behaviour(container, ref, seen)
        if inner.kind == "fresh" and not keyed:
            return IdBehaviour("fresh", f"it reads {{{{{ref}}}}}, which changes at every read")
    return IdBehaviour("stable", "no random or time source")


def _reads_unique_id(container: Container, name: str) -> bool:
    variable = container.variables.get(name)
    if variable is None:
        return False
    return variable.get("type") == "v" and raw_value(variable, "name") == "gtm.uniqueEventId"


def only_variable(container: Container, text: str, type_: str) -> tuple[str, Entity] | None:
    """(name, variable) when ``text`` is one reference to a variable of type ``type_``."""
    refs = references(text)
    if len(refs) != 1:
        return None
    variable = container.variables.get(refs[0])
    if variable is None or variable.get("type") != type_:
        return None
    return refs[0], variable


def dlv_key(container: Container, text: str) -> tuple[str, str] | None:
    """(variable name, data layer key) when ``text`` is one Data Layer Variable v2 ref."""
    found = only_variable(container, text, "v")
    if found is None or raw_value(found[1], "dataLayerVersion") == "1":
        return None
    return found[0], raw_value(found[1], "name") or ""
