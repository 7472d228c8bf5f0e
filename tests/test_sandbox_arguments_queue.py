"""The sandbox stand-ins the Meta Pixel template relies on: createArgumentsQueue as GTM
documents it (the function first, then the array, which may hang on that function; an
existing function is returned, not replaced) and the page's consent state."""

from __future__ import annotations

from typing import Any

import pytest

from gtmgen.sandbox import WebPage, run_web_tag
from tests.test_sandbox import globals_, template

pytest.importorskip("py_mini_racer")

QUEUE_PERMS = {
    "access_globals": globals_(
        ("fbq", True, True, True),
        ("fbq.queue", True, True, False),
        ("one.two", True, True, False),
        ("dataLayer", True, True, False),
        ("gtag", True, True, False),
    )
}


def run(code: str, page: WebPage, perms: dict[str, Any] | None = None) -> Any:
    result = run_web_tag(template("WEB", code, perms or QUEUE_PERMS), {}, page=page)
    assert result.exception is None, result.exception
    return result


def test_the_array_can_hang_on_the_function_it_creates() -> None:
    code = """
    const createArgumentsQueue = require('createArgumentsQueue');
    const fbq = createArgumentsQueue('fbq', 'fbq.queue');
    fbq('init', '123');
    fbq('track', 'PageView');
    data.gtmOnSuccess();
    """
    with WebPage() as page:
        result = run(code, page)
        assert page.window_value("fbq") == "<function>"
        # each entry is the arguments object of one call
        assert page.window_value("fbq.queue") == [
            {"0": "init", "1": "123"},
            {"0": "track", "1": "PageView"},
        ]
        assert [p.value for p in result.queue_pushes] == [["init", "123"], ["track", "PageView"]]
        assert {p.key for p in result.queue_pushes} == {"fbq.queue"}


def test_gtag_and_data_layer_as_in_the_api_reference() -> None:
    code = """
    const createArgumentsQueue = require('createArgumentsQueue');
    const gtag = createArgumentsQueue('gtag', 'dataLayer');
    gtag('set', {currency: 'USD'});
    data.gtmOnSuccess();
    """
    with WebPage() as page:
        run(code, page)
        assert page.window_value("dataLayer") == [{"0": "set", "1": {"currency": "USD"}}]


def test_an_existing_function_is_returned_not_replaced() -> None:
    site = """
    const setInWindow = require('setInWindow');
    const createQueue = require('createQueue');
    const calls = createQueue('dataLayer');
    setInWindow('fbq', function (a, b) { calls(['site', a, b]); }, true);
    data.gtmOnSuccess();
    """
    code = """
    const createArgumentsQueue = require('createArgumentsQueue');
    const fbq = createArgumentsQueue('fbq', 'fbq.queue');
    fbq('track', 'Lead');
    data.gtmOnSuccess();
    """
    with WebPage() as page:
        run(site, page)
        run(code, page)
        assert page.window_value("dataLayer") == [["site", "track", "Lead"]]
        assert page.window_value("fbq.queue") == []  # created on the existing function


def test_an_existing_array_is_kept() -> None:
    code = """
    const setInWindow = require('setInWindow');
    const createArgumentsQueue = require('createArgumentsQueue');
    setInWindow('dataLayer', [{event: 'earlier'}], true);
    const gtag = createArgumentsQueue('gtag', 'dataLayer');
    gtag('event', 'x');
    data.gtmOnSuccess();
    """
    with WebPage() as page:
        run(code, page)
        assert page.window_value("dataLayer") == [{"event": "earlier"}, {"0": "event", "1": "x"}]


def test_a_path_that_does_not_exist_throws() -> None:
    code = """
    const createArgumentsQueue = require('createArgumentsQueue');
    createArgumentsQueue('gtag', 'one.two');
    data.gtmOnSuccess();
    """
    result = run_web_tag(template("WEB", code, QUEUE_PERMS), {})
    assert result.outcome == "exception"
    assert "one.two" in (result.exception or "")


def test_both_keys_need_read_and_write() -> None:
    code = """
    require('createArgumentsQueue')('fbq', 'fbq.queue');
    data.gtmOnSuccess();
    """
    perms = {
        "access_globals": globals_(("fbq", True, True, True), ("fbq.queue", True, False, False))
    }
    result = run_web_tag(template("WEB", code, perms), {})
    assert result.outcome == "exception"
    assert "write of window.fbq.queue" in (result.exception or "")


CONSENT = """
const isConsentGranted = require('isConsentGranted');
const addConsentListener = require('addConsentListener');
const createQueue = require('createQueue');
const seen = createQueue('seen');
seen(['now', isConsentGranted('ad_storage')]);
addConsentListener('ad_storage', function (type, granted) { seen([type, granted]); });
data.gtmOnSuccess();
"""
CONSENT_PERMS = {
    "access_globals": globals_(("seen", True, True, False)),
    "access_consent": {
        "consentTypes": [{"consentType": "ad_storage", "read": True, "write": False}]
    },
}


def update(page: WebPage, **states: bool) -> None:
    page.update_consent({k: "granted" if v else "denied" for k, v in states.items()})


def test_consent_unset_is_granted_and_listeners_see_each_change() -> None:
    with WebPage() as page:
        result = run(CONSENT, page, CONSENT_PERMS)
        assert "access_consent:ad_storage:read" in result.permission_uses
        update(page, ad_storage=True)  # unset -> granted: no change
        update(page, ad_storage=False)
        update(page, ad_storage=False)  # no change
        update(page, ad_storage=True, analytics_storage=False)
        assert page.window_value("seen") == [
            ["now", True],
            ["ad_storage", False],
            ["ad_storage", True],
        ]


def test_consent_denied_before_the_tag_runs() -> None:
    with WebPage() as page:
        update(page, ad_storage=False)
        run(CONSENT, page, CONSENT_PERMS)
        update(page, ad_storage=True)
        assert page.window_value("seen") == [["now", False], ["ad_storage", True]]


def test_consent_types_need_the_permission() -> None:
    perms = {
        **CONSENT_PERMS,
        "access_consent": {
            "consentTypes": [{"consentType": "analytics_storage", "read": True, "write": False}]
        },
    }
    result = run_web_tag(template("WEB", CONSENT, perms), {})
    assert result.outcome == "exception"
    assert "access_consent" in (result.exception or "")
