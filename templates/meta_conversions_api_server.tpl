___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "gtmgen Meta Conversions API",
  "categories": [
    "ADVERTISING",
    "ANALYTICS",
    "CONVERSIONS"
  ],
  "brand": {
    "id": "brand_dummy",
    "displayName": "gtmgen"
  },
  "description": "Sends one event to Meta's Conversions API with hashed customer information and the event_id of the Meta Pixel event, so that Meta deduplicates the two.",
  "containerContexts": [
    "SERVER"
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
    "help": "The Meta pixel (dataset) ID, digits (Events Manager > Data sources)."
  },
  {
    "type": "TEXT",
    "name": "accessToken",
    "displayName": "Access token",
    "simpleValueType": true,
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      }
    ],
    "help": "The Conversions API access token (Events Manager > Settings > Generate access token). Sent as the access_token query parameter; never logged."
  },
  {
    "type": "TEXT",
    "name": "testEventCode",
    "displayName": "Test event code",
    "simpleValueType": true,
    "help": "Optional: the code from Events Manager > Test events; leave empty in production (every event would go to Test events only)."
  },
  {
    "type": "TEXT",
    "name": "eventName",
    "displayName": "Meta event name",
    "simpleValueType": true,
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      }
    ],
    "alwaysInSummary": true,
    "help": "The Meta event name, e.g. <code>Purchase</code>. It must be the same in the pixel and Conversions API tags of an event."
  },
  {
    "type": "TEXT",
    "name": "eventId",
    "displayName": "Event ID",
    "simpleValueType": true,
    "alwaysInSummary": true,
    "help": "The event_id shared with the pixel's eventID: Meta deduplicates events with the same pixel, event name and ID."
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
    "help": "Sent as custom_data with Meta's parameter names: value, currency, contents (GA4 items become [{id, quantity, item_price}], with content_ids, content_type 'product' and num_items), query becomes search_string, transaction_id order_id; other names are sent as they are. Empty values are left out."
  },
  {
    "type": "GROUP",
    "name": "userData",
    "displayName": "Customer information",
    "groupStyle": "ZIPPY_OPEN",
    "subParams": [
      {
        "type": "TEXT",
        "name": "email",
        "displayName": "Email",
        "simpleValueType": true,
        "help": "Optional; when empty the GA4 event's user_data.email, user_data.email_address or user_data.sha256_email_address is used. Trimmed, lowercased and sent as its SHA-256 hex (a SHA-256 hex is sent as it is)."
      },
      {
        "type": "TEXT",
        "name": "phoneNumber",
        "displayName": "Phone number",
        "simpleValueType": true,
        "help": "Optional; when empty the GA4 event's user_data.phone_number, user_data.phone or user_data.sha256_phone_number is used. Sent as the SHA-256 hex of its digits with the country code and no + (a SHA-256 hex is sent as it is)."
      },
      {
        "type": "TEXT",
        "name": "defaultCountryCode",
        "displayName": "Default country code",
        "simpleValueType": true,
        "help": "Optional, e.g. 49: added to national phone numbers (a single leading 0 is dropped). Numbers starting with + or 00 are international."
      },
      {
        "type": "TEXT",
        "name": "externalId",
        "displayName": "External ID",
        "simpleValueType": true,
        "help": "Optional; when empty the GA4 event's user_id is used. Trimmed and sent as its SHA-256 hex (a SHA-256 hex is sent as it is)."
      }
    ]
  },
  {
    "type": "CHECKBOX",
    "name": "respectAdStorageConsent",
    "checkboxText": "Send nothing when ad_storage is denied",
    "simpleValueType": true,
    "defaultValue": true,
    "help": "Reads the GA4 consent state (event data <code>x-ga-gcs</code> and <code>x-ga-gcd</code>): when ad_storage is denied the tag sends no request, sets no cookie and succeeds."
  },
  {
    "type": "CHECKBOX",
    "name": "respectAdUserDataConsent",
    "checkboxText": "Send no email, phone or external ID when ad_user_data is denied",
    "simpleValueType": true,
    "defaultValue": true,
    "help": "Reads <code>x-ga-gcd</code>: when ad_user_data is denied the event goes without em, ph and external_id."
  }
]


___SANDBOXED_JS_FOR_SERVER___

// gtmgen Meta Conversions API: sends one event to Meta's Conversions API
// (POST https://graph.facebook.com/<version>/<pixel_id>/events) with the same pixel,
// event name and event_id as the browser's Meta Pixel event, so that Meta deduplicates
// them. Meta answers errors with a non-2xx status or an "error" object: both fail the tag.
const encodeUriComponent = require('encodeUriComponent');
const getContainerVersion = require('getContainerVersion');
const getCookieValues = require('getCookieValues');
const getEventData = require('getEventData');
const getTimestampMillis = require('getTimestampMillis');
const getType = require('getType');
const JSON = require('JSON');
const logToConsole = require('logToConsole');
const makeNumber = require('makeNumber');
const makeString = require('makeString');
const Math = require('Math');
const parseUrl = require('parseUrl');
const sendHttpRequest = require('sendHttpRequest');
const setCookie = require('setCookie');
const sha256Sync = require('sha256Sync');

const API_VERSION = 'v26.0';
const GRAPH = 'https://graph.facebook.com/';
const NUMERIC = ['value', 'predicted_ltv', 'num_items'];
const RENAMED = {query: 'search_string', search_term: 'search_string',
                 transaction_id: 'order_id'};
const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
// Consent Mode letters of x-ga-gcd that mean "denied" (default or update).
const GCD_DENIED = 'pqmu';
const FBC_MAX_AGE = 90 * 24 * 60 * 60;
const EMAIL_KEYS = ['user_data.email', 'user_data.email_address',
                    'user_data.sha256_email_address'];
const PHONE_KEYS = ['user_data.phone_number', 'user_data.phone',
                    'user_data.sha256_phone_number'];

const container = getContainerVersion();
const debug = !!(container && (container.debugMode || container.previewMode));

function log(message) {
  if (debug) logToConsole('gtmgen Meta Conversions API: ' + message);
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

// SHA-256 hex of a normalised value; a value that already is a SHA-256 hex passes.
function hashed(value) {
  if (value === '') return '';
  if (isSha256(value)) return value.toLowerCase();
  return sha256Sync(value, {outputEncoding: 'hex'});
}

// The first non-empty text of a value that may be a string or a list of strings.
function first(value) {
  if (getType(value) === 'array') {
    for (let i = 0; i < value.length; i++) {
      const item = first(value[i]);
      if (item !== '') return item;
    }
    return '';
  }
  if (getType(value) === 'object' || getType(value) === 'function') return '';
  return text(value);
}

function fromKeys(keys) {
  for (let i = 0; i < keys.length; i++) {
    const found = first(getEventData(keys[i]));
    if (found !== '') return found;
  }
  return '';
}

// Meta's phone form: digits only, with the country code, no "+" and no "00" prefix.
// With a default country code, a national number gets it (a single leading 0, the
// trunk prefix, is dropped); without one a national number is only cleaned.
function normalisePhone(value, countryCode) {
  if (isSha256(value)) return value;
  let digits = '';
  for (let i = 0; i < value.length; i++) {
    if (DIGITS.indexOf(value.charAt(i)) >= 0) digits += value.charAt(i);
  }
  const plus = value.charAt(0) === '+';
  if (digits === '' || plus) return digits;
  if (digits.substring(0, 2) === '00') return digits.substring(2);
  if (countryCode === '') return digits;
  if (digits.charAt(0) === '0') return countryCode + digits.substring(1);
  if (digits.indexOf(countryCode) === 0) return digits;
  return countryCode + digits;
}

function countryCode() {
  let out = '';
  const raw = text(data.defaultCountryCode);
  for (let i = 0; i < raw.length; i++) {
    if (DIGITS.indexOf(raw.charAt(i)) >= 0) out += raw.charAt(i);
  }
  return out;
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

function firstCookie(name) {
  const values = getCookieValues(name);
  return values && values.length ? text(values[0]) : '';
}

function fbclidFromUrl(pageUrl) {
  const url = pageUrl ? parseUrl(pageUrl) : undefined;
  const value = url && url.searchParams ? url.searchParams.fbclid : undefined;
  const found = getType(value) === 'array' ? value[0] : value;
  return isEmpty(found) ? '' : makeString(found);
}

// The click ID inside an fbc value fb.<subdomainIndex>.<creationTime>.<fbclid>.
function clickIdOf(fbc) {
  const parts = fbc.split('.');
  return parts.length >= 4 ? parts.slice(3).join('.') : '';
}

// fbc: the _fbc cookie; built once from the fbclid on the page URL when the cookie is
// missing or holds another click, and kept in _fbc so later events reuse it.
function fbc(pageUrl) {
  const cookie = firstCookie('_fbc');
  const fbclid = fbclidFromUrl(pageUrl);
  if (fbclid === '' || clickIdOf(cookie) === fbclid) return cookie;
  const built = 'fb.1.' + getTimestampMillis() + '.' + fbclid;
  setCookie('_fbc', built, {domain: 'auto', path: '/', 'max-age': FBC_MAX_AGE,
                            secure: true, sameSite: 'lax', httpOnly: false});
  return built;
}

function gcdLetters() {
  const gcd = text(getEventData('x-ga-gcd')).toLowerCase();
  const out = [];
  for (let i = 0; i < gcd.length; i++) {
    const c = gcd.charAt(i);
    if (c >= 'a' && c <= 'z') out.push(c);
  }
  return out;
}

function gcdDenied(index) {
  const letters = gcdLetters();
  return letters.length > index && GCD_DENIED.indexOf(letters[index]) >= 0;
}

// x-ga-gcs "G1<ad_storage><analytics_storage>"; x-ga-gcd "11<ad_storage>1<analytics>1
// <ad_user_data>1<ad_personalization>5".
function adStorageDenied() {
  const gcs = text(getEventData('x-ga-gcs'));
  return (gcs.length >= 3 && gcs.charAt(2) === '0') || gcdDenied(0);
}

function adUserDataDenied() {
  return gcdDenied(2);
}

function checked(value) {
  return value === true || value === 'true';
}

function user(pageUrl, withUserData) {
  const out = {};
  if (withUserData) {
    put(out, 'em', hashed((text(data.email) || fromKeys(EMAIL_KEYS)).toLowerCase()));
    put(out, 'ph', hashed(normalisePhone(text(data.phoneNumber) || fromKeys(PHONE_KEYS),
                                         countryCode())));
    put(out, 'external_id', hashed(text(data.externalId) || first(getEventData('user_id'))));
  }
  put(out, 'client_ip_address', text(getEventData('ip_override')) || text(getEventData('ip')));
  put(out, 'client_user_agent', text(getEventData('user_agent')));
  put(out, 'fbp', firstCookie('_fbp'));
  put(out, 'fbc', fbc(pageUrl));
  return out;
}

// What the debug log shows of the user: hashed fields as sent, the rest only as "set".
function maskedUser(sent) {
  const out = {};
  ['em', 'ph', 'external_id'].forEach(function (key) { put(out, key, sent[key]); });
  ['client_ip_address', 'client_user_agent', 'fbp', 'fbc'].forEach(function (key) {
    if (sent[key]) out[key] = '(set)';
  });
  return out;
}

// A URL without its query and fragment (they can carry personal data).
function maskedUrl(value) {
  const url = value ? parseUrl(value) : undefined;
  return url ? url.origin + url.pathname : '(set)';
}

function fail(message) {
  log('failure: ' + message);
  data.gtmOnFailure();
}

function describe(error) {
  if (getType(error) !== 'object') return text(error);
  return 'code ' + text(error.code) + (error.error_subcode ? '/' + text(error.error_subcode) : '') +
      ' ' + text(error.message) + (error.fbtrace_id ? ' (fbtrace_id ' + text(error.fbtrace_id) + ')' : '');
}

function onResponse(response) {
  const status = response ? response.statusCode : 0;
  const answer = response ? JSON.parse(response.body || '') : undefined;
  const error = getType(answer) === 'object' ? answer.error : undefined;
  if (status < 200 || status >= 300) {
    return fail('HTTP ' + status + (error ? ' ' + describe(error) : ''));
  }
  if (getType(answer) !== 'object') return fail('HTTP ' + status + ', the answer is not JSON');
  if (!isEmpty(error)) return fail('HTTP ' + status + ' with an error: ' + describe(error));
  log('accepted: events_received ' + text(answer.events_received) +
      (answer.fbtrace_id ? ', fbtrace_id ' + text(answer.fbtrace_id) : ''));
  data.gtmOnSuccess();
}

const pixelId = text(data.pixelId);
const accessToken = text(data.accessToken);
const eventName = text(data.eventName);
if (pixelId === '' || accessToken === '' || eventName === '') {
  fail('the pixel ID, the access token and the event name are required; nothing sent');
  return;
}
if (checked(data.respectAdStorageConsent) && adStorageDenied()) {
  log('ad_storage is denied (x-ga-gcs ' + text(getEventData('x-ga-gcs')) + ', x-ga-gcd ' +
      text(getEventData('x-ga-gcd')) + '); nothing sent');
  data.gtmOnSuccess();
  return;
}
const withUserData = !(checked(data.respectAdUserDataConsent) && adUserDataDenied());
if (!withUserData) log('ad_user_data is denied: no email, phone or external_id sent');

const pageUrl = text(getEventData('page_location'));
const event = {
  event_name: eventName,
  event_time: Math.floor(getTimestampMillis() / 1000),
  action_source: 'website'
};
put(event, 'event_id', text(data.eventId));
if (!event.event_id) log('no event_id: Meta cannot deduplicate ' + eventName + ' with the pixel');
put(event, 'event_source_url', pageUrl);
put(event, 'referrer_url', text(getEventData('page_referrer')));
event.user_data = user(pageUrl, withUserData);
event.custom_data = parameters(data.properties);

const body = {data: [event]};
put(body, 'test_event_code', text(data.testEventCode));
const endpoint = GRAPH + API_VERSION + '/' + encodeUriComponent(pixelId) + '/events';

log('POST ' + endpoint + '?access_token=(masked) ' + JSON.stringify({
  test_event_code: body.test_event_code, event_name: eventName, event_id: event.event_id,
  event_time: event.event_time, event_source_url: pageUrl ? maskedUrl(pageUrl) : undefined,
  user_data: maskedUser(event.user_data), custom_data: event.custom_data
}));
sendHttpRequest(endpoint + '?access_token=' + encodeUriComponent(accessToken), {
  method: 'POST',
  headers: {'Content-Type': 'application/json'},
  timeout: 5000
}, JSON.stringify(body)).then(onResponse, function (error) {
  fail('the request ' + (error && error.reason === 'timed_out' ? 'timed out' : 'failed'));
});


___SERVER_PERMISSIONS___

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
        "publicId": "read_container_data",
        "versionId": "1"
      },
      "param": []
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "read_event_data",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keyPatterns",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "x-ga-gcs"
              },
              {
                "type": 1,
                "string": "x-ga-gcd"
              },
              {
                "type": 1,
                "string": "page_location"
              },
              {
                "type": 1,
                "string": "page_referrer"
              },
              {
                "type": 1,
                "string": "ip_override"
              },
              {
                "type": 1,
                "string": "ip"
              },
              {
                "type": 1,
                "string": "user_agent"
              },
              {
                "type": 1,
                "string": "user_data.email"
              },
              {
                "type": 1,
                "string": "user_data.email_address"
              },
              {
                "type": 1,
                "string": "user_data.sha256_email_address"
              },
              {
                "type": 1,
                "string": "user_data.phone_number"
              },
              {
                "type": 1,
                "string": "user_data.phone"
              },
              {
                "type": 1,
                "string": "user_data.sha256_phone_number"
              },
              {
                "type": 1,
                "string": "user_id"
              }
            ]
          }
        },
        {
          "key": "eventDataAccess",
          "value": {
            "type": 1,
            "string": "specific"
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
        "publicId": "get_cookies",
        "versionId": "1"
      },
      "param": [
        {
          "key": "cookieAccess",
          "value": {
            "type": 1,
            "string": "specific"
          }
        },
        {
          "key": "cookieNames",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "_fbp"
              },
              {
                "type": 1,
                "string": "_fbc"
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
        "publicId": "set_cookies",
        "versionId": "1"
      },
      "param": [
        {
          "key": "allowedCookies",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "name"
                  },
                  {
                    "type": 1,
                    "string": "domain"
                  },
                  {
                    "type": 1,
                    "string": "path"
                  },
                  {
                    "type": 1,
                    "string": "secure"
                  },
                  {
                    "type": 1,
                    "string": "session"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "_fbc"
                  },
                  {
                    "type": 1,
                    "string": "*"
                  },
                  {
                    "type": 1,
                    "string": "*"
                  },
                  {
                    "type": 1,
                    "string": "any"
                  },
                  {
                    "type": 1,
                    "string": "any"
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
        "publicId": "send_http",
        "versionId": "1"
      },
      "param": [
        {
          "key": "allowedUrls",
          "value": {
            "type": 1,
            "string": "specific"
          }
        },
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://graph.facebook.com/*"
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
- name: Sends the event with hashed user data and the same event_id
  code: |-
    runCode(mockData);

    assertThat(request.url).isEqualTo(
        'https://graph.facebook.com/v26.0/1234567890/events?access_token=token-123');
    assertThat(request.options.method).isEqualTo('POST');
    assertThat(request.options.headers).isEqualTo({'Content-Type': 'application/json'});
    assertThat(request.body.test_event_code).isEqualTo('TEST1');
    const event = request.body.data[0];
    assertThat(event.event_name).isEqualTo('Purchase');
    assertThat(event.event_id).isEqualTo('evt_1');
    assertThat(event.event_time).isEqualTo(1700000000);
    assertThat(event.action_source).isEqualTo('website');
    assertThat(event.event_source_url).isEqualTo('https://shop.example/p?x=1');
    assertThat(event.user_data).isEqualTo({
      em: '86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d',
      client_ip_address: '198.51.100.7',
      client_user_agent: 'Mozilla/5.0',
      fbp: 'fb.1.1690000000000.111',
      fbc: 'fb.1.1690000000000.OldClick'
    });
    assertThat(event.custom_data).isEqualTo({
      value: 25.5,
      currency: 'EUR',
      contents: [{id: 'SKU-1', quantity: 2, item_price: 12.75}],
      content_ids: ['SKU-1'],
      content_type: 'product',
      num_items: 2
    });
    assertApi('setCookie').wasNotCalled();
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: Builds fbc from the fbclid on the page URL and keeps it in _fbc
  code: |-
    eventData.page_location = 'https://shop.example/p?fbclid=IwAR0aBc-Dx_9';

    runCode(mockData);

    assertThat(request.body.data[0].user_data.fbc).isEqualTo(
        'fb.1.1700000000123.IwAR0aBc-Dx_9');
    assertThat(cookies._fbc).isEqualTo('fb.1.1700000000123.IwAR0aBc-Dx_9');
- name: Hashes the phone as digits with the country code and no plus
  code: |-
    mockData.phoneNumber = '+1 (650) 555-1212';

    runCode(mockData);

    assertThat(request.body.data[0].user_data.ph).isEqualTo(
        'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176');
- name: Reads 00 as the international prefix and adds the default country code
  code: |-
    mockData.phoneNumber = '0049 151 1234567';
    runCode(mockData);
    const international = request.body.data[0].user_data.ph;
    mockData.phoneNumber = '0151 1234567';
    mockData.defaultCountryCode = '49';
    runCode(mockData);

    assertThat(international).isEqualTo(
        'c0e7a8a4e5053d227f3c6fef28f4562a7d7c97a869852315270f9931d7644700');
    assertThat(request.body.data[0].user_data.ph).isEqualTo(international);
- name: Fails when Meta answers 2xx with an error
  code: |-
    answer = {statusCode: 200, headers: {},
              body: '{"error":{"message":"Invalid parameter","code":100}}'};

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: Fails on an HTTP error
  code: |-
    answer = {statusCode: 400, headers: {},
              body: '{"error":{"message":"Invalid OAuth access token","code":190}}'};

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: Fails on a non-2xx status whatever the body says
  code: |-
    answer = {statusCode: 503, headers: {}, body: '{"events_received":1}'};

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: Fails when the request times out
  code: |-
    failure = {reason: 'timed_out'};

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: Fails without an access token and sends nothing
  code: |-
    mockData.accessToken = '';

    runCode(mockData);

    assertApi('sendHttpRequest').wasNotCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: Sends nothing when ad_storage is denied
  code: |-
    eventData['x-ga-gcs'] = 'G100';
    eventData.page_location = 'https://shop.example/p?fbclid=abc';

    runCode(mockData);

    assertApi('sendHttpRequest').wasNotCalled();
    assertApi('setCookie').wasNotCalled();
    assertApi('gtmOnSuccess').wasCalled();
- name: Sends no email when ad_user_data is denied
  code: |-
    eventData['x-ga-gcd'] = '11t1t1p1p5';

    runCode(mockData);

    assertThat(request.body.data[0].user_data.em).isUndefined();
    assertThat(request.body.data[0].user_data.client_user_agent).isEqualTo('Mozilla/5.0');
    assertApi('gtmOnSuccess').wasCalled();
setup: |-
  const JSON = require('JSON');

  const mockData = {
    pixelId: '1234567890',
    accessToken: 'token-123',
    testEventCode: 'TEST1',
    eventName: 'Purchase',
    eventId: 'evt_1',
    properties: [
      {name: 'value', value: '25.50'},
      {name: 'currency', value: 'EUR'},
      {name: 'contents', value: [{item_id: 'SKU-1', item_name: 'Mug', price: 12.75,
                                  quantity: 2}]}
    ],
    email: '  Jane.Doe@Example.COM ',
    respectAdStorageConsent: true,
    respectAdUserDataConsent: true
  };
  const eventData = {
    page_location: 'https://shop.example/p?x=1',
    ip_override: '198.51.100.7',
    user_agent: 'Mozilla/5.0',
    'x-ga-gcs': 'G111'
  };
  const cookies = {};
  let request;
  let answer = {statusCode: 200, headers: {},
                body: '{"events_received":1,"messages":[],"fbtrace_id":"A1"}'};
  let failure;

  mock('getEventData', function (key) { return eventData[key]; });
  mock('getCookieValues', function (name) {
    if (name === '_fbp') return ['fb.1.1690000000000.111'];
    if (name === '_fbc') return ['fb.1.1690000000000.OldClick'];
    return [];
  });
  mock('getTimestampMillis', function () { return 1700000000123; });
  mock('getContainerVersion', function () { return {debugMode: false, previewMode: false}; });
  mock('setCookie', function (name, value, options) { cookies[name] = value; });
  mock('sendHttpRequest', function (url, options, body) {
    request = {url: url, options: options, body: JSON.parse(body)};
    return {
      then: function (onSuccess, onFailure) {
        if (failure) {
          onFailure(failure);
        } else {
          onSuccess(answer);
        }
      }
    };
  });


___NOTES___

gtmgen Meta Conversions API, written for gtmgen (not Meta's template). gtmgen build embeds this file in the server export; change it in gtmgen, not in GTM.


