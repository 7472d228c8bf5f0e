"""The two Meta .tpl files without a page: GTM's sections, the sandboxed JavaScript
dialect, require() calls against the declared permissions, and the ___TESTS___ scenarios
(a broken copy of a template fails them). The builder does not embed them yet."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from gtmgen.gtm.template import section_map
from gtmgen.resources import read_template
from gtmgen.sandbox import parse_template, permission_problems, required_apis, run_scenarios
from gtmgen.sandbox.permissions import APIS
from tests.test_template_static import BROWSER_GLOBALS, FORBIDDEN, ORDER, _nodes

pytest.importorskip("esprima")

FILES = {
    "meta_pixel_web.tpl": ("WEB", "gtmgen Meta Pixel"),
    "meta_conversions_api_server.tpl": ("SERVER", "gtmgen Meta Conversions API"),
}


@pytest.fixture(params=sorted(FILES))
def tpl(request: pytest.FixtureRequest) -> tuple[str, str, str]:
    name = request.param
    return name, read_template(name), FILES[name][0]


def test_sections_in_gtm_order_and_layout(tpl: tuple[str, str, str]) -> None:
    _, text, context = tpl
    assert re.findall(r"^___([A-Z_]+)___$", text, re.MULTILINE) == ORDER[context]
    assert text.endswith("\n\n\n") and not text.endswith("\n\n\n\n")
    for header in ORDER[context][1:]:
        assert f"\n\n\n___{header}___\n\n" in text


def test_json_and_yaml_sections_parse(tpl: tuple[str, str, str]) -> None:
    _, text, context = tpl
    parts = section_map(text)
    for name in ("INFO", "TEMPLATE_PARAMETERS", f"{context}_PERMISSIONS"):
        json.loads(parts[name])
    tests = yaml.safe_load(parts["TESTS"])
    assert isinstance(tests, dict) and len(tests["scenarios"]) >= 5
    assert isinstance(tests["setup"], str)


def test_info(tpl: tuple[str, str, str]) -> None:
    name, text, context = tpl
    info = parse_template(text).info
    assert {k: info[k] for k in ("type", "id", "version", "securityGroups")} == {
        "type": "TAG",
        "id": "cvt_temp_public_id",
        "version": 1,
        "securityGroups": [],
    }
    assert info["displayName"] == FILES[name][1]
    assert info["containerContexts"] == [context]


def test_code_parses_in_the_sandbox_dialect(tpl: tuple[str, str, str]) -> None:
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


def test_every_require_is_covered_and_every_permission_needed(tpl: tuple[str, str, str]) -> None:
    template = parse_template(tpl[1])
    assert permission_problems(template.code, template.context, set(template.declared)) == []
    assert set(required_apis(template.code)) <= set(APIS[template.context])


def test_scenarios_pass(tpl: tuple[str, str, str]) -> None:
    results = run_scenarios(tpl[1])
    assert [(r.name, r.error) for r in results if not r.passed] == []


def _function(code: str, name: str) -> str:
    start = code.index(f"\nfunction {name}(")
    return code[start : code.index("\n}\n", start) + 3]


def test_both_templates_map_properties_with_the_same_code() -> None:
    web, server = (parse_template(read_template(n)).code for n in sorted(FILES, reverse=True))
    for name in ("content", "contents", "parameters", "number", "text", "put", "isEmpty"):
        assert _function(web, name) == _function(server, name), name
    for constant in ("NUMERIC", "RENAMED"):
        line = re.compile(rf"^const {constant} = [^;]*;", re.MULTILINE | re.DOTALL)
        assert line.findall(web) == line.findall(server), constant


SERVER = "meta_conversions_api_server.tpl"


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("meta_pixel_web.tpl", "{eventID: eventId}", "{event_id: eventId}"),
        ("meta_pixel_web.tpl", "    revoke();\n    wait(pixelId);", "    wait(pixelId);"),
        ("meta_pixel_web.tpl", "if (initedBySite(pixelId)) {", "if (false) {"),
        ("meta_pixel_web.tpl", "'trackSingle' : 'trackSingleCustom'", "'track' : 'trackCustom'"),
        (
            SERVER,
            "(text(data.email) || fromKeys(EMAIL_KEYS)).toLowerCase()",
            "text(data.email) || fromKeys(EMAIL_KEYS)",
        ),
        (SERVER, "if (!isEmpty(error)) return fail(", "if (false) return fail("),
        (SERVER, "if (status < 200 || status >= 300) {", "if (false) {"),
        (SERVER, "clickIdOf(cookie) === fbclid", "true"),
        (SERVER, "return gcdDenied(2);", "return false;"),
        (SERVER, "if (digits.substring(0, 2) === '00')", "if (false)"),
    ],
)
def test_scenarios_catch_a_broken_template(name: str, old: str, new: str) -> None:
    text = read_template(name)
    assert text.count(old) == 1
    results = run_scenarios(text.replace(old, new))
    assert any(not r.passed for r in results)
