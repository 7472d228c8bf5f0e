___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "gtmgen TikTok Events API",
  "categories": [
    "ADVERTISING",
    "ANALYTICS",
    "CONVERSIONS"
  ],
  "brand": {
    "id": "brand_dummy",
    "displayName": "gtmgen"
  },
  "description": "Sends one event to the TikTok Events API (v1.3 event/track) with hashed user data and the event_id of the pixel event, so that TikTok deduplicates the two.",
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
    "help": "The TikTok pixel ID (Events Manager > Data sources)."
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
    "help": "The Events API access token (Events Manager > Settings > Generate Access Token). Sent as the Access-Token header; never logged."
  },
  {
    "type": "TEXT",
    "name": "testEventCode",
    "displayName": "Test event code",
    "simpleValueType": true,
    "help": "Optional: the code from Events Manager > Test events; leave empty in production."
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
        "help": "Trimmed, lowercased and sent as its SHA-256 hex; a value that already is a SHA-256 hex is sent as it is."
      },
      {
        "type": "TEXT",
        "name": "phoneNumber",
        "displayName": "Phone number",
        "simpleValueType": true,
        "help": "In E.164 form with the country code, e.g. +12133734253. Spaces, dashes, parentheses and dots are removed, then it is sent as its SHA-256 hex (a SHA-256 hex is sent as it is)."
      },
      {
        "type": "TEXT",
        "name": "externalId",
        "displayName": "External ID",
        "simpleValueType": true,
        "help": "Your own ID of the user: trimmed and sent as its SHA-256 hex (a SHA-256 hex is sent as it is)."
      },
      {
        "type": "CHECKBOX",
        "name": "userDataFromHop",
        "checkboxText": "Read email and phone from the GA4 hop's user_data when the fields above are empty",
        "simpleValueType": true,
        "defaultValue": true,
        "help": "Email: the first non-empty of event data <code>user_data.email</code>, <code>user_data.email_address</code>, <code>user_data.sha256_email_address</code>; phone: <code>user_data.phone</code>, <code>user_data.phone_number</code>, <code>user_data.sha256_phone_number</code>. A value may be text or an array of text (the first non-empty item is used)."
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
        "help": "Optional, digits only (e.g. 49). Phone numbers written nationally get +CODE: '+...' and '00...' are international, one leading 0 is the trunk prefix (dropped), digits already starting with CODE are kept. Empty: numbers are only cleaned, never guessed."
      }
    ]
  },
  {
    "type": "CHECKBOX",
    "name": "respectAdStorageConsent",
    "checkboxText": "Send nothing when ad_storage is denied",
    "simpleValueType": true,
    "defaultValue": false,
    "help": "Reads the GA4 consent state the hop carries (event data <code>x-ga-gcs</code>, third character; <code>x-ga-gcd</code>, first consent letter): when either says ad_storage is denied the tag sends no request and succeeds."
  },
  {
    "type": "CHECKBOX",
    "name": "respectAdUserDataConsent",
    "checkboxText": "Send no email, phone or external ID when ad_user_data is denied",
    "simpleValueType": true,
    "defaultValue": true,
    "help": "Reads event data <code>x-ga-gcd</code> (third consent letter; p, q, m and u are denied): when ad_user_data is denied the event is sent without email, phone and external_id."
  }
]


___SANDBOXED_JS_FOR_SERVER___

// gtmgen TikTok Events API: sends one event to TikTok's Events API 2.0
// (POST https://business-api.tiktok.com/open_api/v1.3/event/track/) with the same pixel,
// event name and event_id as the browser's pixel event, so that TikTok deduplicates them.
// TikTok answers errors with HTTP 200 and a non-zero "code": only 2xx with code 0 is a
// success.
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

const ENDPOINT = 'https://business-api.tiktok.com/open_api/v1.3/event/track/';
const EMAIL_KEYS = ['user_data.email', 'user_data.email_address',
                    'user_data.sha256_email_address'];
const PHONE_KEYS = ['user_data.phone', 'user_data.phone_number', 'user_data.sha256_phone_number'];
// x-ga-gcd: one letter per consent type (ad_storage, analytics_storage, ad_user_data,
// ad_personalization) between digits: p, q, m, u denied; t, r, n, v granted; l not set.
const GCD_DENIED = 'pqmu';
const NUMERIC = ['value', 'price', 'quantity'];
const HEX = '0123456789abcdef';
const TTCLID_MAX_AGE = 30 * 24 * 60 * 60;

const container = getContainerVersion();
const debug = !!(container && (container.debugMode || container.previewMode));

function log(message) {
  if (debug) logToConsole('gtmgen TikTok Events API: ' + message);
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

// Separators removed (spaces, dashes, parentheses, dots, slashes); a leading + is kept.
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

// E.164 with the default country code: '+...' as written, '00...' -> '+...', one leading 0
// (trunk prefix) dropped and the code added, digits starting with the code kept, others
// get the code. Without a code the number is only cleaned.
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

// Text, or the first non-empty text of an array.
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

// The first non-empty value of the hop's user_data keys.
function fromHop(keys) {
  for (let i = 0; i < keys.length; i++) {
    const value = first(getEventData(keys[i]));
    if (value !== '') return value;
  }
  return '';
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

function firstCookie(name) {
  const values = getCookieValues(name);
  return values && values.length ? text(values[0]) : '';
}

function ttclidFromUrl(pageUrl) {
  const url = pageUrl ? parseUrl(pageUrl) : undefined;
  const value = url && url.searchParams ? url.searchParams.ttclid : undefined;
  return text(getType(value) === 'array' ? value[0] : value);
}

// The consent letters of x-ga-gcd, in order (ad_storage, analytics_storage, ad_user_data,
// ad_personalization, ...).
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

function adStorageDenied() {
  const gcs = text(getEventData('x-ga-gcs'));
  return (gcs.length >= 3 && gcs.charAt(2) === '0') || gcdDenied(0);
}

function adUserDataDenied() {
  return gcdDenied(2);
}

function user(pageUrl, withUserData) {
  const out = {};
  if (withUserData) {
    const fromTheHop = data.userDataFromHop === true || data.userDataFromHop === 'true';
    let email = first(data.email);
    if (email === '' && fromTheHop) email = fromHop(EMAIL_KEYS);
    let phone = first(data.phoneNumber);
    if (phone === '' && fromTheHop) phone = fromHop(PHONE_KEYS);
    put(out, 'email', hashed(email.toLowerCase()));
    put(out, 'phone', hashed(normalisePhone(phone, text(data.defaultCountryCode))));
    put(out, 'external_id', hashed(first(data.externalId)));
  }
  put(out, 'ip', text(getEventData('ip_override')) || text(getEventData('ip')));
  put(out, 'user_agent', text(getEventData('user_agent')));
  const fromUrl = ttclidFromUrl(pageUrl);
  const fromCookie = firstCookie('ttclid');
  put(out, 'ttclid', fromUrl || fromCookie);
  put(out, 'ttp', firstCookie('_ttp'));
  if (fromUrl && fromUrl !== fromCookie) {
    setCookie('ttclid', fromUrl, {domain: 'auto', path: '/', 'max-age': TTCLID_MAX_AGE,
                                  secure: true, sameSite: 'lax', httpOnly: false});
  }
  return out;
}

// What the debug log shows of the user: hashed fields as sent, the rest only as "set".
function maskedUser(sent) {
  const out = {};
  ['email', 'phone', 'external_id'].forEach(function (key) { put(out, key, sent[key]); });
  ['ip', 'user_agent', 'ttclid', 'ttp'].forEach(function (key) {
    if (sent[key]) out[key] = '(set)';
  });
  return out;
}

// The page URL without its query and fragment (they can carry personal data).
function maskedPage(sent) {
  const url = sent.url ? parseUrl(sent.url) : undefined;
  const out = {};
  if (sent.url) out.url = url ? url.origin + url.pathname : '(set)';
  if (sent.referrer) out.referrer = '(set)';
  return out;
}

function fail(message) {
  log('failure: ' + message);
  data.gtmOnFailure();
}

function onResponse(response) {
  const status = response ? response.statusCode : 0;
  const answer = response ? JSON.parse(response.body || '') : undefined;
  if (status < 200 || status >= 300) {
    return fail('HTTP ' + status + ' ' + text(response && response.body));
  }
  if (getType(answer) !== 'object') return fail('the answer is not JSON: ' + text(response.body));
  if (answer.code !== 0 && answer.code !== '0') {
    return fail('TikTok code ' + text(answer.code) + ': ' + text(answer.message));
  }
  log('accepted' + (answer.request_id ? ', request_id ' + text(answer.request_id) : ''));
  data.gtmOnSuccess();
}

const pixelId = text(data.pixelId);
const accessToken = text(data.accessToken);
const eventName = text(data.eventName);
if (pixelId === '' || accessToken === '' || eventName === '') {
  fail('the pixel ID, the access token and the event name are required; nothing sent');
  return;
}
const respectConsent = data.respectAdStorageConsent === true ||
    data.respectAdStorageConsent === 'true';
if (respectConsent && adStorageDenied()) {
  log('ad_storage is denied (x-ga-gcs ' + text(getEventData('x-ga-gcs')) + ', x-ga-gcd ' +
      text(getEventData('x-ga-gcd')) + '); nothing sent');
  data.gtmOnSuccess();
  return;
}

const respectUserData = data.respectAdUserDataConsent === true ||
    data.respectAdUserDataConsent === 'true';
const withUserData = !(respectUserData && adUserDataDenied());
if (!withUserData) {
  log('ad_user_data is denied (x-ga-gcd ' + text(getEventData('x-ga-gcd')) +
      '); no email, phone or external_id sent');
}

const pageUrl = text(getEventData('page_location'));
const event = {event: eventName, event_time: Math.floor(getTimestampMillis() / 1000)};
put(event, 'event_id', text(data.eventId));
event.user = user(pageUrl, withUserData);
event.properties = properties(data.properties);
const page = {};
put(page, 'url', pageUrl);
put(page, 'referrer', text(getEventData('page_referrer')));
event.page = page;

const body = {event_source: 'web', event_source_id: pixelId};
put(body, 'test_event_code', text(data.testEventCode));
body.data = [event];

log('POST ' + ENDPOINT + ' ' + JSON.stringify({
  event_source_id: pixelId, test_event_code: body.test_event_code, event: eventName,
  event_id: event.event_id, event_time: event.event_time, user: maskedUser(event.user),
  properties: event.properties, page: maskedPage(page)
}));
sendHttpRequest(ENDPOINT, {
  method: 'POST',
  headers: {'Access-Token': accessToken, 'Content-Type': 'application/json'},
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
              },              {
                "type": 1,
                "string": "x-ga-gcd"
              },              {
                "type": 1,
                "string": "user_data.email"
              },              {
                "type": 1,
                "string": "user_data.email_address"
              },              {
                "type": 1,
                "string": "user_data.sha256_email_address"
              },              {
                "type": 1,
                "string": "user_data.phone"
              },              {
                "type": 1,
                "string": "user_data.phone_number"
              },              {
                "type": 1,
                "string": "user_data.sha256_phone_number"
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
                "string": "ttclid"
              },
              {
                "type": 1,
                "string": "_ttp"
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
                    "string": "ttclid"
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
                "string": "https://business-api.tiktok.com/*"
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
        'https://business-api.tiktok.com/open_api/v1.3/event/track/');
    assertThat(request.options.method).isEqualTo('POST');
    assertThat(request.options.headers).isEqualTo(
        {'Access-Token': 'token-123', 'Content-Type': 'application/json'});
    assertThat(request.body.event_source).isEqualTo('web');
    assertThat(request.body.event_source_id).isEqualTo('CTEST123');
    assertThat(request.body.test_event_code).isEqualTo('TEST1');
    const event = request.body.data[0];
    assertThat(event.event).isEqualTo('CompletePayment');
    assertThat(event.event_id).isEqualTo('tt_evt_1');
    assertThat(event.event_time).isEqualTo(1700000000);
    assertThat(event.user).isEqualTo({
      email: '86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d',
      ip: '198.51.100.7',
      user_agent: 'Mozilla/5.0',
      ttclid: 'E.C.P.abc',
      ttp: 'ttp-1'
    });
    assertThat(event.properties).isEqualTo({
      value: 25.5,
      currency: 'EUR',
      contents: [{content_id: 'SKU-1', content_type: 'product', content_name: 'Mug',
                  price: 12.75, quantity: 2}]
    });
    assertThat(event.page).isEqualTo(
        {url: 'https://shop.example/p?ttclid=E.C.P.abc', referrer: 'https://www.tiktok.com/'});
    assertApi('setCookie').wasCalled();
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: Normalises and hashes the phone number
  code: |-
    mockData.phoneNumber = '+49 (151) 123-456.78';

    runCode(mockData);

    assertThat(request.body.data[0].user.phone).isEqualTo(
        '536afd523e19dc83fccba822ef5e4ca646111314aaf0aa286667c5bea18dd70b');
- name: Fails when TikTok answers with a non-zero code
  code: |-
    answer = {statusCode: 200, headers: {},
              body: '{"code":40001,"message":"No permission to operate pixel code"}'};

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: Fails on an HTTP error
  code: |-
    answer = {statusCode: 500, headers: {}, body: 'Internal error'};

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: Fails when the answer is not JSON
  code: |-
    answer = {statusCode: 200, headers: {}, body: '<html></html>'};

    runCode(mockData);

    assertApi('gtmOnFailure').wasCalled();
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

    runCode(mockData);

    assertApi('sendHttpRequest').wasNotCalled();
    assertApi('setCookie').wasNotCalled();
    assertApi('gtmOnSuccess').wasCalled();
- name: Reads the email and phone from the GA4 hop's user_data keys
  code: |-
    mockData.email = '';
    mockData.userDataFromHop = true;
    mockData.defaultCountryCode = '1';
    eventData['user_data.email'] = ['', 'Jane.Doe@Example.COM'];
    eventData['user_data.phone_number'] = '(213) 373-4253';

    runCode(mockData);

    assertThat(request.body.data[0].user.email).isEqualTo(
        '86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d');
    assertThat(request.body.data[0].user.phone).isEqualTo(
        '9f7ec22d72092cd3c0b58726ed9c2d91b92e51a3f29837508fb2948bb22dd2fd');
- name: Sends no user data when ad_user_data is denied
  code: |-
    mockData.externalId = 'u-1';
    eventData['x-ga-gcd'] = '11t1t1p1t5';

    runCode(mockData);

    assertThat(request.body.data[0].user.email).isUndefined();
    assertThat(request.body.data[0].user.external_id).isUndefined();
    assertThat(request.body.data[0].user.ip).isEqualTo('198.51.100.7');
- name: Sends nothing when x-ga-gcd denies ad_storage
  code: |-
    eventData['x-ga-gcd'] = '13q3t3t3t5';

    runCode(mockData);

    assertApi('sendHttpRequest').wasNotCalled();
    assertApi('gtmOnSuccess').wasCalled();
setup: |-
  const JSON = require('JSON');

  const mockData = {
    pixelId: 'CTEST123',
    accessToken: 'token-123',
    testEventCode: 'TEST1',
    eventName: 'CompletePayment',
    eventId: 'tt_evt_1',
    properties: [
      {name: 'value', value: 25.5},
      {name: 'currency', value: 'EUR'},
      {name: 'contents', value: [{item_id: 'SKU-1', item_name: 'Mug', price: 12.75,
                                  quantity: 2}]}
    ],
    email: '  Jane.Doe@Example.COM ',
    respectAdStorageConsent: true,
    respectAdUserDataConsent: true
  };
  const eventData = {
    page_location: 'https://shop.example/p?ttclid=E.C.P.abc',
    page_referrer: 'https://www.tiktok.com/',
    ip_override: '198.51.100.7',
    user_agent: 'Mozilla/5.0',
    'x-ga-gcs': 'G111'
  };
  let request;
  let answer = {statusCode: 200, headers: {}, body: '{"code":0,"message":"OK"}'};
  let failure;

  mock('getEventData', function (key) { return eventData[key]; });
  mock('getCookieValues', function (name) { return name === '_ttp' ? ['ttp-1'] : []; });
  mock('getTimestampMillis', function () { return 1700000000123; });
  mock('getContainerVersion', function () { return {debugMode: false, previewMode: false}; });
  mock('setCookie', function (name, value, options) {});
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

gtmgen TikTok Events API, written for gtmgen (not TikTok's template). gtmgen build embeds this file in the server export; change it in gtmgen, not in GTM.


