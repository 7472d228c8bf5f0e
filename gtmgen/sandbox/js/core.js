// gtmgen sandbox core: the state of a context, the permission checks (one per GTM
// permission), value copying, the callback queue, require() and the tag run. The API
// stand-ins register themselves from apis_common.js, apis_web.js and apis_server.js.
// API semantics: https://developers.google.com/tag-platform/tag-manager/templates/api
// (web) and .../server-side/api (server). Loaded after util.js.
var __gtmgen = (function (util) {
  'use strict';

  var state = {
    context: 'WEB', perms: {}, debug: false, now: 0, random: util.random(1),
    eventData: {}, cookies: {}, headers: {}, responses: [], containerId: 'GTM-SANDBOX',
    page: {window: {}, scripts: {}, failScripts: [], storage: {}, templateKey: '',
           consent: {}, listeners: [], handlers: []},
    config: null, nested: 0, tasks: [], run: null, mocks: null, calls: null
  };

  function newRecord() {
    return {successes: 0, failures: 0, exception: null, returned: null, logs: [],
            injected: [], windowCalls: [], pushes: [], requests: [], cookiesSet: [],
            permissionUses: [], required: []};
  }

  function SandboxError(message) { var e = new Error(message); e.name = 'PermissionError'; return e; }
  function deny(message) { throw SandboxError('Permission denied: ' + message); }
  function use(detail) {
    if (state.run.permissionUses.indexOf(detail) < 0) { state.run.permissionUses.push(detail); }
  }
  function param(id) { return state.perms[id]; }
  function list(value) { return Array.isArray(value) ? value : []; }

  // ---- permission checks (one per GTM permission) -----------------------------
  var checks = {
    access_globals: function (mode, key) {
      var p = param('access_globals');
      var entry = list(p && p.keys).filter(function (e) { return e.key === key; })[0];
      var modes = mode === 'readwrite' ? ['read', 'write'] : [mode];
      modes.forEach(function (m) {
        if (!entry || entry[m] !== true) {
          deny('access_globals does not allow ' + m + ' of window.' + key);
        }
        use('access_globals:' + key + ':' + m);
      });
    },
    inject_script: function (url) {
      var p = param('inject_script');
      if (!p || !list(p.urls).some(function (u) { return util.matchesUrlPattern(url, u); })) {
        deny('inject_script does not allow ' + url);
      }
      use('inject_script:' + url);
    },
    send_http: function (url) {
      var p = param('send_http');
      var ok = p && (p.allowedUrls === 'any' || list(p.urls).some(function (u) {
        return util.matchesUrlPattern(url, u);
      }));
      if (!ok) { deny('send_http does not allow ' + url); }
      use('send_http:' + url);
    },
    get_cookies: function (name) {
      var p = param('get_cookies');
      if (!p || !(p.cookieAccess === 'any' || list(p.cookieNames).indexOf(name) >= 0)) {
        deny('get_cookies does not allow the cookie ' + name);
      }
      use('get_cookies:' + name);
    },
    set_cookies: function (name, options) {
      var p = param('set_cookies');
      var o = options || {};
      var rule = list(p && p.allowedCookies).filter(function (c) {
        return (c.name === name || c.name === '*') &&
          (c.domain === '*' || c.domain === (o.domain || 'auto')) &&
          (c.path === '*' || c.path === (o.path || '/')) &&
          (c.secure !== 'secure' || o.secure === true) &&
          (c.secure !== 'insecure' || o.secure !== true);
      })[0];
      if (!rule) { deny('set_cookies does not allow the cookie ' + name); }
      use('set_cookies:' + name);
    },
    read_event_data: function (key) {
      var p = param('read_event_data');
      var any = p && p.eventDataAccess === 'any';
      var ok = any || (key !== undefined && list(p && p.keyPatterns).some(function (pattern) {
        if (pattern.charAt(pattern.length - 1) === '*') {
          return key.indexOf(pattern.slice(0, -1)) === 0;
        }
        return key === pattern || key.indexOf(pattern + '.') === 0;
      }));
      if (!ok) { deny('read_event_data does not allow ' + (key === undefined ? 'all event data' : key)); }
      use('read_event_data:' + (key === undefined ? '*' : key));
    },
    read_container_data: function () {
      if (!param('read_container_data')) { deny('read_container_data is not declared'); }
      use('read_container_data');
    },
    read_request: function (header) {
      var p = param('read_request');
      var ok = p && (p.requestAccess === 'any' || (p.headersAllowed === true &&
        (p.headerAccess === 'any' || list(p.headerWhitelist).some(function (h) {
          return String(h.headerName).toLowerCase() === header.toLowerCase();
        }))));
      if (!ok) { deny('read_request does not allow the header ' + header); }
      use('read_request:' + header.toLowerCase());
    },
    // access_consent: {consentTypes: [{consentType, read, write}]}; the consent APIs read.
    access_consent: function (consentType, mode) {
      var p = param('access_consent');
      var entry = list(p && p.consentTypes).filter(function (e) {
        return e.consentType === consentType;
      })[0];
      if (!entry || entry[mode] !== true) {
        deny('access_consent does not allow ' + mode + ' of the consent type ' + consentType);
      }
      use('access_consent:' + consentType + ':' + mode);
    },
    access_template_storage: function () {
      if (!param('access_template_storage')) { deny('access_template_storage is not declared'); }
      use('access_template_storage');
    },
    logging: function () {
      var p = param('logging');
      if (!p) { deny('logging is not declared'); }
      use('logging');
      return p.environments === 'all' || state.debug;
    }
  };

  function allowed(id, args) {
    if (!checks[id]) { return false; }
    var saved = state.run.permissionUses.slice();
    try { checks[id].apply(null, args); return true; } catch (e) { return false; }
    finally { state.run.permissionUses = saved; }
  }

  // ---- copying values in and out of the sandbox ---------------------------------
  function clone(value, depth) {
    depth = depth || 0;
    if (depth > 50) { return undefined; }
    if (typeof value === 'function') {
      var fn = value;
      return function () {
        var args = Array.prototype.slice.call(arguments).map(function (a) { return clone(a, 0); });
        return clone(fn.apply(undefined, args), 0);
      };
    }
    if (value === null || typeof value !== 'object') { return value; }
    if (Array.isArray(value)) { return value.map(function (v) { return clone(v, depth + 1); }); }
    var proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) { return undefined; }
    var out = {};
    Object.keys(value).forEach(function (k) { out[k] = clone(value[k], depth + 1); });
    return out;
  }

  function schedule(fn) { state.tasks.push(fn); }
  function guarded(fn) {
    return function () {
      try { fn(); } catch (e) { if (!state.run.exception) { state.run.exception = String(e); } }
    };
  }

  function lookup(root, path) {
    var parts = String(path).split('.');
    var parent = null, node = root;
    for (var i = 0; i < parts.length; i++) {
      if (node === null || node === undefined || (typeof node !== 'object' && typeof node !== 'function')) {
        return {parent: null, value: undefined, leaf: parts[parts.length - 1]};
      }
      parent = node;
      node = node[parts[i]];
    }
    return {parent: parent, value: node, leaf: parts[parts.length - 1]};
  }

  function format(args) {
    return args.map(function (a) {
      return typeof a === 'string' ? a : JSON.stringify(util.plain(a));
    }).join(' ');
  }


  var apis = {common: {}, WEB: {}, SERVER: {}};

  function cookieReader(name, decode) {
    checks.get_cookies(name);
    var raw = state.cookies[name];
    var values = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]);
    var noDecode = state.context === 'WEB' ? decode === false : decode === true;
    return values.map(function (v) {
      if (noDecode) { return String(v); }
      try { return decodeURIComponent(String(v)); } catch (e) { return String(v); }
    });
  }

  function makeRequire() {
    var table = apis[state.context];
    return function require(name) {
      name = String(name);
      var factory = Object.prototype.hasOwnProperty.call(table, name) ? table[name] :
        (Object.prototype.hasOwnProperty.call(apis.common, name) ? apis.common[name] : null);
      if (state.mocks && Object.prototype.hasOwnProperty.call(state.mocks, name)) {
        return recorded(name, state.mocks[name]);
      }
      if (!factory) {
        throw new Error('require: unknown API "' + name + '" in a ' + state.context + ' template');
      }
      if (state.run.required.indexOf(name) < 0) { state.run.required.push(name); }
      return recorded(name, factory());
    };
  }

  // In test scenarios every API call is remembered for assertApi().
  function recorded(name, api) {
    if (!state.calls || typeof api !== 'function') { return api; }
    return function () {
      var args = Array.prototype.slice.call(arguments);
      state.calls.push({name: name, args: args});
      return api.apply(undefined, args);
    };
  }

  var SHADOWED = ['window', 'document', 'globalThis', 'self', 'top', 'parent', 'location',
    'navigator', 'console', 'setTimeout', 'setInterval', 'Promise', 'Date', 'Math', 'JSON',
    'Object', 'Array', 'String', 'Number', 'Boolean', 'RegExp', 'Function', 'eval', 'Symbol',
    'Reflect', 'Proxy', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent',
    'decodeURIComponent', 'encodeURI', 'decodeURI', 'escape', 'unescape', 'arguments',
    '__gtmgen', '__util', '__gtmtest'];

  // The code is a function body (GTM runs it as one, `return` included). The outer
  // function hides the globals the sandbox lacks; the inner one may redeclare them
  // (`const JSON = require('JSON')`).
  function compile(code) {
    var outer = Function.apply(null, SHADOWED.concat(
      ['return function (require, data) {\n' + code + '\n};']));
    return outer();
  }

  function configure(config) {
    state.config = config;
    state.context = config.context;
    state.perms = config.permissions || {};
    state.debug = !!config.debug;
    state.now = config.nowMs || 0;
    state.random = util.random(config.seed || 1);
    state.eventData = config.eventData || {};
    state.cookies = config.cookies || {};
    state.headers = config.headers || {};
    state.responses = (config.responses || []).slice();
    state.page.templateKey = config.templateKey || '';
  }

  function runData(data) {
    var copy = clone(data || {});
    copy.gtmOnSuccess = function () { state.run.successes += 1; if (state.calls) { state.calls.push({name: 'gtmOnSuccess', args: []}); } };
    copy.gtmOnFailure = function () { state.run.failures += 1; if (state.calls) { state.calls.push({name: 'gtmOnFailure', args: []}); } };
    return copy;
  }

  // Runs one tag: the template's code with `data`; tasks run later through drain().
  function runTag(config, code, data) {
    configure(config);
    state.run = newRecord();
    var fn = compile(code);
    try {
      var returned = fn.call(undefined, makeRequire(), runData(data));
      state.run.returned = util.plain(returned);
    } catch (e) {
      state.run.exception = String(e);
    }
    return true;
  }

  // Page code (the site's own scripts, a stand-in of a vendor script): plain JavaScript
  // with the page's window as `window`, outside any sandbox.
  function runPage(code, args) {
    var fn = Function('window', 'args', code);
    return fn(state.page.window, args || {});
  }

  // A consent type's state as GTM's consent APIs read it: unset counts as granted.
  function consentGranted(type) { return state.page.consent[type] !== 'denied'; }

  // The gtag('consent', 'update', {...}) of the page: new states, then the listeners of
  // every type whose granted/denied state changed (unset -> granted is no change), each
  // run with the permissions of the template that registered it.
  function updateConsent(changes) {
    state.run = newRecord();
    var changed = [];
    Object.keys(changes || {}).forEach(function (type) {
      var value = changes[type] === 'granted' ? 'granted' : 'denied';
      var before = consentGranted(type);
      state.page.consent[type] = value;
      if (before !== (value === 'granted')) { changed.push(type); }
    });
    var record = state.run;
    changed.forEach(function (type) {
      state.page.listeners.filter(function (l) { return l.type === type; }).forEach(function (l) {
        schedule(function () {
          configure(l.config);
          state.run = record;
          guarded(function () { l.fn(type, consentGranted(type)); })();
        });
      });
    });
    return true;
  }

  function drain(limit) {
    var n = 0;
    while (state.tasks.length && n < limit) { state.tasks.shift()(); n += 1; }
    return state.tasks.length;
  }

  return {
    configure: configure,
    runTag: runTag,
    drain: drain,
    pending: function () { return state.tasks.length; },
    compile: compile,
    makeRequire: makeRequire,
    runData: runData,
    newRecord: newRecord,
    result: function () { return JSON.stringify(state.run); },
    windowValue: function (path) { return JSON.stringify(util.plain(lookup(state.page.window, path).value)); },
    setPage: function (page) {
      state.page.failScripts = page.failScripts || [];
      state.page.consent = page.consent || {};
      state.page.handlers = page.handlers || [];
      state.debug = !!page.debug;
    },
    runPage: function (code, args) { return JSON.stringify(util.plain(runPage(code, args))); },
    updateConsent: updateConsent,
    consentGranted: consentGranted,
    runPageCode: runPage,
    newRun: function () { state.run = newRecord(); return true; },
    apiNames: function () {
      return JSON.stringify({WEB: Object.keys(apis.common).concat(Object.keys(apis.WEB)),
                             SERVER: Object.keys(apis.common).concat(Object.keys(apis.SERVER))});
    },
    state: state,
    // for the API files
    define: function (table, entries) {
      Object.keys(entries).forEach(function (k) { apis[table][k] = entries[k]; });
    },
    checks: checks, allowed: allowed, clone: clone, schedule: schedule, guarded: guarded,
    lookup: lookup, format: format, cookieReader: cookieReader
  };
})(__util);

