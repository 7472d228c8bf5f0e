// gtmgen sandbox: helpers shared by the API stand-ins (no GTM semantics here).
// Plain ES5 so that it runs in any V8; loaded once per context, before sandbox.js.
var __util = (function () {
  'use strict';

  // ---- SHA-256 (FIPS 180-4), on the UTF-8 bytes of a string --------------------
  function primes(n) {
    var out = [];
    for (var c = 2; out.length < n; c++) {
      var prime = true;
      for (var i = 0; i < out.length && out[i] * out[i] <= c; i++) {
        if (c % out[i] === 0) { prime = false; break; }
      }
      if (prime) { out.push(c); }
    }
    return out;
  }
  function fraction32(x) { return ((x - Math.floor(x)) * 4294967296) >>> 0; }
  var P = primes(64);
  var K = P.map(function (p) { return fraction32(Math.pow(p, 1 / 3)); });
  var H0 = P.slice(0, 8).map(function (p) { return fraction32(Math.sqrt(p)); });

  function utf8(text) {
    var bytes = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c >= 0xd800 && c <= 0xdfff) { c = 0xfffd; }  // a lone surrogate
      if (c < 0x80) { bytes.push(c); }
      else if (c < 0x800) { bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63)); }
      else if (c < 0x10000) { bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)); }
      else {
        bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      }
    }
    return bytes;
  }

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  function sha256(bytes) {
    var message = bytes.slice();
    var bitLength = bytes.length * 8;
    message.push(0x80);
    while (message.length % 64 !== 56) { message.push(0); }
    var high = Math.floor(bitLength / 4294967296);
    var low = bitLength >>> 0;
    message.push((high >>> 24) & 255, (high >>> 16) & 255, (high >>> 8) & 255, high & 255,
                 (low >>> 24) & 255, (low >>> 16) & 255, (low >>> 8) & 255, low & 255);
    var h = H0.slice();
    var w = new Array(64);
    for (var offset = 0; offset < message.length; offset += 64) {
      for (var t = 0; t < 16; t++) {
        var j = offset + t * 4;
        w[t] = ((message[j] << 24) | (message[j + 1] << 16) | (message[j + 2] << 8) | message[j + 3]) >>> 0;
      }
      for (t = 16; t < 64; t++) {
        var s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
        var s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) >>> 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        var choice = (e & f) ^ (~e & g);
        var temp1 = (k + sum1 + choice + K[t] + w[t]) >>> 0;
        var sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        var majority = (a & b) ^ (a & c) ^ (b & c);
        var temp2 = (sum0 + majority) >>> 0;
        k = g; g = f; f = e; e = (d + temp1) >>> 0;
        d = c; c = b; b = a; a = (temp1 + temp2) >>> 0;
      }
      h = [(h[0] + a) >>> 0, (h[1] + b) >>> 0, (h[2] + c) >>> 0, (h[3] + d) >>> 0,
           (h[4] + e) >>> 0, (h[5] + f) >>> 0, (h[6] + g) >>> 0, (h[7] + k) >>> 0];
    }
    var digest = [];
    h.forEach(function (word) {
      digest.push((word >>> 24) & 255, (word >>> 16) & 255, (word >>> 8) & 255, word & 255);
    });
    return digest;
  }

  function hex(bytes) {
    return bytes.map(function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function base64(bytes, urlSafe) {
    var out = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
      out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
      out += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
    }
    if (urlSafe) { out = out.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''); }
    return out;
  }

  function fromBase64(text) {
    var clean = String(text).replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    if (/[^A-Za-z0-9+\/]/.test(clean) || clean.length % 4 === 1) { return undefined; }
    var bytes = [];
    for (var i = 0; i < clean.length; i += 4) {
      var n = 0;
      for (var j = 0; j < 4; j++) {
        n = n << 6 | (i + j < clean.length ? ALPHABET.indexOf(clean[i + j]) : 0);
      }
      bytes.push((n >> 16) & 255);
      if (i + 2 < clean.length) { bytes.push((n >> 8) & 255); }
      if (i + 3 < clean.length) { bytes.push(n & 255); }
    }
    var escaped = bytes.map(function (b) { return '%' + (b < 16 ? '0' : '') + b.toString(16); });
    try { return decodeURIComponent(escaped.join('')); } catch (e) { return undefined; }
  }

  // ---- URLs --------------------------------------------------------------------
  var URL_RE = /^([a-zA-Z][a-zA-Z0-9+.\-]*:)\/\/(?:([^:@\/?#]*)(?::([^@\/?#]*))?@)?(\[[^\]]*\]|[^:\/?#]*)(?::(\d*))?([^?#]*)(\?[^#]*)?(#.*)?$/;

  function decodeQuery(text) {
    try { return decodeURIComponent(text.replace(/\+/g, ' ')); } catch (e) { return text; }
  }

  function searchParams(search) {
    var params = {};
    search.replace(/^\?/, '').split('&').forEach(function (pair) {
      if (!pair) { return; }
      var at = pair.indexOf('=');
      var key = decodeQuery(at < 0 ? pair : pair.slice(0, at));
      var value = at < 0 ? '' : decodeQuery(pair.slice(at + 1));
      if (!Object.prototype.hasOwnProperty.call(params, key)) { params[key] = value; }
      else if (Array.isArray(params[key])) { params[key].push(value); }
      else { params[key] = [params[key], value]; }
    });
    return params;
  }

  // The shape of GTM's parseUrl (a URL object's fields); undefined when malformed.
  function parseUrl(url) {
    if (typeof url !== 'string') { return undefined; }
    var m = URL_RE.exec(url.trim());
    if (!m || !m[4]) { return undefined; }
    var protocol = m[1].toLowerCase();
    var hostname = m[4].toLowerCase();
    var port = m[5] || '';
    if ((protocol === 'https:' && port === '443') || (protocol === 'http:' && port === '80')) {
      port = '';
    }
    var host = hostname + (port ? ':' + port : '');
    var pathname = m[6] || '/';
    var search = m[7] && m[7].length > 1 ? m[7] : '';
    var hash = m[8] && m[8].length > 1 ? m[8] : '';
    var origin = protocol + '//' + host;
    var auth = m[2] ? m[2] + (m[3] ? ':' + m[3] : '') + '@' : '';
    return {
      href: protocol + '//' + auth + host + pathname + search + hash,
      origin: origin, protocol: protocol, username: m[2] || '', password: m[3] || '',
      host: host, hostname: hostname, port: port, pathname: pathname, search: search,
      searchParams: searchParams(search), hash: hash
    };
  }

  // GTM URL match patterns ("https://host/path*", "https://*.host/..."): https only;
  // "*." matches any subdomain; a path ending in "*" is a prefix; query and fragment
  // of the URL are ignored.
  function matchesUrlPattern(url, pattern) {
    var u = parseUrl(url);
    var p = parseUrl(String(pattern).replace('://*.', '://wildcard-subdomain.'));
    if (!u || !p || u.protocol !== 'https:' || p.protocol !== 'https:') { return false; }
    if (p.hostname.indexOf('wildcard-subdomain.') === 0) {
      var suffix = p.hostname.slice('wildcard-subdomain'.length);
      if (u.hostname.length <= suffix.length ||
          u.hostname.slice(-suffix.length) !== suffix) { return false; }
    } else if (u.hostname !== p.hostname) { return false; }
    if (u.port !== p.port) { return false; }
    var path = p.pathname;
    if (path.charAt(path.length - 1) === '*') {
      return u.pathname.indexOf(path.slice(0, -1)) === 0;
    }
    return u.pathname === path;
  }

  // ---- values ------------------------------------------------------------------
  function getType(value) {
    if (value === null) { return 'null'; }
    if (Array.isArray(value)) { return 'array'; }
    return typeof value === 'object' || typeof value === 'function' ? typeof value :
      (['string', 'number', 'boolean', 'undefined'].indexOf(typeof value) >= 0 ?
        typeof value : 'object');
  }

  // A JSON-able picture of a value for records: functions become "<function>".
  function plain(value, depth) {
    depth = depth || 0;
    if (depth > 40) { return '<too deep>'; }
    if (value === undefined) { return null; }
    if (typeof value === 'function') { return '<function>'; }
    if (typeof value === 'number' && !isFinite(value)) { return String(value); }
    if (value === null || typeof value !== 'object') { return value; }
    if (Array.isArray(value)) { return value.map(function (v) { return plain(v, depth + 1); }); }
    var out = {};
    Object.keys(value).forEach(function (k) {
      if (value[k] !== undefined) { out[k] = plain(value[k], depth + 1); }
    });
    return out;
  }

  function deepEqual(a, b) {
    if (a === b) { return true; }
    if (typeof a === 'number' && typeof b === 'number') { return a !== a && b !== b; }
    if (getType(a) !== getType(b) || typeof a !== 'object' || a === null) { return false; }
    if (Array.isArray(a)) {
      if (a.length !== b.length) { return false; }
      for (var i = 0; i < a.length; i++) { if (!deepEqual(a[i], b[i])) { return false; } }
      return true;
    }
    var ka = Object.keys(a).filter(function (k) { return a[k] !== undefined; }).sort();
    var kb = Object.keys(b).filter(function (k) { return b[k] !== undefined; }).sort();
    if (!deepEqual(ka, kb)) { return false; }
    return ka.every(function (k) { return deepEqual(a[k], b[k]); });
  }

  // Seeded pseudo-random numbers (mulberry32), so that runs repeat exactly.
  function random(seed) {
    var state = seed | 0;
    return function () {
      state = (state + 0x6D2B79F5) | 0;
      var t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  return {
    sha256Hex: function (text) { return hex(sha256(utf8(String(text)))); },
    sha256Base64: function (text) { return base64(sha256(utf8(String(text))), false); },
    toBase64: function (text, urlSafe) { return base64(utf8(String(text)), urlSafe); },
    fromBase64: fromBase64,
    parseUrl: parseUrl,
    matchesUrlPattern: matchesUrlPattern,
    getType: getType,
    plain: plain,
    deepEqual: deepEqual,
    random: random
  };
})();
