"""Simulation results as text (side by side, per push) or as JSON lines."""

from __future__ import annotations

import json
from typing import Any

from gtmgen.display import escape, escape_json
from gtmgen.gtm.secrets import mask, masked_tree, masked_url, secret_label
from gtmgen.platforms.meta.events import STANDARD_EVENTS as STANDARD_META
from gtmgen.simulate.ours import SentRequest
from gtmgen.simulate.runner import PushReport
from gtmgen.simulate.values import to_json
from gtmgen.simulate.verdict import ORDER, Verdict, sides

SECRET_HEADERS = ("access-token", "authorization")


def masked_headers(headers: dict[str, str]) -> dict[str, str]:
    return {
        k: mask(v) if v and (k.lower() in SECRET_HEADERS or secret_label(k)) else v
        for k, v in headers.items()
    }


def _request_json(request: SentRequest) -> dict[str, Any]:
    return {
        "url": masked_url(request.url),
        "method": request.method,
        "headers": masked_headers(request.headers),
        "body": masked_tree(to_json(request.body), shapes=False),
    }


def push_json(report: PushReport) -> dict[str, Any]:
    requests = [r for s in report.servers for r in s.requests]
    outcomes = [o for s in report.servers for o in s.outcomes]
    return {
        "push": report.index,
        "event": report.event,
        "unique_event_id": report.message.get("gtm.uniqueEventId"),
        "pixel": [
            {
                "pixel_id": p.pixel_id,
                "event": p.event,
                "event_id": to_json(p.event_id),
                "properties": to_json(p.properties),
            }
            for p in report.pixel
        ],
        "pageview": [{"pixel_id": p.pixel_id} for p in report.page_views],
        "events_api": [_request_json(r) for r in requests],
        "server_success": [o.succeeded for o in outcomes],
        "deduplicates": report.verdict.deduplicates,
        "reason": report.verdict.reason,
        "platforms": _platforms_json(report),
        "web_fired": report.web_fired,
        "consent_blocked": report.consent_blocked,
        "ga4_hits": [
            {
                "tag": s.hit.tag_name,
                "url": s.hit.url,
                "event_name": s.hit.event_data.get("event_name"),
                "event_id": to_json(s.hit.event_data.get("event_id")),
                "consent": {
                    k[5:]: s.hit.event_data[k]
                    for k in ("x-ga-gcs", "x-ga-gcd")
                    if k in s.hit.event_data
                },
                "client": s.client,
                "server_fired": s.fired,
            }
            for s in report.servers
        ],
        "not_simulated": report.not_simulated
        + [n for s in report.servers for n in s.not_simulated],
        "notes": report.notes,
        "findings": report.findings,
    }


def _platforms_json(report: PushReport) -> dict[str, Any]:
    """Per platform judged: its browser and server events side by side and its verdict."""
    out = {}
    for platform, verdict in _judged(report.verdict):
        out[platform] = {
            "deduplicates": verdict.deduplicates,
            "reason": verdict.reason,
            "browser": [
                {"pixel_id": p.pixel_id, "event": p.event, "event_id": to_json(p.event_id)}
                for p in report.pixel
                if p.platform == platform
            ],
            "server": [
                {
                    "pixel_id": a.pixel_id,
                    "event": a.event,
                    "event_id": to_json(a.event_id),
                    "succeeded": a.succeeded,
                }
                for a in report.api
                if a.platform == platform
            ],
        }
    return out


def _judged(verdict: Verdict) -> list[tuple[str, Verdict]]:
    return sorted(
        verdict.platforms.items(),
        key=lambda kv: ORDER.index(kv[0]) if kv[0] in ORDER else len(ORDER),
    )


def json_lines(reports: list[PushReport]) -> list[str]:
    """One JSON object per push; controls and bidi characters from the export or the
    pushes are written as JSON escapes (the same JSON, harmless to a terminal)."""
    return [
        escape_json(json.dumps(push_json(r), ensure_ascii=False, sort_keys=False)) for r in reports
    ]


def _compact(value: Any) -> str:
    return json.dumps(to_json(value), ensure_ascii=False)


def _cell(value: Any, width: int = 34) -> str:
    shown = value if isinstance(value, str) else _compact(value)
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def _side_by_side(report: PushReport) -> list[str]:
    """Each platform's pixel call and server event, key by key, in two columns."""
    platforms = [
        pl
        for pl in ORDER
        if any(c.platform == pl for c in report.pixel) or any(a.platform == pl for a in report.api)
    ]
    others = ({c.platform for c in report.pixel} | {a.platform for a in report.api}) - set(
        platforms
    )
    platforms += sorted(others)
    lines = []
    for platform in platforms:
        lines += _platform_columns(report, platform, len(platforms) > 1 or platform != "tiktok")
    return lines


def _platform_columns(report: PushReport, platform: str, labelled: bool) -> list[str]:
    pixel = [c for c in report.pixel if c.platform == platform]
    api = [a for a in report.api if a.platform == platform]
    if not pixel and not api:
        return []
    s = sides(platform)
    head = f"{s.label} Pixel (browser)" if labelled else "Pixel (browser)"
    lines = [f"  {'':<15}{head:<36}{s.api} (server)"]
    for i in range(max(len(pixel), len(api))):
        p = pixel[i] if i < len(pixel) else None
        a = api[i] if i < len(api) else None
        rows = [
            ("pixel ID", p.pixel_id if p else "-", a.pixel_id if a else "-"),
            ("event", p.event if p else "-", a.event if a else "-"),
            ("event_id", p.event_id if p else "-", a.event_id if a else "-"),
        ]
        for label, left, right in rows:
            mark = "" if left == right else "   <- differs"
            lines.append(f"  {label:<15}{_cell(left):<36}{_cell(right)}{mark}")
    return lines


def push_text(report: PushReport) -> list[str]:
    message = report.message
    lines = [
        f"push {report.index}: {report.event} "
        f"(gtm.uniqueEventId {message.get('gtm.uniqueEventId')})"
    ]
    lines.append("  web fired      " + (", ".join(report.web_fired) or "(nothing)"))
    for blocked in report.consent_blocked:
        lines.append(f"  consent        not fired: {blocked} is denied")
    for server in report.servers:
        hit = server.hit
        lines.append(
            f"  GA4 hop        {hit.tag_name}: {hit.event_data.get('event_name')} "
            f"event_id={_compact(hit.event_data.get('event_id'))} -> "
            f"{hit.url or 'Google Analytics (not the server container)'}"
        )
        signals = [
            f"{k[5:]}={hit.event_data[k]}" for k in ("x-ga-gcs", "x-ga-gcd") if k in hit.event_data
        ]
        if signals:
            lines.append("  hop consent    " + " ".join(signals))
        if hit.url:
            fired = ", ".join(server.fired) or "(nothing)"
            lines.append(f"  server fired   {fired} (client {server.client})")
    lines += _side_by_side(report)
    for view in report.page_views:
        if view.platform == "meta":
            lines.append(
                f"  pixel call     PageView (fbq trackSingle) for Meta pixel {view.pixel_id}"
            )
        else:
            lines.append(f"  pixel call     Pageview (ttq.page) for pixel {view.pixel_id}")
    for call in report.pixel:
        if call.platform == "meta":
            method = "trackSingle" if call.event in STANDARD_META else "trackSingleCustom"
            lines.append(
                f"  pixel call     fbq({_compact(method)}, {_compact(call.pixel_id)}, "
                f"{_compact(call.event)}, {_compact(call.properties)}, "
                f"{_compact({'eventID': call.event_id})})"
            )
            continue
        lines.append(
            f"  pixel call     ttq.track({_compact(call.event)}, "
            f"{_compact(call.properties)}, "
            f"{_compact({'event_id': call.event_id, 'pixel_code': call.pixel_id})})"
        )
    for server in report.servers:
        for request in server.requests:
            label = "Conversions API" if "graph.facebook.com" in request.url else "Events API"
            lines.append(f"  {label + ' ':<15}{request.method} {masked_url(request.url)}")
            for key, value in masked_headers(request.headers).items():
                lines.append(f"                 {key}: {value}")
            body = json.dumps(
                masked_tree(to_json(request.body), shapes=False), ensure_ascii=False, indent=2
            )
            lines += ["                 " + line for line in body.splitlines()]
        for outcome in server.outcomes:
            state = "success" if outcome.succeeded else f"FAILURE ({outcome.failure})"
            if not outcome.requests:
                state += ", sent no request"
            lines.append(f"  server tag     reported {state}")
    for name in report.not_simulated:
        lines.append(f"  not simulated  {name}")
    for server in report.servers:
        for name in server.not_simulated:
            lines.append(f"  not simulated  {name} (server)")
    for note in report.notes:
        lines.append(f"  note           {note}")
    for finding in report.findings:
        lines.append(f"  FINDING        {finding}")
    judged = _judged(report.verdict)
    if len(judged) > 1 or (judged and judged[0][0] != "tiktok"):
        for platform, one in judged:
            state = "DEDUPLICATES" if one.deduplicates else "DOES NOT DEDUPLICATE"
            lines.append(f"  {sides(platform).label + ' verdict':<15}{state}: {one.reason}")
        every = (
            "every platform deduplicates"
            if report.verdict.deduplicates
            else "not every platform deduplicates"
        )
        verdict = "DEDUPLICATES" if report.verdict.deduplicates else "DOES NOT DEDUPLICATE"
        lines.append(f"  verdict        {verdict}: {every}")
        return lines
    verdict = "DEDUPLICATES" if report.verdict.deduplicates else "DOES NOT DEDUPLICATE"
    lines.append(f"  verdict        {verdict}: {report.verdict.reason}")
    return lines


def text(reports: list[PushReport], *, header: str) -> list[str]:
    """The human-readable report. Tag, event and variable names, event IDs, URLs and notes
    come from the exports and the pushes: every line goes through ``display.escape``."""
    return [escape(line, backslash=False) for line in _text(reports, header=header)]


def _text(reports: list[PushReport], *, header: str) -> list[str]:
    lines = [header, ""]
    for report in reports:
        lines += push_text(report)
        lines.append("")
    good = sum(1 for r in reports if r.verdict.deduplicates)
    lines.append(f"{good} of {len(reports)} push(es) deduplicate")
    return lines
