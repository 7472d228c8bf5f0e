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


def judge(pixel: list[PixelCall], api: list[ApiEvent], blockers: list[str],
          failures: list[str] | None = None) -> Verdict:
    """``blockers``: TikTok tags that could not be run; ``failures``: server tags that
    reported failure (gtmOnFailure), with their reason."""
    reasons = list(blockers) + list(failures or [])
    if not pixel and not api and not reasons:
        return Verdict(False, "no TikTok tag fired on either side")
    if not pixel:
        sent = ", ".join(a.event for a in api)
        reasons.append("the web side sent no TikTok Pixel event"
                       + (f" (the Events API sent {sent})" if sent else ""))
    if not api:
        sent = ", ".join(p.event for p in pixel)
        reasons.append("the server side sent no Events API event"
                       + (f" (the pixel sent {sent})" if sent else ""))
    pairs: list[tuple[PixelCall, ApiEvent]] = []
    unmatched = list(api)
    for call in pixel if api else []:
        best = min(unmatched or api, key=lambda a: len(_mismatch(call, a)))
        problems = _mismatch(call, best)
        if problems:
            reasons.append(f"{call.event}: " + "; ".join(problems))
            continue
        if best in unmatched:
            unmatched.remove(best)
        pairs.append((call, best))
    if pixel and not reasons:
        reasons += [f"{a.event}: an Events API event with no matching pixel event"
                    for a in unmatched]
    reasons += [f"{a.event}: the Events API tag reported failure ({a.failure or 'no reason'})"
                for a in api if not a.succeeded]
    if reasons:
        return Verdict(False, "; ".join(dict.fromkeys(reasons)), pairs)
    ids = ", ".join(sorted({str(p.event_id) for p, _ in pairs}))
    return Verdict(True, f"same pixel ID, event name and event_id ({ids}) on both sides", pairs)
