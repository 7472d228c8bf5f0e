"""gtmgen's sandbox stand-in of GTM's consent APIs and page scripts, against Google's API
reference (https://developers.google.com/tag-platform/tag-manager/templates/api):
isConsentGranted reads unset as granted; addConsentListener runs on every denied <->
granted change with (consentType, granted); both need access_consent read."""

from __future__ import annotations

import json

import pytest

from gtmgen.sandbox import WebPage, run_web_tag
from gtmgen.sandbox.permissions import permission_entry

pytest.importorskip("py_mini_racer")

CODE = """
const isConsentGranted = require('isConsentGranted');
const addConsentListener = require('addConsentListener');
const createQueue = require('createQueue');
const push = createQueue('seen');
push(['now', isConsentGranted('ad_storage')]);
addConsentListener('ad_storage', function (type, granted) { push([type, granted]); });
data.gtmOnSuccess();
"""


def template(consent_types: list[str]) -> str:
    perms = [
        permission_entry(
            "access_globals",
            {"keys": [{"key": "seen", "read": True, "write": True, "execute": False}]},
        )
    ]
    if consent_types:
        perms.append(
            permission_entry(
                "access_consent",
                {
                    "consentTypes": [
                        {"consentType": t, "read": True, "write": False} for t in consent_types
                    ]
                },
            )
        )
    info = {
        "type": "TAG",
        "id": "cvt_temp_public_id",
        "version": 1,
        "securityGroups": [],
        "displayName": "t",
        "containerContexts": ["WEB"],
    }
    return (
        f"___INFO___\n\n{json.dumps(info)}\n\n\n___TEMPLATE_PARAMETERS___\n\n[]\n\n\n"
        f"___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n{CODE}\n\n\n"
        f"___WEB_PERMISSIONS___\n\n{json.dumps(perms)}\n\n\n"
    )


def test_unset_is_granted_and_unset_to_granted_calls_no_listener() -> None:
    with WebPage() as page:
        assert run_web_tag(template(["ad_storage"]), {}, page=page).succeeded
        page.update_consent({"ad_storage": "granted"})
        page.update_consent({"ad_storage": "denied"})
        page.update_consent({"ad_storage": "denied"})
        page.update_consent({"ad_storage": "granted"})
        assert page.window_value("seen") == [
            ["now", True],
            ["ad_storage", False],
            ["ad_storage", True],
        ]


def test_denied_at_first_then_granted() -> None:
    with WebPage(consent={"ad_storage": "denied"}) as page:
        run_web_tag(template(["ad_storage"]), {}, page=page)
        run = page.update_consent({"ad_storage": "granted", "analytics_storage": "granted"})
        assert run.exception is None
        assert page.window_value("seen") == [["now", False], ["ad_storage", True]]


def test_consent_apis_need_access_consent() -> None:
    run = run_web_tag(template([]), {})
    assert run.exception is not None and "access_consent" in run.exception


def test_page_scripts_run_with_the_pages_window() -> None:
    with WebPage(scripts={"https://cdn.example/": "window.loaded = args.url;"}) as page:
        assert page.run_script("window.a = [1]; window.a.b = 2; return window.a.length;") == 1
        assert page.window_value("a") == [1]
