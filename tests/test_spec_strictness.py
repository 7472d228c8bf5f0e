"""Strict spec scalars and names (docs/spec-strictness.md): YAML 1.1 booleans and
integers, !!binary, blank names, invisible characters, non-NFC text and server URLs are
refused with a located message; what is written plainly still loads."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmgen.errors import SpecError
from gtmgen.spec import load_spec_text

VALID = """\
version: 1
name: Shop
web:
  ga4:
    measurement_id: G-ABCDEF1234
    server_container_url: https://sgtm.shop.example
tiktok:
  pixel_id: CABCDEFGHIJK1234567
events:
  - event: purchase
    tiktok_event: CompletePayment
"""
LOCATED = re.compile(r"^spec\.yaml:\d+:\d+: ")


def _refused(text: str) -> list[str]:
    with pytest.raises(SpecError) as info:
        load_spec_text(text, file="spec.yaml")
    lines = str(info.value).splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), lines
    return lines


def _replace(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


def _custom_event(value: str) -> str:
    return _replace(
        "tiktok_event: CompletePayment", f"tiktok_event: CompletePayment\n    custom_event: {value}"
    )


def _event(name: str) -> str:
    return _replace("event: purchase", f"event: {_quoted(name)}")


def _quoted(text: str) -> str:
    body = "".join(f"\\U{ord(c):08x}" if not c.isalnum() else c for c in text)
    return f'"{body}"'


def test_the_valid_spec_loads() -> None:
    assert load_spec_text(VALID, file="spec.yaml").version == 1


@pytest.mark.parametrize(
    "value",
    [
        "true",
        "1.0",
        "0x1",
        "0o1",
        "'1'",
        "1_0",
        "+0x1",
        "1:00",
        "0b1",
        "01.0",
        "yes",
        "!!binary MQ==",
    ],
)
def test_version_is_only_the_integer_1(value: str) -> None:
    lines = _refused(_replace("version: 1", f"version: {value}"))
    assert all(line.startswith("spec.yaml:1:") and "version" in line for line in lines)


@given(st.one_of(st.floats(allow_nan=True), st.integers().filter(lambda n: n != 1), st.booleans()))
def test_no_other_number_or_boolean_is_version_1(value: float | int | bool) -> None:
    written = str(value).lower() if isinstance(value, bool) else repr(value)
    _refused(_replace("version: 1", f"version: {written}"))


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "Yes",
        "ON",
        "'yes'",
        "'off'",
        "'true'",
        "1",
        "0",
        "1.0",
        "~",
    ],
)
def test_custom_event_is_only_true_or_false(value: str) -> None:
    [line] = _refused(_custom_event(value))
    assert "events[0].custom_event" in line


@pytest.mark.parametrize("value", ["true", "True", "TRUE"])
def test_true_is_a_boolean(value: str) -> None:
    assert load_spec_text(_custom_event(value), file="spec.yaml").events[0].custom_event


@pytest.mark.parametrize(
    "old, new",
    [
        ("name: Shop", "name: !!binary U2hvcA=="),
        ("event: purchase", "event: !!binary cHVyY2hhc2U="),
    ],
)
def test_binary_is_refused_where_it_is(old: str, new: str) -> None:
    [line] = _refused(_replace(old, new))
    assert "!!binary" in line


@pytest.mark.parametrize("name", [" ", "   ", "\u3000"])
def test_a_blank_name_is_refused(name: str) -> None:
    [line] = _refused(_replace("name: Shop", f"name: {_quoted(name)}"))
    assert line.startswith("spec.yaml:2:1: name: ")


INVISIBLE = st.characters(categories=("Cf", "Zl", "Zp", "Co", "Cn"))


@given(INVISIBLE, st.integers(0, 8))
def test_invisible_characters_in_event_names_are_refused(char: str, at: int) -> None:
    name = "purchase"[:at] + char + "purchase"[at:]
    lines = _refused(_event(name))
    assert any(f"U+{ord(char):04X}" in line for line in lines), lines


@given(INVISIBLE)
def test_invisible_characters_in_the_name_and_paths_are_refused(char: str) -> None:
    _refused(_replace("name: Shop", f"name: {_quoted('Sh' + char + 'op')}"))
    _refused(
        _replace(
            "tiktok_event: CompletePayment",
            "tiktok_event: CompletePayment\n"
            f"    properties:\n      value: {_quoted('ecommerce.va' + char + 'lue')}",
        )
    )


@given(st.text(st.characters(categories=("L", "M", "N")), min_size=1, max_size=12))
def test_names_must_be_nfc(text: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    if nfc != nfd:
        [line] = _refused(_event(nfd))
        assert "NFC" in line and repr(nfc) in line
    if nfc.strip() and not text.isspace():
        spec = load_spec_text(_event(nfc), file="spec.yaml")
        assert spec.events[0].event == nfc


def test_two_spellings_of_one_event_cannot_both_be_there() -> None:
    text = VALID + '  - event: "cafe\\u0301"\n    tiktok_event: AddToCart\n'
    text = text.replace("event: purchase", 'event: "caf\\u00e9"')
    [line] = _refused(text)
    assert "NFC" in line


@pytest.mark.parametrize(
    "url",
    [
        "https://..",
        "https://a..b",
        "https://.example",
        "https://example.",
        "https://-a.example",
        "https://a-.example",
        "https://sgtm.example:99999",
        "https://sgtm.example:0",
        "https://sgtm.example:65536",
        "https://sgtm.example/\\u200b",
        "https://sgt\\u200bm.example",
        "https://" + "a" * 64 + ".example",
        "https://sgtm.example/\\u202e",
    ],
)
def test_server_container_url_refuses_odd_hosts_ports_and_invisibles(url: str) -> None:
    [line] = _refused(
        _replace("https://sgtm.shop.example", url.replace("https://", "https://")).replace(
            f"server_container_url: {url}", f'server_container_url: "{url}"'
        )
    )
    assert "server_container_url" in line


@given(st.integers(1, 65535))
def test_every_port_in_range_is_accepted(port: int) -> None:
    spec = load_spec_text(
        _replace("sgtm.shop.example", f"sgtm.shop.example:{port}"), file="spec.yaml"
    )
    assert spec.web.ga4.server_container_url.endswith(f":{port}")


@given(st.integers(65536, 99999) | st.just(0))
def test_every_port_out_of_range_is_refused(port: int) -> None:
    _refused(_replace("sgtm.shop.example", f"sgtm.shop.example:{port}"))
