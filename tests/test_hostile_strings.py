"""Any string in any free-text field either builds correctly or is refused with exit 2.

"Correctly" means: both exports parse as JSON and pass ``validate_export``; every
``{{...}}`` in them names a variable that exists (a user string never becomes a GTM
variable reference); the string reaches the export exactly; and the event_id variable's
JavaScript, run in V8 with a stand-in for GTM, gives back the exact prefix, data layer
key and event_id_from strings. "Refused" means a ``SpecError`` (exit 2) whose messages
are located in the file, never any other exception, and only for the documented rules
(docs/errors-and-secrets.md), which ``accepted`` restates.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from hypothesis import event, example, given
from hypothesis import strategies as st

from gtmgen.errors import ExitCode, SpecError
from gtmgen.generate import build, names
from gtmgen.generate.mapping import ga4_param
from gtmgen.gtm.export import dumps, serialise
from gtmgen.gtm.javascript import js_literal
from gtmgen.spec import load_spec_text
from gtmgen.spec.model import reserved_name
from gtmgen.validate import validate_export

py_mini_racer = pytest.importorskip("py_mini_racer")

FILE = "hostile.yaml"
BASE: dict[str, Any] = {
    "version": 1,
    "name": "Shop",
    "web": {
        "ga4": {
            "measurement_id": "G-ABCDEF1234",
            "server_container_url": "https://sgtm.shop.example",
        }
    },
    "tiktok": {"pixel_id": "CABCDEFGHIJK1234567"},
    "meta": {"pixel_id": "123456789012345"},
    "event_id": {"data_layer_key": "event_id", "prefix": "tt_evt_"},
    "events": [
        {
            "event": "purchase",
            "tiktok_event": "CompletePayment",
            "meta_event": "Purchase",
            "event_id_from": "ecommerce.transaction_id",
            "properties": {"value": "ecommerce.value"},
            "user_data": {"email": "user.email"},
        }
    ],
}

# ------------------------------------------------------------------ the documented rules

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def free_text(s: str) -> bool:
    """name and prefix: anything but GTM's reference braces (and half surrogates)."""
    return "{{" not in s and "}}" not in s and not _SURROGATE.search(s)


_INVISIBLE = {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}


def visible(s: str) -> bool:
    """Names (docs/spec-strictness.md): not blank, in NFC, no invisible or formatting
    character."""
    return (
        bool(s.strip())
        and unicodedata.normalize("NFC", s) == s
        and not any(unicodedata.category(c) in _INVISIBLE for c in s)
    )


def entity_text(s: str) -> bool:
    """Text that becomes part of a GTM variable name: event and property names, paths."""
    return (
        bool(s)
        and "{" not in s
        and "}" not in s
        and not _CONTROL.search(s)
        and s == s.strip()
        and not _SURROGATE.search(s)
        and visible(s)
    )


def path_text(s: str) -> bool:
    return entity_text(s) and all(s.split("."))


Setter = Callable[[dict[str, Any], str], None]


def _event(key: str) -> Setter:
    def setter(spec: dict[str, Any], s: str) -> None:
        spec["events"][0][key] = s

    return setter


def _custom_event(spec: dict[str, Any], s: str) -> None:
    spec["events"][0]["tiktok_event"] = s
    spec["events"][0]["custom_event"] = True


def _custom_meta_event(spec: dict[str, Any], s: str) -> None:
    spec["events"][0]["meta_event"] = s
    spec["events"][0]["custom_event"] = True


FIELDS: dict[str, tuple[Setter, Callable[[str], bool]]] = {
    "name": (
        lambda spec, s: spec.__setitem__("name", s),
        lambda s: bool(s) and free_text(s) and not _CONTROL.search(s) and visible(s),
    ),
    "event_id.prefix": (lambda spec, s: spec["event_id"].__setitem__("prefix", s), free_text),
    "event_id.data_layer_key": (
        lambda spec, s: spec["event_id"].__setitem__("data_layer_key", s),
        path_text,
    ),
    "events[].event": (_event("event"), entity_text),
    "events[].event_id_from": (_event("event_id_from"), path_text),
    "events[].properties (name)": (
        lambda spec, s: spec["events"][0].__setitem__("properties", {s: "ecommerce.value"}),
        # names the GA4 hop or the server reads are refused (docs/consent-and-hop.md)
        lambda s: entity_text(s) and reserved_name(s) is None,
    ),
    "events[].properties (path)": (
        lambda spec, s: spec["events"][0].__setitem__("properties", {"value": s}),
        path_text,
    ),
    "events[].user_data (path)": (
        lambda spec, s: spec["events"][0].__setitem__("user_data", {"external_id": s}),
        path_text,
    ),
    "events[].tiktok_event (custom)": (
        _custom_event,
        lambda s: re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,99}", s) is not None,
    ),
    "events[].meta_event (custom)": (
        _custom_meta_event,
        lambda s: re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,99}", s) is not None,
    ),
}

# ------------------------------------------------------------------------- the strings

NASTY = [
    '"',
    "'",
    "\\",
    "\\u0041",
    "</script>",
    "</SCRIPT>",
    "<!--",
    "-->",
    "\u2028",
    "\u2029",
    "{{",
    "}}",
    "{",
    "}",
    "{{Page URL}}",
    ".",
    "..",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\ufeff",
    "\u202e",
    "\u200d",
    "é",
    "ß",
    "😀",
    "\U0010ffff",
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "${x}",
    "`",
    "*",
    "&a",
    "!!str",
    ": ",
    "- ",
    "#",
    "%",
    "@",
    "null",
    "~",
    "true",
    "0x10",
    "1e3",
    "gtm.uniqueEventId",
    "event_id",
    "contents",
    "\ud800",
    "\udfff",
    "a" * 120,
]
# pieces that every field accepts but that an encoder could get wrong
QUOTED = ['"', "'", "\\", "</script>", "<!--", "-->", "é", "😀", "\u202e", "__proto__", "`", "$"]
hostile = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,30}", fullmatch=True),  # names every field takes
    st.lists(
        st.one_of(
            st.sampled_from(QUOTED),
            st.text(
                st.characters(
                    exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), exclude_characters="{}."
                ),
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=8,
    ).map("".join),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=3)), max_size=8).map("".join),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=12),  # surrogates too
)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: faster


def to_yaml(spec: dict[str, Any]) -> str:
    """YAML that loads back to exactly ``spec`` (PyYAML's dumper writes U+0085 raw inside
    quotes with allow_unicode, where it reads as a line break: escape everything then)."""
    text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    if _reload(text) != spec:
        text = yaml.safe_dump(spec, allow_unicode=False, sort_keys=False)
        assert _reload(text) == spec
    return text


def _reload(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:  # libyaml refuses escaped half surrogates; PyYAML reads them
        return yaml.load(text, Loader=yaml.SafeLoader)


# ------------------------------------------------------------------------ GTM stand-in

_REF = re.compile(r"\{\{(.*?)\}\}", re.S)


def values(node: Any) -> Iterator[str]:
    """Every string value in an export that GTM reads as a template (not templateData)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, item in node.items():
            if key != "templateData":
                yield from values(item)
    elif isinstance(node, list):
        for item in node:
            yield from values(item)


def known_names(export: dict[str, Any]) -> set[str]:
    version = export["containerVersion"]
    return (
        {v["name"] for v in version.get("variable", [])}
        | {v["name"] for v in version.get("builtInVariable", [])}
        | {"_event"}
    )


def assert_references_resolve(export: dict[str, Any]) -> None:
    known = known_names(export)
    for text in values(export):
        for name in _REF.findall(text):
            assert name in known, (name, text[:200])
        rest = _REF.sub("", text)
        assert "{{" not in rest and "}}" not in rest, text[:200]


def nested(path: str, value: Any) -> dict[str, Any]:
    result: Any = value
    for part in reversed(path.split(".")):
        result = {part: result}
    assert isinstance(result, dict)
    return result


def lookup(message: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(message, dict) or part not in message:
            return None
        message = message[part]
    return message


class Page:
    """One V8 context for the whole module; each run gets a fresh ``window``."""

    def __init__(self) -> None:
        self.ctx = py_mini_racer.MiniRacer()

    def run(
        self, javascript: str, export: dict[str, Any], event: str, message: dict[str, Any]
    ) -> Any:
        """Run the Custom JavaScript variable as a tag firing on ``message`` would."""
        uid = 7
        message = {**message, "gtm.uniqueEventId": uid}
        known = sorted(known_names(export))
        resolved: dict[str, Any] = {names.UNIQUE_EVENT_ID: uid, "Event": event}
        for name in known:
            if name.startswith("gtmgen - DLV - ") and name != names.UNIQUE_EVENT_ID:
                found = lookup(message, name[len("gtmgen - DLV - ") :])
                if found is not None:
                    resolved[name] = found
        body = _REF.sub(lambda m: "__gtm(" + js_literal(m.group(1)) + ")", javascript)
        source = (
            "(function () {\n"
            "  var __known = " + js_literal(known) + ";\n"
            "  var __vars = JSON.parse(" + js_literal(json.dumps(resolved)) + ");\n"
            "  function __gtm(n) {\n"
            "    if (__known.indexOf(n) < 0) { throw new Error('unknown variable ' + n); }\n"
            "    return Object.prototype.hasOwnProperty.call(__vars, n) ? __vars[n] : undefined;\n"
            "  }\n"
            "  window = {dataLayer: [JSON.parse(" + js_literal(json.dumps(message)) + ")]};\n"
            "  return JSON.stringify((" + body + ")());\n"
            "})()"
        )
        return json.loads(self.ctx.eval(source))


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    result = Page()
    yield result
    result.ctx.close()


# ------------------------------------------------------------------------------ checks


def build_text(text: str) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    spec = load_spec_text(text, file=FILE, environ={})
    result = build(spec, environ={})
    web, server = json.loads(dumps(result.web)), json.loads(dumps(result.server))
    assert web == result.web and server == result.server  # JSON carries every string exactly
    for name, export in (("hostile.web.json", web), ("hostile.server.json", server)):
        assert validate_export(export, file=name) == []
        # and the lighter check gtmgen build runs, which reads the names from the JSON text
        assert validate_export(export, file=name, built_json=serialise(export).compact) == []
    return spec, web, server


def event_id_javascript(web: dict[str, Any]) -> str:
    [variable] = [v for v in web["containerVersion"]["variable"] if v["name"] == names.EVENT_ID]
    assert variable["type"] == "jsm"
    return str(variable["parameter"][0]["value"])


def check_event_id(page: Page, spec: Any, web: dict[str, Any]) -> None:
    """The generated ID shows that prefix, data_layer_key and event_id_from survived."""
    javascript = event_id_javascript(web)
    prefix, key = spec.event_id.prefix, spec.event_id.data_layer_key
    event = spec.events[0]

    generated = page.run(javascript, web, event.event, {})
    assert isinstance(generated, str) and generated.startswith(prefix), (generated, prefix)
    assert re.fullmatch(r"\d{10,}_[0-9a-z]*", generated[len(prefix) :]), generated

    site = page.run(javascript, web, event.event, nested(key, "site-id-42"))
    assert site == "site-id-42"

    source = event.event_id_from
    if source is not None:
        a, b = source.split("."), key.split(".")
        if a[: len(b)] != b and b[: len(a)] != a:  # neither path contains the other
            derived = page.run(javascript, web, event.event, nested(source, "order-1001"))
            assert derived == prefix + "order-1001"


def check_placed(field: str, s: str, web: dict[str, Any], server: dict[str, Any]) -> None:
    """The string reaches the export whole, where it belongs."""
    web_values, server_values = list(values(web)), list(values(server))
    if field == "name":
        assert web["containerVersion"]["folder"][0]["name"] == s
        assert web["containerVersion"]["container"]["name"] == s + " (web)"
        assert server["containerVersion"]["folder"][0]["name"] == s
    elif field == "events[].event":
        assert web_values.count(s) >= 2 and s in server_values  # triggers, GA4 event name
    elif field == "events[].properties (name)":
        assert s in web_values and ga4_param(s) in server_values
    elif field in (
        "events[].properties (path)",
        "events[].user_data (path)",
        "event_id.data_layer_key",
    ):
        assert s in web_values  # the Data Layer Variable's key
        assert names.dlv(s) in {v["name"] for v in web["containerVersion"]["variable"]}
    elif field in ("events[].tiktok_event (custom)", "events[].meta_event (custom)"):
        assert s in web_values and s in server_values


def check(field: str, s: str, page: Page) -> str:
    spec_data = copy.deepcopy(BASE)
    setter, accepted = FIELDS[field]
    setter(spec_data, s)
    text = to_yaml(spec_data)
    try:
        spec, web, server = build_text(text)
    except SpecError as exc:
        assert exc.exit_code == ExitCode.INVALID
        assert exc.problems and all(p.file == FILE and p.message for p in exc.problems)
        assert all(p.line is not None and p.col is not None for p in exc.problems), exc
        assert not accepted(s), f"{field} = {s!r} was refused: {exc}"
        return "refused"
    assert accepted(s), f"{field} = {s!r} was accepted against the documented rules"
    assert_references_resolve(web)
    assert_references_resolve(server)
    check_placed(field, s, web, server)
    check_event_id(page, spec, web)
    return "built"


@pytest.mark.parametrize("field", list(FIELDS))
@given(s=hostile)
@example(s='"</script><script>alert(1)</script>')
@example(s="\u2028\u2029\\'\"")
@example(s="__proto__")
@example(s="a.__proto__.b")
@example(s="constructor")
@example(s="x}")
@example(s="{x")
@example(s="{{Page URL}}")
@example(s="caf\u00e9 \U0001f600")
@example(s="a\x00b")
@example(s="\ud800")
def test_any_string_builds_exactly_or_is_refused(field: str, s: str, page: Page) -> None:
    event(check(field, s, page))  # --hypothesis-show-statistics shows the share of each


# -------------------------------------------------------- direct checks of the encoders


@given(
    value=st.recursive(
        st.text(st.characters(codec="utf-8")),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )
)
def test_js_literal_evaluates_to_the_same_value(value: Any, page: Page) -> None:
    literal = js_literal(value)
    assert "</" not in literal and "<!--" not in literal
    assert "\u2028" not in literal and "\u2029" not in literal
    # a value a site could paste into a <script> element and an ES5 engine could read
    assert json.loads(page.ctx.eval("JSON.stringify(" + literal + ")")) == value


def test_proto_key_survives_as_an_own_property(page: Page) -> None:
    # In an object literal, "__proto__": x sets the prototype and the key vanishes.
    literal = js_literal({"__proto__": "a", "b": "c"})
    result = page.ctx.eval("var o = " + literal + "; JSON.stringify([Object.keys(o), o.b])")
    assert json.loads(result) == [["__proto__", "b"], "c"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Shop {{Page URL}}", "name: must not contain '{{' or '}}'"),
        ("event_id.prefix", "tt_}}", "event_id.prefix: must not contain '{{' or '}}'"),
        ("events[].event", "purchase}", "events[0].event: must not contain '{' or '}'"),
        ("events[].event_id_from", "order.{id}", "events[0].event_id_from: must not contain"),
        ("events[].properties (name)", "val{ue", "events[0].properties: the key 'val{ue' must"),
        ("events[].properties (path)", "a}", "events[0].properties.value: must not contain '{'"),
        ("events[].user_data (path)", "{{x}}", "events[0].user_data.external_id: must not contain"),
        ("event_id.data_layer_key", "id}", "event_id.data_layer_key: must not contain '{'"),
        ("events[].event", "purchase\n", "events[0].event: must not contain control characters"),
        ("name", "Shop\u2028", "name: must not contain control characters or line breaks"),
        ("events[].event", " purchase", "events[0].event: must not start or end with a space"),
        ("events[].properties (path)", "a..b", "'a..b' is not a data layer path"),
    ],
)
def test_refusals_name_the_field(field: str, value: str, message: str) -> None:
    spec_data = copy.deepcopy(BASE)
    FIELDS[field][0](spec_data, value)
    with pytest.raises(SpecError) as info:
        load_spec_text(to_yaml(spec_data), file=FILE, environ={})
    assert any(message in p.message for p in info.value.problems), info.value


@pytest.mark.parametrize("field", [f for f in FIELDS if not f.endswith("_event (custom)")])
def test_quotes_markup_and_non_ascii_build(field: str, page: Page) -> None:
    # The rules are not "refuse anything odd": these reach GTM and the page unchanged.
    tricky = "é\"'\\</script><!--\u00a0😀x"
    spec_data = copy.deepcopy(BASE)
    FIELDS[field][0](spec_data, tricky)
    spec, web, server = build_text(to_yaml(spec_data))
    assert_references_resolve(web)
    check_placed(field, tricky, web, server)
    check_event_id(page, spec, web)


@given(
    events=st.lists(
        st.fixed_dictionaries(
            {"event": hostile, "tiktok_event": st.sampled_from(["Purchase", "AddToCart"])},
            optional={
                "properties": st.dictionaries(hostile, hostile, max_size=2),
                "event_id_from": hostile,
            },
        ),
        min_size=1,
        max_size=3,
    )
)
def test_several_events_build_or_are_refused(events: list[dict[str, Any]], page: Page) -> None:
    # Entities of different events share names (Data Layer Variables, event data keys):
    # whatever the mix, the build never fails with anything but a located SpecError.
    spec_data = copy.deepcopy(BASE)
    spec_data["events"] = events
    try:
        spec, web, server = build_text(to_yaml(spec_data))
    except SpecError as exc:
        assert exc.problems and all(p.line is not None for p in exc.problems), exc
        event("refused")
        return
    event("built")
    assert_references_resolve(web)
    assert_references_resolve(server)
    check_event_id(page, spec, web)
