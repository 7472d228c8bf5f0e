"""The one way values enter JavaScript: what js_literal writes evaluates, in V8, to exactly
the value given, for the generated variable and for the simulation alike."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmgen.gtm.javascript import UNDEFINED, js_literal

py_mini_racer = pytest.importorskip("py_mini_racer")

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def v8() -> Any:
    return py_mini_racer.MiniRacer()


@given(value=JSON_VALUES)
def test_any_json_value_round_trips_through_v8(v8: Any, value: Any) -> None:
    assert json.loads(v8.eval(f"JSON.stringify({js_literal(value)})")) == value


def test_what_json_cannot_say(v8: Any) -> None:
    source = js_literal({"a": UNDEFINED, "b": [math.nan, math.inf, -math.inf]})
    assert v8.eval(f"var v = {source}; 'a' in v && v.a === undefined") is True
    assert v8.eval("isNaN(v.b[0]) && v.b[1] === Infinity && v.b[2] === -Infinity") is True


def test_a_proto_key_is_an_own_property(v8: Any) -> None:
    source = js_literal({"__proto__": {"polluted": 1}, "x": 2})
    assert v8.eval(f"var p = {source}; Object.keys(p).join()") == "__proto__,x"
    assert v8.eval("({}).polluted === undefined && p.polluted === undefined") is True


def test_script_breakers_and_line_terminators_are_escaped() -> None:
    source = js_literal(["</script><!-- \u2028\u2029 \ud800"])
    for raw in ("</", "<!--", "\u2028", "\u2029", "\ud800"):
        assert raw not in source
    assert source.encode("utf-8")  # a lone surrogate is written as an escape


def test_keys_keep_their_order_unless_sorted() -> None:
    assert js_literal({"b": 1, "a": 2}) == '{"b": 1, "a": 2}'
    assert js_literal({"b": 1, "a": 2}, sort_keys=True) == json.dumps({"a": 2, "b": 1})
