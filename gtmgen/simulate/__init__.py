"""``gtmgen simulate``: run dataLayer pushes through a web and a server container and
show whether each platform would deduplicate its browser event against its server event.

The web container is evaluated as GTM does (triggers, variables read afresh at every
read, Custom JavaScript in V8, the data layer model); our TikTok templates run in
gtmgen.sandbox; each GA4 event tag becomes the event data of the server container's GA4
client, whose triggers and Events API tag run in turn.
"""

from __future__ import annotations

import math
from typing import Any

from gtmgen.gtm.conditions import Match
from gtmgen.sandbox.engine import JsStopped
from gtmgen.simulate.budget import Budget
from gtmgen.simulate.inputs import Exports, load
from gtmgen.simulate.jsengine import RegexEngine
from gtmgen.simulate.runner import Options, PushReport, Simulation

__all__ = ["Exports", "Options", "PushReport", "Simulation", "bounded_regex", "load", "simulate"]


def simulate(exports: Exports, pushes: list[Any], options: Options) -> list[PushReport]:
    """``pushes``: dataLayer objects, or gtag ``["consent", "update", {...}]`` arrays."""
    simulation = Simulation(exports, options)
    try:
        return simulation.run([dict(p) if isinstance(p, dict) else p for p in pushes])
    finally:
        simulation.close()


def bounded_regex(*, on_timeout: bool) -> Match:
    """A MATCH_REGEX test for someone else's export: JavaScript's dialect (GTM's), each run
    bounded in time in a V8 context of its own (gtmgen.simulate.jsengine.RegexEngine); a
    pattern that runs out of time answers ``on_timeout`` (and is not run again)."""
    engine = RegexEngine(Budget(push_seconds=math.inf, total_seconds=math.inf))

    def match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
        try:
            return engine.test(pattern, text, ignore_case=ignore_case)
        except JsStopped:
            return on_timeout

    return match
