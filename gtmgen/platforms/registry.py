"""Every platform gtmgen wires, in report order. Adding a platform: a folder with its
``wiring.py`` (see docs/platforms.md), then one line here."""

from __future__ import annotations

from gtmgen.platforms.base import Platform
from gtmgen.platforms.meta.wiring import PLATFORM as META
from gtmgen.platforms.tiktok.wiring import PLATFORM as TIKTOK
from gtmgen.spec.model import Event, Spec

PLATFORMS: tuple[Platform, ...] = (TIKTOK, META)


def enabled(spec: Spec) -> tuple[Platform, ...]:
    """The platforms whose block the spec has."""
    return tuple(platform for platform in PLATFORMS if platform.enabled(spec))


def named(spec: Spec, event: Event) -> tuple[Platform, ...]:
    """The enabled platforms an event names an event for."""
    return tuple(pl for pl in enabled(spec) if pl.event_name(event) is not None)
