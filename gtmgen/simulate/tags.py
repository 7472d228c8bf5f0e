"""Our two TikTok templates run in gtmgen.sandbox, their records turned into what the
verdict compares: pixel calls (web) and Events API requests and events (server)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gtmgen.errors import GtmgenError
from gtmgen.simulate.verdict import ApiEvent, PixelCall


@dataclass
class WebSession:
    """The page our web template runs in (shared by every tag on the page)."""

    url: str
    referrer: str
    cookies: dict[str, str]
    seed: int
    page: Any = None  # gtmgen.sandbox's page object, created on first use


@dataclass
class PixelOutcome:
    calls: list[PixelCall] = field(default_factory=list)
    succeeded: bool = True
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HttpRequest:
    url: str
    method: str
    headers: dict[str, str]
    body: Any  # parsed JSON when the body is JSON, else the text


@dataclass
class ServerOutcome:
    requests: list[HttpRequest] = field(default_factory=list)
    events: list[ApiEvent] = field(default_factory=list)
    succeeded: bool = False
    failure: str = ""
    notes: list[str] = field(default_factory=list)


def _sandbox() -> Any:
    try:
        from gtmgen import sandbox
    except ImportError as exc:  # pragma: no cover - the sandbox ships with gtmgen
        raise GtmgenError(f"gtmgen.sandbox is not available ({exc})") from None
    return sandbox


def close_session(session: WebSession) -> None:
    """Free what the sandbox holds for the page."""
    page, session.page = session.page, None
    close = getattr(page, "close", None)
    if callable(close):
        close()


def run_pixel(template_data: str, data: dict[str, Any], session: WebSession, *,
              now_ms: int) -> PixelOutcome:
    raise NotImplementedError


def run_api(template_data: str, data: dict[str, Any], *, event_data: dict[str, Any],
            cookies: dict[str, str], debug: bool, status: int, response: str,
            now_ms: int) -> ServerOutcome:
    raise NotImplementedError


def api_events(body: Any, succeeded: bool, failure: str) -> list[ApiEvent]:
    """The events of one Events API v1.3 request body."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return []
    if not isinstance(body, dict):
        return []
    source = body.get("event_source_id")
    events = []
    for item in body.get("data") or []:
        if isinstance(item, dict):
            events.append(ApiEvent(str(source) if source is not None else None,
                                   str(item.get("event", "")), item.get("event_id"),
                                   succeeded, failure))
    return events
