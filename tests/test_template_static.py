"""Our two .tpl files without running them in a page: the sections GTM reads, the
sandboxed JavaScript dialect, the require() calls against the declared permissions, and
the ___TESTS___ scenarios (run in the sandbox; a broken copy of a template fails them)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from gtmgen.generate import names
from gtmgen.gtm.template import section_map
from gtmgen.platforms.tiktok.wiring import pixel_template
from gtmgen.resources import read_template
from gtmgen.sandbox import parse_template, permission_problems, required_apis, run_scenarios
from gtmgen.sandbox.permissions import APIS
from tests.test_template_web import export

esprima = pytest.importorskip("esprima")

FILES = {
    "tiktok_pixel_web.tpl": ("WEB", names.WEB_TEMPLATE, "web"),
    "tiktok_events_api_server.tpl": ("SERVER", names.SERVER_TEMPLATE, "server"),
}
ORDER = {
    "WEB": [
        "INFO",
        "TEMPLATE_PARAMETERS",
        "SANDBOXED_JS_FOR_WEB_TEMPLATE",
        "WEB_PERMISSIONS",
        "TESTS",
        "NOTES",
    ],
    "SERVER": [
        "INFO",
        "TEMPLATE_PARAMETERS",
        "SANDBOXED_JS_FOR_SERVER",
        "SERVER_PERMISSIONS",
        "TESTS",
        "NOTES",
    ],
}
# Syntax the sandbox does not have (research: sandboxed JavaScript is ES5.1 plus a few
# ES6 features such as const/let and arrow functions; no `new`, no `this`).
FORBIDDEN = {
    "NewExpression",
    "ThisExpression",
    "ClassDeclaration",
    "ClassExpression",
    "TemplateLiteral",
    "ForOfStatement",
    "ForInStatement",
    "SpreadElement",
    "ObjectPattern",
    "ArrayPattern",
    "AwaitExpression",
    "YieldExpression",
    "AssignmentPattern",
    "RestElement",
    "ImportDeclaration",
    "WithStatement",
}
BROWSER_GLOBALS = {
    "window",
    "document",
    "arguments",
    "Date",
    "Object",
    "Array",
    "String",
    "Number",
    "Promise",
    "RegExp",
    "setTimeout",
    "console",
    "eval",
    "Function",
    "parseInt",
    "parseFloat",
    "isNaN",
    "encodeURIComponent",
    "globalThis",
}


@pytest.fixture(params=sorted(FILES))
def tpl(request: pytest.FixtureRequest) -> tuple[str, str, str, str]:
    name = request.param
    context, _display, kind = FILES[name]
    return name, read_template(name), context, kind


def test_sections_in_gtm_order_and_layout(tpl: tuple[str, str, str, str]) -> None:
    _, text, context, _ = tpl
    assert re.findall(r"^___([A-Z_]+)___$", text, re.MULTILINE) == ORDER[context]
    assert text.endswith("\n\n\n") and not text.endswith("\n\n\n\n")
    for header in ORDER[context][1:]:
        assert f"\n\n\n___{header}___\n\n" in text


def test_json_and_yaml_sections_parse(tpl: tuple[str, str, str, str]) -> None:
    _, text, context, _ = tpl
    parts = section_map(text)
    for name in ("INFO", "TEMPLATE_PARAMETERS", f"{context}_PERMISSIONS"):
        json.loads(parts[name])
    tests = yaml.safe_load(parts["TESTS"])
    assert isinstance(tests, dict) and len(tests["scenarios"]) >= 5
    assert isinstance(tests["setup"], str)


def test_info_matches_the_container(tpl: tuple[str, str, str, str]) -> None:
    _, text, context, kind = tpl
    info = parse_template(text).info
    assert {k: info[k] for k in ("type", "id", "version", "securityGroups")} == {
        "type": "TAG",
        "id": "cvt_temp_public_id",
        "version": 1,
        "securityGroups": [],
    }
    assert info["displayName"] == FILES[tpl[0]][1]
    assert info["containerContexts"] == [context]
    assert export(kind)["containerVersion"]["container"]["usageContext"] == [context]


def test_the_export_embeds_the_file_as_it_is(tpl: tuple[str, str, str, str]) -> None:
    """As it is, but for the web template's permission to reach the spec's own pixel
    (access_globals names exact keys: ttq._i.<id>, ...), which the build adds."""
    name, text, _, kind = tpl
    [embedded] = [
        t["templateData"]
        for t in export(kind)["containerVersion"]["customTemplate"]
        if t["name"] == FILES[name][1]
    ]
    if kind == "web":
        pixel = "CACMESHOP0000000001"  # the bundled example's
        assert embedded == pixel_template(text, pixel)
        before, after = (
            parse_template(t).declared["access_globals"]["keys"] for t in (text, embedded)
        )
        assert after[: len(before)] == before
        assert {k["key"] for k in after[len(before) :]} == {
            f"ttq._i.{pixel}",
            f"ttq._i.{pixel}._u",
            f"ttq._i.{pixel}.track",
            f"ttq._i.{pixel}.identify",
            f"ttq._t.{pixel}",
            f"ttq._o.{pixel}",
        }
        assert parse_template(embedded).code == parse_template(text).code
    else:
        assert embedded == text


def _nodes(code: str) -> list[Any]:
    found: list[Any] = []
    # GTM runs the code as a function body (a top-level `return` is allowed).
    esprima.parseScript(
        "(function (require, data) {\n" + code + "\n})",
        delegate=lambda node, meta: found.append(node),
    )
    return found


def test_code_parses_in_the_sandbox_dialect(tpl: tuple[str, str, str, str]) -> None:
    nodes = _nodes(parse_template(tpl[1]).code)
    assert not [n.type for n in nodes if n.type in FORBIDDEN]
    assert not [n for n in nodes if n.type == "Literal" and getattr(n, "regex", None)]
    declared = {n.id.name for n in nodes if n.type == "VariableDeclarator"}
    declared |= {
        p.name
        for n in nodes
        if n.type in ("FunctionDeclaration", "FunctionExpression")
        for p in n.params
    }
    used = {n.name for n in nodes if n.type == "Identifier"}
    assert not (used & BROWSER_GLOBALS) - declared


def test_every_require_is_covered_and_every_permission_needed(
    tpl: tuple[str, str, str, str],
) -> None:
    template = parse_template(tpl[1])
    assert permission_problems(template.code, template.context, set(template.declared)) == []
    calls = [
        n
        for n in _nodes(template.code)
        if n.type == "CallExpression"
        and n.callee.type == "Identifier"
        and n.callee.name == "require"
    ]
    assert all(len(c.arguments) == 1 and c.arguments[0].type == "Literal" for c in calls)
    assert [c.arguments[0].value for c in calls] == required_apis(template.code)
    assert set(required_apis(template.code)) <= set(APIS[template.context])


def test_permission_problems_are_found() -> None:
    code = "const a = require('injectScript'); const b = require(name); require('nope');"
    problems = permission_problems(code, "WEB", {"logging"})
    assert problems == [
        "require() is called with a name that is not a string literal",
        "injectScript needs the permission inject_script, which is not declared",
        "unknown WEB API 'nope'",
        "the permission logging is declared but no API needs it",
    ]


def test_scenarios_pass(tpl: tuple[str, str, str, str]) -> None:
    results = run_scenarios(tpl[1])
    assert [(r.name, r.error) for r in results if not r.passed] == []


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("tiktok_pixel_web.tpl", "put(trackOptions, 'event_id'", "put({}, 'event_id'"),
        (
            "tiktok_pixel_web.tpl",
            "if (!isEmpty(value)) target[key] = value;",
            "target[key] = value;",
        ),
        ("tiktok_events_api_server.tpl", "hashed(email.toLowerCase())", "hashed(email)"),
        ("tiktok_events_api_server.tpl", "answer.code !== 0 && ", ""),
        (
            "tiktok_events_api_server.tpl",
            "if (pixelId === '' || accessToken === ''",
            "if (pixelId === ''",
        ),
    ],
)
def test_scenarios_catch_a_broken_template(name: str, old: str, new: str) -> None:
    text = read_template(name)
    assert text.count(old) == 1
    results = run_scenarios(text.replace(old, new))
    assert any(not r.passed for r in results)
