// gtmgen sandbox: the Tests tab's API (mock, runCode, assertApi, assertThat, fail), to
// run the ___TESTS___ scenarios of a template. runCode runs the template synchronously;
// mocked APIs replace the real ones (and skip their permission checks).
var __gtmtest = (function (g, util) {
  'use strict';

  function AssertionError(message) { var e = new Error(message); e.name = 'AssertionError'; return e; }
  function show(v) { try { return JSON.stringify(util.plain(v)); } catch (e) { return String(v); } }

  function same(actual, expected) {
    if (typeof expected === 'function' || typeof actual === 'function') { return actual === expected; }
    return util.deepEqual(util.plain(actual), util.plain(expected));
  }

  function assertApi(name) {
    function calls() { return g.state.calls.filter(function (c) { return c.name === name; }); }
    function withArgs(expected) {
      return calls().some(function (c) {
        if (c.args.length < expected.length) { return false; }
        return expected.every(function (e, i) { return same(c.args[i], e); }) &&
          c.args.slice(expected.length).every(function (a) { return a === undefined; });
      });
    }
    return {
      wasCalled: function () {
        if (!calls().length) { throw AssertionError(name + ' was not called'); }
      },
      wasNotCalled: function () {
        if (calls().length) { throw AssertionError(name + ' was called ' + calls().length + ' time(s)'); }
      },
      wasCalledWith: function () {
        var expected = Array.prototype.slice.call(arguments);
        if (!withArgs(expected)) {
          throw AssertionError(name + ' was not called with ' + show(expected) + '; calls: ' +
                               show(calls().map(function (c) { return c.args; })));
        }
      },
      wasNotCalledWith: function () {
        var expected = Array.prototype.slice.call(arguments);
        if (withArgs(expected)) { throw AssertionError(name + ' was called with ' + show(expected)); }
      }
    };
  }

  function assertThat(actual, message) {
    function check(ok, what) {
      if (!ok) { throw AssertionError((message ? message + ': ' : '') + show(actual) + ' ' + what); }
    }
    function size(v) { return v === null || v === undefined ? undefined : v.length; }
    return {
      isEqualTo: function (e) { check(same(actual, e), 'is not equal to ' + show(e)); },
      isNotEqualTo: function (e) { check(!same(actual, e), 'is equal to ' + show(e)); },
      isStrictlyEqualTo: function (e) { check(actual === e, 'is not === ' + show(e)); },
      isNotStrictlyEqualTo: function (e) { check(actual !== e, 'is === ' + show(e)); },
      isUndefined: function () { check(actual === undefined, 'is not undefined'); },
      isDefined: function () { check(actual !== undefined, 'is undefined'); },
      isNull: function () { check(actual === null, 'is not null'); },
      isNotNull: function () { check(actual !== null, 'is null'); },
      isTrue: function () { check(actual === true, 'is not true'); },
      isFalse: function () { check(actual === false, 'is not false'); },
      isTruthy: function () { check(!!actual, 'is not truthy'); },
      isFalsy: function () { check(!actual, 'is not falsy'); },
      contains: function (e) {
        check(typeof actual === 'string' ? actual.indexOf(e) >= 0 :
          Array.isArray(actual) && actual.some(function (a) { return same(a, e); }), 'does not contain ' + show(e));
      },
      doesNotContain: function (e) {
        check(typeof actual === 'string' ? actual.indexOf(e) < 0 :
          !(Array.isArray(actual) && actual.some(function (a) { return same(a, e); })), 'contains ' + show(e));
      },
      hasLength: function (n) { check(size(actual) === n, 'does not have length ' + n); },
      isEmpty: function () { check(size(actual) === 0, 'is not empty'); },
      isNotEmpty: function () { check(size(actual) > 0, 'is empty'); }
    };
  }

  // Runs setup + one scenario in this context; returns "" or the failure message.
  function runScenario(config, templateCode, setup, code) {
    g.configure(config);
    g.state.run = g.newRecord();
    g.state.mocks = {};
    g.state.calls = [];
    var template = g.compile(templateCode);
    var api = {
      mock: function (name, impl) { g.state.mocks[String(name)] = impl; },
      mockObject: function (name, obj) { g.state.mocks[String(name)] = obj; },
      runCode: function (data) {
        return template.call(undefined, g.makeRequire(), g.runData(data));
      },
      assertApi: assertApi,
      assertThat: assertThat,
      fail: function (message) { throw AssertionError(message || 'fail() called'); },
      require: g.makeRequire()
    };
    var names = Object.keys(api);
    var body = 'return function () {\n' + (setup || '') + '\n;\n' + code + '\n};';
    try {
      var fn = Function.apply(null, names.concat(['window', 'document', 'globalThis', body]));
      fn.apply(undefined, names.map(function (n) { return api[n]; }))();
      return '';
    } catch (e) {
      return String(e && e.message ? e.name + ': ' + e.message : e);
    }
  }

  return {runScenario: runScenario};
})(__gtmgen, __util);
