"""GTM compiles Custom JavaScript as ES5: every generated jsm body must parse as ES5."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cases import building_specs
from tests.conftest import build_exports

esprima = pytest.importorskip("esprima")

# ESTree node types and declaration kinds that are not ES5.
_NOT_ES5 = {
    "ArrowFunctionExpression",
    "TemplateLiteral",
    "TaggedTemplateExpression",
    "ClassDeclaration",
    "ClassExpression",
    "ForOfStatement",
    "ObjectPattern",
    "ArrayPattern",
    "AssignmentPattern",
    "RestElement",
    "SpreadElement",
    "YieldExpression",
    "AwaitExpression",
    "ImportDeclaration",
    "ExportNamedDeclaration",
    "MetaProperty",
}


def _walk(node: Any, found: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, found)
        return
    if not hasattr(node, "type"):
        return
    if node.type in _NOT_ES5:
        found.append(node.type)
    if node.type == "VariableDeclaration" and node.kind != "var":
        found.append(node.kind)
    if node.type in ("FunctionDeclaration", "FunctionExpression") and (
        getattr(node, "generator", False) or getattr(node, "isAsync", False)
    ):
        found.append("generator/async function")
    if node.type == "Property" and (
        getattr(node, "shorthand", False) or getattr(node, "computed", False)
    ):
        found.append("ES2015 object property")
    for key, value in vars(node).items():
        if key != "type":
            _walk(value, found)


def _jsm_bodies() -> list[tuple[str, str]]:
    bodies = []
    for spec in building_specs():
        for name, export in build_exports(spec).items():
            for variable in export["containerVersion"].get("variable", []):
                if variable["type"] == "jsm":
                    bodies.append(
                        (f"{name}: {variable['name']}", variable["parameter"][0]["value"])
                    )
    return bodies


@pytest.mark.parametrize(("where", "body"), _jsm_bodies())
def test_custom_javascript_is_es5(where: str, body: str) -> None:
    # GTM swaps each {{Variable}} for an expression; an identifier stands in for it here.
    import re

    source = "var v = " + re.sub(r"\{\{[^{}]+\}\}", "__ref", body) + ";"
    tree = esprima.parseScript(source)
    found: list[str] = []
    _walk(tree.body, found)
    assert found == [], f"{where} uses {sorted(set(found))}, which GTM's ES5 compiler refuses"


def test_the_checker_rejects_es6() -> None:
    found: list[str] = []
    _walk(esprima.parseScript("var v = function() { const a = () => `x`; return a; };").body, found)
    assert {"const", "ArrowFunctionExpression", "TemplateLiteral"} <= set(found)
