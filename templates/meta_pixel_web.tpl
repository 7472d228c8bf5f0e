___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "gtmgen Meta Pixel",
  "categories": [
    "ADVERTISING",
    "ANALYTICS",
    "CONVERSIONS"
  ],
  "brand": {
    "id": "brand_dummy",
    "displayName": "gtmgen"
  },
  "description": "Loads the Meta Pixel once per page (base mode, after ad_storage consent) and sends one Meta event to this pixel only, with the eventID shared by the Conversions API event.",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "SELECT",
    "name": "mode",
    "displayName": "Tag type",
    "macrosInSelect": false,
    "selectItems": [
      {
        "value": "base",
        "displayValue": "Base: the pixel and its PageView (fire on every page)"
      },
      {
        "value": "event",
        "displayValue": "Event: one Meta event for this pixel"
      }
    ],
    "simpleValueType": true,
    "defaultValue": "event",
    "alwaysInSummary": true,
    "help": "Base: builds the fbq stub at once; loads fbevents.js, inits the pixel and sends PageView as soon as ad_storage is granted (also when it is granted later on the page). Event: sends one event to this pixel only, with the event ID."
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
    "help": "The Meta pixel (dataset) ID, digits (Events Manager > Data sources)."
  },
  {
    "type": "TEXT",
    "name": "eventName",
    "displayName": "Meta event name",
    "simpleValueType": true,
    "enablingConditions": [
      {
        "paramName": "mode",
        "paramValue": "event",
        "type": "EQUALS"
      }
    ],
    "alwaysInSummary": true,
    "help": "The Meta event name, e.g. <code>Purchase</code>: a standard event goes with trackSingle, any other name with trackSingleCustom. It must be the same in the pixel and Conversions API tags of an event."
  },
  {
    "type": "TEXT",
    "name": "eventId",
    "displayName": "Event ID",
    "simpleValueType": true,
    "enablingConditions": [
      {
        "paramName": "mode",
        "paramValue": "event",
        "type": "EQUALS"
      }
    ],
    "alwaysInSummary": true,
    "help": "Sent as {eventID: ...}, the 4th argument: Meta deduplicates it with the Conversions API event of the same pixel, event name and event_id."
  },
  {
    "type": "PARAM_TABLE",
    "name": "properties",
    "displayName": "Properties",
    "enablingConditions": [
      {
        "paramName": "mode",
        "paramValue": "event",
        "type": "EQUALS"
      }
    ],
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
    "help": "Sent with Meta's parameter names: value, currency, contents (GA4 items become [{id, quantity, item_price}], with content_ids, content_type 'product' and num_items), query becomes search_string, transaction_id order_id; other names are sent as they are. Empty values are left out."
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

// gtmgen Meta Pixel: Meta's base code as a sandboxed template. Base mode (fire on every
// page): builds the fbq stub, and once ad_storage is granted (at once, or later on the
// same page through a consent listener) loads fbevents.js, inits the pixel and sends its
// PageView. Event mode: sends one event to this pixel only (trackSingle or
// trackSingleCustom) with {eventID} as the 4th argument, the event_id the Conversions
// API event carries, so that Meta deduplicates the two. Whatever fires first, fbevents.js
// loads once, and init and PageView run once per pixel per page.
const addConsentListener = require('addConsentListener');
const aliasInWindow = require('aliasInWindow');
const callInWindow = require('callInWindow');
const copyFromWindow = require('copyFromWindow');
const createQueue = require('createQueue');
const getType = require('getType');
const injectScript = require('injectScript');
const isConsentGranted = require('isConsentGranted');
const JSON = require('JSON');
const logToConsole = require('logToConsole');
const makeNumber = require('makeNumber');
const makeString = require('makeString');
const setInWindow = require('setInWindow');
const templateStorage = require('templateStorage');

const SDK_URL = 'https://connect.facebook.net/en_US/fbevents.js';
const CACHE_TOKEN = 'gtmgen_meta_fbevents';
const STANDARD = ['AddPaymentInfo', 'AddToCart', 'AddToWishlist', 'CompleteRegistration',
                  'Contact', 'CustomizeProduct', 'Donate', 'FindLocation', 'InitiateCheckout',
                  'Lead', 'PageView', 'Purchase', 'Schedule', 'Search', 'StartTrial',
                  'SubmitApplication', 'Subscribe', 'ViewContent'];
const NUMERIC = ['value', 'predicted_ltv', 'num_items'];
const RENAMED = {query: 'search_string', search_term: 'search_string',
                 transaction_id: 'order_id'};

function log(message) {
  logToConsole('gtmgen Meta Pixel: ' + message);
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

// GA4 items (item_id, price, quantity) or Meta contents (id, item_price, quantity).
function content(item) {
  const out = {};
  let id = isEmpty(item.id) ? item.item_id : item.id;
  if (isEmpty(id)) id = item.content_id;
  put(out, 'id', text(id));
  const quantity = number(item.quantity);
  out.quantity = isEmpty(quantity) ? 1 : quantity;
  put(out, 'item_price', number(isEmpty(item.item_price) ? item.price : item.item_price));
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

// Spec properties -> Meta standard parameters (gtmgen/platforms/meta/mapping.py).
function parameters(rows) {
  const out = {};
  const derived = {};
  if (getType(rows) !== 'array') return out;
  rows.forEach(function (row) {
    const name = text(row && row.name);
    const value = row ? row.value : undefined;
    if (name === '' || isEmpty(value)) return;
    if (name === 'contents') {
      const found = contents(value);
      if (!found) return;
      out.contents = found;
      const ids = [];
      let count = 0;
      let counted = true;
      found.forEach(function (c) {
        if (c.id) ids.push(c.id);
        if (getType(c.quantity) === 'number') count += c.quantity; else counted = false;
      });
      if (ids.length) derived.content_ids = ids;
      derived.content_type = 'product';
      if (counted) derived.num_items = count;
      return;
    }
    const key = RENAMED[name] || name;
    out[key] = NUMERIC.indexOf(key) >= 0 ? number(value) : value;
  });
  ['content_ids', 'content_type', 'num_items'].forEach(function (key) {
    if (isEmpty(out[key]) && !isEmpty(derived[key])) out[key] = derived[key];
  });
  return out;
}

// The arguments up to the last one given (the stub takes at most six).
function given(args) {
  let last = args.length;
  while (last > 0 && args[last - 1] === undefined) last--;
  const out = [];
  for (let i = 0; i < last; i++) out.push(args[i]);
  return out;
}

// callInWindow(path, ...args) for a list of arguments (the sandbox has no apply()).
function callWith(path, args) {
  const a = args;
  if (a.length === 0) return callInWindow(path);
  if (a.length === 1) return callInWindow(path, a[0]);
  if (a.length === 2) return callInWindow(path, a[0], a[1]);
  if (a.length === 3) return callInWindow(path, a[0], a[1], a[2]);
  if (a.length === 4) return callInWindow(path, a[0], a[1], a[2], a[3]);
  if (a.length === 5) return callInWindow(path, a[0], a[1], a[2], a[3], a[4]);
  return callInWindow(path, a[0], a[1], a[2], a[3], a[4], a[5]);
}

function fbq(a, b, c, d, e) {
  callWith('fbq', given([a, b, c, d, e]));
}

// Meta's base code builds window.fbq only if it is absent: a function that hands each
// call to fbq.callMethod once fbevents.js has attached it to this same function, and
// until then queues the call on fbq.queue, which fbevents.js replays when it loads.
// Also fbq.push = fbq, fbq.loaded = true, fbq.version = '2.0' and _fbq = fbq if unset.
// Returns 'site' when the page (its own base code, another tag) built window.fbq.
function ensureStub() {
  const known = templateStorage.getItem('stub');
  if (known) return known;
  if (getType(copyFromWindow('fbq')) === 'function') {
    templateStorage.setItem('stub', 'site');
    return 'site';
  }
  let queue;
  setInWindow('fbq', function (a, b, c, d, e, f) {
    const args = given([a, b, c, d, e, f]);
    if (getType(copyFromWindow('fbq.callMethod')) === 'function') {
      callWith('fbq.callMethod', args);
    } else {
      queue(args);
    }
  }, false);
  queue = createQueue('fbq.queue');
  aliasInWindow('fbq.push', 'fbq');
  setInWindow('fbq.loaded', true, true);
  setInWindow('fbq.version', '2.0', true);
  if (getType(copyFromWindow('_fbq')) === 'undefined') aliasInWindow('_fbq', 'fbq');
  templateStorage.setItem('stub', 'gtmgen');
  return 'gtmgen';
}

// True when the page's own base code already called fbq('init', pixelId): the call is
// still queued (fbevents.js not loaded yet) or fbevents.js knows the pixel.
function initedBySite(pixelId) {
  const queued = copyFromWindow('fbq.queue');
  if (getType(queued) === 'array') {
    for (let i = 0; i < queued.length; i++) {
      const call = queued[i];
      if (call && call[0] === 'init' && text(call[1]) === pixelId) return true;
    }
  }
  const known = copyFromWindow('fbq.instance.pixelsByID');
  return getType(known) === 'object' && !isEmpty(known[pixelId]);
}

// init and PageView once per pixel per page (none when the page's own code did init).
function activate(pixelId) {
  const pixels = templateStorage.getItem('pixels') || {};
  if (pixels[pixelId]) return;
  if (initedBySite(pixelId)) {
    pixels[pixelId] = 'site';
    log('pixel ' + pixelId + ' was initialised by the page; no second init or PageView');
  } else {
    fbq('init', pixelId);
    fbq('trackSingle', pixelId, 'PageView');
    pixels[pixelId] = 'gtmgen';
  }
  templateStorage.setItem('pixels', pixels);
}

// fbevents.js once per page (injectScript's cache token), unless the page loads it.
function load(onSuccess, onFailure) {
  if (templateStorage.getItem('stub') === 'site') {
    onSuccess();
    return;
  }
  injectScript(SDK_URL, onSuccess, function () {
    log('could not load ' + SDK_URL);
    onFailure();
  }, CACHE_TOKEN);
}

function revoke() {
  if (templateStorage.getItem('revoked')) return;
  fbq('consent', 'revoke');
  templateStorage.setItem('revoked', true);
}

function wait(pixelId) {
  const waiting = templateStorage.getItem('waiting') || [];
  if (waiting.indexOf(pixelId) < 0) waiting.push(pixelId);
  templateStorage.setItem('waiting', waiting);
}

// One listener per page: grant -> fbq('consent', 'grant') if we revoked, then load and
// PageView for the pixels that waited; revoke -> fbq('consent', 'revoke').
function listen() {
  if (templateStorage.getItem('listening')) return;
  templateStorage.setItem('listening', true);
  addConsentListener('ad_storage', function (consentType, granted) {
    if (!granted) {
      log('ad_storage was revoked');
      revoke();
      return;
    }
    if (templateStorage.getItem('revoked')) {
      fbq('consent', 'grant');
      templateStorage.setItem('revoked', false);
    }
    const waiting = templateStorage.getItem('waiting') || [];
    templateStorage.setItem('waiting', []);
    if (!waiting.length) return;
    log('ad_storage was granted: loading the pixel for ' + waiting.join(', '));
    waiting.forEach(activate);
    load(function () {}, function () {});
  });
}

const mode = text(data.mode) || 'event';
const pixelId = text(data.pixelId);
const eventName = text(data.eventName);
if (pixelId === '' || (mode === 'event' && eventName === '')) {
  log('the pixel ID and, for an event, the event name are required; nothing sent');
  data.gtmOnFailure();
  return;
}
const granted = isConsentGranted('ad_storage');

if (mode === 'base') {
  ensureStub();
  listen();
  if (granted) {
    activate(pixelId);
    load(data.gtmOnSuccess, data.gtmOnFailure);
  } else {
    log('ad_storage is not granted: the pixel waits for consent');
    revoke();
    wait(pixelId);
    data.gtmOnSuccess();
  }
  return;
}

if (!granted) {
  log('ad_storage is not granted: ' + eventName + ' not sent');
  data.gtmOnSuccess();
  return;
}
ensureStub();
listen();
activate(pixelId);
const eventId = text(data.eventId);
const method = STANDARD.indexOf(eventName) >= 0 ? 'trackSingle' : 'trackSingleCustom';
const params = parameters(data.properties);
if (eventId === '') {
  log('no event ID: Meta cannot deduplicate ' + eventName + ' with the Conversions API');
  fbq(method, pixelId, eventName, params);
} else {
  fbq(method, pixelId, eventName, params, {eventID: eventId});
}
log(method + ' ' + eventName + ' for pixel ' + pixelId + ', eventID ' + (eventId || '(none)'));
load(data.gtmOnSuccess, data.gtmOnFailure);


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
                    "string": "fbq"
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
                    "string": "_fbq"
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
                    "string": "fbq.queue"
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
                    "string": "fbq.push"
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
                    "string": "fbq.loaded"
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
                    "string": "fbq.version"
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
                    "string": "fbq.callMethod"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
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
                    "string": "fbq.instance.pixelsByID"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
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
                "string": "https://connect.facebook.net/en_US/fbevents.js"
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
- name: Base tag with consent builds the stub, inits, sends PageView and loads the pixel
  code: |-
    runCode({mode: 'base', pixelId: '1234567890'});

    assertApi('setInWindow').wasCalled();
    assertApi('callInWindow').wasCalledWith('fbq', 'init', '1234567890');
    assertApi('callInWindow').wasCalledWith('fbq', 'trackSingle', '1234567890', 'PageView');
    assertThat(injected).isEqualTo(['https://connect.facebook.net/en_US/fbevents.js']);
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: Base tag without consent loads nothing until ad_storage is granted
  code: |-
    consent = false;

    runCode({mode: 'base', pixelId: '1234567890'});

    assertThat(injected).isEqualTo([]);
    assertApi('callInWindow').wasCalledWith('fbq', 'consent', 'revoke');
    assertApi('callInWindow').wasNotCalledWith('fbq', 'init', '1234567890');
    assertApi('gtmOnSuccess').wasCalled();
    listener('ad_storage', true);
    assertApi('callInWindow').wasCalledWith('fbq', 'consent', 'grant');
    assertApi('callInWindow').wasCalledWith('fbq', 'init', '1234567890');
    assertThat(injected).isEqualTo(['https://connect.facebook.net/en_US/fbevents.js']);
- name: Event tag sends trackSingle with the eventID in the fourth argument
  code: |-
    runCode(mockData);

    assertApi('callInWindow').wasCalledWith('fbq', 'init', '1234567890');
    assertApi('callInWindow').wasCalledWith('fbq', 'trackSingle', '1234567890', 'Purchase', {
      value: 25.5,
      currency: 'EUR',
      contents: [{id: 'SKU-1', quantity: 2, item_price: 12.75}],
      content_ids: ['SKU-1'],
      content_type: 'product',
      num_items: 2
    }, {eventID: 'evt_1'});
    assertApi('gtmOnSuccess').wasCalled();
- name: A custom event goes with trackSingleCustom
  code: |-
    mockData.eventName = 'NewsletterSignup';
    mockData.properties = [{name: 'query', value: 'mugs'}];

    runCode(mockData);

    assertApi('callInWindow').wasCalledWith('fbq', 'trackSingleCustom', '1234567890',
        'NewsletterSignup', {search_string: 'mugs'}, {eventID: 'evt_1'});
- name: No second init when the page's own base code did it
  code: |-
    windowValues.fbq = function () {};
    windowValues['fbq.queue'] = [['init', '1234567890'], ['track', 'PageView']];

    runCode(mockData);

    assertApi('callInWindow').wasNotCalledWith('fbq', 'init', '1234567890');
    assertApi('setInWindow').wasNotCalled();
    assertApi('injectScript').wasNotCalled();
    assertApi('callInWindow').wasCalledWith('fbq', 'trackSingle', '1234567890', 'Purchase', {
      value: 25.5,
      currency: 'EUR',
      contents: [{id: 'SKU-1', quantity: 2, item_price: 12.75}],
      content_ids: ['SKU-1'],
      content_type: 'product',
      num_items: 2
    }, {eventID: 'evt_1'});
- name: Event tag without consent sends nothing
  code: |-
    consent = false;

    runCode(mockData);

    assertApi('callInWindow').wasNotCalled();
    assertApi('injectScript').wasNotCalled();
    assertApi('gtmOnSuccess').wasCalled();
- name: Fails when the pixel script does not load
  code: |-
    loads = false;

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: Fails without a pixel ID and sends nothing
  code: |-
    mockData.pixelId = '';

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('callInWindow').wasNotCalled();
setup: |-
  const mockData = {
    mode: 'event',
    pixelId: '1234567890',
    eventName: 'Purchase',
    eventId: 'evt_1',
    properties: [
      {name: 'value', value: '25.50'},
      {name: 'currency', value: 'EUR'},
      {name: 'contents', value: [{item_id: 'SKU-1', item_name: 'Mug', price: 12.75,
                                  quantity: 2}]}
    ]
  };
  const windowValues = {};
  const injected = [];
  let consent = true;
  let loads = true;
  let listener;

  mock('isConsentGranted', function (type) { return consent; });
  mock('addConsentListener', function (type, fn) { listener = fn; });
  mock('copyFromWindow', function (key) { return windowValues[key]; });
  mock('setInWindow', function (key, value, override) { return true; });
  mock('aliasInWindow', function (to, from) { return true; });
  mock('createQueue', function (key) { return function (value) {}; });
  mock('callInWindow', function (path) {});
  mock('injectScript', function (url, onSuccess, onFailure, cacheToken) {
    injected.push(url);
    if (loads) {
      onSuccess();
    } else {
      onFailure();
    }
  });


___NOTES___

gtmgen Meta Pixel, written for gtmgen (not Meta's template). gtmgen build embeds this file in the web export; change it in gtmgen, not in GTM.


