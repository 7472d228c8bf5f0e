"""Constructors for GTM parameters, in the export's key order (type, key, value|list|map)."""

from __future__ import annotations

from typing import Any

Param = dict[str, Any]


def template(key: str, value: str) -> Param:
    return {"type": "TEMPLATE", "key": key, "value": value}


def boolean(key: str, value: bool) -> Param:
    return {"type": "BOOLEAN", "key": key, "value": "true" if value else "false"}


def integer(key: str, value: int) -> Param:
    return {"type": "INTEGER", "key": key, "value": str(value)}


def list_(key: str, items: list[Param]) -> Param:
    return {"type": "LIST", "key": key, "list": items}


def map_(*params: Param) -> Param:
    """A MAP list item: no key of its own."""
    return {"type": "MAP", "map": list(params)}


def table(key: str, rows: list[tuple[str, str]], columns: tuple[str, str]) -> Param:
    """A LIST of two-column MAP rows, as GTM writes its settings tables."""
    first, second = columns
    return list_(key, [map_(template(first, a), template(second, b)) for a, b in rows])


def ref(name: str) -> str:
    """A variable reference as GTM writes it in parameter values."""
    return "{{" + name + "}}"


def condition(op: str, arg0: str, arg1: str) -> dict[str, Any]:
    return {"type": op, "parameter": [template("arg0", arg0), template("arg1", arg1)]}
