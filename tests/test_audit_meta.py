"""`gtmgen audit` on Meta tags: gtmgen's own Meta templates wired as the builder wires
them (clean), and each Meta fault made by hand in Custom HTML, gallery template tags and
the web/server pair (found once, on exactly the tag that has it)."""

from __future__ import annotations

from typing import Any

import pytest

from gtmgen.audit import audit_containers
from gtmgen.audit.platforms import check_pair
from gtmgen.generate import names
from gtmgen.gtm.container import Container
from tests.audit_helpers import (
    RANDOM_ID_JS,
    TIKTOK_SHOP,
    add_html_tag,
    add_variable,
    example_specs,
    exports,
    set_param,
    tag,
    trigger_id,
)
from tests.meta_audit_helpers import PIXEL, add_gallery_tag, add_meta, meta_tag

Found = set[tuple[str, str, str]]


def _report(web: dict[str, Any], server: dict[str, Any] | None = None) -> list[Any]:
    containers = [Container(web, file="web.json")]
    if server is not None:
        containers.append(Container(server, file="server.json"))
    return audit_containers(containers).findings


def _audit(web: dict[str, Any], server: dict[str, Any] | None = None) -> Found:
    return {(f.severity, f.code, f.entity) for f in _report(web, server)}


def _meta(found: Found) -> Found:
    return {f for f in found if f[1].startswith("meta-")}


@pytest.fixture
def pair() -> tuple[dict[str, Any], dict[str, Any]]:
    web, server = exports()
    add_meta(web, server)
    return web, server


@pytest.mark.parametrize("spec", example_specs()[:3], ids=lambda p: p.stem)
def test_our_meta_templates_audit_clean(spec: Any) -> None:
    web, server = exports(spec)
    add_meta(web, server)
    # lead-gen sends a TikTok test code on purpose; nothing else may be found
    assert {f for f in _audit(web, server) if f[1] != "tiktok-test-event-code"} == set()


def test_our_tags_are_paired_and_compared(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    # the pair check follows every Meta event to its Conversions API tag: breaking the
    # server side of one event shows up for exactly that event
    web, server = pair
    set_param(tag(server, meta_tag("purchase")), "eventId", "order-1")
    found = _meta(_audit(web, server))
    assert {(f[0], f[1]) for f in found} == {("high", "meta-event-id-mismatch")}
    [(_, _, entity)] = found
    assert entity.startswith(
        f"tag {meta_tag('purchase')!r} (web) and tag "
        f"{meta_tag('purchase')!r} (server, via GA4 'purchase'"
    )


# -- browser events without an event ID ---------------------------------------------------


HTML_CASES = {
    "track, 3 arguments": ("fbq('track', 'Purchase', {value: 1});", "high"),
    "trackCustom, 2 arguments": ("fbq('trackCustom', 'Quiz');", "high"),
    "4th without eventID": ("fbq('track', 'Lead', {}, {foo: 1});", "high"),
    "eventID empty": ("fbq('track', 'Lead', {}, {eventID: ''});", "high"),
    "trackSingle, 4 arguments": ("fbq('trackSingle', '1', 'Purchase', {value: 1});", "high"),
    "trackSingleCustom, 5th without eventID": (
        "fbq('trackSingleCustom', '1', 'Quiz', {}, {});",
        "high",
    ),
    "eventID in the 3rd": ("fbq('track', 'Lead', {eventID: {{gtmgen - event_id}}});", "high"),
    "PageView": ("fbq('track', 'PageView');", "low"),
}
HTML_CLEAN = {
    "eventID": "fbq('track', 'Purchase', {value: 1}, {eventID: {{gtmgen - event_id}}});",
    "event_id": "fbq('trackCustom', 'Quiz', {}, {event_id: {{gtmgen - event_id}}});",
    "trackSingle": "fbq('trackSingle', '1', 'Lead', {}, {eventID: {{gtmgen - event_id}}});",
    "options variable": "var o = {eventID: {{gtmgen - event_id}}};\nfbq('track', 'Lead', {}, o);",
    "not an event": "fbq('init', '1'); fbq('consent', 'grant');",
    "comment": "// fbq('track', 'Lead');\n/* fbq('track', 'Purchase', {}) */",
}


@pytest.mark.parametrize("case", sorted(HTML_CASES))
def test_custom_html_event_without_event_id(case: str) -> None:
    code, severity = HTML_CASES[case]
    web, _ = exports()
    add_html_tag(web, "FB (HTML)", f"<script>\n{code}\n</script>", trigger_id(web, "purchase"))
    assert _meta(_audit(web)) == {(severity, "meta-no-event-id", "tag 'FB (HTML)'")}


def test_event_id_in_the_params_is_named_in_the_message() -> None:
    web, _ = exports()
    add_html_tag(
        web,
        "FB (HTML)",
        "<script>fbq('track', 'Lead', {eventID: 'x'});</script>",
        trigger_id(web, "purchase"),
    )
    [finding] = [f for f in _report(web) if f.code == "meta-no-event-id"]
    assert "3rd argument" in finding.message and "'Lead'" in finding.message


@pytest.mark.parametrize("case", sorted(HTML_CLEAN))
def test_custom_html_event_with_event_id(case: str) -> None:
    web, _ = exports()
    add_html_tag(
        web, "FB (HTML)", f"<script>\n{HTML_CLEAN[case]}\n</script>", trigger_id(web, "purchase")
    )
    assert _meta(_audit(web)) == set()


def test_only_the_call_without_event_id_counts() -> None:
    web, _ = exports()
    add_html_tag(
        web,
        "FB (HTML)",
        "<script>fbq('init', '1');\nfbq('track', 'PageView', {}, {eventID: 'a'});\n"
        "fbq('track', 'Purchase', {value: 1});</script>",
        trigger_id(web, "purchase"),
    )
    [finding] = [f for f in _report(web) if f.code == "meta-no-event-id"]
    assert finding.severity == "high" and "'Purchase'" in finding.message


def test_paused_tag_is_not_reported() -> None:
    web, _ = exports()
    add_html_tag(
        web, "FB (HTML)", "<script>fbq('track', 'Lead');</script>", trigger_id(web, "purchase")
    )
    web["containerVersion"]["tag"][-1]["paused"] = True
    assert _meta(_audit(web)) == set()


@pytest.mark.parametrize(
    ("which", "fields"),
    [
        (
            "facebook-pixel",
            {"pixelId": "1", "eventName": "standard", "standardEventName": "Purchase"},
        ),
        ("facebook-pixel", {"pixelId": "1", "eventName": "custom", "customEventName": "Quiz"}),
        (
            "stape-web",
            {
                "pixelIds": "1",
                "inheritEventName": "override",
                "eventName": "standard",
                "eventNameStandard": "Lead",
            },
        ),
        ("stape-web", {"pixelIds": "1", "inheritEventName": "inherit"}),
    ],
)
@pytest.mark.parametrize("event_id", ["", None])
def test_gallery_pixel_tag_with_empty_event_id(
    which: str, fields: dict[str, str], event_id: str | None
) -> None:
    web, _ = exports()
    parameter = dict[str, Any](fields) if event_id is None else {**fields, "eventId": event_id}
    add_gallery_tag(web, which, "FB gallery", parameter, [trigger_id(web, "purchase")])
    assert _meta(_audit(web)) == {("high", "meta-no-event-id", "tag 'FB gallery'")}
    set_param(tag(web, "FB gallery"), "eventId", "{{gtmgen - event_id}}")
    assert _meta(_audit(web)) == set()


def test_gallery_message_names_the_event() -> None:
    web, _ = exports()
    add_gallery_tag(
        web,
        "facebook-pixel",
        "FB gallery",
        {"pixelId": "1", "eventName": "standard", "standardEventName": "Purchase", "eventId": ""},
        [trigger_id(web, "purchase")],
    )
    [finding] = [f for f in _report(web) if f.code == "meta-no-event-id"]
    assert "'Purchase'" in finding.message and "eventID" in finding.message


def test_our_pixel_event_without_event_id(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    web, server = pair
    set_param(tag(web, meta_tag("search")), "eventId", "")
    assert _meta(_audit(web, server)) == {
        ("high", "meta-no-event-id", f"tag {meta_tag('search')!r}")
    }


def test_our_server_event_without_event_id(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    web, server = pair
    set_param(tag(server, meta_tag("search")), "eventId", "")
    assert _meta(_audit(web, server)) == {
        ("high", "meta-no-event-id", f"tag {meta_tag('search')!r}")
    }
    [finding] = [f for f in _report(web, server) if f.code == "meta-no-event-id"]
    assert finding.file == "server.json" and "Conversions API" in finding.message


# -- event IDs that change between reads ---------------------------------------------------


def test_fresh_random_event_id_on_meta_tags(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    web, server = pair
    add_variable(
        web,
        "Fresh random ID",
        "jsm",
        [{"type": "TEMPLATE", "key": "javascript", "value": RANDOM_ID_JS}],
    )
    set_param(tag(web, meta_tag("purchase")), "eventId", "{{Fresh random ID}}")
    add_gallery_tag(
        web,
        "facebook-pixel",
        "FB gallery",
        {"pixelId": PIXEL, "standardEventName": "Lead", "eventId": "{{Random Number}}"},
        [trigger_id(web, "purchase")],
    )
    web["containerVersion"]["builtInVariable"].append(
        {"accountId": "1", "containerId": "2", "type": "RANDOM_NUMBER", "name": "Random Number"}
    )
    add_html_tag(
        web,
        "FB (HTML)",
        "<script>fbq('trackSingle', '1', 'Lead', {}, {eventID: {{Fresh random ID}}});</script>",
        trigger_id(web, "search"),
    )
    changing = {f[2] for f in _audit(web, server) if f[1] == "event-id-changes-per-read"}
    assert changing == {f"tag {meta_tag('purchase')!r}", "tag 'FB gallery'", "tag 'FB (HTML)'"}


def test_stape_server_event_id_row_is_judged() -> None:
    _, server = exports()
    add_variable(
        server,
        "Fresh random ID",
        "jsm",
        [{"type": "TEMPLATE", "key": "javascript", "value": RANDOM_ID_JS}],
    )
    entity = add_gallery_tag(server, "stape-server", "FB CAPI", {"pixelId": PIXEL}, [])
    entity["parameter"].append(
        {
            "type": "LIST",
            "key": "serverEventDataList",
            "list": [
                {
                    "type": "MAP",
                    "map": [
                        {"type": "TEMPLATE", "key": "name", "value": "event_id"},
                        {"type": "TEMPLATE", "key": "value", "value": "{{Fresh random ID}}"},
                    ],
                }
            ],
        }
    )
    assert ("high", "event-id-changes-per-read", "tag 'FB CAPI'") in _audit(server)


# -- the web/server pair -----------------------------------------------------------------


def _hop_row(web: dict[str, Any], event: str, key: str) -> dict[str, Any]:
    hop = tag(web, names.ga4_tag(event))
    table = next(p for p in hop["parameter"] if p["key"] == "eventSettingsTable")
    return next(row for row in table["list"] if row["map"][0]["value"] == key)


def test_server_event_id_from_another_key_not_forwarded(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    web, server = pair
    add_variable(
        server, "ED - order", "ed", [{"type": "TEMPLATE", "key": "keyPath", "value": "order_ref"}]
    )
    set_param(tag(server, meta_tag("add_to_cart")), "eventId", "{{ED - order}}")
    found = _meta(_audit(web, server))
    assert {(f[0], f[1]) for f in found} == {("high", "meta-event-id-not-forwarded")}
    assert all(meta_tag("add_to_cart") in f[2] for f in found)


def test_hop_sends_another_variable_as_event_id(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    web, server = pair
    add_variable(web, "DLV - order", "v", [{"type": "TEMPLATE", "key": "name", "value": "order"}])
    _hop_row(web, "add_to_cart", "event_id")["map"][1]["value"] = "{{DLV - order}}"
    found = _meta(_audit(web, server))
    assert {(f[0], f[1]) for f in found} == {("medium", "meta-event-id-sources-differ")}
    [message] = [
        f.message for f in _report(web, server) if f.code == "meta-event-id-sources-differ"
    ]
    assert "{{gtmgen - event_id}}" in message and "{{DLV - order}}" in message


def test_gallery_capi_reads_event_data_event_id(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    web, server = pair
    trigger = tag(server, names.tiktok_tag("view_item"))["firingTriggerId"]
    add_gallery_tag(
        server,
        "capi",
        "CAPI (gallery)",
        {"pixelId": "{{gtmgen - Meta pixel ID}}", "apiAccessToken": ""},
        trigger,
    )
    assert _meta(_audit(web, server)) == set()  # the hop carries event_id
    hop = tag(web, names.ga4_tag("view_item"))
    table = next(p for p in hop["parameter"] if p["key"] == "eventSettingsTable")
    table["list"] = [r for r in table["list"] if r["map"][0]["value"] != "event_id"]
    found = _meta(_audit(web, server))
    assert {f[1] for f in found} == {"meta-event-id-not-forwarded"}
    assert {f[2].split(" (server")[0] for f in found} == {
        f"tag {meta_tag('view_item')!r} (web) and tag 'CAPI (gallery)'",
        f"tag {meta_tag('view_item')!r} (web) and tag {meta_tag('view_item')!r}",
    }


def test_event_name_mismatch(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    web, server = pair
    set_param(tag(server, meta_tag("add_to_cart")), "eventName", "AddToBasket")
    [finding] = [f for f in _report(web, server) if f.code.startswith("meta-")]
    assert (finding.severity, finding.code) == ("high", "meta-event-name-mismatch")
    assert "'AddToCart'" in finding.message and "'AddToBasket'" in finding.message


def test_pixel_ids_on_one_side_only(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    web, server = pair
    server_pixel = next(
        v for v in server["containerVersion"]["variable"] if v["name"] == "gtmgen - Meta pixel ID"
    )
    server_pixel["parameter"][0]["value"] = "999"
    found = _meta(_audit(web, server))
    first = f"tag {meta_tag('add_payment_info')!r}"
    assert ("medium", "meta-pixel-not-on-server", f"{first} and 7 more") in found
    assert ("medium", "meta-pixel-not-on-web", f"{first} and 6 more") in found
    messages = " ".join(f.message for f in _report(web, server) if "pixel-not" in f.code)
    assert PIXEL in messages and "999" in messages


def test_literal_pixel_ids_and_comma_lists() -> None:
    web, server = exports()
    add_gallery_tag(web, "stape-web", "FB web", {"pixelIds": "111, 222", "eventId": "x"}, [])
    add_gallery_tag(server, "stape-server", "FB server", {"pixelId": "111"}, [])
    found = {
        (f.severity, f.code, f.entity, f.message)
        for f in check_pair(Container(web, file="w"), Container(server, file="s"))
    }
    assert {(f[1], f[2]) for f in found} == {("meta-pixel-not-on-server", "tag 'FB web'")}
    assert "222" in next(iter(found))[3]


def test_pixel_ids_through_a_lookup_are_not_compared(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    web, server = pair
    add_variable(server, "LT - pixel", "smm", [])
    set_param(tag(server, meta_tag("purchase")), "pixelId", "{{LT - pixel}}")
    assert _meta(_audit(web, server)) == set()


def test_browser_only_meta_is_a_note() -> None:
    web, server = exports(TIKTOK_SHOP)
    add_gallery_tag(web, "facebook-pixel", "FB web", {"pixelId": "42", "eventId": "x"}, [])
    found = _meta(_audit(web, server))
    assert found == {("note", "meta-pixel-not-on-server", "tag 'FB web'")}
    assert audit_containers([Container(web, file="w"), Container(server, file="s")]).exit_code == 0


# -- tokens ---------------------------------------------------------------------------------

TOKEN = "EAAG" + "x1Y2z3" * 12


def _token_findings(export: dict[str, Any]) -> list[Any]:
    return [f for f in _report(export) if f.code.startswith("token-")]


def test_meta_token_in_custom_html_of_a_web_container() -> None:
    web, _ = exports()
    add_html_tag(
        web,
        "CAPI from the browser",
        f"<script>fetch('https://graph.facebook.com/v24.0/1/events?access_token="
        f"{TOKEN}', {{method: 'POST'}});</script>",
        trigger_id(web, "purchase"),
    )
    [finding] = _token_findings(web)
    assert (finding.severity, finding.code, finding.entity) == (
        "high",
        "token-in-web-container",
        "tag 'CAPI from the browser'",
    )
    assert TOKEN not in str(finding) and TOKEN[5:20] not in str(finding)
    assert f"({len(TOKEN)} chars, #" in finding.message


def test_meta_token_in_a_stape_multi_pixel_row() -> None:
    _, server = exports()
    entity = add_gallery_tag(
        server,
        "stape-server",
        "FB CAPI",
        {"pixelId": PIXEL, "accessToken": "{{token}}", "enableMultipixelSetup": "true"},
        [],
    )
    entity["parameter"].append(
        {
            "type": "LIST",
            "key": "pixelIdAndAccessTokenTable",
            "list": [
                {
                    "type": "MAP",
                    "map": [
                        {"type": "TEMPLATE", "key": "pixelId", "value": "2"},
                        {"type": "TEMPLATE", "key": "accessToken", "value": TOKEN},
                    ],
                }
            ],
        }
    )
    [finding] = _token_findings(server)
    assert (finding.severity, finding.code, finding.entity) == (
        "low",
        "token-in-export",
        "tag 'FB CAPI'",
    )
    assert TOKEN not in str(finding)


def test_literal_token_in_our_meta_server_tag_is_reported_once(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, server = pair
    set_param(tag(server, meta_tag("purchase")), "accessToken", TOKEN)
    [finding] = _token_findings(server)
    assert (finding.severity, finding.entity) == ("low", f"tag {meta_tag('purchase')!r}")
    assert TOKEN not in str(finding)


def test_literal_token_in_a_meta_pixel_tag_of_the_web(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    web, _ = pair
    set_param(tag(web, meta_tag("purchase")), "accessToken", TOKEN)
    [finding] = _token_findings(web)
    assert (finding.severity, finding.code) == ("high", "token-in-web-container")
    assert TOKEN not in str(finding)


def test_simulate_runs_our_meta_tags(tmp_path: Any) -> None:
    # classify names gtmgen's Meta templates "ours"; simulate runs them beside the TikTok
    # ones and gives each platform its verdict
    from gtmgen.simulate import Options, load, simulate
    from tests.audit_helpers import write

    pytest.importorskip("py_mini_racer")
    web, server = exports()
    add_meta(web, server)
    web_path, server_path = write(tmp_path, web, server)
    [report] = simulate(
        load(None, web_path, server_path),
        [{"event": "add_to_cart"}],
        Options(seed=1, now_ms=1_700_000_000_000, access_token="tok-123456789"),
    )
    assert report.verdict.deduplicates, report.verdict.reason
    assert set(report.verdict.platforms) == {"tiktok", "meta"}
    assert meta_tag("add_to_cart") not in report.not_simulated
    assert meta_tag("add_to_cart") in report.servers[0].fired_ours
