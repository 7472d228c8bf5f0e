"""The GTM stand-ins behind `gtmgen simulate`: the data layer model, trigger conditions,
variables read afresh (Custom JavaScript in V8), typed fields and the GA4 hop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gtmgen.gtm.container import Container
from gtmgen.gtm.javascript import UNDEFINED
from gtmgen.simulate.datalayer import DataLayer
from gtmgen.simulate.hop import GoogleTags, HopContext, ga4_hit
from gtmgen.simulate.jsengine import PageContext
from gtmgen.simulate.web import WebContainer

pytest.importorskip("py_mini_racer")

PAGE = PageContext(
    "https://shop.example/p/1?ref=x", "https://www.google.com/", "P", "UA/1", {"_ttp": "ttp-cookie"}
)


def _p(key: str, value: str, type_: str = "TEMPLATE") -> dict[str, Any]:
    return {"type": type_, "key": key, "value": value}


def _cond(op: str, arg0: str, arg1: str, **flags: bool) -> dict[str, Any]:
    parameter = [_p("arg0", arg0), _p("arg1", arg1)]
    parameter += [_p(k, "true", "BOOLEAN") for k, on in flags.items() if on]
    return {"type": op, "parameter": parameter}


def _export(
    tags: list[dict[str, Any]], triggers: list[dict[str, Any]], variables: list[dict[str, Any]]
) -> Container:
    return Container(
        {
            "containerVersion": {
                "container": {"usageContext": ["WEB"], "publicId": "GTM-TEST"},
                "tag": tags,
                "trigger": triggers,
                "variable": variables,
                "builtInVariable": [
                    {"type": "EVENT", "name": "Event"},
                    {"type": "RANDOM_NUMBER", "name": "Random Number"},
                ],
            }
        },
        file="test.web.json",
    )


def _tag(name: str, triggers: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "tagId": name,
        "name": name,
        "type": "html",
        "parameter": [],
        "firingTriggerId": triggers,
        **extra,
    }


def _trigger(
    trigger_id: str,
    custom: list[dict[str, Any]] | None = None,
    filters: list[dict[str, Any]] | None = None,
    type_: str = "CUSTOM_EVENT",
) -> dict[str, Any]:
    out: dict[str, Any] = {"triggerId": trigger_id, "name": trigger_id, "type": type_}
    if custom:
        out["customEventFilter"] = custom
    if filters:
        out["filter"] = filters
    return out


def _var(name: str, type_: str, *params: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "type": type_, "parameter": list(params)}


Factory = Callable[[Container], WebContainer]


@pytest.fixture
def make_web() -> Iterator[Factory]:
    """Page views of a container; their V8 contexts are closed after the test."""
    made: list[WebContainer] = []

    def make(container: Container) -> WebContainer:
        made.append(WebContainer(container, PAGE, seed=7, now_ms=1_700_000_000_000))
        return made[-1]

    yield make
    for web in made:
        web.close()


# -- data layer model ----------------------------------------------------------------


def test_objects_merge_and_arrays_merge_by_index() -> None:
    dl = DataLayer()
    dl.push({"event": "a", "ecommerce": {"currency": "EUR", "items": [{"id": 1}, {"id": 2}]}})
    dl.push({"event": "b", "ecommerce": {"items": [{"id": 3}]}})
    assert dl.read_v2("ecommerce.currency") == "EUR"  # kept from the first push
    assert dl.read_v2("ecommerce.items") == [{"id": 3}, {"id": 2}]  # the tail survives
    dl.push({"ecommerce": None})
    dl.push({"event": "c", "ecommerce": {"items": [{"id": 4}]}})
    assert dl.read_v2("ecommerce") == {"items": [{"id": 4}]}


def test_clear_flag_dotted_keys_and_versions() -> None:
    dl = DataLayer()
    dl.push({"a": {"list": [1, 2, 3], "y": 2}, "user.id": "u1"})
    dl.push({"a": {"list": [9], "_clear": True}})  # _clear: this object's values replace
    assert dl.read_v2("a") == {"list": [9], "y": 2}
    assert dl.read_v2("user.id") == "u1"
    dl.push({"event": "e", "user.id": "u2"})
    assert dl.read_v1("user.id") == "u2"  # version 1: the key, taken literally
    dl.push({"event": "f"})
    assert dl.read_v1("user.id") is UNDEFINED  # version 1 reads the current push only
    assert dl.read_v2("user.id") == "u2"


def test_unique_event_id_is_set_on_the_pushed_object() -> None:
    dl = DataLayer()
    first, second = dl.push({"event": "a"}), dl.push({"event": "b"})
    assert (first["gtm.uniqueEventId"], second["gtm.uniqueEventId"]) == (1, 2)
    assert dl.messages[-1] is second
    assert dl.read_v2("gtm.uniqueEventId") == 2


# -- triggers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "fires"),
    [
        (_cond("EQUALS", "{{_event}}", "purchase"), True),
        (_cond("EQUALS", "{{_event}}", "Purchase"), False),
        (_cond("EQUALS", "{{_event}}", "PURCHASE", ignore_case=True), True),
        (_cond("CONTAINS", "{{_event}}", "chas"), True),
        (_cond("STARTS_WITH", "{{_event}}", "pur"), True),
        (_cond("ENDS_WITH", "{{_event}}", "ase"), True),
        (_cond("MATCH_REGEX", "{{_event}}", "^(purchase|refund)$"), True),
        (_cond("MATCH_REGEX", "{{_event}}", "^PUR", ignore_case=True), True),
        (_cond("MATCH_REGEX", "{{_event}}", "^refund$", negate=True), True),
        (_cond("EQUALS", "{{_event}}", "purchase", negate=True), False),
    ],
)
def test_custom_event_conditions(condition: dict[str, Any], fires: bool, make_web: Factory) -> None:
    web = make_web(_export([_tag("T", ["1"])], [_trigger("1", [condition])], []))
    assert [t["name"] for t in web.process({"event": "purchase"}, 0).fired] == (
        ["T"] if fires else []
    )


def test_filters_builtin_triggers_paused_and_blocking(make_web: Factory) -> None:
    container = _export(
        [
            _tag("all pages", ["2147479553"]),
            _tag("init", ["2147479573"]),
            _tag("paused", ["1"], paused=True),
            _tag("filtered", ["2"]),
            _tag("blocked", ["1"], blockingTriggerId=["3"]),
        ],
        [
            _trigger("1", [_cond("EQUALS", "{{_event}}", "buy")]),
            _trigger(
                "2",
                [_cond("EQUALS", "{{_event}}", "buy")],
                [_cond("EQUALS", "{{dlv - plan}}", "pro")],
            ),
            _trigger(
                "3",
                [_cond("EQUALS", "{{_event}}", "buy")],
                [_cond("EQUALS", "{{dlv - plan}}", "free")],
            ),
        ],
        [_var("dlv - plan", "v", _p("dataLayerVersion", "2", "INTEGER"), _p("name", "plan"))],
    )
    web = make_web(container)
    assert [t["name"] for t in web.process({"event": "gtm.init"}, 0).fired] == ["init"]
    assert [t["name"] for t in web.process({"event": "gtm.js"}, 0).fired] == ["all pages"]
    assert {t["name"] for t in web.process({"event": "buy", "plan": "pro"}, 0).fired} == {
        "filtered",
        "blocked",
    }
    assert [t["name"] for t in web.process({"event": "buy", "plan": "free"}, 0).fired] == []


# -- variables ----------------------------------------------------------------------------


def _js(name: str, code: str) -> dict[str, Any]:
    return _var(name, "jsm", _p("javascript", code))


def test_custom_javascript_runs_afresh_at_every_read(make_web: Factory) -> None:
    container = _export(
        [],
        [],
        [
            _js("rnd", "function() { return Math.random(); }"),
            _js(
                "cached",
                "function() { var c = window.__c = window.__c || {};"
                " var k = {{uid}}; return c[k] = c[k] || Math.random(); }",
            ),
            _var(
                "uid", "v", _p("dataLayerVersion", "2", "INTEGER"), _p("name", "gtm.uniqueEventId")
            ),
        ],
    )
    web = make_web(container)
    web.process({"event": "a"}, 0)
    resolver = web.resolver
    assert resolver.resolve("rnd") != resolver.resolve("rnd")
    first = resolver.resolve("cached")
    assert first == resolver.resolve("cached")
    web.process({"event": "b"}, 0)
    assert resolver.resolve("cached") != first


def test_references_resolve_recursively_and_fields_keep_types(make_web: Factory) -> None:
    container = _export(
        [],
        [],
        [
            _var(
                "items", "v", _p("dataLayerVersion", "2", "INTEGER"), _p("name", "ecommerce.items")
            ),
            _js("ids", "function() { return {{items}}.map(function (i) { return i.id; }); }"),
            _js("first id", "function() { return {{ids}}[0]; }"),
            _var("const", "c", _p("value", "fixed")),
            _var(
                "with default",
                "v",
                _p("dataLayerVersion", "2", "INTEGER"),
                _p("setDefaultValue", "true", "BOOLEAN"),
                _p("defaultValue", "none"),
                _p("name", "missing.key"),
            ),
        ],
    )
    web = make_web(container)
    web.process({"event": "a", "ecommerce": {"items": [{"id": "A1"}, {"id": "B2"}]}}, 0)
    resolver = web.resolver
    assert resolver.render("{{ids}}") == ["A1", "B2"]  # typed: a lone reference
    assert resolver.render("ids: {{ids}}") == "ids: A1,B2"  # text: String(value)
    assert resolver.render("{{first id}}/{{const}}/{{with default}}") == "A1/fixed/none"
    assert resolver.render("{{Event}}") == "a"
    assert resolver.render("{{nope}}") is UNDEFINED
    assert any("nope" in n for n in resolver.notes)


def test_a_throwing_variable_reads_undefined_with_a_note(make_web: Factory) -> None:
    web = make_web(
        _export([], [], [_js("bad", "function() { return document.querySelector('#x').value; }")])
    )
    web.process({"event": "a"}, 0)
    assert web.resolver.resolve("bad") is UNDEFINED
    assert any("'bad' threw" in n for n in web.resolver.notes)


def test_seed_makes_reads_reproducible(make_web: Factory) -> None:
    container = _export([], [], [_js("uuid", "function() { return crypto.randomUUID(); }")])
    values = []
    for _ in range(2):
        web = make_web(container)
        web.process({"event": "a"}, 0)
        values.append(web.resolver.resolve("uuid"))
    assert values[0] == values[1]


# -- the GA4 hop ------------------------------------------------------------------------------


def test_ga4_event_tag_becomes_event_data(make_web: Factory) -> None:
    rows = [
        ("event_id", "{{id}}"),
        ("value", "{{value}}"),
        ("items", "{{items}}"),
        ("user_data", "{{ud}}"),
        ("user_id", "u-1"),
        ("coupon", "SPRING"),
        ("bundle", "{{items}}"),
    ]
    ga4 = {
        "name": "GA4 buy",
        "type": "gaawe",
        "parameter": [
            _p("eventName", "purchase"),
            _p("measurementIdOverride", "G-TEST"),
            {
                "type": "LIST",
                "key": "eventSettingsTable",
                "list": [
                    {"type": "MAP", "map": [_p("parameter", k), _p("parameterValue", v)]}
                    for k, v in rows
                ],
            },
        ],
    }
    google = {
        "name": "Google tag",
        "type": "googtag",
        "parameter": [
            _p("tagId", "G-TEST"),
            {
                "type": "LIST",
                "key": "configSettingsTable",
                "list": [
                    {
                        "type": "MAP",
                        "map": [
                            _p("parameter", "server_container_url"),
                            _p("parameterValue", "https://sgtm.example/"),
                        ],
                    }
                ],
            },
        ],
    }
    container = _export(
        [],
        [],
        [
            _var("id", "c", _p("value", "evt-1")),
            _var(
                "value", "v", _p("dataLayerVersion", "2", "INTEGER"), _p("name", "ecommerce.value")
            ),
            _var(
                "items", "v", _p("dataLayerVersion", "2", "INTEGER"), _p("name", "ecommerce.items")
            ),
            _var(
                "ud", "awec", _p("mode", "MANUAL"), _p("email", " A@B.C "), _p("phone_number", "")
            ),
        ],
    )
    web = make_web(container)
    web.process(
        {
            "event": "purchase",
            "ecommerce": {
                "value": 12.5,
                "items": [{"item_id": "S1", "price": "12.50", "quantity": "1"}],
            },
        },
        0,
    )
    tags = GoogleTags()
    tags.record(google, web.resolver)
    context = HopContext(
        PAGE.url, PAGE.referrer, PAGE.title, PAGE.user_agent, "198.51.100.1", "123.456"
    )
    hit = ga4_hit(ga4, web.resolver, tags, [], context, None)
    data = hit.event_data
    assert hit.url == "https://sgtm.example/g/collect"
    assert (data["event_name"], data["event_id"], data["value"]) == ("purchase", "evt-1", 12.5)
    assert data["items"] == [{"item_id": "S1", "price": 12.5, "quantity": 1}]
    assert data["user_data"] == {"email_address": " A@B.C "}
    assert (data["user_id"], data["coupon"]) == ("u-1", "SPRING")
    assert data["bundle"] == "[object Object]"  # an array parameter travels as text
    assert (data["page_location"], data["page_referrer"], data["ip_override"]) == (
        PAGE.url,
        PAGE.referrer,
        "198.51.100.1",
    )
    assert (data["user_agent"], data["client_id"], data["x-ga-gcs"]) == ("UA/1", "123.456", "G111")


def test_hit_without_a_server_google_tag_goes_to_google(make_web: Factory) -> None:
    ga4 = {
        "name": "GA4",
        "type": "gaawe",
        "parameter": [_p("eventName", "x"), _p("measurementIdOverride", "G-OTHER")],
    }
    web = make_web(_export([], [], []))
    web.process({"event": "x"}, 0)
    context = HopContext(PAGE.url, "", "", "", "", "")
    assert ga4_hit(ga4, web.resolver, GoogleTags(), [], context, None).url is None


def test_a_variable_that_never_returns_is_stopped(
    make_web: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gtmgen.simulate import jsengine

    monkeypatch.setattr(jsengine, "JS_READ_SECONDS", 0.2)
    web = make_web(_export([], [], [_js("loop", "function() { while (true) {} }")]))
    web.process({"event": "a"}, 0)
    assert web.resolver.resolve("loop") is UNDEFINED
    assert any("'loop' ran longer than 0.2 s" in f for f in web.resolver.findings)
    assert web.resolver.resolve("loop") is UNDEFINED  # not run again: no second 0.2 s
