"""Our TikTok and Meta templates run in gtmgen.sandbox, their records turned into what
the verdict compares: pixel calls (web: ``ttq.track``, ``fbq('trackSingle', ...)``) and
server requests and events (TikTok Events API, Meta Conversions API)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from gtmgen.errors import GtmgenError
from gtmgen.simulate.consent import CONSENT_TYPES, ConsentState
from gtmgen.simulate.values import to_json
from gtmgen.simulate.verdict import ApiEvent, PixelCall


@dataclass
class WebSession:
    """The page our web template runs in (shared by every tag on the page)."""

    url: str
    referrer: str
    cookies: dict[str, str]
    seed: int
    debug: bool = False  # GTM preview mode: logs of the debug environment show
    page: Any = None  # gtmgen.sandbox's page object, created on first use
    # the page's Consent Mode state when the page opens: {type: "granted" | "denied"},
    # a type left out is unset (read as granted); see consent_states()
    consent: dict[str, str] = field(default_factory=dict)
    time_limit: Any = None  # seconds a sandbox call may take (gtmgen.sandbox.engine)


@dataclass
class PixelOutcome:
    calls: list[PixelCall] = field(default_factory=list)
    succeeded: bool = True
    notes: list[str] = field(default_factory=list)
    page_views: list[PixelCall] = field(default_factory=list)  # ttq page() calls


def consent_states(consent: ConsentState) -> dict[str, str]:
    """A ConsentState as the sandbox page's consent: {} when Consent Mode is not in use."""
    if not consent.in_use:
        return {}
    return {t: "granted" if consent.is_granted(t) else "denied" for t in CONSENT_TYPES}


@dataclass(frozen=True)
class SentRequest:
    url: str
    method: str
    headers: dict[str, str]
    body: Any  # parsed JSON when the body is JSON, else the text


@dataclass
class ServerOutcome:
    requests: list[SentRequest] = field(default_factory=list)
    events: list[ApiEvent] = field(default_factory=list)
    succeeded: bool = False
    failure: str = ""
    notes: list[str] = field(default_factory=list)
    cookies_set: dict[str, str] = field(default_factory=dict)  # name -> value


def _sandbox() -> Any:
    try:
        from gtmgen import sandbox
    except ImportError as exc:  # pragma: no cover - the sandbox ships with gtmgen
        raise GtmgenError(f"gtmgen.sandbox is not available ({exc})") from None
    return sandbox


def close_session(session: WebSession) -> None:
    """Free what the sandbox holds for the page."""
    page, session.page = session.page, None
    if page is not None:
        page.close()


def _page(session: WebSession) -> Any:
    if session.page is None:
        extra = {"time_limit": session.time_limit} if session.time_limit else {}
        session.page = _sandbox().WebPage(
            cookies=dict(session.cookies),
            seed=session.seed,
            debug=session.debug,
            consent=dict(session.consent),
            **extra,
        )
    return session.page


def run_pixel(
    template_data: str,
    data: dict[str, Any],
    session: WebSession,
    *,
    now_ms: int,
    logs: bool = False,
) -> PixelOutcome:
    """Run our web template on the session's page; its ``ttq.track`` calls as pixel calls."""
    run = _sandbox().run_web_tag(template_data, to_json(data), page=_page(session), now_ms=now_ms)
    return _pixel_outcome(run, logs)


def update_consent(
    session: WebSession, changes: dict[str, str], *, logs: bool = False
) -> PixelOutcome:
    """``gtag('consent', 'update', changes)`` on the session's page: what the templates'
    consent listeners then sent (a Pageview, TikTok's grantConsent/revokeConsent)."""
    return _pixel_outcome(_page(session).update_consent(changes), logs)


def _pixel_outcome(run: Any, logs: bool) -> PixelOutcome:
    outcome = PixelOutcome(succeeded=not run.failed)
    for pixel, args in run.ttq_calls("track"):
        event = str(args[0]) if args else ""
        props = args[1] if len(args) > 1 and isinstance(args[1], dict) else {}
        options = args[2] if len(args) > 2 and isinstance(args[2], dict) else {}
        pixel = options.get("pixel_code") or pixel
        outcome.calls.append(
            PixelCall(str(pixel) if pixel else None, event, options.get("event_id"), props)
        )
    for pixel, _args in run.ttq_calls("page"):
        outcome.page_views.append(PixelCall(pixel, "Pageview", None, {}))
    consent_calls = [
        c.path.removeprefix("ttq.")
        for c in run.window_calls
        if c.path in ("ttq.holdConsent", "ttq.grantConsent", "ttq.revokeConsent")
    ]
    if consent_calls:
        outcome.notes.append("TikTok consent: " + ", ".join(consent_calls))
    _meta_calls(run, outcome)
    if run.exception:
        outcome.notes.append(f"the template threw: {run.exception}")
    elif run.failed:
        outcome.notes.append("the tag reported failure: " + "; ".join(run.logs))
    if logs:
        outcome.notes += [f"log: {line}" for line in run.logs]
    return outcome


META_TRACK = ("trackSingle", "trackSingleCustom")


def _meta_calls(run: Any, outcome: PixelOutcome) -> None:
    """``fbq('trackSingle' | 'trackSingleCustom', pixel, name, params, {eventID})`` as
    pixel calls (PageView as a page view) and ``fbq('consent', ...)`` as a note."""
    consent = []
    for call in run.window_calls:
        args = list(call.args)
        if call.path != "fbq" or not args:
            continue
        if args[0] == "consent" and len(args) > 1:
            consent.append(str(args[1]))
        if args[0] not in META_TRACK or len(args) < 3:
            continue
        pixel = str(args[1]) if args[1] not in (None, "") else None
        event = str(args[2])
        props = args[3] if len(args) > 3 and isinstance(args[3], dict) else {}
        options = args[4] if len(args) > 4 and isinstance(args[4], dict) else {}
        if event == "PageView" and not options:
            outcome.page_views.append(PixelCall(pixel, event, None, {}, platform="meta"))
        else:
            outcome.calls.append(
                PixelCall(pixel, event, options.get("eventID"), props, platform="meta")
            )
    if consent:
        outcome.notes.append("Meta consent: " + ", ".join(consent))


def run_api(
    template_data: str,
    data: dict[str, Any],
    *,
    event_data: dict[str, Any],
    cookies: dict[str, str],
    debug: bool,
    status: int,
    response: str,
    now_ms: int,
    user_agent: str = "",
    engine: Any = None,
) -> ServerOutcome:
    """Run our server template for one event, answering its request with ``response``.
    It runs in preview mode so that its log says why it failed. ``engine``: a sandbox
    Engine to run in (a fresh context when None)."""
    sandbox = _sandbox()
    run = sandbox.run_server_tag(
        template_data,
        to_json(data),
        event_data=to_json(event_data),
        cookies=dict(cookies),
        headers={"user-agent": user_agent} if user_agent else {},
        debug=True,
        response=sandbox.HttpResponse(status=status, body=response),
        now_ms=now_ms,
        engine=engine,
    )
    outcome = ServerOutcome(
        succeeded=run.succeeded, cookies_set={c.name: c.value for c in run.cookies_set}
    )
    if not run.succeeded:
        outcome.failure = _failure(run, status, response)
    for request in run.requests:
        body = request.json if request.json is not None else request.body
        outcome.requests.append(
            SentRequest(request.url, request.method, dict(request.headers), body)
        )
        outcome.events += api_events(body, outcome.succeeded, outcome.failure, request.url)
    if debug:
        outcome.notes += [f"log: {line}" for line in run.logs]
    return outcome


def _failure(run: Any, status: int, response: str) -> str:
    """Why the server tag reported failure: its own log line, else the answer it got."""
    if run.exception:
        return f"the template threw: {run.exception}"
    for line in run.logs:
        marker = line.find("failure: ")
        if marker >= 0:
            return str(line[marker + len("failure: ") :])
    if not run.requests:
        return "it sent no request"
    return f"HTTP {status} {response}"


# https://graph.facebook.com/<version>/<pixel_id>/events
_GRAPH_EVENTS = re.compile(r"^https://graph\.facebook\.com/[^/?#]+/([^/?#]+)/events(?:[?#]|$)")


def api_events(body: Any, succeeded: bool, failure: str, url: str = "") -> list[ApiEvent]:
    """The events of one TikTok Events API v1.3 or Meta Conversions API request body."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return []
    if not isinstance(body, dict):
        return []
    graph = _GRAPH_EVENTS.match(url)
    if graph:
        pixel = graph.group(1)
        return [
            ApiEvent(
                pixel,
                str(item.get("event_name", "")),
                item.get("event_id"),
                succeeded,
                failure,
                platform="meta",
            )
            for item in body.get("data") or []
            if isinstance(item, dict)
        ]
    source = body.get("event_source_id")
    events = []
    for item in body.get("data") or []:
        if isinstance(item, dict):
            events.append(
                ApiEvent(
                    str(source) if source is not None else None,
                    str(item.get("event", "")),
                    item.get("event_id"),
                    succeeded,
                    failure,
                )
            )
    return events
