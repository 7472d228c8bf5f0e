"""A browser page for the Meta Pixel template: the sandbox's WebPage plus a stand-in of
Meta's fbevents.js (tests/meta_fbevents.js) that runs when the template's script
"loads", the page's consent tool and the site's own code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gtmgen.resources import read_template
from gtmgen.sandbox import WebPage, WebTagRun, run_web_tag

WEB = read_template("meta_pixel_web.tpl")
SDK = "https://connect.facebook.net/en_US/fbevents.js"
NOW_MS = 1_700_000_000_000
_STAND_IN = Path(__file__).with_name("meta_fbevents.js").read_text(encoding="utf-8")

# Meta's base code as a site has it in its own HTML (the contract of research/meta.md §1,
# in our words), then the site's own init and PageView for `pixel`.
SITE_BASE_CODE = """
var w = window;
if (!w.fbq) {
  var n = w.fbq = function () {
    if (n.callMethod) { n.callMethod.apply(n, arguments); } else { n.queue.push(arguments); }
  };
  if (!w._fbq) { w._fbq = n; }
  n.push = n; n.loaded = true; n.version = '2.0'; n.queue = [];
}
w.fbq('init', 'PIXEL');
w.fbq('track', 'PageView');
"""


class MetaPage:
    """One page view. ``defer_load``: the script loads only when :meth:`load` is called
    (tags that fire before fbevents.js arrives), else right after the tag run."""

    def __init__(
        self, *, debug: bool = False, failing: bool = False, defer_load: bool = False
    ) -> None:
        self.page = WebPage(debug=debug, failing_scripts=[SDK] if failing else [])
        self.page.engine.call("(0, eval)", _STAND_IN)
        self.defer_load = defer_load
        self._loaded = False
        self.runs: list[WebTagRun] = []

    def __enter__(self) -> MetaPage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.page.close()

    def fire(self, data: dict[str, Any]) -> WebTagRun:
        run = run_web_tag(WEB, data, page=self.page, now_ms=NOW_MS)
        return self._after(run)

    def consent(self, **states: bool) -> WebTagRun:
        """The visitor's choice in the page's consent tool; what the listeners did."""
        run = self.page.update_consent({k: "granted" if v else "denied" for k, v in states.items()})
        return self._after(run)

    def site(self, code: str, *, pixel: str = "", loaded: bool = False) -> None:
        """Runs the site's own JavaScript; ``loaded``: its fbevents.js has arrived."""
        self.page.engine.call("__fbevents.site", code.replace("PIXEL", pixel))
        if loaded:
            self.page.engine.call("__fbevents.install")

    def load(self) -> None:
        """The injected fbevents.js arrives (once; a second injection would be a bug that
        the stand-in counts in ``meta["loads"]``)."""
        if SDK in self.page.injected_scripts and not self.page.failing_scripts and not self._loaded:
            self._loaded = True
            self.page.engine.call("__fbevents.install")

    @property
    def meta(self) -> dict[str, Any]:
        """What reached Meta (the stand-in's record); {} before fbevents.js loaded."""
        return self.page.window_value("__fbeventsRecord") or {}

    def window(self, path: str) -> Any:
        return self.page.window_value(path)

    def _after(self, run: WebTagRun) -> WebTagRun:
        self.runs.append(run)
        if not self.defer_load:
            self.load()
        return run
