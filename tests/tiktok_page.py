"""Page-side stand-ins for tests: the site's own TikTok base code and TikTok's events.js,
both written for gtmgen from the contract in research/tiktok.md §1.1 and "Production
notes" (not TikTok's code).

``EVENTS_JS`` runs when a script .../events.js loads (``WebPage(scripts=...)``) or when a
test says so (``page.run_script(EVENTS_JS, {"url": ...})``). Like the real script it
replays the queues: the global ``ttq`` queue (a call without ``pixel_code`` reaches every
pixel loaded on the page) and each pixel's own queue ``ttq._i[id]`` (its calls reach that
pixel only); then it replaces the stub's methods with live ones and each pixel's queue
with a live instance. What reached which pixel is recorded in ``window.__tiktok``:
``loads`` (the sdkid of each events.js run), ``calls`` ({pixel: [[method, ...args]]}) and
``consent`` (holdConsent/grantConsent/revokeConsent, in order)."""

from __future__ import annotations

SDK = "https://analytics.tiktok.com/i18n/pixel/events.js"

EVENTS_JS = r"""
var ttq = window.ttq;
var rec = window.__tiktok = window.__tiktok || {loads: [], calls: {}, consent: []};
var match = /[?&]sdkid=([^&]+)/.exec(args.url || '');
rec.loads.push(match ? decodeURIComponent(match[1]) : '');
if (!ttq) { return; }
var METHODS = ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once',
  'ready', 'alias', 'group', 'enableCookie', 'disableCookie', 'holdConsent',
  'revokeConsent', 'grantConsent'];
var CONSENT = ['holdConsent', 'revokeConsent', 'grantConsent'];
function send(id, method, rest) {
  (rec.calls[id] = rec.calls[id] || []).push([method].concat(rest));
}
function pixels() { return Object.keys(ttq._i || {}); }
function deliver(method, rest, only) {
  if (CONSENT.indexOf(method) >= 0) { rec.consent.push(method); return; }
  if (method === 'instances' || method === 'ready' || method === 'on' ||
      method === 'off' || method === 'once' || method === 'debug') { return; }
  var options = method === 'track' ? rest[2] : undefined;
  if (!only && options && options.pixel_code) { only = String(options.pixel_code); }
  (only ? [only] : pixels()).forEach(function (id) { send(id, method, rest); });
}
function instance(id) {
  var live = {_live: true};
  METHODS.forEach(function (m) {
    live[m] = function () { deliver(m, Array.prototype.slice.call(arguments), id); };
  });
  return live;
}
// each pixel's own queue, then the global one
pixels().forEach(function (id) {
  var queue = ttq._i[id];
  if (!Array.isArray(queue)) { return; }
  queue.forEach(function (entry) { deliver(entry[0], entry.slice(1), id); });
  ttq._i[id] = instance(id);
});
if (!ttq._live) {
  ttq.slice(0).forEach(function (entry) { deliver(entry[0], entry.slice(1)); });
  ttq.length = 0;
  ttq._live = true;
  METHODS.forEach(function (m) {
    ttq[m] = function () { deliver(m, Array.prototype.slice.call(arguments)); };
  });
  ttq.instance = function (id) { return ttq._i[id]; };
  ttq.load = function (id) { ttq._i[id] = instance(id); };
}
"""

# The site's own base code for ``args.pixel``: the stub, ttq.load(id) (which appends
# events.js for the pixel: recorded in window.__site_scripts; a test runs EVENTS_JS for
# it when it wants the script loaded) and ttq.page().
BASE_CODE = (
    r"""
window.TiktokAnalyticsObject = 'ttq';
var ttq = window.ttq = window.ttq || [];
ttq.methods = ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once',
  'ready', 'alias', 'group', 'enableCookie', 'disableCookie', 'holdConsent',
  'revokeConsent', 'grantConsent'];
ttq.setAndDefer = function (target, name) {
  target[name] = function () {
    target.push([name].concat(Array.prototype.slice.call(arguments, 0)));
  };
};
for (var i = 0; i < ttq.methods.length; i++) { ttq.setAndDefer(ttq, ttq.methods[i]); }
ttq.instance = function (id) {
  var queue = ttq._i[id] || [];
  for (var n = 0; n < ttq.methods.length; n++) { ttq.setAndDefer(queue, ttq.methods[n]); }
  return queue;
};
ttq.load = function (id, options) {
  var url = '"""
    + SDK
    + r"""';
  ttq._i = ttq._i || {};
  ttq._i[id] = [];
  ttq._i[id]._u = url;
  ttq._t = ttq._t || {};
  ttq._t[id] = 1;
  ttq._o = ttq._o || {};
  ttq._o[id] = options || {};
  window.__site_scripts = (window.__site_scripts || []).concat([url + '?sdkid=' + id + '&lib=ttq']);
};
ttq.load(args.pixel);
ttq.page();
"""
)
