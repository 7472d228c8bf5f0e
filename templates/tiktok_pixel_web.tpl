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
  "description": "Loads the TikTok pixel once per page and sends one TikTok event with its event_id, deduplicated with the Events API event of the same pixel, name and ID.",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
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
    "help": "The TikTok event name, e.g. <code>CompletePayment</code>. It must be the same in the pixel and Events API tags of an event."
  },
  {
    "type": "TEXT",
    "name": "eventId",
    "displayName": "Event ID",
    "simpleValueType": true,
    "alwaysInSummary": true,
    "help": "The event_id shared by the pixel and the Events API event: TikTok deduplicates events with the same pixel, event name and event_id."
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
    "help": "TikTok event properties, e.g. value, currency, query, content_type. A <code>contents</code> row takes GA4 <code>items</code> (item_id, item_name, price, quantity, item_category, item_brand) or TikTok contents; value, price and quantity are sent as numbers; empty values are left out."
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
        "help": "In E.164 form with the country code, e.g. +12133734253; plain (the pixel hashes it) or as a SHA-256 hex (sent as sha256_phone_number)."
      },
      {
        "type": "TEXT",
        "name": "externalId",
        "displayName": "External ID",
        "simpleValueType": true,
        "help": "Your own ID of the user (the pixel hashes it)."
      }
    ]
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

// gtmgen TikTok Pixel: loads TikTok's pixel once per page and queues ttq.page(),
// ttq.identify() and ttq.track(event, properties, {event_id, pixel_code}) on it.
// The event ID goes in the third argument so that TikTok deduplicates this event with
// the Events API event of the same pixel, name and ID.
const callInWindow = require('callInWindow');
const copyFromWindow = require('copyFromWindow');
const createQueue = require('createQueue');
const encodeUriComponent = require('encodeUriComponent');
const getTimestampMillis = require('getTimestampMillis');
const getType = require('getType');
const injectScript = require('injectScript');
const JSON = require('JSON');
const logToConsole = require('logToConsole');
const makeNumber = require('makeNumber');
const makeString = require('makeString');
const setInWindow = require('setInWindow');
const templateStorage = require('templateStorage');

const SDK_URL = 'https://analytics.tiktok.com/i18n/pixel/events.js';
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

function userData() {
  const user = {};
  const email = text(data.email);
  const phone = text(data.phoneNumber);
  if (email !== '') user[isSha256(email) ? 'sha256_email' : 'email'] = email;
  if (phone !== '') user[isSha256(phone) ? 'sha256_phone_number' : 'phone_number'] = phone;
  put(user, 'external_id', text(data.externalId));
  return user;
}

// The queue TikTok's base code sets up: window.ttq is an array, and each method pushes
// [method, ...arguments] onto it until events.js loads and replays the queue.
function queueMethod(push, name) {
  return function (a, b, c) {
    const entry = [name];
    const args = [a, b, c];
    let last = args.length;
    while (last > 0 && args[last - 1] === undefined) last--;
    for (let i = 0; i < last; i++) entry.push(args[i]);
    push(entry);
  };
}

function ensureQueue() {
  if (getType(copyFromWindow('ttq.track')) === 'function') return;
  const push = createQueue('ttq');
  setInWindow('TiktokAnalyticsObject', 'ttq', false);
  setInWindow('ttq.page', queueMethod(push, 'page'), true);
  setInWindow('ttq.track', queueMethod(push, 'track'), true);
  setInWindow('ttq.identify', queueMethod(push, 'identify'), true);
}

// Registers the pixel once per page: ttq._i[id], ttq._t[id], ttq._o[id], then
// ttq.page(). Returns 'external' when the page's own TikTok base code loaded it.
function registerPixel(pixelId) {
  const loaded = templateStorage.getItem('pixels') || {};
  if (loaded[pixelId]) return loaded[pixelId];
  const instances = copyFromWindow('ttq._i') || {};
  const origin = instances[pixelId] ? 'external' : 'gtmgen';
  if (origin === 'gtmgen') {
    const times = copyFromWindow('ttq._t') || {};
    const options = copyFromWindow('ttq._o') || {};
    instances[pixelId] = [];
    times[pixelId] = getTimestampMillis();
    options[pixelId] = {};
    setInWindow('ttq._i', instances, true);
    setInWindow('ttq._t', times, true);
    setInWindow('ttq._o', options, true);
    callInWindow('ttq.page');
  }
  loaded[pixelId] = origin;
  templateStorage.setItem('pixels', loaded);
  return origin;
}

const pixelId = text(data.pixelId);
const eventName = text(data.eventName);
if (pixelId === '' || eventName === '') {
  log('the pixel ID and the event name are required; nothing sent');
  data.gtmOnFailure();
  return;
}

ensureQueue();
const origin = registerPixel(pixelId);
const user = userData();
if (user.email || user.sha256_email || user.phone_number || user.sha256_phone_number ||
    user.external_id) {
  callInWindow('ttq.identify', user);
}
const trackOptions = {pixel_code: pixelId};
put(trackOptions, 'event_id', text(data.eventId));
callInWindow('ttq.track', eventName, properties(data.properties), trackOptions);
log('queued ' + eventName + ' for pixel ' + pixelId + ', event_id ' +
    (trackOptions.event_id || '(none)'));

if (origin === 'external') {
  data.gtmOnSuccess();
} else {
  injectScript(SDK_URL + '?sdkid=' + encodeUriComponent(pixelId) + '&lib=ttq',
    data.gtmOnSuccess,
    function () {
      log('could not load ' + SDK_URL);
      data.gtmOnFailure();
    },
    'gtmgen_tiktok_' + pixelId);
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
                    "string": "ttq.track"
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
                    "string": "ttq._i"
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
                    "string": "ttq._t"
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
                    "string": "ttq._o"
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
  }
]


___TESTS___

scenarios:
- name: Queues the event with its event_id in the third argument and loads the pixel
  code: |-
    runCode(mockData);

    assertApi('callInWindow').wasCalledWith('ttq.page');
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

    assertApi('callInWindow').wasCalledWith('ttq.identify',
        {email: 'jane@example.com', external_id: 'user-7'});
    assertApi('gtmOnSuccess').wasCalled();
- name: Passes an already hashed email as sha256_email
  code: |-
    mockData.email = '86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d';

    runCode(mockData);

    assertApi('callInWindow').wasCalledWith('ttq.identify',
        {sha256_email: '86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d'});
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
  const paths = [];

  mock('copyFromWindow', function (key) { return undefined; });
  mock('setInWindow', function (key, value, override) { return true; });
  mock('createQueue', function (key) { return function (value) {}; });
  mock('callInWindow', function (path) { paths.push(path); });
  mock('injectScript', function (url, onSuccess, onFailure, cacheToken) {
    injected = url;
    if (loads) {
      onSuccess();
    } else {
      onFailure();
    }
  });


___NOTES___

gtmgen TikTok Pixel, written for gtmgen (not TikTok's template). gtmgen build embeds this file in the web export; change it in gtmgen, not in GTM.


