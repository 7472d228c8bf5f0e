"""``gtmgen simulate``: run dataLayer pushes through a web and a server container and
show whether TikTok would deduplicate each Pixel event against its Events API event.

The web container is evaluated as GTM does (triggers, variables read afresh at every
read, Custom JavaScript in V8, the data layer model); our TikTok templates run in
gtmgen.sandbox; each GA4 event tag becomes the event data of the server container's GA4
client, whose triggers and Events API tag run in turn.
"""

from __future__ import annotations

from typing import Any

from gtmgen.simulate.inputs import Exports, load
from gtmgen.simulate.runner import Options, PushReport, Simulation

__all__ = ["Exports", "Options", "PushReport", "Simulation", "load", "simulate"]


def simulate(exports: Exports, pushes: list[Any], options: Options) -> list[PushReport]:
    """``pushes``: dataLayer objects, or gtag ``["consent", "update", {...}]`` arrays."""
    simulation = Simulation(exports, options)
    try:
        return simulation.run([dict(p) if isinstance(p, dict) else p for p in pushes])
    finally:
        simulation.close()
