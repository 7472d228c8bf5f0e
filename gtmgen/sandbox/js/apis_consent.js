// gtmgen sandbox: a minimal stand-in of the page's Consent Mode state for web templates
// (isConsentGranted, addConsentListener and the access_consent permission), added for the
// Meta Pixel template. It only defines what apis_web.js does not already define, so a
// fuller version there takes over. Loaded after apis_web.js.
// API semantics: https://developers.google.com/tag-platform/tag-manager/templates/api
// ("a consent type with no state is considered granted"; a listener runs each time the
// state of its type changes from denied to granted or from granted to denied).
var __gtmgenConsent = (function (g) {
  'use strict';
  var state = g.state, checks = g.checks;
  state.page.consent = state.page.consent || {};
  state.page.consentListeners = state.page.consentListeners || [];

  function list(value) { return Array.isArray(value) ? value : []; }

  if (!checks.access_consent) {
    checks.access_consent = function (type, mode) {
      var p = state.perms.access_consent;
      var entry = list(p && p.consentTypes).filter(function (e) { return e.consentType === type; })[0];
      if (!entry || entry[mode] !== true) {
        var e = new Error('Permission denied: access_consent does not allow ' + mode + ' of ' + type);
        e.name = 'PermissionError';
        throw e;
      }
      var use = 'access_consent:' + type + ':' + mode;
      if (state.run.permissionUses.indexOf(use) < 0) { state.run.permissionUses.push(use); }
    };
  }

  function granted(type) { return state.page.consent[type] !== false; }

  var entries = {
    isConsentGranted: function () {
      return function (type) {
        checks.access_consent(String(type), 'read');
        return granted(String(type));
      };
    },
    addConsentListener: function () {
      return function (type, listener) {
        checks.access_consent(String(type), 'read');
        // The listener keeps the permissions and storage of the template that added it.
        state.page.consentListeners.push({type: String(type), listener: listener,
                                          perms: state.perms, templateKey: state.page.templateKey});
      };
    }
  };
  var known = JSON.parse(g.apiNames()).WEB;
  var missing = {};
  Object.keys(entries).forEach(function (k) { if (known.indexOf(k) < 0) { missing[k] = entries[k]; } });
  g.define('WEB', missing);

  // The page's consent tool: update({ad_storage: true|false, ...}) between tag runs. The
  // listeners of each changed type run as scheduled tasks (drain them), recorded in a
  // fresh run record (__gtmgen.result()).
  function update(states) {
    var changed = [];
    Object.keys(states).forEach(function (type) {
      var before = granted(type);
      state.page.consent[type] = states[type] === true;
      if (before !== granted(type)) { changed.push(type); }
    });
    state.run = g.newRecord();
    state.page.consentListeners.forEach(function (l) {
      if (changed.indexOf(l.type) < 0) { return; }
      var value = granted(l.type);
      g.schedule(function () {
        var saved = {perms: state.perms, key: state.page.templateKey};
        state.perms = l.perms;
        state.page.templateKey = l.templateKey;
        try { l.listener(l.type, value); } catch (e) {
          if (!state.run.exception) { state.run.exception = String(e); }
        } finally {
          state.perms = saved.perms;
          state.page.templateKey = saved.key;
        }
      });
    });
    return changed.length;
  }

  return {update: update, granted: granted};
})(__gtmgen);
