// gtmgen sandbox: stand-ins of GTM's sandboxed template APIs, checked against the
// template's declared permissions as GTM does, with everything they do recorded.
// API semantics: https://developers.google.com/tag-platform/tag-manager/templates/api
// (web) and .../server-side/api (server). Loaded after util.js.
var __gtmgen = (function (util) {
  'use strict';

  var state = {
    context: 'WEB', perms: {}, debug: false, now: 0, random: util.random(1),
    eventData: {}, cookies: {}, headers: {}, responses: [], containerId: 'GTM-SANDBOX',
    page: {window: {}, scripts: {}, failScripts: [], storage: {}, templateKey: ''},
    tasks: [], run: null, mocks: null, calls: null
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

  // ---- APIs of both containers --------------------------------------------------
  function decoder(fn) {
    return function (text) { try { return fn(String(text)); } catch (e) { return undefined; } };
  }
  var common = {
    JSON: function () {
      return {
        parse: function (text) { try { return JSON.parse(String(text)); } catch (e) { return undefined; } },
        stringify: function (value) { try { return JSON.stringify(value); } catch (e) { return undefined; } }
      };
    },
    Math: function () {
      var m = {};
      ['abs', 'ceil', 'floor', 'round', 'max', 'min', 'pow', 'sqrt'].forEach(function (k) {
        m[k] = function () {
          return Math[k].apply(Math, Array.prototype.map.call(arguments, Number));
        };
      });
      return m;
    },
    Object: function () {
      return {
        keys: function (o) { return Object.keys(Object(o)); },
        values: function (o) { return Object.keys(Object(o)).map(function (k) { return o[k]; }); },
        entries: function (o) { return Object.keys(Object(o)).map(function (k) { return [k, o[k]]; }); },
        freeze: function (o) { return Object.freeze(o); },
        'delete': function (o, k) { if (Object.isFrozen(o)) { return false; } delete o[k]; return true; }
      };
    },
    getType: function () { return util.getType; },
    makeString: function () { return function (v) { return String(v); }; },
    makeNumber: function () { return function (v) { return Number(v); }; },
    makeInteger: function () {
      return function (v) { var n = Number(v); return isFinite(n) ? (n < 0 ? Math.ceil(n) : Math.floor(n)) : n; };
    },
    makeTableMap: function () {
      return function (table, keyColumn, valueColumn) {
        if (!Array.isArray(table)) { return null; }
        var out = {};
        table.forEach(function (row) { if (row && typeof row === 'object') { out[row[keyColumn]] = row[valueColumn]; } });
        return out;
      };
    },
    encodeUri: function () { return decoder(encodeURI); },
    encodeUriComponent: function () { return decoder(encodeURIComponent); },
    decodeUri: function () { return decoder(decodeURI); },
    decodeUriComponent: function () { return decoder(decodeURIComponent); },
    toBase64: function () {
      return function (text, options) { return util.toBase64(text, !!(options && options.urlEncoding)); };
    },
    fromBase64: function () { return util.fromBase64; },
    parseUrl: function () { return util.parseUrl; },
    getTimestampMillis: function () { return function () { return state.now; }; },
    getTimestamp: function () { return function () { return state.now; }; },
    generateRandom: function () {
      return function (min, max) { return Math.floor(state.random() * (max - min + 1)) + min; };
    },
    callLater: function () { return function (fn) { schedule(guarded(fn)); }; },
    queryPermission: function () {
      return function (id) { return allowed(id, Array.prototype.slice.call(arguments, 1)); };
    },
    logToConsole: function () {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        if (checks.logging()) { state.run.logs.push(format(args)); }
      };
    },
    getContainerVersion: function () {
      return function () {
        checks.read_container_data();
        return {containerId: state.containerId, debugMode: state.debug, environmentMode: false,
                environmentName: '', previewMode: state.debug, version: '0'};
      };
    }
  };

  // ---- web ----------------------------------------------------------------------
  var web = {
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
        return clone(at.value.apply(at.parent, args.map(function (a) { return clone(a); })));
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
          state.run.pushes.push({key: key, value: util.plain(value)});
          queue.push(clone(value));
        };
      };
    },
    createArgumentsQueue: function () {
      return function (fnKey, arrayKey) {
        checks.access_globals('readwrite', fnKey);
        checks.access_globals('readwrite', arrayKey);
        var arr = lookup(state.page.window, arrayKey);
        if (!arr.parent) { throw new Error('createArgumentsQueue: no path to window.' + arrayKey); }
        if (arr.value === undefined) { arr.parent[arr.leaf] = []; }
        var fn = lookup(state.page.window, fnKey);
        if (!fn.parent) { throw new Error('createArgumentsQueue: no path to window.' + fnKey); }
        if (fn.value === undefined) {
          fn.parent[fn.leaf] = function () {
            var a = lookup(state.page.window, arrayKey).value;
            state.run.pushes.push({key: arrayKey, value: util.plain(Array.prototype.slice.call(arguments))});
            a.push(arguments);
          };
        }
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
    getCookieValues: function () { return cookieReader; },
    sha256: function () {
      return function (input, onSuccess, onFailure, options) {
        var digest = options && options.outputEncoding === 'hex' ? util.sha256Hex(input) : util.sha256Base64(input);
        schedule(guarded(function () { onSuccess(digest); }));
      };
    }
  };

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

  // ---- server -------------------------------------------------------------------
  function nextResponse() {
    var r = state.responses.length > 1 ? state.responses.shift() : state.responses[0];
    return r || {kind: 'response', status: 200, headers: {}, body: ''};
  }

  var server = {
    getAllEventData: function () {
      return function () { checks.read_event_data(undefined); return clone(state.eventData); };
    },
    getEventData: function () {
      return function (keyPath) {
        checks.read_event_data(String(keyPath));
        return clone(lookup(state.eventData, keyPath).value);
      };
    },
    getCookieValues: function () { return cookieReader; },
    setCookie: function () {
      return function (name, value, options, noEncode) {
        checks.set_cookies(name, options);
        state.run.cookiesSet.push({name: name, value: String(value), options: util.plain(options || {}),
                                   noEncode: noEncode === true});
      };
    },
    getRequestHeader: function () {
      return function (name) {
        checks.read_request(String(name));
        var wanted = String(name).toLowerCase();
        var found = Object.keys(state.headers).filter(function (h) { return h.toLowerCase() === wanted; });
        return found.length ? String(state.headers[found[0]]) : undefined;
      };
    },
    sha256Sync: function () {
      return function (input, options) {
        return options && options.outputEncoding === 'hex' ? util.sha256Hex(input) : util.sha256Base64(input);
      };
    },
    sha256: function () {
      return function (input, onSuccess, options) {
        var digest = options && options.outputEncoding === 'hex' ? util.sha256Hex(input) : util.sha256Base64(input);
        schedule(guarded(function () { onSuccess(digest); }));
      };
    },
    Promise: function () {
      return {
        create: function (resolver) { return new Promise(resolver); },
        all: function (items) { return Promise.all(items); }
      };
    },
    sendHttpRequest: function () { return httpRequest; },
    sendHttpGet: function () {
      return function (url, options) { return httpRequest(url, Object.assign({}, options || {}, {method: 'GET'})); };
    }
  };

  // Promise form: sendHttpRequest(url, options, body); callback form (older):
  // sendHttpRequest(url, callback(statusCode, headers, body), options, body), where a
  // failed request reports status code 0.
  function httpRequest(url, second, third, fourth) {
    var callback = typeof second === 'function' ? second : null;
    var options = (callback ? third : second) || {};
    var body = callback ? fourth : third;
    checks.send_http(String(url));
    state.run.requests.push({url: String(url), method: String(options.method || 'GET').toUpperCase(),
                             headers: util.plain(options.headers || {}),
                             body: body === undefined ? null : String(body),
                             timeout: options.timeout === undefined ? null : options.timeout,
                             form: callback ? 'callback' : 'promise'});
    var response = nextResponse();
    if (callback) {
      schedule(guarded(function () {
        if (response.kind === 'response') { callback(response.status, clone(response.headers), response.body); }
        else { callback(0, {}, undefined); }
      }));
      return undefined;
    }
    return new Promise(function (resolve, reject) {
      schedule(function () {
        if (response.kind === 'response') {
          resolve({statusCode: response.status, headers: clone(response.headers), body: response.body});
        } else { reject({reason: response.reason}); }
      });
    });
  }

  // Which API needs which permission (for the static checks on the Python side).
  var NAMES = {
    WEB: Object.keys(common).concat(Object.keys(web)),
    SERVER: Object.keys(common).concat(Object.keys(server))
  };

  function makeRequire() {
    var table = state.context === 'SERVER' ? server : web;
    return function require(name) {
      name = String(name);
      var factory = Object.prototype.hasOwnProperty.call(table, name) ? table[name] :
        (Object.prototype.hasOwnProperty.call(common, name) ? common[name] : null);
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
      state.debug = !!page.debug;
    },
    apiNames: function () { return JSON.stringify(NAMES); },
    state: state
  };
})(__util);
