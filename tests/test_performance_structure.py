"""The structural promises behind gtmgen's speed and the page cost of what it generates.

Nothing here is timed (bench/bench.py measures); these tests check what makes the figures
possible: what ``gtmgen --help`` and ``gtmgen build`` import, that a 1,000-event spec
builds and validates, that the size warning follows the compact-JSON estimate, and that
the generated web container adds no Custom HTML, no work for events it does not handle
and a constant amount of work per read of the event_id variable.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmgen.generate import build
from gtmgen.generate.web import event_id_javascript
from gtmgen.gtm.export import dumps, serialise
from gtmgen.gtm.format import ALL_PAGES, INITIALIZATION
from gtmgen.resources import example_spec
from gtmgen.spec import Spec, load_spec, load_spec_text
from tests.cases import building_specs

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("jinja2", "pydantic", "jsonschema", "yaml", "rich", "py_mini_racer", "esprima")
WEB_LIMIT = 200 * 1024
LARGE = 1000


@functools.cache
def bench() -> ModuleType:
    """bench/bench.py, whose ``spec_text(n)`` writes the realistic n-event spec."""
    path = ROOT / "bench" / "bench.py"
    spec = importlib.util.spec_from_file_location("gtmgen_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gtmgen_bench"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def gtmgen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "gtmgen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def web_of(spec: Spec) -> dict[str, Any]:
    return build(spec, environ={}).web["containerVersion"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def large_spec() -> Spec:
    return load_spec_text(bench().spec_text(LARGE), file="large.yaml", environ={})


@pytest.fixture(scope="module")
def large_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The 1,000-event spec built by the real command: (output folder, stderr)."""
    folder = tmp_path_factory.mktemp("large")
    spec = bench().write_spec(folder / "large.yaml", LARGE)
    result = gtmgen("build", str(spec), "-o", str(folder / "out"))
    assert result.returncode == 0, result.stderr
    return folder / "out", result.stderr


# --------------------------------------------------------------------------- imports


def loaded_after(*argv: str) -> list[str]:
    """The heavy libraries imported by the time ``gtmgen ARGV`` has run."""
    code = (
        "import sys\n"
        f"sys.argv = ['gtmgen', *{list(argv)!r}]\n"
        "from gtmgen.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"sys.stderr.write('LOADED=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    marker = result.stderr.rsplit("LOADED=", 1)
    assert len(marker) == 2, result.stderr
    return [m for m in marker[1].strip().split(",") if m]


def test_help_imports_no_heavy_library() -> None:
    assert loaded_after("--help") == []


def test_build_imports_neither_javascript_engines_nor_rich(tmp_path: Path) -> None:
    loaded = loaded_after("build", "-o", str(tmp_path))
    assert (tmp_path / "acme-shop.web.json").is_file()
    assert not {"rich", "py_mini_racer", "esprima"} & set(loaded), loaded


# --------------------------------------------------------------------------- serialisation


AWKWARD: list[Any] = [
    {},
    [],
    {"a": {}, "b": []},
    {"text": 'é 𝄞 \u2028 </script> "quoted" back\\slash\nnew line\ttab\x00'},
    {"n": [0, -1, 2.5, 1e300, -0.0, 10**20, True, False, None], "nested": [[[]], [{}], {"x": [1]}]},
    {"tuple": (1, ("a", "b"))},
]
# What an export can hold: objects with string keys, lists, strings, integers, booleans.
# (No float: serde writes 1e-05 as 0.00001; nothing gtmgen builds holds one, and the
# large-export test below would catch a float whose text differs.)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def compact_json_bytes(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


@pytest.mark.parametrize("value", AWKWARD)
def test_dumps_writes_exactly_jsons_indented_layout(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=4, ensure_ascii=False)
    assert serialise(value).compact_bytes == compact_json_bytes(value)


@given(JSON_VALUES)
def test_dumps_matches_json_for_any_json_value(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=4, ensure_ascii=False)
    assert serialise(value).compact_bytes == compact_json_bytes(value)


def test_dumps_of_a_large_export_is_jsons_layout(large_spec: Spec) -> None:
    result = build(large_spec, environ={})
    for export in (result.web, result.server):
        serialised = serialise(export)
        assert serialised.text == json.dumps(export, indent=4, ensure_ascii=False)
        assert serialised.compact_bytes == compact_json_bytes(export)


def test_dumps_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(ValueError, match="object"):
        dumps({"x": object()})


# --------------------------------------------------------------------------- YAML


UNICODE_SPEC = """version: 1
name: "Café ☕ 𝄞"
web:
  public_id: GTM-ABC1234
  ga4: {measurement_id: G-ABCDEF1234, server_container_url: "https://s.example"}
tiktok: {pixel_id: CABCDEFGHIJK1234567}
events:
  - {event: "ü𝄞ü", tiktok_event: ViewContent, properties: {value: "é.x"}}
  - event: x # a comment
    tiktok_event: Search
"""


def spec_texts() -> dict[str, str]:
    generated = bench().spec_text(300)
    texts = {
        "example": example_spec().read_text("utf-8"),
        "generated": generated,
        "generated, CRLF": generated.replace("\n", "\r\n"),
        "unicode": UNICODE_SPEC,
    }
    for path in building_specs():
        texts[path.name] = path.read_text("utf-8")
    return texts


@pytest.mark.parametrize("name", sorted(spec_texts()))
def test_fast_yaml_path_gives_what_the_python_path_gives(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gtmgen.spec import loader

    text = spec_texts()[name]
    fast = loader._parse_fast(text, "spec.yaml")
    if "*" not in text and "\t" not in text:
        assert fast is not None, "libyaml should take a plain spec"
    monkeypatch.setattr(loader, "_parse_fast", lambda text, file: None)
    if fast is not None:
        assert fast == loader._parse_yaml(text, "spec.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # an alias: only the Python composer refuses it with its position
        "a: 1\na: 2\n",  # a duplicate key
        "a: [1\n",  # a syntax error
        "- a\n",  # not a mapping
        "\ufeffa: 1\n",
        "a: 1\t# libyaml takes this tab, the Python scanner refuses it\n",
    ],
)
def test_fast_yaml_path_leaves_anything_unusual_to_the_python_path(text: str) -> None:
    from gtmgen.spec import loader

    assert loader._parse_fast(text, "spec.yaml") is None


# --------------------------------------------------------------------------- a large spec


def test_generated_spec_is_a_realistic_mix(large_spec: Spec) -> None:
    events = large_spec.events
    assert len(events) == LARGE
    assert len({e.event for e in events}) == LARGE
    custom = sum(e.custom_event for e in events)
    assert 0 < custom < LARGE
    assert sum(e.event_id_from is not None for e in events) >= LARGE // 10
    assert sum(e.user_data is not None for e in events) >= LARGE // 4
    assert sum(bool(e.properties) for e in events) >= LARGE // 2


def test_large_spec_builds_every_event(large_build: tuple[Path, str]) -> None:
    out, _stderr = large_build
    web = json.loads((out / "large.web.json").read_text("utf-8"))["containerVersion"]
    server = json.loads((out / "large.server.json").read_text("utf-8"))["containerVersion"]
    web_tags = [t["name"] for t in web["tag"]]
    # one TikTok tag per event, and the TikTok base tag
    assert sum(n.startswith("gtmgen - TikTok - ") for n in web_tags) == LARGE + 1
    assert "gtmgen - TikTok - base" in web_tags
    assert sum(n.startswith("gtmgen - GA4 - ") for n in web_tags) == LARGE
    assert sum(t["name"].startswith("gtmgen - TikTok - ") for t in server["tag"]) == LARGE
    assert len(web["trigger"]) == len(server["trigger"]) == LARGE


def test_large_exports_validate(large_build: tuple[Path, str]) -> None:
    out, _stderr = large_build
    result = gtmgen("validate", str(out / "large.web.json"), str(out / "large.server.json"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_built_exports_nest_few_levels(large_spec: Spec) -> None:
    """The build validates its exports without counting their depth (the guard against
    deeply nested files); that is safe only while the builder nests a few levels."""
    from gtmgen.validate.structure import MAX_DEPTH, depth_of

    for spec in (large_spec, load_spec(example_spec(), environ={})):
        result = build(spec, environ={})
        for export in (result.web, result.server):
            assert depth_of(export) <= 16 < MAX_DEPTH


# --------------------------------------------------------------------------- container size


def compact_size(path: Path) -> int:
    data = json.loads(path.read_text("utf-8"))
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def size_line(stderr: str, name: str) -> str:
    [line] = [ln for ln in stderr.splitlines() if name in ln and "KB" in ln]
    return line


@pytest.mark.parametrize("events", [1, 20, 200])
def test_build_warns_exactly_from_70_percent_of_the_compact_size(
    events: int, tmp_path: Path
) -> None:
    # 20 events: the indented file is over 70 % of 200 KB, the compact estimate is not.
    spec = bench().write_spec(tmp_path / "shop.yaml", events)
    result = gtmgen("build", str(spec), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    size = compact_size(tmp_path / "out" / "shop.web.json")
    line = size_line(result.stderr, "shop.web.json")
    assert line.startswith("warning:") == (size >= 0.7 * WEB_LIMIT), (size, line)
    assert f"{size / 1024:.0f} KB" in line or f"{size / 1024:.1f} KB" in line, (size, line)


def test_large_spec_build_warns_about_size(large_build: tuple[Path, str]) -> None:
    out, stderr = large_build
    assert compact_size(out / "large.web.json") > WEB_LIMIT
    line = size_line(stderr, "large.web.json")
    assert line.startswith("warning:") and "200 KB" in line


# --------------------------------------------------------------------------- page cost


def built_web_exports(large_spec: Spec) -> dict[str, dict[str, Any]]:
    specs = {"example": load_spec(example_spec(), environ={}), "large": large_spec}
    for path in building_specs():
        specs[path.name] = load_spec(path, environ={})
    return {name: web_of(spec) for name, spec in specs.items()}


def test_no_custom_html_in_any_web_export(large_spec: Spec) -> None:
    for name, web in built_web_exports(large_spec).items():
        types = {t["type"] for t in web["tag"]}
        assert "html" not in types, name
        assert not [
            t
            for t in web.get("customTemplate", [])
            if "___SANDBOXED_JS_FOR_WEB_TEMPLATE___" not in t["templateData"]
            and "___INFO___" not in t["templateData"]
        ], name


def test_tags_fire_only_on_the_event_they_handle(large_spec: Spec) -> None:
    """No tag runs on All Pages, and each event's tags run on an exact match of that one
    dataLayer event: a message the spec does not describe runs none of our tags."""
    web = web_of(large_spec)
    triggers = {t["triggerId"]: t for t in web["trigger"]}
    wanted = {e.event for e in large_spec.events}
    handled: dict[str, int] = {}
    for tag in web["tag"]:
        fired = tag["firingTriggerId"]
        assert ALL_PAGES not in fired, tag["name"]
        if fired == [INITIALIZATION]:
            # the tags that run on every page: the Google tag, and the TikTok base tag
            # (the ttq stub; events.js and the Pageview once ad_storage is granted)
            base = {p["key"]: p.get("value") for p in tag["parameter"]}.get("tagType") == "base"
            assert tag["type"] == "googtag" or base, tag["name"]
            continue
        [trigger_id] = fired
        trigger = triggers[trigger_id]
        assert trigger["type"] == "CUSTOM_EVENT"
        [condition] = trigger["customEventFilter"]
        assert condition["type"] == "EQUALS"
        args = {p["key"]: p["value"] for p in condition["parameter"]}
        assert args["arg0"] == "{{_event}}"
        assert args["arg1"] in wanted
        handled[args["arg1"]] = handled.get(args["arg1"], 0) + 1
    assert handled == dict.fromkeys(wanted, 2)  # the TikTok Pixel tag and the GA4 hop


def event_id_source(spec: Spec) -> str:
    return event_id_javascript(spec, "123")


def test_event_id_cached_read_does_not_depend_on_the_spec(large_spec: Spec) -> None:
    """Everything evaluated before a cached ID is returned is the same for a 7-event and
    a 1,000-event spec: the event_id_from map and the references come after."""
    small = event_id_source(load_spec(example_spec(), environ={}))
    large = event_id_source(large_spec)
    cut = re.search(r"\n    return store\.ids\[slot\];\n  }\n", small)
    assert cut is not None
    head = small[: cut.end()]
    assert large.startswith(head)
    assert "fromPaths" not in head and "{{Event}}" not in head
    assert "ecommerce.transaction_id" in small[cut.end() :]


INSTRUMENT = """
var __count = {resolve: 0, reads: 0};
var __resolve = __gtm_resolve;
__gtm_resolve = function (name) { __count.resolve++; return __resolve(name); };
"""
PROXY = """
window.dataLayer = new Proxy(window.dataLayer, {get: function (target, key, receiver) {
  if (typeof key === 'string' && /^[0-9]+$/.test(key)) { __count.reads++; }
  return Reflect.get(target, key, receiver);
}});
"""


def instrumented_page(spec: Spec, messages: int) -> Any:
    pytest.importorskip("py_mini_racer")
    from tests.jsm_harness import JsmPage

    page = JsmPage(event_id_source(spec), random_seed=7)
    page.ctx.eval(INSTRUMENT)
    noise = "__gtm_push({event: 'noise', n: i});"
    page.ctx.eval(f"for (var i = 0; i < {messages}; i++) {{ {noise} }}")
    page.ctx.eval(PROXY)
    return page


def counts(page: Any) -> dict[str, int]:
    result: dict[str, int] = json.loads(page.ctx.eval("JSON.stringify(__count)"))
    page.ctx.eval("__count.resolve = 0; __count.reads = 0;")
    return result


def test_event_id_scans_a_bounded_part_of_the_data_layer(large_spec: Spec) -> None:
    first_reads = []
    for messages in (1000, 20000):
        page = instrumented_page(large_spec, messages)
        counts(page)
        # The current message is not in window.dataLayer (pushed by another route): the
        # variable gives up after a bounded scan instead of walking the whole history.
        page.ctx.eval(
            "__gtm.uid += 1; __gtm.current = {event: 'purchase_0004', "
            "'gtm.uniqueEventId': __gtm.uid};"
        )
        assert page.read().startswith("tt_evt_")
        first_reads.append(counts(page)["reads"])
        assert page.read() == page.read()
        cached = counts(page)
        assert cached == {"resolve": 2, "reads": 0}  # {{gtm.uniqueEventId}} once per read
    # the same work for 1,000 and 20,000 messages: at most 200 entries, two reads each
    assert first_reads[0] == first_reads[1]
    assert 0 < first_reads[0] <= 2 * 200


def test_event_id_cached_read_costs_the_same_for_any_spec(large_spec: Spec) -> None:
    costs = []
    for spec in (load_spec(example_spec(), environ={}), large_spec):
        page = instrumented_page(spec, 10)
        page.push({"event": "purchase_0004", "ecommerce": {"transaction_id": "T-1"}})
        page.read()
        counts(page)
        page.read()
        costs.append(counts(page))
    assert costs[0] == costs[1] == {"resolve": 1, "reads": 0}


def test_event_id_cache_stays_bounded_on_a_long_page(large_spec: Spec) -> None:
    page = instrumented_page(large_spec, 0)
    for i in range(300):
        page.push({"event": "view_item_0000", "n": i})
        page.read()
    sizes = json.loads(
        page.ctx.eval(
            "var s = window['__gtmgen_event_ids_123'];"
            "JSON.stringify([Object.keys(s.ids).length, s.order.length])"
        )
    )
    assert sizes[0] == sizes[1] <= 50


# --------------------------------------------------------------------------- one script


REF = re.compile(r"\{\{([^{}]+)\}\}")
SAMPLES: dict[str, Any] = {
    "ecommerce.value": 25.5,
    "ecommerce.currency": "EUR",
    "ecommerce.items": [{"item_id": "SKU-1", "item_name": "Mug", "price": 12.75, "quantity": 2}],
    "user_data.email_address": "jane@example.com",
    "user_data.phone_number": "+12133734253",
}


def field_value(param: dict[str, Any], value_of: Any) -> Any:
    """A tag parameter as the template's ``data`` sees it: a field that is one {{reference}}
    keeps the variable's type, as in GTM; tables become lists of row objects."""
    kind = param["type"]
    if kind == "LIST":
        return [field_value(item, value_of) for item in param["list"]]
    if kind == "MAP":
        return {item["key"]: field_value(item, value_of) for item in param["map"]}
    if kind == "BOOLEAN":
        return param["value"] == "true"
    whole = REF.fullmatch(param["value"])
    if whole:
        return value_of(whole.group(1))
    return REF.sub(lambda m: str(value_of(m.group(1))), param["value"])


def pixel_runs(spec: Spec) -> tuple[str, list[dict[str, Any]]]:
    """The web template's text and the data of every TikTok Pixel tag of ``spec``."""
    web = web_of(spec)
    [template] = [t for t in web["customTemplate"] if t["name"] == "gtmgen TikTok Pixel"]
    constants = {v["name"]: v["parameter"][0]["value"] for v in web["variable"] if v["type"] == "c"}

    def value_of(name: str) -> Any:
        if name in constants:
            return constants[name]
        if name == "gtmgen - event_id":
            return "tt_evt_1"
        return SAMPLES.get(name.removeprefix("gtmgen - DLV - "), "sample")

    tags = [
        t
        for t in web["tag"]
        if t["type"].startswith("cvt_") and t["name"] != "gtmgen - TikTok - base"
    ]
    assert len(tags) == len(spec.events)
    data = [{p["key"]: field_value(p, value_of) for p in t["parameter"]} for t in tags]
    return template["templateData"], data


def test_tiktok_script_is_injected_once_per_page_whatever_the_events(tmp_path: Path) -> None:
    pytest.importorskip("py_mini_racer")
    from gtmgen.sandbox import WebPage, run_web_tag

    spec = load_spec(bench().write_spec(tmp_path / "shop.yaml", 30), environ={})
    template_data, runs = pixel_runs(spec)
    assert spec.tiktok is not None
    base = {"tagType": "base", "pixelId": spec.tiktok.pixel_id}
    for _page_view in range(2):
        with WebPage() as page:
            assert run_web_tag(template_data, base, page=page).succeeded
            for data in runs + runs:  # every event of the spec, twice, on one page
                run = run_web_tag(template_data, data, page=page)
                assert run.succeeded, (data["eventName"], run.exception, run.logs)
                assert len(run.ttq_calls("track")) == 1
            assert len(page.injected_scripts) == 1, page.injected_scripts
            assert page.injected_scripts[0].startswith("https://analytics.tiktok.com/")


def test_simulated_page_injects_one_tiktok_script(tmp_path: Path) -> None:
    """The whole web container on one page (triggers, variables, our template in the
    sandbox): every event of a 30-event spec, twice, and still one script."""
    pytest.importorskip("py_mini_racer")
    from gtmgen.simulate import Options, Simulation, load
    from gtmgen.simulate.pushes import default_pushes

    exports = load(bench().write_spec(tmp_path / "shop.yaml", 30), None, None)
    pushes = default_pushes(exports.spec) * 2
    simulation = Simulation(exports, Options(seed=3, now_ms=1_700_000_000_000))
    try:
        reports = simulation.run(pushes)
        tracked = [call.event_id for report in reports for call in report.pixel]
        page = simulation.session.page
        assert page is not None
        injected = list(page.injected_scripts)
    finally:
        simulation.close()
    assert len(tracked) == len(exports.spec.events) * 2
    assert len(injected) == 1, injected
