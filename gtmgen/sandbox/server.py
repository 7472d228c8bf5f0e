"""Run a server tag template the way a server container runs it for one event.

Each run is a fresh V8 context, or the caller's ``engine`` (``gtmgen simulate`` keeps one
for all its server runs: ``runTag`` configures the runtime afresh, and a template's
code cannot reach the runtime's globals). The stand-in of ``sendHttpRequest`` records the request
and answers with the given response (one for every request, or one per request in
order); its promise settles, and the template's callbacks run, before the run returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gtmgen.sandbox.engine import Engine, TimeLimit, no_limit
from gtmgen.sandbox.records import HttpFailure, HttpResponse, ServerTagRun, server_run
from gtmgen.sandbox.template import TemplateError, load

Response = HttpResponse | HttpFailure
OK = HttpResponse()  # 200 with {"code": 0, "message": "OK"}


def run_server_tag(
    template_data: str,
    data: Mapping[str, Any],
    *,
    event_data: Mapping[str, Any] | None = None,
    cookies: Mapping[str, str | list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    debug: bool = False,
    response: Response | Sequence[Response] = OK,
    now_ms: int = 0,
    seed: int = 1,
    engine: Engine | None = None,
    time_limit: TimeLimit = no_limit,
) -> ServerTagRun:
    """Run a SERVER tag template with ``data`` (its fields) for one event.

    ``event_data``: what getAllEventData/getEventData read; ``cookies`` and ``headers``:
    the incoming request's; ``debug``: preview mode (getContainerVersion().debugMode and
    logs with the ``debug`` environment); ``now_ms``: getTimestampMillis(); ``engine``:
    run in this context (else in a fresh one whose calls get ``time_limit(cap)`` seconds).
    """
    template = load(template_data)
    if template.context != "SERVER":
        raise TemplateError(f"this is a {template.context} template, not a SERVER one")
    responses = [response] if isinstance(response, HttpResponse | HttpFailure) else list(response)
    config = {
        "context": "SERVER",
        "permissions": template.declared,
        "debug": debug,
        "nowMs": now_ms,
        "seed": seed,
        "eventData": dict(event_data or {}),
        "cookies": {k: v if isinstance(v, str) else list(v) for k, v in (cookies or {}).items()},
        "headers": dict(headers or {}),
        "responses": [r.config() for r in responses],
        "templateKey": template.key,
    }
    if engine is not None:
        return _run(engine, config, template.code, data)
    with Engine(time_limit=time_limit) as own:
        return _run(own, config, template.code, data)


def _run(
    engine: Engine, config: dict[str, Any], code: str, data: Mapping[str, Any]
) -> ServerTagRun:
    engine.call("__gtmgen.runTag", config, code, dict(data))
    engine.drain()
    return server_run(engine.call_json("__gtmgen.result"))
