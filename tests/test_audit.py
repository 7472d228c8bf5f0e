"""`gtmgen audit` on our exports (clean), on exports broken by hand (each fault found and
named) and on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gtmgen.audit import audit_containers
from gtmgen.cli import app
from gtmgen.generate import names
from gtmgen.gtm.container import Container
from tests.audit_helpers import (
    add_html_tag,
    add_variable,
    break_pair,
    example_specs,
    exports,
    set_param,
    tag,
    trigger_id,
    write,
)


def _audit(web: dict[str, Any], server: dict[str, Any] | None = None) -> set[tuple[str, str, str]]:
    containers = [Container(web, file="web.json")]
    if server is not None:
        containers.append(Container(server, file="server.json"))
    report = audit_containers(containers)
    return {(f.severity, f.code, f.entity) for f in report.findings}


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.stem)
def test_our_exports_audit_clean(spec: Path) -> None:
    web, server = exports(spec)
    # lead-gen keeps a test event code on purpose: audit reports it (issue 10 §5)
    expected = {
        ("medium", "tiktok-test-event-code", t["name"])
        for t in server["containerVersion"]["tag"]
        if any(p["key"] == "testEventCode" for p in t.get("parameter", []))
    }
    assert _audit(web, server) == {(s, c, f"tag {n!r}") for s, c, n in expected}
    assert bool(expected) == (spec.stem == "lead-gen")


def test_hand_broken_pair_is_reported() -> None:
    web, server = exports()
    break_pair(web, server)
    found = _audit(web, server)
    pixel, api = names.tiktok_tag("purchase"), names.tiktok_tag("purchase")
    assert ("high", "event-id-changes-per-read", f"tag {pixel!r}") in found
    mismatches = [f for f in found if f[1] == "event-name-mismatch"]
    assert len(mismatches) == 1
    assert f"tag {api!r} (server" in mismatches[0][2]
    # the pixel no longer takes its ID where the GA4 hop takes it
    assert ("medium", "event-id-sources-differ") in {(f[0], f[1]) for f in found}


def test_event_name_mismatch_message_names_both_names() -> None:
    web, server = exports()
    set_param(tag(server, names.tiktok_tag("add_to_cart")), "eventName", "AddToBasket")
    report = audit_containers([Container(web, file="w"), Container(server, file="s")])
    [finding] = [f for f in report.findings if f.code == "event-name-mismatch"]
    assert "'AddToCart'" in finding.message and "'AddToBasket'" in finding.message
    assert "'add_to_cart'" in finding.message


def test_random_number_builtin_as_event_id() -> None:
    web, _ = exports()
    set_param(tag(web, names.ga4_tag("view_item")), "eventId", "{{Random Number}}")
    web["containerVersion"]["builtInVariable"].append(
        {"accountId": "1", "containerId": "2", "type": "RANDOM_NUMBER", "name": "Random Number"}
    )
    found = _audit(web)
    assert ("high", "event-id-changes-per-read", f"tag {names.ga4_tag('view_item')!r}") in found


def test_cached_per_message_id_is_not_flagged() -> None:
    web, _ = exports()
    add_variable(
        web,
        "Cached ID",
        "jsm",
        [
            {
                "type": "TEMPLATE",
                "key": "javascript",
                "value": "function() { var c = window.__c = window.__c || {};\n"
                "  var k = {{gtmgen - DLV - gtm.uniqueEventId}};\n"
                "  return c[k] = c[k] || Math.random().toString(36); }",
            }
        ],
    )
    set_param(tag(web, names.tiktok_tag("view_item")), "eventId", "{{Cached ID}}")
    codes = {f[1] for f in _audit(web)}
    assert "event-id-changes-per-read" not in codes


def test_page_wide_cache_is_flagged_medium() -> None:
    web, _ = exports()
    add_variable(
        web,
        "Page ID",
        "jsm",
        [
            {
                "type": "TEMPLATE",
                "key": "javascript",
                "value": "function() { window.pid = window.pid || Date.now(); return window.pid; }",
            }
        ],
    )
    set_param(tag(web, names.tiktok_tag("view_item")), "eventId", "{{Page ID}}")
    assert ("medium", "event-id-per-page", f"tag {names.tiktok_tag('view_item')!r}") in _audit(web)


def test_custom_html_tiktok_without_event_id() -> None:
    web, _ = exports()
    add_html_tag(
        web,
        "TT purchase (HTML)",
        "<script>\n  // ttq.track('X', {}, {event_id: 'not this one'})\n"
        "  ttq.track('CompletePayment', {value: 1});\n</script>",
        trigger_id(web, "purchase"),
    )
    found = _audit(web)
    assert ("high", "tiktok-no-event-id", "tag 'TT purchase (HTML)'") in found
    assert ("medium", "tiktok-custom-html", "tag 'TT purchase (HTML)'") in found


def test_custom_html_tiktok_with_event_id_is_only_custom_html() -> None:
    web, _ = exports()
    add_html_tag(
        web,
        "TT purchase (HTML)",
        "<script>ttq.track('CompletePayment', {}, {event_id: {{gtmgen - event_id}}});</script>",
        trigger_id(web, "purchase"),
    )
    found = {f for f in _audit(web) if "TT purchase" in f[2]}
    assert found == {("medium", "tiktok-custom-html", "tag 'TT purchase (HTML)'")}


@pytest.mark.parametrize("key", ["accessToken", "access_token", "token"])
def test_token_in_web_container(key: str) -> None:
    web, _ = exports()
    set_param(tag(web, names.tiktok_tag("purchase")), key, "0123456789abcdef0123456789abcdef")
    found = _audit(web)
    assert ("high", "token-in-web-container", f"tag {names.tiktok_tag('purchase')!r}") in found


def test_token_looking_constant_in_web_container() -> None:
    web, _ = exports()
    add_variable(
        web,
        "const - secret stuff",
        "c",
        [{"type": "TEMPLATE", "key": "value", "value": "EAAG" + "x1Y2z3" * 10}],
    )
    assert ("high", "token-in-web-container", "variable 'const - secret stuff'") in _audit(web)


def test_missing_event_id_on_our_pixel_tag_and_hop() -> None:
    web, server = exports()
    set_param(tag(web, names.tiktok_tag("search")), "eventId", "")
    found = _audit(web, server)
    assert ("high", "tiktok-no-event-id", f"tag {names.tiktok_tag('search')!r}") in found


def test_hop_without_event_id_parameter() -> None:
    web, server = exports()
    hop = tag(web, names.ga4_tag("add_to_cart"))
    table = next(p for p in hop["parameter"] if p["key"] == "eventSettingsTable")
    table["list"] = [row for row in table["list"] if row["map"][0]["value"] != "event_id"]
    codes = {(f[0], f[1]) for f in _audit(web, server)}
    assert ("high", "event-id-not-forwarded") in codes


def test_cli_exit_codes(tmp_path: Path) -> None:
    web, server = exports()
    clean = write(tmp_path, web, server)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", *map(str, clean)])
    assert ok.exit_code == 0, ok.output
    assert "0 finding(s)" in ok.stdout and "as a pair" in ok.stdout
    break_pair(web, server)
    broken_dir = tmp_path / "broken"
    broken_dir.mkdir()
    bad = runner.invoke(app, ["audit", *map(str, write(broken_dir, web, server))])
    assert bad.exit_code == 1
    assert "event-name-mismatch" in bad.stdout and "event-id-changes-per-read" in bad.stdout
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    invalid = runner.invoke(app, ["audit", str(junk)])
    assert invalid.exit_code == 2
    assert f"{junk}:1:2: not valid JSON" in invalid.stderr


def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


@pytest.mark.parametrize("side", ["web", "server"])
def test_junk_anywhere_in_an_export_never_raises(side: str) -> None:
    import copy

    web, server = exports()
    base = web if side == "web" else server
    paths = [p for p in _paths(base) if 0 < len(p) <= 6]
    assert len(paths) > 100
    for number, path in enumerate(paths):
        broken = copy.deepcopy(base)
        node: Any = broken
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = (None, "x", 7, {}, [1])[number % 5]
        pair = (broken, server) if side == "web" else (web, broken)
        audit_containers([Container(pair[0], file="w"), Container(pair[1], file="s")])
