"""A page in V8 for Custom JavaScript variables (``jsm``).

GTM runs a Custom JavaScript variable's function every time the variable is read, in
the page, with each ``{{Name}}`` replaced by that variable's value. Here the page is
one V8 context (py_mini_racer) per simulated page view: ``window`` persists between
reads (so a cache kept on ``window`` works as in a browser), ``window.dataLayer`` holds
the messages GTM processed (with ``gtm.uniqueEventId`` set), and time and randomness
come from the simulation's clock and seed. ``{{...}}`` references are resolved by the
caller before the function runs (all of them, also those in branches the code skips).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gtmgen.gtm.javascript import UNDEFINED, js_literal

TIMEOUT_SEC = 5.0  # a variable that runs longer is stopped and reads as undefined

_PRELUDE = r"""
var window = globalThis; window.window = window; window.self = window;
var __sim = {now: 0, seed: 1};
(function () {
  function rnd() {  // mulberry32, seeded from the simulation
    __sim.seed = (__sim.seed + 0x6D2B79F5) | 0;
    var t = __sim.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  Math.random = rnd;
  var RealDate = Date;
  function tick() { __sim.now += 1; return __sim.now; }  // time moves on at each read
  function SimDate() {
    var a = Array.prototype.slice.call(arguments);
    if (!(this instanceof SimDate)) { return new RealDate(tick()).toString(); }
    if (a.length === 0) { return new RealDate(tick()); }
    return new (Function.prototype.bind.apply(RealDate, [null].concat(a)))();
  }
  SimDate.now = tick; SimDate.UTC = RealDate.UTC; SimDate.parse = RealDate.parse;
  SimDate.prototype = RealDate.prototype;
  window.Date = SimDate;
  function hex(n) {
    var s = '';
    for (var i = 0; i < n; i++) { s += Math.floor(rnd() * 16).toString(16); }
    return s;
  }
  window.crypto = {
    randomUUID: function () {
      return hex(8) + '-' + hex(4) + '-4' + hex(3) + '-' +
        '89ab'[Math.floor(rnd() * 4)] + hex(3) + '-' + hex(12);
    },
    getRandomValues: function (arr) {
      for (var i = 0; i < arr.length; i++) { arr[i] = Math.floor(rnd() * 4294967296); }
      return arr;
    }
  };
  function storage() {
    var d = {};
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(d, k) ? d[k] : null; },
      setItem: function (k, v) { d[k] = String(v); },
      removeItem: function (k) { delete d[k]; }
    };
  }
  window.localStorage = storage(); window.sessionStorage = storage();
  window.dataLayer = [];
})();
function __enc(v, depth) {
  if (v === undefined) { return {t: 'u'}; }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') { return v; }
  if (typeof v === 'number') { return isFinite(v) ? v : {t: 'n', v: String(v)}; }
  if (typeof v === 'function' || depth > 30) { return {t: 'u'}; }
  if (v instanceof Date) { return {t: 'o', v: {}}; }
  if (Array.isArray(v)) { return v.map(function (x) { return __enc(x, depth + 1); }); }
  var out = {};
  for (var k in v) {
    if (Object.prototype.hasOwnProperty.call(v, k)) { out[k] = __enc(v[k], depth + 1); }
  }
  return {t: 'o', v: out};
}
function __run(fn, refs) {
  try { return JSON.stringify({ok: __enc(fn(refs), 0)}); }
  catch (e) { return JSON.stringify({error: String(e && e.message || e)}); }
}
"""


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        kind = value.get("t")
        if kind == "u":
            return UNDEFINED
        if kind == "n":
            return float(value["v"].replace("Infinity", "inf"))
        return {k: _decode(v) for k, v in value.get("v", {}).items()}
    return value


@dataclass
class PageContext:
    url: str
    referrer: str
    title: str
    user_agent: str
    cookies: dict[str, str]


class JsPage:
    """One page view's V8 context."""

    def __init__(self, page: PageContext, *, seed: int, now_ms: int) -> None:
        from gtmgen.errors import mini_racer

        self._ctx = mini_racer().MiniRacer()  # type: ignore[attr-defined]
        self._ctx.eval(_PRELUDE)
        self._ctx.eval(f"__sim.seed = {int(seed) & 0x7FFFFFFF}; __sim.now = {int(now_ms)};")
        cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
        setup = {
            "href": page.url, "referrer": page.referrer, "title": page.title,
            "userAgent": page.user_agent, "cookie": cookie,
        }
        self._ctx.eval(
            "(function (p) {"
            " var a = /^([a-z]+:)\\/\\/([^\\/?#:]+)(:\\d+)?([^?#]*)(\\?[^#]*)?(#.*)?$/i"
            ".exec(p.href) || [];"
            "window.location = {href: p.href, protocol: a[1] || '', hostname: a[2] || '',"
            " host: (a[2] || '') + (a[3] || ''), pathname: a[4] || '/', search: a[5] || '',"
            " hash: a[6] || ''};"
            "window.navigator = {userAgent: p.userAgent, language: 'en-US'};"
            "window.document = {cookie: p.cookie, referrer: p.referrer, title: p.title,"
            " location: window.location, querySelector: function () { return null; },"
            " querySelectorAll: function () { return []; },"
            " getElementById: function () { return null; },"
            " getElementsByTagName: function () { return []; }};"
            "})(" + json.dumps(setup) + ");"
        )

    def close(self) -> None:
        """Free the V8 context (an open MiniRacer can stall the interpreter's exit)."""
        self._ctx.close()

    def set_time(self, now_ms: int) -> None:
        self._ctx.eval(f"__sim.now = Math.max(__sim.now, {int(now_ms)});")

    def push_message(self, message: dict[str, Any]) -> None:
        """Mirror a message GTM processed into ``window.dataLayer``."""
        self._ctx.eval("window.dataLayer.push(" + js_literal(message) + ");")

    def run_function(self, source: str, refs: list[Any]) -> tuple[Any, str | None]:
        """Call ``source`` (a ``function () {...}`` whose ``{{...}}`` were replaced by
        ``__refs[i]``) once; return (value, error message)."""
        script = (
            "__run(function (__refs) { return (" + source + "\n)(); }, ["
            + ",".join(js_literal(r) for r in refs) + "])"
        )
        try:
            raw = self._ctx.eval(script, timeout_sec=TIMEOUT_SEC)
        except Exception as exc:  # a syntax error in the variable's code, or a timeout
            # One more round trip lets V8's answer to the stopped script arrive now; left
            # pending, it would reach a closed context later.
            self._ctx.eval("0")
            return UNDEFINED, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        result = json.loads(str(raw))
        if "error" in result:
            return UNDEFINED, str(result["error"])
        return _decode(result["ok"]), None
