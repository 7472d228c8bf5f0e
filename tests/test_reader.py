"""The one reader's JSON policy (gtmgen/gtm/reader.py), as spaces of inputs: numbers,
nesting depth, unicode categories, surrogates, duplicate keys. Every refusal is an
UnreadableFile (exit 2) with FILE:LINE:COL, never a Python limit or a traceback."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gtmgen.errors import ExitCode, InputError
from gtmgen.gtm import reader
from gtmgen.gtm.reader import MAX_DEPTH, UnreadableFile, parse_json, require_export


def refused(text: str) -> str:
    with pytest.raises(UnreadableFile) as info:
        parse_json(text, file="f.json")
    assert info.value.exit_code is ExitCode.INVALID
    return str(info.value.problem)


@given(st.integers(min_value=-(10**308), max_value=10**308))
def test_integers_that_fit_in_a_double_are_read(number: int) -> None:
    assert parse_json(json.dumps({"n": number}), file="f.json") == {"n": number}


@given(st.integers(min_value=310, max_value=20_000), st.booleans())
def test_integers_beyond_a_double_are_refused_located(digits: int, negative: bool) -> None:
    literal = ("-" if negative else "") + "7" * digits
    message = refused('{"a": [1,\n  ' + literal + "]}")
    assert message.startswith("f.json:2:3: the number ")
    assert "does not fit in a double" in message


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_finite_floats_are_read(number: float) -> None:
    assert parse_json(json.dumps([number]), file="f.json") == [number]


@given(st.integers(min_value=309, max_value=10**6), st.sampled_from(["1e", "-1e", "9.9E+"]))
def test_floats_that_overflow_to_infinity_are_refused(exponent: int, head: str) -> None:
    literal = f"{head}{exponent}"
    assume(math.isinf(float(literal)))
    assert refused(f"[0, {literal}]").startswith(f"f.json:1:5: the number {literal} ")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(constant: str) -> None:
    assert refused('{"a": "NaN",\n "b": ' + constant + "}") == (
        f"f.json:2:7: not valid JSON: {constant} is not a JSON value"
    )


@given(st.integers(min_value=1, max_value=5_000), st.booleans())
def test_nesting_is_read_up_to_the_limit_and_refused_past_it(depth: int, scalar: bool) -> None:
    """A scalar is one level, each list around it one more (``[[1]]`` is 3 deep)."""
    text = "[" * depth + ("1" if scalar else "") + "]" * depth
    levels = depth + (1 if scalar else 0)
    if levels <= MAX_DEPTH:
        assert reader.depth_of(parse_json(text, file="f.json")) == levels
    else:
        message = refused(text)
        column = MAX_DEPTH + 1  # the first value past the limit
        assert message == (
            f"f.json:1:{column}: nested more than {MAX_DEPTH} levels deep; "
            "real container exports nest about a dozen levels"
        )


@given(st.text(), st.booleans())
def test_any_text_of_any_unicode_category_round_trips(text: str, ascii_only: bool) -> None:
    """hypothesis draws from every category but lone surrogates (Cs), which are below."""
    document = json.dumps({text: [text]}, ensure_ascii=ascii_only)
    assert parse_json(document, file="f.json") == {text: [text]}


@given(st.integers(min_value=0xD800, max_value=0xDFFF), st.sampled_from(["x", ""]))
def test_lone_surrogates_are_refused_located(code: int, before: str) -> None:
    text = '{"ok": "\\ud83d\\ude00",\n "name": "' + before + f"\\u{code:04X}" + '"}'
    assert refused(text) == (
        f"f.json:2:10: the string holds U+{code:04X}, half of a UTF-16 "
        "surrogate pair, which is not a character"
    )


def test_duplicate_keys_are_refused_at_the_second() -> None:
    text = '{"a": {"x": 1, "y": 2},\n "b": {"x": 1, "y": 2, "x": 3}}'
    assert refused(text) == (
        "f.json:2:24: duplicate key 'x' in one object (JSON readers disagree on which value wins)"
    )


def test_the_same_key_in_different_objects_is_fine() -> None:
    assert parse_json('[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]', file="f.json")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "f.json: the file is empty"),
        (
            "{\n",
            "f.json:2:1: not valid JSON: Expecting property name enclosed in double quotes; "
            "the file ends here (cut off?)",
        ),
    ],
)
def test_empty_and_cut_off(text: str, expected: str) -> None:
    assert refused(text) == expected


def test_bytes_that_are_not_utf8_are_located() -> None:
    with pytest.raises(UnreadableFile) as info:
        reader.decode(b'{\n  "a": "caf\xe9"}', file="f.json")
    assert str(info.value.problem) == (
        "f.json:2:12: not UTF-8 text (byte 0xe9); GTM exports are UTF-8"
    )


def test_a_byte_order_mark_is_dropped_with_a_warning() -> None:
    text, notes = reader.decode(b"\xef\xbb\xbf{}", file="f.json")
    assert text == "{}"
    assert [str(n) for n in notes] == [
        "f.json: warning: the file starts with a UTF-8 byte order mark, which GTM never writes"
    ]


@pytest.mark.parametrize(
    ("data", "first"),
    [
        (
            {},
            "f.json: containerVersion: is missing; a container export keeps everything in "
            "this object",
        ),
        (
            [],
            "f.json: the file holds a list, not a GTM container export (a JSON object with "
            "exportFormatVersion and containerVersion)",
        ),
        (
            {"containerVersion": 5},
            "f.json: containerVersion: is a number; a container export "
            "keeps everything in this object",
        ),
        (
            {"containerVersion": {"tag": [1]}},
            "f.json: containerVersion.tag[0]: is a number, not an object",
        ),
    ],
)
def test_what_is_not_an_export(data: object, first: str) -> None:
    with pytest.raises(InputError) as info:
        require_export(data, file="f.json")
    assert str(info.value.problems[0]) == first


def test_an_export_with_only_a_container_version_is_one() -> None:
    assert require_export({"containerVersion": {}}, file="f.json")
