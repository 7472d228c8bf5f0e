// gtmgen sandbox: the APIs both containers have. Loaded after core.js.
(function (g, util) {
  'use strict';
  var state = g.state, checks = g.checks, clone = g.clone, schedule = g.schedule;
  var guarded = g.guarded, lookup = g.lookup;

  function decoder(fn) {
    return function (text) { try { return fn(String(text)); } catch (e) { return undefined; } };
  }
  g.define('common', {
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
      return function (id) { return g.allowed(id, Array.prototype.slice.call(arguments, 1)); };
    },
    logToConsole: function () {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        if (checks.logging()) { state.run.logs.push(g.format(args)); }
      };
    },
    getContainerVersion: function () {
      return function () {
        checks.read_container_data();
        return {containerId: state.containerId, debugMode: state.debug, environmentMode: false,
                environmentName: '', previewMode: state.debug, version: '0'};
      };
    }
  });
})(__gtmgen, __util);
