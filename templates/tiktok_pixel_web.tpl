___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "gtmgen TikTok Pixel",
  "categories": [
    "ADVERTISING",
    "ANALYTICS",
    "CONVERSIONS"
  ],
  "brand": {
    "id": "brand_dummy",
    "displayName": "gtmgen"
  },
  "description": "The TikTok pixel of a page: a base tag (every page) builds TikTok's ttq stub and, once ad_storage is granted, loads events.js and sends the Pageview; event tags send one TikTok event with its event_id, deduplicated with the Events API event of the same pixel, name and ID.",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "SELECT",
    "name": "tagType",
    "displayName": "Tag type",
    "macrosInSelect": false,
    "selectItems": [
      {
        "value": "event",
        "displayValue": "Event"
      },
      {
        "value": "base",
        "displayValue": "Base (every page: stub, consent, events.js and Pageview)"
      }
    ],
    "simpleValueType": true,
    "defaultValue": "event",
    "alwaysInSummary": true,
    "help": "Base: one tag per pixel on Initialization - All Pages, without a consent requirement. It builds the ttq stub, and loads events.js and sends the Pageview only once ad_storage is granted (at once, or when the visitor grants it later on the page). Event: one TikTok event; it loads the pixel too if the base tag has not."
  },
  {
    "type": "TEXT",
    "name": "pixelId",
    "displayName": "Pixel ID",
    "simpleValueType": true,
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      }
    ],
    "alwaysInSummary": true,
    "help": "The TikTok pixel ID (Events Manager > Data sources)."
  },
  {
    "type": "TEXT",
    "name": "eventName",
    "displayName": "TikTok event name",
    "simpleValueType": true,
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      }
    ],
    "alwaysInSummary": true,
    "help": "The TikTok event name, e.g. <code>CompletePayment</code>. It must be the same in the pixel and Events API tags of an event.",
    "enablingConditions": [
      {
        "paramName": "tagType",
        "paramValue": "event",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "eventId",
    "displayName": "Event ID",
    "simpleValueType": true,
    "alwaysInSummary": true,
    "help": "The event_id shared by the pixel and the Events API event: TikTok deduplicates events with the same pixel, event name and event_id.",
    "enablingConditions": [
      {
        "paramName": "tagType",
        "paramValue": "event",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "PARAM_TABLE",
    "name": "properties",
    "displayName": "Properties",
    "paramTableColumns": [
      {
        "param": {
          "type": "TEXT",
          "name": "name",
          "displayName": "Name",
          "simpleValueType": true
        },
        "isUnique": true
      },
      {
        "param": {
          "type": "TEXT",
          "name": "value",
          "displayName": "Value",
          "simpleValueType": true
        },
        "isUnique": false
      }
    ],
    "help": "TikTok event properties, e.g. value, currency, query, content_type. A <code>contents</code> row takes GA4 <code>items</code> (item_id, item_name, price, quantity, item_category, item_brand) or TikTok contents; value, price and quantity are sent as numbers; empty values are left out.",
    "enablingConditions": [
      {
        "paramName": "tagType",
        "paramValue": "event",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "GROUP",
    "name": "userData",
    "displayName": "Advanced matching",
    "groupStyle": "ZIPPY_OPEN",
    "subParams": [
      {
        "type": "TEXT",
        "name": "email",
        "displayName": "Email",
        "simpleValueType": true,
        "help": "The user's email, plain (the pixel hashes it with SHA-256) or as a SHA-256 hex (sent as sha256_email)."
      },
      {
        "type": "TEXT",
        "name": "phoneNumber",
        "displayName": "Phone number",
        "simpleValueType": true,
        "help": "In E.164 form with the country code, e.g. +12133734253, or written nationally with a default country code below; plain (the pixel hashes it) or as a SHA-256 hex (sent as sha256_phone_number)."
      },
      {
        "type": "TEXT",
        "name": "defaultCountryCode",
        "displayName": "Default country calling code",
        "simpleValueType": true,
        "valueValidators": [
          {
            "type": "REGEX",
            "args": [
              "^([1-9][0-9]{0,2})?$"
            ]
          }
        ],
        "help": "Optional, digits only (e.g. 49): the same rule as the server tag's, so that both sides hash the same number. '+...' and '00...' are international, one leading 0 is the trunk prefix (dropped), digits already starting with CODE are kept, other numbers get +CODE. Empty: numbers are only cleaned, never guessed."
      },
      {
        "type": "TEXT",
        "name": "externalId",
        "displayName": "External ID",
        "simpleValueType": true,
        "help": "Your own ID of the user (the pixel hashes it)."
      }
    ],
    "enablingConditions": [
      {
        "paramName": "tagType",
        "paramValue": "event",
        "type": "EQUALS"
      }
    ]
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

// gtmgen TikTok Pixel. Two kinds of tag share this template:
// - "base" (one per pixel, Initialization - All Pages, no GTM consent requirement): builds
//   the ttq stub of TikTok's base code at once; loads events.js and sends the Pageview
//   only when ad_storage is granted, at once or when the visitor grants it later on the
//   page (addConsentListener), and drives ttq.holdConsent/grantConsent/revokeConsent;
// - "event": ttq.identify() (only with ad_user_data) and ttq.track(event, properties,
//   {event_id, pixel_code}), the event ID in the third argument so that TikTok
//   deduplicates this event with the Events API event of the same pixel, name and ID.
// Whichever runs first, events.js is loaded and the Pageview sent once per page and
// pixel; a pixel the page's own base code loaded is neither loaded nor paged again.
// Calls for our pixel go to its own queue ttq._i[pixelId] (or carry pixel_code), never
// to another pixel of the page.
const addConsentListener = require('addConsentListener');
const callInWindow = require('callInWindow');
const copyFromWindow = require('copyFromWindow');
const createQueue = require('createQueue');
const encodeUriComponent = require('encodeUriComponent');
const getTimestampMillis = require('getTimestampMillis');
const getType = require('getType');
const injectScript = require('injectScript');
const isConsentGranted = require('isConsentGranted');
const JSON = require('JSON');
const logToConsole = require('logToConsole');
const makeNumber = require('makeNumber');
const makeString = require('makeString');
const setInWindow = require('setInWindow');
const templateStorage = require('templateStorage');

const SDK_URL = 'https://analytics.tiktok.com/i18n/pixel/events.js';
// ttq.methods of TikTok's base code (research/tiktok.md §1.1).
const METHODS = ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once',
  'ready', 'alias', 'group', 'enableCookie', 'disableCookie', 'holdConsent',
  'revokeConsent', 'grantConsent'];
const NUMERIC = ['value', 'price', 'quantity'];
const HEX = '0123456789abcdef';

function log(message) {
  logToConsole('gtmgen TikTok Pixel: ' + message);
}

function text(value) {
  if (value === undefined || value === null) return '';
  return makeString(value).trim();
}

function isEmpty(value) {
  return value === undefined || value === null || value === '';
}

function number(value) {
  if (getType(value) === 'number') return value;
  if (getType(value) !== 'string' || text(value) === '') return value;
  const parsed = makeNumber(value);
  return parsed === parsed ? parsed : value;
}

function put(target, key, value) {
  if (!isEmpty(value)) target[key] = value;
}

function isSha256(value) {
  if (value.length !== 64) return false;
  const lower = value.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    if (HEX.indexOf(lower.charAt(i)) < 0) return false;
  }
  return true;
}

// GA4 items (item_id, item_name, ...) or TikTok contents (content_id, ...) -> contents.
function content(item) {
  const out = {};
  put(out, 'content_id', text(isEmpty(item.content_id) ? item.item_id : item.content_id));
  put(out, 'content_type', text(item.content_type) || 'product');
  put(out, 'content_name', text(isEmpty(item.content_name) ? item.item_name : item.content_name));
  put(out, 'content_category',
      text(isEmpty(item.content_category) ? item.item_category : item.content_category));
  put(out, 'brand', text(isEmpty(item.brand) ? item.item_brand : item.brand));
  put(out, 'price', number(item.price));
  put(out, 'quantity', number(item.quantity));
  return out;
}

function contents(value) {
  let items = getType(value) === 'string' ? JSON.parse(value) : value;
  if (getType(items) === 'object') items = [items];
  if (getType(items) !== 'array') return undefined;
  const out = [];
  items.forEach(function (item) {
    if (getType(item) === 'object') out.push(content(item));
  });
  return out;
}

function properties(rows) {
  const out = {};
  if (getType(rows) !== 'array') return out;
  rows.forEach(function (row) {
    const name = text(row && row.name);
    const value = row ? row.value : undefined;
    if (name === '' || isEmpty(value)) return;
    if (name === 'contents') {
      put(out, 'contents', contents(value));
    } else if (NUMERIC.indexOf(name) >= 0) {
      out[name] = number(value);
    } else {
      out[name] = value;
    }
  });
  return out;
}

function cleanPhone(value) {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (' -().\t/'.indexOf(c) >= 0) continue;
    if (c === '+' && out !== '') continue;
    out += c;
  }
  return out;
}

function normalisePhone(value, countryCode) {
  const clean = cleanPhone(value);
  if (clean === '' || isSha256(clean) || countryCode === '' || clean.charAt(0) === '+') {
    return clean;
  }
  if (clean.indexOf('00') === 0) return '+' + clean.substring(2);
  if (clean.charAt(0) === '0') return '+' + countryCode + clean.substring(1);
  if (clean.indexOf(countryCode) === 0) return '+' + clean;
  return '+' + countryCode + clean;
}

function userData() {
  const user = {};
  const email = text(data.email);
  const phone = normalisePhone(text(data.phoneNumber), text(data.defaultCountryCode));
  if (email !== '') user[isSha256(email) ? 'sha256_email' : 'email'] = email;
  if (phone !== '') user[isSha256(phone) ? 'sha256_phone_number' : 'phone_number'] = phone;
  put(user, 'external_id', text(data.externalId));
  return user;
}

function sdkUrl(pixelId) {
  return SDK_URL + '?sdkid=' + encodeUriComponent(pixelId) + '&lib=ttq';
}

// A deferred method of the base code: pushes [name, ...arguments] onto a queue that
// events.js replays when it loads.
function deferred(push, name) {
  return function (a, b, c, d) {
    const entry = [name];
    const args = [a, b, c, d];
    let last = args.length;
    while (last > 0 && args[last - 1] === undefined) last--;
    for (let i = 0; i < last; i++) entry.push(args[i]);
    push(entry);
  };
}

// What this template knows of each pixel on this page (templateStorage lives as long as
// the page and is shared by the base and event tags, which are this one template).
function pixelState(pixelId) {
  const all = templateStorage.getItem('pixels') || {};
  return all[pixelId] || {};
}

function savePixel(pixelId, state) {
  const all = templateStorage.getItem('pixels') || {};
  all[pixelId] = state;
  templateStorage.setItem('pixels', all);
}

// The base code's ttq stub: window.ttq is an array used as a queue, with ttq.methods,
// one deferred function per method, instance(), load(), _i, _t and _o. Whatever the
// page (its own base code, or events.js once loaded) already defined is kept.
function ensureStub() {
  if (templateStorage.getItem('stub')) return;
  templateStorage.setItem('stub', true);
  setInWindow('TiktokAnalyticsObject', 'ttq', false);
  const push = createQueue('ttq');
  setInWindow('ttq.methods', METHODS, false);
  METHODS.forEach(function (name) {
    setInWindow('ttq.' + name, deferred(push, name), false);
  });
  // ttq.instance(id): the pixel's methods. Before events.js loads they queue on the
  // global queue; a track carries pixel_code, so it reaches that pixel only.
  setInWindow('ttq.instance', function (id) {
    const methods = {};
    METHODS.forEach(function (name) {
      const queue = deferred(push, name);
      methods[name] = name !== 'track' ? queue : function (event, props, options) {
        const routed = {pixel_code: makeString(id)};
        if (getType(options) === 'object') put(routed, 'event_id', options.event_id);
        queue(event, props || {}, routed);
      };
    });
    return methods;
  }, false);
  // ttq.load(id, options) of page code that runs before events.js: gtmgen loads its own
  // pixel when ad_storage is granted; a site that loads pixels itself uses TikTok's base
  // code, which replaces this function. It accepts the call and loads nothing.
  setInWindow('ttq.load', function (id, options) {
    log('ttq.load(' + makeString(id) + ') on gtmgen\'s stub: not loaded by gtmgen');
  }, false);
  setInWindow('ttq._i', {}, false);
  setInWindow('ttq._t', {}, false);
  setInWindow('ttq._o', {}, false);
}

// Did the page's own base code load this pixel (ttq.load sets _t[id] and _i[id])?
function loadedBySite(pixelId) {
  return copyFromWindow('ttq._t.' + pixelId) !== undefined ||
    copyFromWindow('ttq._i.' + pixelId) !== undefined;
}

// Loads events.js and sends the Pageview for the pixel, once per page: registers the
// pixel as the base code's ttq.load does (_i[id] with _u, _t[id], _o[id]) and queues
// ['page'] on the pixel's own queue. A pixel the page's base code loaded is left alone.
function activate(pixelId, onSuccess, onFailure) {
  const state = pixelState(pixelId);
  if (!state.active) {
    state.active = true;
    state.site = loadedBySite(pixelId);
    if (state.site) {
      log('pixel ' + pixelId + ' was loaded by the page: no second events.js or Pageview');
    } else {
      const queue = createQueue('ttq._i.' + pixelId);
      setInWindow('ttq._i.' + pixelId + '._u', sdkUrl(pixelId), true);
      setInWindow('ttq._t.' + pixelId, getTimestampMillis(), true);
      setInWindow('ttq._o.' + pixelId, {}, true);
      queue(['page']);
      log('Pageview queued for pixel ' + pixelId);
    }
    savePixel(pixelId, state);
  }
  if (state.site) {
    onSuccess();
    return;
  }
  injectScript(sdkUrl(pixelId), function () {
    const loaded = pixelState(pixelId);
    loaded.loaded = true;
    savePixel(pixelId, loaded);
    onSuccess();
  }, function () {
    log('could not load ' + SDK_URL);
    onFailure();
  }, 'gtmgen_tiktok_' + pixelId);
}

// Is the pixel's own queue still waiting for events.js? Then our calls go onto it.
function queued(pixelId) {
  const state = pixelState(pixelId);
  if (state.loaded) return false;
  if (getType(copyFromWindow('ttq._i.' + pixelId + '.track')) === 'function') return false;
  return getType(copyFromWindow('ttq._i.' + pixelId)) === 'array';
}

function onConsent(pixelId, granted) {
  if (granted) {
    activate(pixelId, function () {}, function () {});
    callInWindow('ttq.grantConsent');
    log('ad_storage granted: TikTok consent granted');
  } else {
    callInWindow('ttq.revokeConsent');
    log('ad_storage denied: TikTok consent revoked');
  }
}

function runBase(pixelId) {
  const state = pixelState(pixelId);
  if (!state.listening) {
    state.listening = true;
    savePixel(pixelId, state);
    addConsentListener('ad_storage', function (consentType, granted) {
      onConsent(pixelId, granted);
    });
  }
  if (isConsentGranted('ad_storage')) {
    activate(pixelId, data.gtmOnSuccess, data.gtmOnFailure);
    return;
  }
  // Undecided or denied: nothing is loaded or sent. A pixel the page already loaded is
  // held until the visitor decides.
  if (!state.held && loadedBySite(pixelId)) {
    const held = pixelState(pixelId);
    held.held = true;
    savePixel(pixelId, held);
    callInWindow('ttq.holdConsent');
    log('ad_storage not granted: TikTok consent held for the page\'s pixel');
  } else {
    log('ad_storage not granted: the pixel loads when it is');
  }
  data.gtmOnSuccess();
}

function runEvent(pixelId, eventName) {
  if (!isConsentGranted('ad_storage')) {
    log('ad_storage not granted: ' + eventName + ' not sent');
    data.gtmOnSuccess();
    return;
  }
  activate(pixelId, data.gtmOnSuccess, data.gtmOnFailure);
  const onQueue = queued(pixelId);
  const push = onQueue ? createQueue('ttq._i.' + pixelId) : undefined;
  const user = userData();
  const hasUser = user.email || user.sha256_email || user.phone_number ||
    user.sha256_phone_number || user.external_id;
  if (hasUser && !isConsentGranted('ad_user_data')) {
    log('ad_user_data not granted: no advanced matching');
  } else if (hasUser && push) {
    push(['identify', user]);
  } else if (hasUser) {
    callInWindow('ttq._i.' + pixelId + '.identify', user);
  }
  const trackOptions = {pixel_code: pixelId};
  put(trackOptions, 'event_id', text(data.eventId));
  const props = properties(data.properties);
  if (push) {
    push(['track', eventName, props, trackOptions]);
  } else {
    callInWindow('ttq.track', eventName, props, trackOptions);
  }
  log('queued ' + eventName + ' for pixel ' + pixelId + ', event_id ' +
      (trackOptions.event_id || '(none)'));
}

const pixelId = text(data.pixelId);
const eventName = text(data.eventName);
const isBase = data.tagType === 'base';
if (pixelId === '' || (!isBase && eventName === '')) {
  log('the pixel ID and the event name are required; nothing sent');
  data.gtmOnFailure();
  return;
}

ensureStub();
if (isBase) {
  runBase(pixelId);
} else {
  runEvent(pixelId, eventName);
}


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {
        "publicId": "logging",
        "versionId": "1"
      },
      "param": [
        {
          "key": "environments",
          "value": {
            "type": 1,
            "string": "debug"
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_globals",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keys",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "TiktokAnalyticsObject"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.methods"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.page"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.track"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.identify"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.instances"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.debug"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.on"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.off"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.once"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.ready"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.alias"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.group"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.enableCookie"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.disableCookie"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.holdConsent"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.revokeConsent"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.grantConsent"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.instance"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq.load"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq._i"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq._t"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ttq._o"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "inject_script",
        "versionId": "1"
      },
      "param": [
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://analytics.tiktok.com/*"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_template_storage",
        "versionId": "1"
      },
      "param": []
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_consent",
        "versionId": "1"
      },
      "param": [
        {
          "key": "consentTypes",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "consentType"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ad_storage"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "consentType"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ad_user_data"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: Queues the Pageview and the event on the pixel's own queue and loads the pixel
  code: |-
    runCode(mockData);

    assertThat(pushed).contains(['ttq._i.CTEST123', ['page']]);
    assertApi('callInWindow').wasCalledWith('ttq.track', 'CompletePayment', {
      value: 25.5,
      currency: 'EUR',
      contents: [{content_id: 'SKU-1', content_type: 'product', content_name: 'Mug',
                  price: 12.75, quantity: 2}]
    }, {pixel_code: 'CTEST123', event_id: 'tt_evt_1'});
    assertThat(injected).isEqualTo(
        'https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=CTEST123&lib=ttq');
    assertThat(paths).doesNotContain('ttq.identify');
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: Identifies the user when user data is given
  code: |-
    mockData.email = ' jane@example.com ';
    mockData.externalId = 'user-7';

    runCode(mockData);

    assertApi('callInWindow').wasCalledWith('ttq._i.CTEST123.identify',
        {email: 'jane@example.com', external_id: 'user-7'});
    assertApi('gtmOnSuccess').wasCalled();
- name: Passes an already hashed email as sha256_email
  code: |-
    mockData.email = '86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d';

    runCode(mockData);

    assertApi('callInWindow').wasCalledWith('ttq._i.CTEST123.identify',
        {sha256_email: '86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d'});
- name: No advanced matching without ad_user_data
  code: |-
    mockData.email = 'jane@example.com';
    denied = ['ad_user_data'];

    runCode(mockData);

    assertThat(paths).doesNotContain('ttq._i.CTEST123.identify');
    assertApi('callInWindow').wasCalledWith('ttq.track', 'CompletePayment', {
      value: 25.5,
      currency: 'EUR',
      contents: [{content_id: 'SKU-1', content_type: 'product', content_name: 'Mug',
                  price: 12.75, quantity: 2}]
    }, {pixel_code: 'CTEST123', event_id: 'tt_evt_1'});
- name: An event tag sends nothing without ad_storage
  code: |-
    denied = ['ad_storage'];

    runCode(mockData);

    assertApi('injectScript').wasNotCalled();
    assertThat(paths).doesNotContain('ttq.track');
    assertThat(pushed).isEmpty();
    assertApi('gtmOnSuccess').wasCalled();
- name: Drops empty properties and keeps TikTok-shaped contents
  code: |-
    mockData.eventId = '';
    mockData.properties = [
      {name: 'value', value: '19.90'},
      {name: 'currency', value: ''},
      {name: 'query', value: undefined},
      {name: 'contents', value: [{content_id: 42, content_type: 'product_group', quantity: 1}]}
    ];

    runCode(mockData);

    assertApi('callInWindow').wasCalledWith('ttq.track', 'CompletePayment', {
      value: 19.9,
      contents: [{content_id: '42', content_type: 'product_group', quantity: 1}]
    }, {pixel_code: 'CTEST123'});
- name: The base tag loads the pixel and sends the Pageview when ad_storage is granted
  code: |-
    runCode({tagType: 'base', pixelId: 'CTEST123'});

    assertThat(pushed).isEqualTo([['ttq._i.CTEST123', ['page']]]);
    assertThat(injected).isEqualTo(
        'https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=CTEST123&lib=ttq');
    assertThat(listeners).isEqualTo(['ad_storage']);
    assertThat(paths).doesNotContain('ttq.track');
    assertApi('gtmOnSuccess').wasCalled();
- name: The base tag waits for ad_storage, then loads and grants TikTok consent
  code: |-
    denied = ['ad_storage'];

    runCode({tagType: 'base', pixelId: 'CTEST123'});

    assertApi('injectScript').wasNotCalled();
    assertThat(pushed).isEmpty();
    assertApi('gtmOnSuccess').wasCalled();
    assertThat(paths).doesNotContain('ttq.holdConsent');
    listener('ad_storage', true);
    assertThat(pushed).isEqualTo([['ttq._i.CTEST123', ['page']]]);
    assertApi('injectScript').wasCalled();
    assertApi('callInWindow').wasCalledWith('ttq.grantConsent');
    listener('ad_storage', false);
    assertApi('callInWindow').wasCalledWith('ttq.revokeConsent');
- name: The base tag holds TikTok consent of a pixel the page loaded itself
  code: |-
    denied = ['ad_storage'];
    siteLoaded = true;

    runCode({tagType: 'base', pixelId: 'CTEST123'});

    assertApi('callInWindow').wasCalledWith('ttq.holdConsent');
    assertApi('injectScript').wasNotCalled();
    listener('ad_storage', true);
    assertApi('injectScript').wasNotCalled();
    assertThat(pushed).isEmpty();
    assertApi('callInWindow').wasCalledWith('ttq.grantConsent');
- name: Fails without a pixel ID and sends nothing
  code: |-
    mockData.pixelId = '';

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
    assertApi('injectScript').wasNotCalled();
    assertApi('callInWindow').wasNotCalled();
- name: Fails when the pixel script does not load
  code: |-
    loads = false;

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
setup: |-
  const mockData = {
    pixelId: 'CTEST123',
    eventName: 'CompletePayment',
    eventId: 'tt_evt_1',
    properties: [
      {name: 'value', value: 25.5},
      {name: 'currency', value: 'EUR'},
      {name: 'contents', value: [{item_id: 'SKU-1', item_name: 'Mug', price: 12.75,
                                  quantity: 2}]}
    ]
  };
  let injected;
  let loads = true;
  let denied = [];
  let siteLoaded = false;
  let listener;
  const listeners = [];
  const paths = [];
  const pushed = [];
  const storage = {};

  mock('copyFromWindow', function (key) {
    if (siteLoaded && key === 'ttq._t.CTEST123') return 1;
    return undefined;
  });
  mock('setInWindow', function (key, value, override) { return true; });
  mock('createQueue', function (key) {
    return function (value) { pushed.push([key, value]); };
  });
  mock('callInWindow', function (path) { paths.push(path); });
  mock('isConsentGranted', function (type) { return denied.indexOf(type) < 0; });
  mock('addConsentListener', function (type, fn) {
    listeners.push(type);
    listener = fn;
  });
  mockObject('templateStorage', {
    getItem: function (key) { return storage[key]; },
    setItem: function (key, value) { storage[key] = value; }
  });
  mock('injectScript', function (url, onSuccess, onFailure, cacheToken) {
    injected = url;
    if (loads) {
      onSuccess();
    } else {
      onFailure();
    }
  });


___NOTES___

gtmgen TikTok Pixel, written for gtmgen (not TikTok's template). gtmgen build embeds this file in the web export and adds to its access_globals permission the keys of the spec's pixel (ttq._i.<id>, ttq._t.<id>, ...); change it in gtmgen, not in GTM. See docs/tiktok-web.md.


