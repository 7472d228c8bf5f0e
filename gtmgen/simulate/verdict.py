"""Does one dataLayer push deduplicate? TikTok merges a Pixel event and an Events API
event when pixel ID, event name and event_id are all equal (research/tiktok.md §3,
https://ads.tiktok.com/help/article/event-deduplication)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PixelCall:
    pixel_id: str | None
    event: str
    event_id: Any
    properties: dict[str, Any]


@dataclass(frozen=True)
class ApiEvent:
    pixel_id: str | None  # event_source_id
    event: str
    event_id: Any
    succeeded: bool
    failure: str = ""


@dataclass
class Verdict:
    deduplicates: bool
    reason: str
    pairs: list[tuple[PixelCall, ApiEvent]] = field(default_factory=list)


def _id(value: Any) -> str | None:
    if value is None or value == "" or not isinstance(value, (str, int, float)):
        return None
    return str(value)


def _mismatch(pixel: PixelCall, api: ApiEvent) -> list[str]:
    reasons = []
    if pixel.pixel_id and api.pixel_id and pixel.pixel_id != api.pixel_id:
        reasons.append(f"pixel ID differs (pixel {pixel.pixel_id}, Events API {api.pixel_id})")
    if pixel.event != api.event:
        reasons.append(f"event name differs (pixel {pixel.event!r}, Events API {api.event!r})")
    web_id, server_id = _id(pixel.event_id), _id(api.event_id)
    if web_id is None and server_id is None:
        reasons.append("event_id is missing on both sides")
    elif web_id is None:
        reasons.append("event_id is missing on the pixel side")
    elif server_id is None:
        reasons.append("event_id is missing on the Events API side")
    elif web_id != server_id:
        reasons.append(f"event_id differs (pixel {web_id!r}, Events API {server_id!r})")
    return reasons


def judge(pixel: list[PixelCall], api: list[ApiEvent], blockers: list[str]) -> Verdict:
    """``blockers``: reasons found before comparing (a TikTok tag that could not be run)."""
    if blockers:
        return Verdict(False, "; ".join(blockers))
    if not pixel and not api:
        return Verdict(False, "no TikTok tag fired on either side")
    if not pixel:
        return Verdict(False, "the web side did not fire a TikTok Pixel event "
                       f"(Events API sent {', '.join(a.event for a in api)})")
    if not api:
        return Verdict(False, "the server side did not send an Events API event "
                       f"(pixel sent {', '.join(p.event for p in pixel)})")
    reasons: list[str] = []
    pairs: list[tuple[PixelCall, ApiEvent]] = []
    unmatched_api = list(api)
    for call in pixel:
        best = min(unmatched_api or api, key=lambda a: len(_mismatch(call, a)))
        problems = _mismatch(call, best)
        if problems:
            reasons.append(f"{call.event}: " + "; ".join(problems))
            continue
        if best in unmatched_api:
            unmatched_api.remove(best)
        if not best.succeeded:
            reasons.append(f"{call.event}: the Events API tag reported failure ({best.failure})")
            continue
        pairs.append((call, best))
    for extra in unmatched_api:
        if not any(extra is b for _, b in pairs) and not reasons:
            reasons.append(f"{extra.event}: Events API event without a matching pixel event")
    if reasons:
        return Verdict(False, "; ".join(reasons), pairs)
    ids = ", ".join(sorted({str(p.event_id) for p, _ in pairs}))
    return Verdict(True, f"same pixel ID, event name and event_id ({ids}) on both sides", pairs)
