"""Checks on one container export, web or server."""

from __future__ import annotations

import re

from gtmgen.audit import findings as f
from gtmgen.audit import jsargs
from gtmgen.audit.findings import Finding
from gtmgen.audit.ids import behaviour, dlv_key
from gtmgen.audit.jsargs import FBQ, calls, object_key, strip_comments
from gtmgen.audit.wiring import tiktok_sends, trigger_events
from gtmgen.gtm.container import (
    REFERENCE,
    Container,
    Entity,
    dicts,
    params,
    raw_value,
    references,
)
from gtmgen.gtm.secrets import mask
from gtmgen.platforms.classify import classify
from gtmgen.platforms.meta import audit as meta

TOKEN_KEY = re.compile(
    r"^(?:.*_)?(?:access_token|api_token|auth_token|token|secret|api_secret|"
    r"app_secret|client_secret|developer_token)$"
)
TOKEN_NAME = re.compile(r"token|secret", re.I)
TOKEN_LIKE = re.compile(r"^[A-Za-z0-9_\-.]{32,}$")
EVENT_ID_KEY = re.compile(r"^event_?id$", re.I)


def looks_like_token(value: str) -> bool:
    return (
        bool(TOKEN_LIKE.match(value))
        and bool(re.search(r"\d", value))
        and bool(re.search(r"[A-Za-z]", value))
        and "{{" not in value
    )


def check_container(container: Container) -> list[Finding]:
    out: list[Finding] = []
    for tag in container.tags:
        out += _tiktok_tag(container, tag)
        out += _event_id_sources(container, tag)
    out += _secrets(container)
    return out


def _tiktok_tag(container: Container, tag: Entity) -> list[Finding]:
    kind = classify(container, tag)
    if kind.platform != "tiktok":
        return []
    where, file, out = f.tag(tag.get("name")), container.file, []
    if kind.builder == "html":
        out.append(
            Finding(
                file,
                "medium",
                "tiktok-custom-html",
                where,
                "TikTok tag built as Custom HTML: nothing checks its ttq calls or "
                "event_id (no template fields, no permissions); use a tag template",
            )
        )
    if tag.get("paused") is True:
        out.append(Finding(file, "note", "tiktok-paused", where, "paused: it never fires"))
    elif not tag.get("firingTriggerId"):
        out.append(
            Finding(
                file, "note", "tiktok-no-trigger", where, "has no firing trigger: it never fires"
            )
        )
    if kind.side == "server":
        out += _test_event_code(container, tag, where)
    for send in tiktok_sends(container, tag):
        if send.event_id.strip() in ("", "''", '""'):
            if kind.side == "server" and kind.builder == "gallery":
                continue  # TikTok's server template falls back to event data's event_id
            event = f" {send.event!r}" if send.event else ""
            out.append(
                Finding(
                    file,
                    "high",
                    "tiktok-no-event-id",
                    where,
                    f"sends TikTok event{event} without an event_id: TikTok "
                    "cannot deduplicate it against the other side",
                )
            )
    return out


TEST_CODE_KEYS = ("testEventCode", "test_event_code", "testId")


def _test_event_code(container: Container, tag: Entity, where: str) -> list[Finding]:
    """A TikTok server tag whose test event code is fixed text (or a constant): every
    event goes to Events Manager's Test Events only. A code from a variable that depends on
    the environment (e.g. a lookup on Debug Mode) is not reported."""
    for key in TEST_CODE_KEYS:
        text = (raw_value(tag, key) or "").strip()
        whole = REFERENCE.fullmatch(text)
        if whole:
            variable = container.variables.get(whole.group(1))
            if variable is None or variable.get("type") != "c":
                continue
            text = (raw_value(variable, "value") or "").strip()
        if text and not REFERENCE.search(text):
            return [
                Finding(
                    container.file,
                    "medium",
                    "tiktok-test-event-code",
                    where,
                    f"sends the test event code {text!r}: TikTok counts every event "
                    "of this tag in Test Events only, not in reporting; remove it "
                    "before publishing",
                )
            ]
    return []


def _event_id_texts(container: Container, tag: Entity) -> list[str]:
    """Every text a tag uses as an event ID (parameters, table rows, ttq/fbq options)."""
    texts: list[str] = []
    for key, param in params(tag).items():
        if EVENT_ID_KEY.match(key) and "value" in param:
            texts.append(str(param["value"]))
        for item in dicts(param.get("list")):
            row = {str(m.get("key")): str(m.get("value", "")) for m in dicts(item.get("map"))}
            label = row.get("parameter") or row.get("name") or ""
            if EVENT_ID_KEY.match(label):
                texts.append(row.get("parameterValue") or row.get("value") or "")
    if tag.get("type") == "html":
        html = strip_comments(raw_value(tag, "html") or "")
        texts += [s.event_id for s in tiktok_sends(container, tag) if s.event_id]
        for call in calls(FBQ, html):
            value = object_key(call.args[-1], ("eventID", "event_id")) if call.args else None
            if value:
                texts.append(value)
    texts += meta.event_id_texts(container, tag, jsargs)
    return texts


def _event_id_sources(container: Container, tag: Entity) -> list[Finding]:
    out: list[Finding] = []
    where = f.tag(tag.get("name"))
    for text in dict.fromkeys(_event_id_texts(container, tag)):
        for ref in dict.fromkeys(references(text)):
            found = behaviour(container, ref)
            if found.kind == "fresh":
                out.append(
                    Finding(
                        container.file,
                        "high",
                        "event-id-changes-per-read",
                        where,
                        f"takes its event ID from {{{{{ref}}}}}: {found.why}; the "
                        "other side reads it again and gets another ID",
                    )
                )
            elif found.kind == "missing":
                out.append(
                    Finding(
                        container.file,
                        "medium",
                        "event-id-variable-missing",
                        where,
                        f"takes its event ID from {{{{{ref}}}}}, but {found.why}: "
                        "GTM refuses the import or the ID is empty",
                    )
                )
            elif found.kind == "page":
                out.append(
                    Finding(
                        container.file,
                        "medium",
                        "event-id-per-page",
                        where,
                        f"takes its event ID from {{{{{ref}}}}}: {found.why}",
                    )
                )
        stale = dlv_key(container, text.strip("'\" "))
        if stale and container.context == "WEB":
            out += _stale(container, tag, stale)
    return out


PAGE_LOAD = ("gtm.init_consent", "gtm.init", "gtm.js", "gtm.dom", "gtm.load")


def _stale(container: Container, tag: Entity, dlv: tuple[str, str]) -> list[Finding]:
    """An event ID read from the data layer model by a tag that no site push triggers."""
    events = set(trigger_events(container, tag))
    if not events or any(not e.startswith("gtm.") for e in events):
        return []
    where, source = f.tag(tag.get("name")), f"{{{{{dlv[0]}}}}} (data layer key {dlv[1]!r})"
    interactions = sorted(e for e in events if e not in PAGE_LOAD)
    if interactions:
        return [
            Finding(
                container.file,
                "medium",
                "event-id-from-earlier-push",
                where,
                f"reads its event ID from {source} but fires on "
                f"{', '.join(interactions)}, which no site push carries: the ID is "
                "missing or left over from an earlier push, so repeated events share it",
            )
        ]
    return [
        Finding(
            container.file,
            "low",
            "event-id-from-earlier-push",
            where,
            f"reads its event ID from {source} but fires on page load "
            f"({', '.join(sorted(events))}): this only works if the page pushes a "
            "new event_id before the container loads",
        )
    ]


def _snake(key: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key).lower()


def _secrets(container: Container) -> list[Finding]:
    out: list[Finding] = []
    web = container.context == "WEB"
    entities = [(f.tag(t.get("name")), t, classify(container, t).platform) for t in container.tags]
    entities += [(f.variable(v.get("name")), v, None) for v in container.variables.values()]
    for where, entity, platform in entities:
        for key, param in params(entity).items():
            value = str(param.get("value", "")) if "value" in param else ""
            if not value or "{{" in value:
                continue
            if param.get("type") == "BOOLEAN":
                continue
            keyed = bool(TOKEN_KEY.match(_snake(key)))
            named = bool(TOKEN_NAME.search(str(entity.get("name", ""))))
            tokenish = looks_like_token(value)
            constant = entity.get("type") == "c"
            if web and (keyed or (tokenish and (platform or named or constant))):
                out.append(
                    Finding(
                        container.file,
                        "high",
                        "token-in-web-container",
                        where,
                        f"holds an access token ({mask(value)}) in a web "
                        "container: every visitor can read it",
                    )
                )
            elif (
                not web
                and (keyed or named)
                and (
                    tokenish
                    or (
                        len(value) >= 16
                        and re.fullmatch(r"[A-Za-z0-9_\-]+", value)
                        and re.search(r"\d", value)
                    )
                )
            ):
                out.append(
                    Finding(
                        container.file,
                        "low",
                        "token-in-export",
                        where,
                        f"holds a literal token or secret ({mask(value)}): "
                        "keep this export out of version control",
                    )
                )
    return out
