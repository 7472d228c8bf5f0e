// gtmgen sandbox: the web container's APIs; `window` is the page's (state.page.window).
// Loaded after core.js.
(function (g, util) {
  'use strict';
  var state = g.state, checks = g.checks, clone = g.clone, schedule = g.schedule;
  var guarded = g.guarded, lookup = g.lookup;

  // A script that loads runs its page-side stand-in (WebPage(scripts=...)), if any, as
  // the browser runs the script before its onload callback.
  function runHandlers(url) {
    state.page.handlers.forEach(function (h) {
      if (url.indexOf(h.prefix) === 0) {
        try { g.runPageCode(h.code, {url: url}); } catch (e) {
          state.run.logs.push('page script ' + url + ' threw: ' + String(e));
        }
      }
    });
  }

  g.define('WEB', {
    // https://developers.google.com/tag-platform/tag-manager/templates/api#isconsentgranted
    // Unset counts as granted; needs access_consent read of the type.
    isConsentGranted: function () {
      return function (consentType) {
        checks.access_consent(String(consentType), 'read');
        return g.consentGranted(String(consentType));
      };
    },
    // https://developers.google.com/tag-platform/tag-manager/templates/api#addconsentlistener
    // The listener runs with (consentType, granted) on every denied <-> granted change.
    addConsentListener: function () {
      return function (consentType, listener) {
        checks.access_consent(String(consentType), 'read');
        if (typeof listener !== 'function') { return; }
        state.page.listeners.push({type: String(consentType), fn: listener, config: state.config});
      };
    },
    copyFromWindow: function () {
      return function (key) {
        checks.access_globals('read', key);
        return clone(lookup(state.page.window, key).value);
      };
    },
    setInWindow: function () {
      return function (key, value, overrideExisting) {
        checks.access_globals('write', key);
        var at = lookup(state.page.window, key);
        if (!at.parent) { return false; }
        if (at.value !== undefined && overrideExisting !== true) { return false; }
        at.parent[at.leaf] = clone(value);
        return true;
      };
    },
    callInWindow: function () {
      return function (path) {
        checks.access_globals('execute', path);
        var args = Array.prototype.slice.call(arguments, 1);
        var at = lookup(state.page.window, path);
        state.run.windowCalls.push({path: path, args: util.plain(args),
                                    missing: typeof at.value !== 'function'});
        if (typeof at.value !== 'function') { return undefined; }
        // Pushes made while the called page function runs (e.g. the template's own stub
        // function) are marked nested: the call itself is the record of what was sent.
        state.nested = (state.nested || 0) + 1;
        try {
          return clone(at.value.apply(at.parent, args.map(function (a) { return clone(a); })));
        } finally { state.nested -= 1; }
      };
    },
    createQueue: function () {
      return function (key) {
        checks.access_globals('readwrite', key);
        var at = lookup(state.page.window, key);
        if (!at.parent) { throw new Error('createQueue: the path of window.' + key + ' does not exist'); }
        if (at.value === undefined) { at.parent[at.leaf] = []; }
        var queue = at.parent[at.leaf];
        return function (value) {
          state.run.pushes.push({key: key, value: util.plain(value), nested: state.nested > 0});
          queue.push(clone(value));
        };
      };
    },
    // GTM: the function at fnKey first (same semantics as createQueue: a value already
    // there is kept and returned, not replaced), then the array at arrayKey, which may
    // hang on that function ('fbq', 'fbq.queue'). The function pushes its arguments
    // object onto the array found at arrayKey when it is called.
    createArgumentsQueue: function () {
      return function (fnKey, arrayKey) {
        checks.access_globals('readwrite', fnKey);
        checks.access_globals('readwrite', arrayKey);
        var fn = lookup(state.page.window, fnKey);
        if (!fn.parent) { throw new Error('createArgumentsQueue: no path to window.' + fnKey); }
        if (fn.value === undefined) {
          fn.parent[fn.leaf] = function () {
            var queue = lookup(state.page.window, arrayKey).value;
            if (!queue || typeof queue.push !== 'function') { return; }
            state.run.pushes.push({key: arrayKey, value: util.plain(Array.prototype.slice.call(arguments))});
            queue.push(arguments);
          };
        }
        var arr = lookup(state.page.window, arrayKey);
        if (!arr.parent) { throw new Error('createArgumentsQueue: no path to window.' + arrayKey); }
        if (arr.value === undefined) { arr.parent[arr.leaf] = []; }
        return clone(fn.parent[fn.leaf]);
      };
    },
    aliasInWindow: function () {
      return function (toPath, fromPath) {
        checks.access_globals('write', toPath);
        checks.access_globals('read', fromPath);
        var to = lookup(state.page.window, toPath);
        if (!to.parent) { return false; }
        to.parent[to.leaf] = lookup(state.page.window, fromPath).value;
        return true;
      };
    },
    injectScript: function () {
      return function (url, onSuccess, onFailure, cacheToken) {
        checks.inject_script(url);
        var page = state.page;
        var entry = cacheToken ? page.scripts[cacheToken] : undefined;
        if (!entry) {
          entry = {url: url, state: 'loading', waiting: []};
          if (cacheToken) { page.scripts[cacheToken] = entry; }
          state.run.injected.push(url);
          var fails = page.failScripts.some(function (prefix) { return url.indexOf(prefix) === 0; });
          schedule(function () {
            entry.state = fails ? 'failed' : 'loaded';
            if (!fails) { runHandlers(url); }
            entry.waiting.forEach(function (w) { schedule(guarded(fails ? w.failure : w.success)); });
            entry.waiting = [];
          });
        }
        var callbacks = {success: onSuccess || function () {}, failure: onFailure || function () {}};
        if (entry.state === 'loading') { entry.waiting.push(callbacks); }
        else { schedule(guarded(entry.state === 'loaded' ? callbacks.success : callbacks.failure)); }
      };
    },
    templateStorage: function () {
      // Kept for the lifetime of the page, one store per template; values by reference.
      function store() {
        checks.access_template_storage();
        var key = state.page.templateKey;
        return (state.page.storage[key] = state.page.storage[key] || {});
      }
      return {
        getItem: function (k) { var s = store(); return Object.prototype.hasOwnProperty.call(s, k) ? s[k] : null; },
        setItem: function (k, v) { store()[k] = v; },
        removeItem: function (k) { delete store()[k]; },
        clear: function () { var s = store(); Object.keys(s).forEach(function (k) { delete s[k]; }); }
      };
    },
    getCookieValues: function () { return g.cookieReader; },
    sha256: function () {
      return function (input, onSuccess, onFailure, options) {
        var digest = options && options.outputEncoding === 'hex' ? util.sha256Hex(input) : util.sha256Base64(input);
        schedule(guarded(function () { onSuccess(digest); }));
      };
    }
  });
})(__gtmgen, __util);
