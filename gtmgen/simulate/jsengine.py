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
from gtmgen.sandbox.engine import JsStopped, JsTimeout, evaluate, new_context
from gtmgen.simulate.budget import (
    JS_READ_SECONDS,
    MAX_JS_RESULT_CHARS,
    REGEX_SECONDS,
    Budget,
)

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
(function () {
  var stringify = JSON.stringify, isArray = Array.isArray, F = Function;
  var own = Object.prototype.hasOwnProperty, RealDate = Date;
  function enc(v, depth) {
    if (v === undefined) { return {t: 'u'}; }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') { return v; }
    if (typeof v === 'number') { return isFinite(v) ? v : {t: 'n', v: String(v)}; }
    if (typeof v === 'function' || depth > 30) { return {t: 'u'}; }
    if (v instanceof RealDate) { return {t: 'o', v: {}}; }
    var i, out;
    if (isArray(v)) {
      out = [];
      for (i = 0; i < v.length; i++) { out.push(enc(v[i], depth + 1)); }
      return out;
    }
    out = {};
    for (var k in v) {
      if (own.call(v, k)) { out[k] = enc(v[k], depth + 1); }
    }
    return {t: 'o', v: out};
  }
  function message(e) {
    try { return String(e && e.message || e); } catch (e2) { return 'an exception'; }
  }
  // The variable's code is compiled on its own (the Function constructor parses a body
  // by itself, so text such as `}); ... ({` cannot reach outside it).
  function run(source, refs, max) {
    var outer, fn;
    try { outer = new F('__refs', 'return (' + source + '\n);'); }
    catch (e) { return stringify({syntax: message(e)}); }
    try {
      fn = outer(refs);
      if (typeof fn !== 'function') { return stringify({syntax: 'its code is not a function'}); }
      var out = stringify({ok: enc(fn(), 0)});
      return out.length > max ? stringify({big: out.length}) : out;
    } catch (e) { return stringify({error: message(e)}); }
  }
  Object.defineProperty(globalThis, '__run', {value: run});
})();
"""


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        kind = value.get("t")
        if kind == "u":
            return UNDEFINED
        if kind == "n":
            return float(str(value["v"]).replace("Infinity", "inf"))
        inner = value.get("v", {})
        return {str(k): _decode(v) for k, v in inner.items()} if isinstance(inner, dict) else {}
    return value


class JsProblem(Exception):
    """The code could not be run as a Custom JavaScript variable (a finding)."""


@dataclass
class PageContext:
    url: str
    referrer: str
    title: str
    user_agent: str
    cookies: dict[str, str]


class JsPage:
    """One page view's V8 context. Every call is bounded by ``budget`` (at most
    :data:`~gtmgen.simulate.budget.JS_READ_SECONDS` each) and by the context's heap
    limit; a stopped call raises :class:`gtmgen.sandbox.engine.JsStopped`."""

    def __init__(
        self, page: PageContext, *, seed: int, now_ms: int, budget: Budget | None = None
    ) -> None:
        self.budget = budget or Budget()
        self.contexts_created = 0
        self._ctx = new_context()
        self.contexts_created += 1
        try:
            self._eval(_PRELUDE)
            self._eval(f"__sim.seed = {int(seed) & 0x7FFFFFFF}; __sim.now = {int(now_ms)};")
            self._setup(page)
        except BaseException:
            self.close()
            raise

    def _setup(self, page: PageContext) -> None:
        cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
        setup = {
            "href": page.url,
            "referrer": page.referrer,
            "title": page.title,
            "userAgent": page.user_agent,
            "cookie": cookie,
        }
        self._eval(
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

    def _eval(self, code: str, what: str = "the page") -> Any:
        return evaluate(self._ctx, code, self.budget.timeout(JS_READ_SECONDS), what=what)

    def close(self) -> None:
        """Free the V8 context (an open MiniRacer can stall the interpreter's exit)."""
        self._ctx.close()

    def set_time(self, now_ms: int) -> None:
        self._eval(f"__sim.now = Math.max(__sim.now, {int(now_ms)});")

    def push_message(self, message: dict[str, Any], now_ms: int | None = None) -> None:
        """Mirror a message GTM processed into ``window.dataLayer`` (setting the clock to
        ``now_ms`` first, in the same call, when given)."""
        clock = "" if now_ms is None else f"__sim.now = Math.max(__sim.now, {int(now_ms)});"
        self._eval(clock + "window.dataLayer.push(" + js_literal(message) + ");")

    def run_function(
        self, source: str, refs: list[Any], *, what: str = "the variable"
    ) -> tuple[Any, str | None]:
        """Call ``source`` (a ``function () {...}`` whose ``{{...}}`` were replaced by
        ``__refs[i]``) once; return (value, error message). Raises
        :class:`JsProblem` when ``source`` is not a function expression or its value
        cannot be read back, :class:`~gtmgen.sandbox.engine.JsStopped` when V8 stops it."""
        script = (
            "__run("
            + json.dumps(source)
            + ", ["
            + ",".join(js_literal(r) for r in refs)
            + f"], {MAX_JS_RESULT_CHARS})"
        )
        raw = self._eval(script, what=what)
        try:
            result = json.loads(raw) if isinstance(raw, str) else None
            if not isinstance(result, dict):
                raise ValueError("not an object")
            if "syntax" in result:
                raise JsProblem(f"is not a single function expression ({result['syntax']})")
            if "big" in result:
                raise JsProblem(
                    f"returned a value of more than {MAX_JS_RESULT_CHARS:,} characters as JSON"
                )
            if "error" in result:
                return UNDEFINED, str(result["error"])
            return _decode(result["ok"]), None
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            raise JsProblem(
                "returned something the simulation cannot read (did the page "
                "replace JSON or the simulation's helpers?)"
            ) from None


class RegexEngine:
    """JavaScript regular expressions (GTM's own dialect), each run bounded by the budget
    (at most :data:`~gtmgen.simulate.budget.REGEX_SECONDS`) in a V8 context of their own.
    A pattern that ran out of time is not run again: it counts as not matching."""

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget()
        self._ctx: Any = None
        self._cache: dict[tuple[str, str, str], bool] = {}
        self.stopped: dict[tuple[str, str], str] = {}  # (pattern, flags) -> why

    def test(
        self, pattern: str, text: str, *, ignore_case: bool = False, full: bool = False
    ) -> bool:
        """``new RegExp(pattern, flags).test(text)``; an invalid pattern never matches.
        Raises :class:`~gtmgen.sandbox.engine.JsStopped` when it runs out of time."""
        source = f"^(?:{pattern})$" if full else pattern
        flags = "i" if ignore_case else ""
        if (source, flags) in self.stopped:
            raise JsTimeout(self.stopped[(source, flags)])
        key = (source, flags, text)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if self._ctx is None:
            self._ctx = new_context()
            evaluate(self._ctx, _REGEX_PRELUDE, REGEX_SECONDS)
        code = f"__re({json.dumps(source)}, {json.dumps(flags)}, {json.dumps(text)})"
        try:
            found = evaluate(
                self._ctx,
                code,
                self.budget.timeout(REGEX_SECONDS),
                what=f"the regular expression /{_short(pattern)}/",
            )
        except JsStopped as exc:
            self.stopped[(source, flags)] = str(exc)
            raise
        if len(self._cache) > 10_000:
            self._cache.clear()
        hit = bool(found == 1)
        self._cache[key] = hit
        return hit

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None


_REGEX_PRELUDE = """
var __re = function (pattern, flags, text) {
  var compiled;
  try { compiled = new RegExp(pattern, flags); } catch (e) { return -1; }
  return compiled.test(text) ? 1 : 0;
};
"""


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
