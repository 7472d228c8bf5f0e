"""Meta's audit rules: what each Meta tag of any export sends (pixel, event name, event
ID), browser events Meta cannot deduplicate, server tags whose ``event_id`` is not the
browser's, pixel IDs on one side only, and Meta access tokens left in an export.

Deduplication (research/meta.md §4): Meta keeps one of two events with the same pixel,
the same event name and the same ID: the pixel's ``eventID`` (4th argument of
``track``/``trackCustom``, 5th of ``trackSingle``/``trackSingleCustom``; ``fbevents.js``
also reads ``event_id`` there) and the Conversions API ``event_id``. Called by the generic
audit package (``gtmgen/audit/platforms.py``), which follows the GA4 hops.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from gtmgen.gtm.container import Container, Entity, dicts, params, raw_value, references
from gtmgen.platforms.classify import classify
from gtmgen.platforms.meta import gallery
from gtmgen.platforms.rules import Fault, Scanner, Secret, tag, variable

TRACK = ("track", "trackCustom")
TRACK_SINGLE = ("trackSingle", "trackSingleCustom")
OPTION_KEYS = ("eventID", "event_id")
# Meta access tokens (system-user and page tokens) start with "EAA".
ACCESS_TOKEN = re.compile(r"\bEAA[A-Za-z0-9]{24,}")
EMPTY = ("", "''", '""', "undefined", "null", "{}")


@dataclass(frozen=True)
class MetaSend:
    """One Meta event a tag sends.

    ``event`` is the Meta event name when it is written in the tag (None when it comes
    from a variable or the dataLayer); ``event_id`` the raw text of the event ID ("" for
    none, None when the tag passes options the audit cannot read). ``inherit`` is the
    mapping of an inherited GA4/dataLayer event name (server and stape templates).
    ``default_key`` is the event data key a server template reads when ``event_id`` is
    empty.
    """

    tag: Entity
    side: str  # "web" | "server"
    event: str | None
    event_id: str | None
    how: str
    inherit: dict[str, str] | None = None
    default_key: str | None = None
    in_params: bool = False  # eventID written in the 3rd argument (params) instead

    def name_for(self, event: str) -> str | None:
        """The Meta event name sent for dataLayer/GA4 event ``event``."""
        if self.inherit is not None:
            return self.inherit.get(event, event)
        return self.event


# -- what a tag sends ---------------------------------------------------------------


def sends(container: Container, entity: Entity, js: Scanner) -> list[MetaSend]:
    """The Meta events a tag sends (empty for any other tag)."""
    if entity.get("type") == "html":
        return _html_sends(entity, js)
    kind = classify(container, entity)
    if kind.platform != "meta" or kind.template is None:
        return []
    if kind.builder == "ours":
        event = _literal(raw_value(entity, "eventName"))
        event_id = raw_value(entity, "eventId") or ""
        if kind.side == "server":
            return [MetaSend(entity, "server", event, event_id, "its Conversions API event")]
        if (raw_value(entity, "mode") or "event") == "base":
            return []  # the base tag loads the pixel and sends PageView: nothing to pair
        return [MetaSend(entity, "web", event, event_id, "its pixel event")]
    if kind.builder != "gallery":
        return []
    found = gallery.gallery_kind(kind.template.gallery_owner, kind.template.gallery_repository)
    which = found[0] if found else ""
    if which == gallery.FB_WEB:
        return [
            MetaSend(
                entity,
                "web",
                _fb_web_event(entity),
                raw_value(entity, "eventId") or "",
                "its pixel event",
            )
        ]
    if which == gallery.STAPE_WEB:
        inherit = raw_value(entity, "inheritEventName") == "inherit"
        return [
            MetaSend(
                entity,
                "web",
                None if inherit else _stape_event(entity),
                raw_value(entity, "eventId") or "",
                "its pixel event",
                inherit=dict(gallery.STAPE_EVENTS) if inherit else None,
            )
        ]
    if which == gallery.CAPI:
        return [
            MetaSend(
                entity,
                "server",
                None,
                "",
                "its Conversions API event",
                inherit=dict(gallery.CAPI_EVENTS),
                default_key=gallery.SERVER_EVENT_ID_KEY,
            )
        ]
    if which == gallery.STAPE_SERVER:
        inherit = raw_value(entity, "inheritEventName") == "inherit"
        row = _row(entity, "serverEventDataList", "event_id")
        return [
            MetaSend(
                entity,
                "server",
                None if inherit else _stape_event(entity),
                row or "",
                "its Conversions API event",
                inherit=dict(gallery.STAPE_EVENTS) if inherit else None,
                default_key=gallery.SERVER_EVENT_ID_KEY,
            )
        ]
    return []


def _literal(text: str | None) -> str | None:
    return None if not text or "{{" in text else text.strip()


def _fb_web_event(entity: Entity) -> str | None:
    if raw_value(entity, "enhancedEcommerce") == "true":
        return None  # the name comes from the ecommerce object
    choice = raw_value(entity, "eventName") or "standard"
    field = {"custom": "customEventName", "variable": "variableEventName"}.get(
        choice, "standardEventName"
    )
    return _literal(raw_value(entity, field))


def _stape_event(entity: Entity) -> str | None:
    field = (
        "eventNameCustom" if raw_value(entity, "eventName") == "custom" else ("eventNameStandard")
    )
    return _literal(raw_value(entity, field))


def _row(entity: Entity, table: str, name: str) -> str | None:
    """The value of the row called ``name`` in a name/value table parameter."""
    for item in dicts(params(entity).get(table, {}).get("list")):
        row = {str(m.get("key")): str(m.get("value", "")) for m in dicts(item.get("map"))}
        if row.get("name", "").strip() == name:
            return row.get("value", "")
    return None


def _html_sends(entity: Entity, js: Scanner) -> list[MetaSend]:
    html = js.strip_comments(raw_value(entity, "html") or "")
    out = []
    for call in js.calls(js.FBQ, html):
        args = call.args
        command = js.string_literal(args[0]) if args else None
        if command in TRACK:
            name, rest = (args[1] if len(args) > 1 else ""), args[2:]
        elif command in TRACK_SINGLE:
            name, rest = (args[2] if len(args) > 2 else ""), args[3:]
        else:
            continue
        event = js.string_literal(name)
        options = rest[1] if len(rest) > 1 else ""
        event_id: str | None
        if options.strip() in EMPTY:
            event_id = ""
        elif options.lstrip().startswith("{"):
            event_id = js.object_key(options, OPTION_KEYS) or ""
        else:
            event_id = None  # an options variable: cannot tell
        in_params = bool(rest) and js.object_key(rest[0], OPTION_KEYS) is not None
        how = f"fbq('{command}', {name.strip()}, …)"
        out.append(MetaSend(entity, "web", event, event_id, how, in_params=in_params))
    return out


# -- one export ---------------------------------------------------------------------


def event_id_texts(container: Container, entity: Entity, js: Scanner) -> list[str]:
    """Every text a Meta tag takes an event ID from (judged by audit's ID rules)."""
    return [s.event_id for s in sends(container, entity, js) if s.event_id]


def check_container(container: Container, js: Scanner) -> list[Fault]:
    out: list[Fault] = []
    for entity in container.tags:
        if entity.get("paused") is True:
            continue
        for send in sends(container, entity, js):
            if send.event_id is None or send.event_id.strip() not in EMPTY:
                continue
            if send.side == "server" and send.default_key:
                continue  # the gallery server templates read event data's event_id
            out.append(_no_event_id(send))
    return list(dict.fromkeys(out))


def _no_event_id(send: MetaSend) -> Fault:
    where = tag(send.tag.get("name"))
    event = f" {send.event!r}" if send.event else ""
    if send.side == "server":
        return Fault(
            "high",
            "meta-no-event-id",
            where,
            f"sends the Conversions API event{event} without an event_id: Meta "
            "cannot deduplicate it against the pixel's",
        )
    hint = (
        (
            " (it passes eventID in the 3rd argument, the event's parameters; Meta reads it "
            "only from the options argument after them)"
        )
        if send.in_params
        else ""
    )
    if send.event == "PageView":
        return Fault(
            "low",
            "meta-no-event-id",
            where,
            f"sends the Meta event 'PageView' without an eventID{hint}: if the "
            "server also sends PageView, Meta counts the page view twice",
        )
    return Fault(
        "high",
        "meta-no-event-id",
        where,
        f"sends the Meta event{event} without an eventID ({send.how}){hint}: Meta "
        "cannot deduplicate it against the Conversions API event",
    )


def secrets(container: Container) -> list[Secret]:
    """Meta access tokens written anywhere in a tag or variable (Custom HTML, tables,
    JavaScript), which the generic token rule, reading whole fields, does not see."""
    out: list[Secret] = []
    entities = [(tag(t.get("name")), t) for t in container.tags]
    entities += [(variable(v.get("name")), v) for v in container.variables.values()]
    for where, entity in entities:
        for text in _strings(entity.get("parameter")):
            out += [Secret(where, m.group(0)) for m in ACCESS_TOKEN.finditer(text)]
    return out


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, dict):
        for key in ("value", "list", "map"):
            yield from _strings(node.get(key))


# -- a web and a server export --------------------------------------------------------


def compare(
    server: Container,
    pixel: MetaSend,
    hop_params: dict[str, str],
    api: MetaSend,
    event: str,
    ga4_event: str,
    names: str,
) -> list[Fault]:
    """A pixel event and the Conversions API event its GA4 hop triggers on the server:
    the same event name and the same event ID, or Meta counts both."""
    out = []
    pixel_name, api_name = pixel.name_for(event), api.name_for(ga4_event)
    if pixel_name and api_name and pixel_name != api_name:
        out.append(
            Fault(
                "high",
                "meta-event-name-mismatch",
                names,
                f"dataLayer event {event!r}: the pixel sends {pixel_name!r}, the "
                f"Conversions API sends {api_name!r}; Meta only deduplicates "
                "identical event names",
            )
        )
    if not pixel.event_id or pixel.event_id.strip() in EMPTY:
        return out
    text = (api.event_id or "").strip()
    key = _event_data_key(server, text) if text else api.default_key
    if key is None:
        if text:
            out.append(
                Fault(
                    "high",
                    "meta-event-id-mismatch",
                    names,
                    f"the server tag takes its event_id from {text}, not from the "
                    "event data the GA4 hop carries: it cannot equal the pixel's "
                    f"eventID ({pixel.event_id.strip()})",
                )
            )
        return out
    carried = hop_params.get(key)
    if not carried:
        out.append(
            Fault(
                "high",
                "meta-event-id-not-forwarded",
                names,
                f"the pixel has an eventID, but the GA4 hop sends no {key!r} "
                "parameter, which the server tag reads its event_id from",
            )
        )
    elif references(pixel.event_id) and references(carried) != references(pixel.event_id):
        out.append(
            Fault(
                "medium",
                "meta-event-id-sources-differ",
                names,
                f"the pixel takes its eventID from {pixel.event_id.strip()} but the "
                f"GA4 hop sends {key} = {carried}: they match only if both give "
                "the same value",
            )
        )
    return out


def _event_data_key(server: Container, text: str) -> str | None:
    """The event data key when ``text`` is one Event Data variable."""
    refs = references(text)
    if len(refs) != 1 or text != "{{" + refs[0] + "}}":
        return None
    found = server.variables.get(refs[0])
    if found is None or found.get("type") != "ed":
        return None
    return raw_value(found, "keyPath")


def pixel_ids(container: Container, js: Scanner) -> tuple[dict[str, list[str]], bool]:
    """{pixel ID: tags that send to it} with constant variables resolved, and whether
    some Meta tag's pixel ID could not be resolved (a lookup, event data, …)."""
    found: dict[str, list[str]] = {}
    unresolved = False
    for entity in container.tags:
        if entity.get("paused") is True:
            continue
        for text in _pixel_texts(container, entity, js):
            for value in _resolve(container, text).split(","):
                value = value.strip()
                if not value:
                    continue
                if "{{" in value or not re.fullmatch(r"\d+", value):
                    unresolved = True
                    continue
                found.setdefault(value, []).append(str(entity.get("name")))
    return found, unresolved


def _pixel_texts(container: Container, entity: Entity, js: Scanner) -> list[str]:
    if entity.get("type") == "html":
        html = js.strip_comments(raw_value(entity, "html") or "")
        texts = []
        for call in js.calls(js.FBQ, html):
            args = call.args
            command = js.string_literal(args[0]) if args else None
            if command in ("init", *TRACK_SINGLE) and len(args) > 1:
                literal = js.string_literal(args[1])
                texts.append(literal if literal is not None else args[1].strip("'\" "))
        return texts
    kind = classify(container, entity)
    if kind.platform != "meta" or kind.builder not in ("ours", "gallery"):
        return []
    texts = [raw_value(entity, "pixelId") or raw_value(entity, "pixelIds") or ""]
    if raw_value(entity, "enableMultipixelSetup") == "true":
        for item in dicts(params(entity).get("pixelIdAndAccessTokenTable", {}).get("list")):
            row = {str(m.get("key")): str(m.get("value", "")) for m in dicts(item.get("map"))}
            texts.append(row.get("pixelId", ""))
    return [t for t in texts if t.strip()]


def _resolve(container: Container, text: str, depth: int = 0) -> str:
    """``text`` with references to constant variables replaced by their values."""

    def one(match: re.Match[str]) -> str:
        found = container.variables.get(match.group(1))
        if depth > 4 or found is None or found.get("type") != "c":
            return match.group(0)
        return _resolve(container, raw_value(found, "value") or "", depth + 1)

    return re.sub(r"\{\{([^{}]+)\}\}", one, text)


def check_pixels(web: Container, server: Container, js: Scanner) -> list[Fault]:
    """Pixel IDs the browser sends to that no server Meta tag sends to, and the reverse:
    events of those pixels go one way only, so there is nothing to deduplicate."""
    on_web, web_unknown = pixel_ids(web, js)
    on_server, server_unknown = pixel_ids(server, js)
    out = []
    if not server_unknown:
        for pixel, names in sorted(on_web.items()):
            if pixel in on_server:
                continue
            severity = "medium" if on_server else "note"
            other = (
                f"the server's Meta tags send to {', '.join(sorted(on_server))}"
                if on_server
                else "the server container has no Meta tag"
            )
            out.append(
                Fault(
                    severity,
                    "meta-pixel-not-on-server",
                    _tags(names),
                    f"sends to Meta pixel {pixel}, but {other}: that pixel's "
                    "events go from the browser only",
                )
            )
    if not web_unknown:
        for pixel, names in sorted(on_server.items()):
            if pixel in on_web:
                continue
            severity = "medium" if on_web else "note"
            other = (
                f"the web's Meta tags send to {', '.join(sorted(on_web))}"
                if on_web
                else "the web container has no Meta tag"
            )
            out.append(
                Fault(
                    severity,
                    "meta-pixel-not-on-web",
                    _tags(names),
                    f"sends to Meta pixel {pixel}, but {other}: nothing in the "
                    "browser to deduplicate these server events against",
                )
            )
    return out


def _tags(names: list[str]) -> str:
    unique = sorted(dict.fromkeys(names))
    more = f" and {len(unique) - 1} more" if len(unique) > 1 else ""
    return tag(unique[0]) + more


def meta_tags(container: Container) -> list[Entity]:
    """The tags of a container that send to Meta (by :func:`classify`)."""
    return [t for t in container.tags if classify(container, t).platform == "meta"]
