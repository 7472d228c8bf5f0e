"""The sandbox harness itself: stand-ins behave as GTM documents them and enforce the
declared permissions (small templates written here, not ours)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmgen.errors import GtmgenError
from gtmgen.sandbox import (
    HttpFailure,
    HttpResponse,
    TemplateError,
    WebPage,
    parse_template,
    run_scenarios,
    run_server_tag,
    run_web_tag,
)
from gtmgen.sandbox.engine import Engine
from gtmgen.sandbox.permissions import APIS, permission_entry

pytest.importorskip("py_mini_racer")


def template(
    context: str,
    code: str,
    permissions: dict[str, dict[str, Any]] | None = None,
    tests: str = "scenarios: []",
) -> str:
    """A minimal .tpl text in GTM's section layout."""
    code_section = {"WEB": "SANDBOXED_JS_FOR_WEB_TEMPLATE", "SERVER": "SANDBOXED_JS_FOR_SERVER"}
    perm_section = {"WEB": "WEB_PERMISSIONS", "SERVER": "SERVER_PERMISSIONS"}
    info = {
        "type": "TAG",
        "id": "cvt_temp_public_id",
        "version": 1,
        "securityGroups": [],
        "displayName": "t",
        "containerContexts": [context],
    }
    entries = [permission_entry(k, v) for k, v in (permissions or {}).items()]
    parts = [
        ("INFO", json.dumps(info, indent=2)),
        ("TEMPLATE_PARAMETERS", "[]"),
        (code_section[context], code),
        (perm_section[context], json.dumps(entries, indent=2)),
        ("TESTS", tests),
        ("NOTES", ""),
    ]
    return "".join(f"___{name}___\n\n{body}\n\n\n" for name, body in parts)


def globals_(*keys: tuple[str, bool, bool, bool]) -> dict[str, Any]:
    return {"keys": [{"key": k, "read": r, "write": w, "execute": x} for k, r, w, x in keys]}


SHA_CODE = """
const sha256Sync = require('sha256Sync');
const hex = sha256Sync(data.text, {outputEncoding: 'hex'});
const b64 = sha256Sync(data.text);
const sendHttpRequest = require('sendHttpRequest');
sendHttpRequest('https://example.com/', {}, hex + ' ' + b64);
data.gtmOnSuccess();
"""
SHA = template("SERVER", SHA_CODE, {"send_http": {"allowedUrls": "any"}})


@given(st.text(max_size=200))
def test_sha256sync_hex_and_default_base64_match_hashlib(text: str) -> None:
    run = run_server_tag(SHA, {"text": text})
    hex_digest, b64_digest = (run.requests[0].body or "").split(" ")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return  # a lone surrogate has no UTF-8 form; GTM's result is not defined here
    assert hex_digest == digest.hex()
    assert b64_digest == base64.b64encode(digest).decode()


def test_api_without_its_permission_throws() -> None:
    run = run_server_tag(
        template("SERVER", "require('getAllEventData')(); data.gtmOnSuccess();"),
        {},
        event_data={"a": 1},
    )
    assert run.outcome == "exception"
    assert "read_event_data" in (run.exception or "")


def test_unknown_api_and_api_of_the_other_container_throw() -> None:
    unknown = run_web_tag(template("WEB", "require('readMyMind'); data.gtmOnSuccess();"), {})
    assert unknown.outcome == "exception" and "unknown API" in (unknown.exception or "")
    server_api = run_web_tag(template("WEB", "require('sendHttpRequest');"), {})
    assert server_api.outcome == "exception"
    assert "sendHttpRequest" in (server_api.exception or "")


def test_window_keys_need_the_exact_mode() -> None:
    code = """
    const setInWindow = require('setInWindow');
    const copyFromWindow = require('copyFromWindow');
    setInWindow('allowed', {n: 1}, true);
    data.gtmOnSuccess();
    copyFromWindow('allowed');
    """
    run = run_web_tag(
        template("WEB", code, {"access_globals": globals_(("allowed", False, True, False))}), {}
    )
    assert run.successes == 1
    assert run.outcome == "exception"
    assert "read of window.allowed" in (run.exception or "")


def test_set_in_window_keeps_existing_values_unless_told() -> None:
    code = """
    const setInWindow = require('setInWindow');
    const copyFromWindow = require('copyFromWindow');
    const first = setInWindow('k', 'one');
    const second = setInWindow('k', 'two');
    const third = setInWindow('k', 'three', true);
    const missingParent = setInWindow('nope.k', 'x', true);
    return [first, second, third, missingParent, copyFromWindow('k')];
    """
    perms = {"access_globals": globals_(("k", True, True, False), ("nope.k", True, True, False))}
    with WebPage() as page:
        run = run_web_tag(template("WEB", code, perms), {}, page=page)
        assert run.returned == [True, False, True, False, "three"]
        assert page.window_value("k") == "three"
    assert parse_template(template("WEB", code, perms)).context == "WEB"


def test_copy_from_window_returns_a_copy() -> None:
    code = """
    const setInWindow = require('setInWindow');
    const copyFromWindow = require('copyFromWindow');
    setInWindow('obj', {list: [1]}, true);
    const copy = copyFromWindow('obj');
    copy.list.push(2);
    data.gtmOnSuccess();
    """
    with WebPage() as page:
        run_web_tag(
            template("WEB", code, {"access_globals": globals_(("obj", True, True, False))}),
            {},
            page=page,
        )
        assert page.window_value("obj") == {"list": [1]}


INJECT = """
const injectScript = require('injectScript');
injectScript(data.url, data.gtmOnSuccess, data.gtmOnFailure, data.token);
"""
INJECT_TPL = template("WEB", INJECT, {"inject_script": {"urls": ["https://cdn.example/*"]}})


def test_inject_script_with_a_cache_token_loads_once_per_page() -> None:
    with WebPage() as page:
        runs = [
            run_web_tag(INJECT_TPL, {"url": "https://cdn.example/a.js", "token": "t"}, page=page)
            for _ in range(3)
        ]
        assert [r.injected_scripts for r in runs] == [["https://cdn.example/a.js"], [], []]
        assert all(r.succeeded for r in runs)
        again = run_web_tag(INJECT_TPL, {"url": "https://cdn.example/a.js", "token": ""}, page=page)
        assert again.injected_scripts == ["https://cdn.example/a.js"]  # no token: no cache
    with WebPage() as other:
        fresh = run_web_tag(
            INJECT_TPL, {"url": "https://cdn.example/a.js", "token": "t"}, page=other
        )
        assert fresh.injected_scripts == ["https://cdn.example/a.js"]


def test_inject_script_failure_and_url_permission() -> None:
    with WebPage(failing_scripts=["https://cdn.example/"]) as page:
        run = run_web_tag(INJECT_TPL, {"url": "https://cdn.example/a.js", "token": "t"}, page=page)
        assert run.outcome == "failure"
    other = run_web_tag(INJECT_TPL, {"url": "https://evil.example/a.js", "token": "t"})
    assert other.outcome == "exception" and "inject_script" in (other.exception or "")
    http = run_web_tag(INJECT_TPL, {"url": "http://cdn.example/a.js", "token": "t"})
    assert http.outcome == "exception"


LOG = "require('logToConsole')('hello', {a: 1}); data.gtmOnSuccess();"


@pytest.mark.parametrize(
    ("environments", "debug", "expected"),
    [
        ("debug", False, []),
        ("debug", True, ['hello {"a":1}']),
        ("all", False, ['hello {"a":1}']),
    ],
)
def test_logging_environments(environments: str, debug: bool, expected: list[str]) -> None:
    tpl = template("SERVER", LOG, {"logging": {"environments": environments}})
    assert run_server_tag(tpl, {}, debug=debug).logs == expected


def test_logging_without_permission_throws() -> None:
    assert run_server_tag(template("SERVER", LOG), {}).outcome == "exception"


def test_json_parse_returns_undefined_on_bad_input() -> None:
    code = """
    const JSON = require('JSON');
    const getType = require('getType');
    return [getType(JSON.parse('{bad')), JSON.parse('{"a":[1]}'), JSON.stringify({b: 2})];
    """
    run = run_server_tag(template("SERVER", code), {})
    assert run.returned == ["undefined", {"a": [1]}, '{"b":2}']


HTTP = """
const sendHttpRequest = require('sendHttpRequest');
const logToConsole = require('logToConsole');
sendHttpRequest('https://api.example/x', {method: 'POST', headers: {'A': 'b'}, timeout: 99},
                'body').then(function (r) {
  logToConsole(r.statusCode + ' ' + r.body);
  data.gtmOnSuccess();
}, function (e) {
  logToConsole('rejected ' + e.reason);
  data.gtmOnFailure();
});
"""
HTTP_TPL = template(
    "SERVER",
    HTTP,
    {
        "send_http": {"allowedUrls": "specific", "urls": ["https://api.example/*"]},
        "logging": {"environments": "all"},
    },
)


def test_send_http_request_promise_resolves_and_rejects() -> None:
    ok = run_server_tag(HTTP_TPL, {}, response=HttpResponse(201, "yes"))
    assert ok.succeeded and ok.logs == ["201 yes"]
    request = ok.requests[0]
    assert (request.url, request.method, request.headers, request.body, request.timeout) == (
        "https://api.example/x",
        "POST",
        {"A": "b"},
        "body",
        99,
    )
    timed_out = run_server_tag(HTTP_TPL, {}, response=HttpFailure("timed_out"))
    assert timed_out.outcome == "failure" and timed_out.logs == ["rejected timed_out"]


def test_send_http_request_callback_form() -> None:
    code = """
    require('sendHttpRequest')('https://api.example/x', function (status, headers, body) {
      if (status === 204) { data.gtmOnSuccess(); } else { data.gtmOnFailure(); }
    }, {method: 'GET'});
    """
    tpl = template("SERVER", code, {"send_http": {"allowedUrls": "any"}})
    assert run_server_tag(tpl, {}, response=HttpResponse(204, "")).succeeded
    assert run_server_tag(tpl, {}, response=HttpFailure()).outcome == "failure"


def test_send_http_url_outside_the_permission_throws() -> None:
    code = "require('sendHttpRequest')('https://other.example/', {}, '');"
    tpl = template(
        "SERVER",
        code,
        {"send_http": {"allowedUrls": "specific", "urls": ["https://api.example/*"]}},
    )
    run = run_server_tag(tpl, {})
    assert run.outcome == "exception" and not run.requests


def test_event_data_cookies_and_headers_follow_their_permissions() -> None:
    code = """
    const getEventData = require('getEventData');
    const getCookieValues = require('getCookieValues');
    const getRequestHeader = require('getRequestHeader');
    const setCookie = require('setCookie');
    const sendHttpRequest = require('sendHttpRequest');
    sendHttpRequest('https://a.example/', {}, [getEventData('items.0.item_id'),
      getCookieValues('c').join('|'), getRequestHeader('user-agent')].join(','));
    setCookie('c', 'v', {domain: 'auto', path: '/', secure: true});
    data.gtmOnSuccess();
    getEventData('secret');
    """
    perms: dict[str, dict[str, Any]] = {
        "read_event_data": {"keyPatterns": ["items"], "eventDataAccess": "specific"},
        "get_cookies": {"cookieAccess": "specific", "cookieNames": ["c"]},
        "set_cookies": {
            "allowedCookies": [
                {"name": "c", "domain": "*", "path": "*", "secure": "any", "session": "any"}
            ]
        },
        "read_request": {
            "requestAccess": "specific",
            "headerAccess": "specific",
            "headersAllowed": True,
            "headerWhitelist": [{"headerName": "User-Agent"}],
        },
        "send_http": {"allowedUrls": "any"},
    }
    run = run_server_tag(
        template("SERVER", code, perms),
        {},
        event_data={"items": [{"item_id": "SKU"}], "secret": 1},
        cookies={"c": ["a%20b", "x"]},
        headers={"User-Agent": "UA"},
    )
    assert run.requests[0].body == "SKU,a b|x,UA"
    assert [(c.name, c.value) for c in run.cookies_set] == [("c", "v")]
    assert run.outcome == "exception" and "secret" in (run.exception or "")


def test_parse_url_and_containers_version() -> None:
    code = """
    const parseUrl = require('parseUrl');
    const u = parseUrl('https://Shop.example/p/?a=1&a=2&b=x%20y#top');
    const v = require('getContainerVersion')();
    require('sendHttpRequest')('https://a.example/', {}, require('JSON').stringify(
      [u.hostname, u.pathname, u.searchParams, u.hash, v.debugMode, parseUrl('nope')]));
    """
    perms = {"read_container_data": {}, "send_http": {"allowedUrls": "any"}}
    run = run_server_tag(template("SERVER", code, perms), {}, debug=True)
    assert run.requests[0].json == [
        "shop.example",
        "/p/",
        {"a": ["1", "2"], "b": "x y"},
        "#top",
        True,
        None,
    ]


def test_sandbox_hides_browser_globals() -> None:
    code = "return [typeof window, typeof Date, typeof Math, typeof setTimeout];"
    run = run_web_tag(template("WEB", code), {})
    assert run.returned == ["undefined"] * 4


def test_globals_are_undefined_inside_the_sandbox() -> None:
    run = run_web_tag(template("WEB", "Date.now(); data.gtmOnSuccess();"), {})
    assert run.outcome == "exception"


def test_template_errors_are_reported_without_traceback() -> None:
    with pytest.raises(TemplateError):
        parse_template("___INFO___\n\n{not json\n\n\n")
    with pytest.raises(TemplateError):
        parse_template(template("WEB", "x").replace('"WEB"', '"MOBILE"'))
    with pytest.raises(TemplateError):
        run_server_tag(template("WEB", "data.gtmOnSuccess();"), {})
    with pytest.raises(GtmgenError, match="SyntaxError"):
        run_web_tag(template("WEB", "function ("), {})


def test_scenarios_report_failed_assertions() -> None:
    tests = """scenarios:
- name: passes
  code: |-
    runCode({});
    assertApi('gtmOnSuccess').wasCalled();
    assertThat([1, {a: 2}]).isEqualTo([1, {a: 2}]);
- name: fails
  code: |-
    runCode({});
    assertApi('gtmOnFailure').wasCalled();
- name: mocks replace apis
  code: |-
    mock('getTimestampMillis', function () { return 5; });
    assertThat(runCode({})).isEqualTo(5);
"""
    tpl = template(
        "WEB", "data.gtmOnSuccess(); return require('getTimestampMillis')();", tests=tests
    )
    results = run_scenarios(tpl)
    assert [r.passed for r in results] == [True, False, True]
    assert "gtmOnFailure was not called" in results[1].error


def test_the_permission_table_covers_exactly_the_stand_ins() -> None:
    with Engine() as engine:
        names = engine.call_json("__gtmgen.apiNames")
    assert {ctx: sorted(apis) for ctx, apis in names.items()} == {
        ctx: sorted(table) for ctx, table in APIS.items()
    }


def test_generate_random_is_seeded_and_moves_on_between_runs() -> None:
    tpl = template("WEB", "return require('generateRandom')(1, 1000000);")
    with WebPage(seed=3) as page:
        first = [run_web_tag(tpl, {}, page=page).returned for _ in range(3)]
    with WebPage(seed=3) as page:
        again = [run_web_tag(tpl, {}, page=page).returned for _ in range(3)]
    assert first == again and len(set(first)) == 3
