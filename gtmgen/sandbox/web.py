"""Run a web tag template the way GTM runs it on a page.

A :class:`WebPage` is one page view: its ``window``, the scripts injected so far and the
templates' storage persist across the tag runs on that page, exactly as two events on
one page share them in a browser. Each run gets a fresh sandbox scope; callbacks (script
loads, ``callLater``) run before ``run_web_tag`` returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

from gtmgen.sandbox.engine import Engine, TimeLimit, no_limit
from gtmgen.sandbox.records import WebTagRun, web_run
from gtmgen.sandbox.template import Template, TemplateError, load


class WebPage:
    """The browser page tags run in. ``failing_scripts``: URL prefixes whose scripts fail
    to load; ``debug``: GTM preview mode (logs with the ``debug`` environment show).

    ``consent``: the page's Consent Mode state, ``{type: "granted" | "denied"}``; a type
    left out is unset, which GTM's consent APIs read as granted. ``scripts``: page-side
    stand-ins of injected scripts, ``{URL prefix: JavaScript}``: when a script whose URL
    starts with the prefix loads, its code runs with the page's ``window`` (and
    ``args.url``) before the onSuccess callbacks, as the browser runs a script before its
    onload handlers."""

    def __init__(
        self,
        *,
        cookies: Mapping[str, str | list[str]] | None = None,
        debug: bool = False,
        failing_scripts: Sequence[str] = (),
        seed: int = 1,
        consent: Mapping[str, str] | None = None,
        scripts: Mapping[str, str] | None = None,
        time_limit: TimeLimit = no_limit,
    ) -> None:
        self.cookies = {k: v if isinstance(v, str) else list(v) for k, v in (cookies or {}).items()}
        self.debug = debug
        self.failing_scripts = list(failing_scripts)
        self.seed = seed
        self.consent = dict(consent or {})
        self.scripts = dict(scripts or {})
        self.injected_scripts: list[str] = []
        self.runs = 0
        self.time_limit = time_limit  # seconds a call may take, see Engine
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine(time_limit=self.time_limit)
            self._engine.call(
                "__gtmgen.setPage",
                {
                    "failScripts": self.failing_scripts,
                    "debug": self.debug,
                    "consent": self.consent,
                    "handlers": [{"prefix": k, "code": v} for k, v in self.scripts.items()],
                },
            )
        return self._engine

    def run_script(self, code: str, args: Mapping[str, Any] | None = None) -> Any:
        """Run page code (plain JavaScript, ``window`` is the page's; ``args`` as
        ``args``): the site's own scripts. Returns a JSON picture of what it returns."""
        engine = self.engine
        engine.call("__gtmgen.newRun")
        value = engine.call_json("__gtmgen.runPage", code, dict(args or {}))
        engine.drain()
        return value

    def update_consent(self, changes: Mapping[str, str]) -> WebTagRun:
        """``gtag('consent', 'update', changes)``: the new states, then the consent
        listeners of the types that changed (denied <-> granted; unset counts as granted).
        Returns what the listeners did, as one run."""
        for key, value in changes.items():
            self.consent[key] = "granted" if value == "granted" else "denied"
        engine = self.engine
        engine.call("__gtmgen.updateConsent", dict(changes))
        engine.drain()
        run = web_run(engine.call_json("__gtmgen.result"))
        self.injected_scripts += run.injected_scripts
        return run

    def window_value(self, path: str) -> Any:
        """A JSON picture of ``window.<path>`` (functions as "<function>"; None if unset)."""
        return self.engine.call_json("__gtmgen.windowValue", path)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def __enter__(self) -> WebPage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def run_web_tag(
    template_data: str, data: Mapping[str, Any], *, page: WebPage | None = None, now_ms: int = 0
) -> WebTagRun:
    """Run a WEB tag template with ``data`` (its fields; gtmOnSuccess/gtmOnFailure are
    added) on ``page`` (a fresh page of its own when None)."""
    template = load(template_data)
    if template.context != "WEB":
        raise TemplateError(f"this is a {template.context} template, not a WEB one")
    if page is None:
        with WebPage() as own:
            return _run(template, data, own, now_ms)
    return _run(template, data, page, now_ms)


def _run(template: Template, data: Mapping[str, Any], page: WebPage, now_ms: int) -> WebTagRun:
    engine = page.engine
    page.runs += 1  # generateRandom goes on from run to run, as on a real page
    config = {
        "context": "WEB",
        "permissions": template.declared,
        "debug": page.debug,
        "nowMs": now_ms,
        "seed": page.seed * 7919 + page.runs,
        "cookies": page.cookies,
        "templateKey": template.key,
    }
    engine.call("__gtmgen.runTag", config, template.code, dict(data))
    engine.drain()
    run = web_run(engine.call_json("__gtmgen.result"))
    page.injected_scripts += run.injected_scripts
    return run
