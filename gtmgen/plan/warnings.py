"""What will go wrong after the import, beyond what GTM's confirmation screen shows.

- W1 an entity of TARGET that gtmgen did not make is overwritten or deleted;
- W2 TARGET's own tags already send the same TikTok or Meta events to the same pixel
  (or to every pixel, through a global ``ttq.track`` / ``fbq('track')``);
- W3 a reference in the merged container does not resolve (a built-in variable off
  included), and notes on built-in variables the import is taken to switch on;
- W4 the merged web container crosses GTM's publish limit (warning from 70 %);
- W5 (server) a client of TARGET claims the requests before NEW's client does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gtmgen.audit.jsargs import FBQ, TTQ_PAGE, TTQ_TRACK, calls, string_literal, strip_comments
from gtmgen.audit.wiring import NAME_REFS, TT_EVENT_MAP, trigger_events
from gtmgen.display import escape, quote
from gtmgen.generate.pipeline import WARN_RATIO, WEB_SIZE_LIMIT
from gtmgen.gtm.container import Container, Entity, raw_value, references
from gtmgen.gtm.export import serialise
from gtmgen.plan import rules
from gtmgen.plan.merge import DELETED, MODIFIED, Item, Side
from gtmgen.platforms.classify import classify
from gtmgen.validate.findings import Severity, entity_label
from gtmgen.validate.index import Index
from gtmgen.validate.references import reference_issues


def _q(value: object) -> str:
    """A name or value quoted, with control and bidi characters escaped."""
    return quote(str(value))


@dataclass(frozen=True)
class PlanWarning:
    code: str  # foreign-overwritten, foreign-deleted, double-sender, unresolved-reference,
    # builtin-enabled, size-limit, size-warning
    message: str
    fails: bool = True  # exit 1


def foreign_changes(items: list[Item]) -> list[PlanWarning]:
    """W1: TARGET entities gtmgen did not make that the import overwrites or deletes."""
    out = []
    for item in items:
        if not item.theirs or item.action not in (MODIFIED, DELETED):
            continue
        what = f"{rules.label(item.kind)} {_q(item.name)}"
        if item.action == MODIFIED:
            out.append(
                PlanWarning(
                    "foreign-overwritten",
                    f"{what} in TARGET was not made by "
                    f"gtmgen and would be overwritten ({', '.join(item.fields)} "
                    "change): rename one of them, or import with "
                    "--mode merge-rename",
                )
            )
        elif item.kind == "builtInVariable":
            out.append(
                PlanWarning(
                    "foreign-deleted",
                    f"{what} is on in TARGET and would be "
                    "switched off (Overwrite leaves on only the built-in "
                    "variables the file lists; not confirmed): the tags of "
                    "TARGET that read it would get undefined",
                )
            )
        else:
            out.append(
                PlanWarning(
                    "foreign-deleted",
                    f"{what} in TARGET was not made by gtmgen "
                    "and would be deleted (Overwrite replaces the workspace): "
                    "import with Merge instead",
                )
            )
    return out


# --- W2: the same platform events sent twice ---------------------------------------


@dataclass(frozen=True)
class Send:
    """One platform event a tag sends."""

    platform: str  # "TikTok" or "Meta"
    tag: str
    event: str | None  # None: any event (the name comes from a variable)
    pixel: str | None  # None: every pixel loaded on the page (a global call)
    how: str  # "Custom HTML", "gallery template", "gtmgen template", ...


PIXEL_KEYS = ("pixel_code", "pixelId", "pixel_id", "pixelCode", "pixelIds", "pixel")
BASE_EVENT = {"TikTok": "Pageview", "Meta": "PageView"}
EVENT_KEYS = ("event", "eventName", "standardEventName", "event_name", "customEventName")
_INSTANCE = re.compile(r"\bttq\s*\.\s*instance\s*\(\s*(['\"])(.*?)\1\s*\)")


def sends(container: Container, *, skip: frozenset[str] | set[str] = frozenset()) -> list[Send]:
    """Every TikTok and Meta event the container's active tags send, read statically."""
    out: list[Send] = []
    for tag in container.tags:
        name = str(tag.get("name", ""))
        if name in skip or tag.get("paused") is True:
            continue
        kind = classify(container, tag)
        if kind.platform is None:
            continue
        platform = "TikTok" if kind.platform == "tiktok" else "Meta"
        if kind.builder == "html":
            html = strip_comments(raw_value(tag, "html") or "")
            out += _html_sends(container, tag, name, html)
            continue
        how = {"ours": "gtmgen template", "gallery": "gallery template"}.get(
            kind.builder, "tag template"
        )
        pixel = _param(tag, PIXEL_KEYS)
        event = _meta_event(tag) if platform == "Meta" else _param(tag, EVENT_KEYS)
        if kind.builder == "ours" and "base" in (raw_value(tag, "tagType"), raw_value(tag, "mode")):
            event = BASE_EVENT[platform]  # gtmgen's base tags send the page view only
        for one in _events(container, tag, event, platform):
            for px in _pixels(container, pixel):
                out.append(Send(platform, name, one, px, how))
    return out


def _html_sends(container: Container, tag: Entity, name: str, html: str) -> list[Send]:
    out: list[Send] = []
    for call in calls(TTQ_TRACK, html):
        event = string_literal(call.args[0]) if call.args else None
        instance = _INSTANCE.match(html, call.start)
        pixel = _resolve(container, instance.group(2)) if instance else None
        out.append(Send("TikTok", name, event, pixel, "Custom HTML"))
    for _ in calls(TTQ_PAGE, html):
        out.append(Send("TikTok", name, "Pageview", None, "Custom HTML"))
    for call in calls(FBQ, html):
        method = string_literal(call.args[0]) if call.args else None
        if method in ("track", "trackCustom") and len(call.args) > 1:
            out.append(Send("Meta", name, string_literal(call.args[1]), None, "Custom HTML"))
        elif method in ("trackSingle", "trackSingleCustom") and len(call.args) > 2:
            pixel = string_literal(call.args[1])
            out.append(
                Send(
                    "Meta",
                    name,
                    string_literal(call.args[2]),
                    _resolve(container, pixel) if pixel else None,
                    "Custom HTML",
                )
            )
    return out


def _meta_event(tag: Entity) -> str | None:
    """The event of a Meta tag template (Meta's and Stape's pixel and Conversions API
    templates: ``eventName`` says standard, custom or inherit; the name is elsewhere)."""
    choice = raw_value(tag, "eventName")
    if raw_value(tag, "inheritEventName") == "inherit" or choice == "inherit":
        return "{{Event Name}}"
    if choice == "standard":
        return _param(tag, ("standardEventName", "eventNameStandard"))
    if choice == "custom":
        return _param(tag, ("customEventName", "eventNameCustom"))
    return _param(tag, EVENT_KEYS)


def _param(tag: Entity, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = raw_value(tag, key)
        if value:
            return value
    return None


def _resolve(container: Container, text: str) -> str:
    """``text`` with constant variables put in (``{{const - Pixel}}`` -> its value)."""

    def one(match: re.Match[str]) -> str:
        variable = container.variables.get(match.group(1))
        if variable is not None and variable.get("type") == "c":
            return raw_value(variable, "value") or ""
        return match.group(0)

    return re.sub(r"\{\{([^{}]+)\}\}", one, text).strip()


def _pixels(container: Container, text: str | None) -> list[str | None]:
    if not text:
        return [None]
    resolved = _resolve(container, text)
    if references(resolved):
        return [None]  # a pixel ID read at run time: it may be any of them
    return [p.strip() for p in resolved.split(",") if p.strip()] or [None]


def _events(container: Container, tag: Entity, text: str | None, platform: str) -> list[str | None]:
    if not text:
        return [None]
    if text in NAME_REFS:  # the dataLayer / GA4 event name: read the triggers
        fired = trigger_events(container, tag)
        if not fired or any(e.startswith("~") for e in fired):
            return [None]
        if platform == "TikTok":
            return [TT_EVENT_MAP.get(e, e) for e in fired]
        return list(fired)
    resolved = _resolve(container, text)
    return [None] if references(resolved) else [resolved]


def double_senders(target: Side, new: Side, items: list[Item]) -> list[PlanWarning]:
    """W2: TARGET's own tags that still send, after the import, what NEW's tags send."""
    gone = {i.name for i in items if i.kind == "tag" and i.action in (MODIFIED, DELETED)}
    ours = {str(t.get("name")) for t in target.container.tags if rules.made_by_gtmgen("tag", t)}
    theirs = sends(target.container, skip=gone | ours)
    incoming = sends(new.container)
    found: dict[tuple[str, str], list[str]] = {}
    for mine in incoming:
        for other in theirs:
            if other.platform != mine.platform or not _same_event(other, mine):
                continue
            if other.pixel is not None and mine.pixel is not None and other.pixel != mine.pixel:
                continue
            found.setdefault((other.tag, other.how), []).append(_why(other, mine))
    out = []
    for (tag, how), reasons in found.items():
        unique = list(dict.fromkeys(reasons))
        out.append(
            PlanWarning(
                "double-sender",
                f"tag {_q(tag)} in TARGET ({how}) already sends "
                f"{'; '.join(unique)}: after the import every such event counts "
                f"twice; pause {_q(tag)} (or remove those events from it)",
            )
        )
    return out


def _same_event(a: Send, b: Send) -> bool:
    return a.event is None or b.event is None or a.event == b.event


def _why(other: Send, mine: Send) -> str:
    event = (
        f"{other.platform} {_q(other.event)}"
        if other.event is not None
        else f"any {other.platform} event (its name comes from a variable)"
    )
    if other.pixel is None:
        where = (
            "to every pixel on the page (a global call)"
            if other.how == "Custom HTML"
            else "to a pixel read at run time"
        )
    else:
        where = f"to pixel {other.pixel}"
    shown = mine.event if other.event is None else other.event
    return f"{event} {where}, as {_q(mine.tag)} does ({_q(shown)})"


# --- W3: references in the merged container ------------------------------------------


def unresolved(target: Side, merged: dict[str, Any]) -> list[PlanWarning]:
    """W3: reference errors in the merged container that TARGET alone does not have, and
    built-in variables referred to but off after the import (validate only warns about
    those, as an export may be partial; the merged container is the whole workspace)."""

    def errors(data: dict[str, Any]) -> set[tuple[str, str]]:
        return {
            (entity_label(data, i.path) or "", i.text)
            for i in reference_issues(Index.of(data))
            if i.severity is Severity.ERROR or "built-in variable" in i.text
        }

    before = errors(target.data)
    out = []
    for where, text in sorted(errors(merged) - before):
        if "built-in variable" in text:
            text = text.replace(
                "this export does not enable (no builtInVariable entry)",
                "that is off in TARGET and that the import does not "
                "switch on: enable it before importing",
            )
        out.append(
            PlanWarning(
                "unresolved-reference", f"after the import, {where or 'the container'}: {text}"
            )
        )
    return out


def builtins_enabled(target: Side, items: list[Item]) -> list[PlanWarning]:
    """Built-in variables NEW lists that TARGET has off: the import is taken to switch
    them on (R6, not confirmed), so this is a note to check, not a failure."""
    names = [i.name for i in items if i.kind == "builtInVariable" and i.action == "added"]
    if not names:
        return []
    return [
        PlanWarning(
            "builtin-enabled",
            f"built-in variable(s) {', '.join(map(repr, names))} "
            "are off in TARGET; GTM is believed to switch on the built-in variables "
            "an imported file lists (not confirmed): check they are on after import",
            fails=False,
        )
    ]


# --- W5: server clients ---------------------------------------------------------------


def competing_clients(target: Side, new: Side, items: list[Item]) -> list[PlanWarning]:
    """W5: a client of TARGET of the same type as one of NEW's, with a priority as high or
    higher, claims the requests first (clients run by priority, the first to claim a
    request handles it), so tags that fire only for NEW's client never fire."""
    gone = {i.name for i in items if i.kind == "client" and i.action in (MODIFIED, DELETED)}
    out = []
    for mine_name, mine in new.named("client").items():
        for name, theirs in target.named("client").items():
            if name == mine_name or name in gone or rules.made_by_gtmgen("client", theirs):
                continue
            if theirs.get("type") != mine.get("type"):
                continue
            mine_p, their_p = _priority(mine), _priority(theirs)
            if their_p < mine_p:
                continue
            order = "runs first" if their_p > mine_p else "may run first (same priority)"
            kind = escape(str(theirs.get("type")))
            out.append(
                PlanWarning(
                    "competing-client",
                    f"client {_q(name)} in TARGET ({kind}, "
                    f"priority {their_p}) claims the same requests as {_q(mine_name)} (priority "
                    f"{mine_p}) and {order}: the tags that fire only for {_q(mine_name)} would "
                    f"never fire; after import give {_q(mine_name)} a higher priority than "
                    f"{_q(name)}, or make those triggers accept {_q(name)}",
                )
            )
    return out


def _priority(client: dict[str, Any]) -> int:
    value = client.get("priority")
    if isinstance(value, dict):
        value = value.get("value")
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


# --- W4: size -------------------------------------------------------------------------


def size(target: Side, merged: dict[str, Any], context: str) -> list[PlanWarning]:
    """W4: the merged web container's size, estimated as ``gtmgen build`` does."""
    if context != "WEB":
        return []
    compact = serialise(merged).compact_bytes
    before = serialise(target.data).compact_bytes
    ratio = compact / WEB_SIZE_LIMIT
    text = (
        f"the merged web container is about {compact / 1024:.1f} KB as compact JSON "
        f"(TARGET alone {before / 1024:.1f} KB), {ratio:.0%} of GTM's 200 KB limit (an "
        "estimate: GTM counts the compiled container)"
    )
    if ratio > 1:
        return [PlanWarning("size-limit", text + ": GTM refuses to publish above 100 %")]
    if ratio >= WARN_RATIO:
        return [PlanWarning("size-warning", text + ": GTM warns from 70 %", fails=False)]
    return []
