// A stand-in of Meta's fbevents.js for gtmgen's tests (our own code, written from the
// contract in research/meta.md §1, not Meta's): when it "loads" it keeps the page's
// window.fbq, attaches callMethod and instance.pixelsByID to it, replays fbq.queue and
// records per pixel what reaches Meta. fbq('consent', 'revoke') holds every later call
// except consent; fbq('consent', 'grant') replays the held calls.
// Also `site(code)`: runs plain page JavaScript (the site's own base code) with `window`.
var __fbevents = (function () {
  'use strict';

  function page() { return __gtmgen.state.page.window; }
  function list(args) { return Array.prototype.slice.call(args); }

  function install() {
    var w = page();
    var fbq = w.fbq;
    if (typeof fbq !== 'function') { return 'no fbq'; }
    if (w.__fbeventsRecord) { w.__fbeventsRecord.loads += 1; return 'loaded again'; }
    var record = {loads: 1, inits: [], events: [], consent: [], other: [], held: 0};
    w.__fbeventsRecord = record;
    var locked = false;
    var held = [];
    var pixels = {};

    function handle(args) {
      var method = args[0];
      if (method === 'consent') {
        record.consent.push(args[1]);
        if (args[1] === 'revoke') { locked = true; }
        if (args[1] === 'grant') {
          locked = false;
          var again = held;
          held = [];
          record.held = 0;
          again.forEach(handle);
        }
        return;
      }
      if (locked) { held.push(args); record.held = held.length; return; }
      if (method === 'init') {
        var id = String(args[1]);
        record.inits.push(id);
        pixels[id] = true;
        fbq.instance.pixelsByID[id] = {id: id};
        return;
      }
      if (method === 'track' || method === 'trackCustom') {  // every initialised pixel
        Object.keys(pixels).forEach(function (pixel) {
          record.events.push({pixel: pixel, method: method, name: args[1],
                              params: args[2] || {}, options: args[3] || {}});
        });
        return;
      }
      if (method === 'trackSingle' || method === 'trackSingleCustom') {
        var single = String(args[1]);
        if (!pixels[single]) { record.other.push(['not initialised'].concat(args)); return; }
        record.events.push({pixel: single, method: method, name: args[2],
                            params: args[3] || {}, options: args[4] || {}});
        return;
      }
      record.other.push(args);
    }

    fbq.instance = {pixelsByID: {}};
    fbq.callMethod = function () { handle(list(arguments)); };
    fbq.version = '2.9.0-standin';
    var queued = fbq.queue || [];
    fbq.queue = [];
    queued.forEach(function (args) { handle(list(args)); });
    return 'loaded';
  }

  function site(code) {
    Function('window', code)(page());
    return true;
  }

  return {install: install, site: site};
})();
true;
