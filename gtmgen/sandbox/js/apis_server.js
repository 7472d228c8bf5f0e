// gtmgen sandbox: the server container's APIs (event data, request, HTTP). Loaded after
// core.js.
(function (g, util) {
  'use strict';
  var state = g.state, checks = g.checks, clone = g.clone, schedule = g.schedule;
  var guarded = g.guarded, lookup = g.lookup;

  function nextResponse() {
    var r = state.responses.length > 1 ? state.responses.shift() : state.responses[0];
    return r || {kind: 'response', status: 200, headers: {}, body: ''};
  }

  g.define('SERVER', {
    getAllEventData: function () {
      return function () { checks.read_event_data(undefined); return clone(state.eventData); };
    },
    getEventData: function () {
      return function (keyPath) {
        checks.read_event_data(String(keyPath));
        return clone(lookup(state.eventData, keyPath).value);
      };
    },
    getCookieValues: function () { return g.cookieReader; },
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
  });

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
})(__gtmgen, __util);
