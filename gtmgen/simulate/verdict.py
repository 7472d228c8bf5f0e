"""Does one dataLayer push deduplicate? Per platform: TikTok merges a Pixel event and an
Events API event when pixel ID, event name and event_id are all equal (research/tiktok.md
§3, https://ads.tiktok.com/help/article/event-deduplication); Meta merges a Pixel event and
a Conversions API event of the same pixel with the same event name and eventID/event_id
(research/meta.md). A push deduplicates when every platform that sent something does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PixelCall:
    pixel_id: str | None
    event: str
    event_id: Any
    properties: dict[str, Any]
    platform: str = "tiktok"


@dataclass(frozen=True)
class ApiEvent:
    pixel_id: str | None  # TikTok event_source_id; Meta: the pixel of the request URL
    event: str
    event_id: Any
    succeeded: bool
    failure: str = ""
    platform: str = "tiktok"


@dataclass(frozen=True)
class Sides:
    """How a platform's two sides are called in a verdict."""

    label: str  # "TikTok"
    pixel: str  # the browser side, short: "pixel"
    api: str  # the server side: "Events API"


SIDES = {
    "tiktok": Sides("TikTok", "pixel", "Events API"),
    "meta": Sides("Meta", "pixel", "Conversions API"),
}
ORDER = tuple(SIDES)  # report order


def sides(platform: str) -> Sides:
    return SIDES.get(platform) or Sides(platform, "pixel", "server API")


@dataclass
class Verdict:
    deduplicates: bool
    reason: str
    pairs: list[tuple[PixelCall, ApiEvent]] = field(default_factory=list)
    platforms: dict[str, Verdict] = field(default_factory=dict)  # per platform judged


def _id(value: Any) -> str | None:
    if value is None or value == "" or not isinstance(value, (str, int, float)):
        return None
    return str(value)


def _mismatch(pixel: PixelCall, api: ApiEvent, s: Sides) -> list[str]:
    reasons = []
    if pixel.pixel_id and api.pixel_id and pixel.pixel_id != api.pixel_id:
        reasons.append(f"pixel ID differs ({s.pixel} {pixel.pixel_id}, {s.api} {api.pixel_id})")
    if pixel.event != api.event:
        reasons.append(f"event name differs ({s.pixel} {pixel.event!r}, {s.api} {api.event!r})")
    web_id, server_id = _id(pixel.event_id), _id(api.event_id)
    if web_id is None and server_id is None:
        reasons.append("event_id is missing on both sides")
    elif web_id is None:
        reasons.append(f"event_id is missing on the {s.pixel} side")
    elif server_id is None:
        reasons.append(f"event_id is missing on the {s.api} side")
    elif web_id != server_id:
        reasons.append(f"event_id differs ({s.pixel} {web_id!r}, {s.api} {server_id!r})")
    return reasons


def judge_platforms(
    pixel: list[PixelCall],
    api: list[ApiEvent],
    blockers: dict[str, list[str]],
    failures: dict[str, list[str]],
    known: tuple[str, ...] = ("tiktok",),
) -> Verdict:
    """One verdict per platform that sent something or could not be judged, and the
    push's verdict: every one of them deduplicates. ``known``: the platforms the exports
    hold tags of (for the message when nothing fired)."""
    active = [
        pl
        for pl in ORDER + tuple(sorted(set(known) - set(ORDER)))
        if any(c.platform == pl for c in pixel)
        or any(a.platform == pl for a in api)
        or blockers.get(pl)
        or failures.get(pl)
    ]
    if len(active) <= 1:
        platform = active[0] if active else (known[0] if len(known) == 1 else "")
        if not platform:
            labels = " or ".join(sides(pl).label for pl in known) or "ad platform"
            return Verdict(False, f"no {labels} tag fired on either side")
        verdict = judge(
            [c for c in pixel if c.platform == platform],
            [a for a in api if a.platform == platform],
            blockers.get(platform, []),
            failures.get(platform, []),
            platform,
        )
        verdict.platforms = {platform: Verdict(verdict.deduplicates, verdict.reason, verdict.pairs)}
        return verdict
    verdicts = {
        pl: judge(
            [c for c in pixel if c.platform == pl],
            [a for a in api if a.platform == pl],
            blockers.get(pl, []),
            failures.get(pl, []),
            pl,
        )
        for pl in active
    }
    ok = all(v.deduplicates for v in verdicts.values())
    reason = "; ".join(f"{sides(pl).label}: {v.reason}" for pl, v in verdicts.items())
    pairs = [pair for v in verdicts.values() for pair in v.pairs]
    return Verdict(ok, reason, pairs, verdicts)


def judge(
    pixel: list[PixelCall],
    api: list[ApiEvent],
    blockers: list[str],
    failures: list[str] | None = None,
    platform: str = "tiktok",
) -> Verdict:
    """One platform. ``blockers``: its tags that could not be run; ``failures``: its
    server tags that reported failure (gtmOnFailure), with their reason."""
    s = sides(platform)
    reasons = list(blockers) + list(failures or [])
    if not pixel and not api and not reasons:
        return Verdict(False, f"no {s.label} tag fired on either side")
    if not pixel:
        sent = ", ".join(a.event for a in api)
        reasons.append(
            f"the web side sent no {s.label} Pixel event"
            + (f" (the {s.api} sent {sent})" if sent else "")
        )
    if not api:
        sent = ", ".join(p.event for p in pixel)
        reasons.append(
            f"the server side sent no {s.api} event"
            + (f" (the {s.pixel} sent {sent})" if sent else "")
        )
    pairs: list[tuple[PixelCall, ApiEvent]] = []
    unmatched = list(api)
    for call in pixel if api else []:
        best = min(unmatched or api, key=lambda a: len(_mismatch(call, a, s)))
        problems = _mismatch(call, best, s)
        if problems:
            reasons.append(f"{call.event}: " + "; ".join(problems))
            continue
        if best in unmatched:
            unmatched.remove(best)
        pairs.append((call, best))
    if pixel and not reasons:
        article = "an" if s.api[0] in "AEIOU" else "a"
        reasons += [
            f"{a.event}: {article} {s.api} event with no matching {s.pixel} event"
            for a in unmatched
        ]
    reasons += [
        f"{a.event}: the {s.api} tag reported failure ({a.failure or 'no reason'})"
        for a in api
        if not a.succeeded
    ]
    if reasons:
        return Verdict(False, "; ".join(dict.fromkeys(reasons)), pairs)
    ids = ", ".join(sorted({str(p.event_id) for p, _ in pairs}))
    return Verdict(True, f"same pixel ID, event name and event_id ({ids}) on both sides", pairs)
