"""Issue 10 §9 and §7 in the spec: no property or GA4 parameter may take a key the GA4 hop
or the server template reads, and matching.default_country_code is checked; every
refusal is located (FILE:LINE:COL)."""

from __future__ import annotations

import json
import re

import pytest

from gtmgen.errors import SpecError
from gtmgen.resources import read_template
from gtmgen.sandbox.permissions import permission_config
from gtmgen.spec import load_spec_text
from gtmgen.spec.model import RESERVED_PREFIXES, RESERVED_PROPERTIES

SPEC = """\
version: 1
name: Shop
web:
  ga4:
    measurement_id: G-ABCDEF1234
    server_container_url: https://sgtm.shop.example
tiktok:
  pixel_id: CABCDEFGHIJK1234567
{matching}events:
  - event: purchase
    tiktok_event: CompletePayment
    {block}:
      "{name}": ecommerce.value
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec_text(text, file="shop.yaml")
    return [str(p) for p in caught.value.problems]


def _server_template_keys() -> list[str]:
    """Every event data key the server template reads (its read_event_data grant)."""
    text = read_template("tiktok_events_api_server.tpl")
    section = text.split("___SERVER_PERMISSIONS___", 1)[1].split("___TESTS___", 1)[0]
    config = permission_config(json.loads(section))
    keys = config["read_event_data"]["keyPatterns"]
    assert isinstance(keys, list) and keys
    return [str(k) for k in keys]


# The keys the server container reads through event data variables of our exports.
EXPORT_KEYS = ["event_id", "user_id", "user_data"]
HOP_KEYS = [
    "client_id",
    "event_name",
    "page_title",
    "page_hostname",
    "page_path",
    "x-ga-measurement_id",
    "x-ga-protocol_version",
    "x-sst-system_properties",
    "google_signals",
    "ga_session_id",
    "firebase_screen",
    "_custom",
    "gtm.start",
    "consent_state",
    "gcs",
    "gcd",
    "npa",
    "dma",
]


@pytest.mark.parametrize("name", sorted({*_server_template_keys(), *EXPORT_KEYS, *HOP_KEYS}))
@pytest.mark.parametrize("block", ["properties", "ga4_params"])
def test_every_key_the_hop_or_the_server_reads_is_refused(name: str, block: str) -> None:
    [problem] = _problems(SPEC.format(matching="", block=block, name=name))
    assert re.match(r"shop\.yaml:13:7: events\[0\]\." + block + r"\.", problem), problem
    assert f"name {name!r} is reserved" in problem


def test_the_template_reads_the_documented_keys() -> None:
    assert set(_server_template_keys()) == {
        "x-ga-gcs",
        "x-ga-gcd",
        "user_data.email",
        "user_data.email_address",
        "user_data.sha256_email_address",
        "user_data.phone",
        "user_data.phone_number",
        "user_data.sha256_phone_number",
        "page_location",
        "page_referrer",
        "ip_override",
        "ip",
        "user_agent",
    }


def test_reserved_names_ignore_case() -> None:
    [problem] = _problems(SPEC.format(matching="", block="properties", name="Page_Location"))
    assert "reserved" in problem
    assert "x-" in RESERVED_PREFIXES and "page_location" in RESERVED_PROPERTIES


@pytest.mark.parametrize(
    "name", ["value", "currency", "query", "content_type", "order_total", "description"]
)
def test_ordinary_property_names_are_accepted(name: str) -> None:
    spec = load_spec_text(SPEC.format(matching="", block="properties", name=name))
    assert name in spec.events[0].properties


def test_a_ga4_param_may_not_repeat_a_property() -> None:
    text = SPEC.format(matching="", block="properties", name="value") + (
        "    ga4_params:\n      value: order.total\n"
    )
    [problem] = _problems(text)
    assert problem.startswith("shop.yaml:14:5: events[0].ga4_params")
    assert "already sends this GA4 parameter" in problem


@pytest.mark.parametrize(
    "code, ok",
    [
        ('"49"', True),
        ('"1"', True),
        ('"358"', True),
        ("'44'", True),
        ("49", False),
        ('"+49"', False),
        ('"049"', False),
        ('"4912"', False),
        ('""', False),
        ('"4 9"', False),
    ],
)
def test_default_country_code(code: str, ok: bool) -> None:
    text = SPEC.format(
        matching=f"matching:\n  default_country_code: {code}\n", block="properties", name="value"
    )
    if ok:
        spec = load_spec_text(text)
        assert spec.matching.default_country_code == code.strip("'\"")
        return
    [problem] = _problems(text)
    assert problem.startswith("shop.yaml:10:3: matching.default_country_code: "), problem
    if code.startswith('"') and not code.startswith('"+'):
        assert "is not a country calling code (1 to 3 digits" in problem


def test_default_country_code_as_a_number_says_to_quote_it() -> None:
    text = SPEC.format(
        matching="matching:\n  default_country_code: 49\n", block="properties", name="value"
    )
    [problem] = _problems(text)
    assert 'in quotes, e.g. "49"' in problem


def test_matching_refuses_unknown_keys() -> None:
    text = SPEC.format(matching='matching:\n  country: "49"\n', block="properties", name="value")
    [problem] = _problems(text)
    assert problem.startswith("shop.yaml:10:3: unknown key 'matching.country'")
