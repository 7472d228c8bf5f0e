"""`gtmgen simulate` on someone else's hostile export: every kind of runaway code is
stopped within the budget and reported as a finding (exit 1), never a hang, a crash or a
traceback. Each export is our example's, with one hostile variable, trigger or template
injected."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from gtmgen.generate import names
from tests.audit_helpers import exports, set_param, tag, trigger_id, write

pytest.importorskip("py_mini_racer")

PUSH_BUDGET = 3.0
TIME_BUDGET = 6.0
SLACK = 15.0  # interpreter start, V8 start-up, a loaded CI machine


def _var(name: str, type_: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "accountId": "1",
        "containerId": "2",
        "variableId": str(900 + len(name)),
        "name": name,
        "type": type_,
        "parameter": params,
    }


def _tpl(key: str, value: str) -> dict[str, Any]:
    return {"type": "TEMPLATE", "key": key, "value": value}


def _jsm(name: str, code: str) -> dict[str, Any]:
    return _var(name, "jsm", [_tpl("javascript", code)])


def _const(name: str, value: str) -> dict[str, Any]:
    return _var(name, "c", [_tpl("value", value)])


def _regex_table(name: str, pattern: str, source: str) -> dict[str, Any]:
    row = {"type": "MAP", "map": [_tpl("key", pattern), _tpl("value", "hit")]}
    return _var(
        name, "remm", [_tpl("input", source), {"type": "LIST", "key": "map", "list": [row]}]
    )


def _simulate(
    tmp_path: Path, web: dict[str, Any], server: dict[str, Any], pushes: list[dict[str, Any]]
) -> tuple[int, list[dict[str, Any]], str, float]:
    web_path, server_path = write(tmp_path, web, server)
    args = [
        sys.executable,
        "-m",
        "gtmgen",
        "simulate",
        "--web",
        str(web_path),
        "--server",
        str(server_path),
        "--json",
        "--seed",
        "1",
        "--now",
        "0",
        "--access-token",
        "tok-123456789",
        "--push-budget",
        str(PUSH_BUDGET),
        "--time-budget",
        str(TIME_BUDGET),
    ]
    for push in pushes:
        args += ["--push", json.dumps(push)]
    start = time.monotonic()
    done = subprocess.run(
        args, capture_output=True, text=True, check=False, timeout=TIME_BUDGET + SLACK
    )
    elapsed = time.monotonic() - start
    assert "Traceback" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, lines, done.stderr, elapsed


def _with_event_id(
    variable: dict[str, Any], event: str = "view_item"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The example's pair, with the pixel tag's event ID read from ``variable``."""
    web, server = exports()
    web["containerVersion"]["variable"].append(variable)
    set_param(tag(web, names.tiktok_tag(event)), "eventId", "{{" + variable["name"] + "}}")
    return web, server


def _findings(lines: list[dict[str, Any]]) -> list[str]:
    return [f for line in lines for f in line["findings"]]


def test_a_looping_custom_javascript_is_stopped_once_and_not_rerun(tmp_path: Path) -> None:
    web, server = _with_event_id(_jsm("Loop", "function () { while (true) {} }"))
    code, lines, _, _ = _simulate(tmp_path, web, server, [{"event": "view_item"}] * 4)
    assert code == 1
    assert len(lines) == 4
    assert "Custom JavaScript variable 'Loop' ran longer than" in lines[0]["findings"][0]
    assert all("not run again" in line["findings"][0] for line in lines)
    assert all(not line["deduplicates"] for line in lines)


@pytest.mark.parametrize(
    "code",
    [
        "function () { return 1; })(); (function () { return 2; }",
        "function () { return 1; }}); x = ({",
        "}); ({",
        "1 +",
    ],
)
def test_custom_javascript_that_breaks_out_of_its_wrapper_is_a_finding(
    tmp_path: Path, code: str
) -> None:
    web, server = _with_event_id(_jsm("Escape", code))
    status, lines, _, _ = _simulate(tmp_path, web, server, [{"event": "view_item"}])
    assert status == 1
    [line] = lines
    assert any("Custom JavaScript variable 'Escape'" in f for f in line["findings"]) or any(
        "'Escape' threw" in n for n in line["notes"]
    )


def test_custom_javascript_that_replaces_json_is_a_finding(tmp_path: Path) -> None:
    web, server = _with_event_id(
        _jsm("Evil", "function () { JSON.stringify = function () { return '{'; }; return 1; }")
    )
    status, lines, _, _ = _simulate(tmp_path, web, server, [{"event": "view_item"}] * 2)
    assert status == 1
    assert len(lines) == 2


def test_custom_javascript_out_of_memory_does_not_abort(tmp_path: Path) -> None:
    web, server = _with_event_id(
        _jsm("Hog", "function () { var a = []; while (true) { a.push(new Array(1e6).fill(1.5)); }}")
    )
    status, lines, _, _ = _simulate(tmp_path, web, server, [{"event": "view_item"}])
    assert status == 1
    assert "ran out of memory" in _findings(lines)[0]


def test_a_catastrophic_regex_table_is_stopped(tmp_path: Path) -> None:
    web, server = _with_event_id(_regex_table("Slow", "^(a+)+$", "{{Long}}"))
    web["containerVersion"]["variable"].append(_const("Long", "a" * 40 + "!"))
    status, lines, _, elapsed = _simulate(tmp_path, web, server, [{"event": "view_item"}] * 3)
    assert status == 1
    assert len(lines) == 3
    assert "regular expression /^(a+)+$/" in lines[0]["findings"][0]
    assert "Regex Table 'Slow'" in lines[0]["findings"][0]
    assert elapsed < TIME_BUDGET + SLACK


def test_a_catastrophic_regex_trigger_condition_is_stopped(tmp_path: Path) -> None:
    web, server = exports()
    web["containerVersion"]["variable"].append(_const("Long", "a" * 40 + "!"))
    trigger = next(
        t
        for t in web["containerVersion"]["trigger"]
        if t["triggerId"] == trigger_id(web, "view_item")
    )
    trigger.setdefault("filter", []).append(
        {"type": "MATCH_REGEX", "parameter": [_tpl("arg0", "{{Long}}"), _tpl("arg1", "^(a|aa)+$")]}
    )
    status, lines, _, _ = _simulate(tmp_path, web, server, [{"event": "view_item"}])
    assert status == 1
    assert any("in a trigger condition" in f for f in _findings(lines))


@pytest.mark.parametrize("value", ["{{Self}}", "{{Self}}{{Self}}{{Self}}", "x{{Other}}y"])
def test_a_variable_that_references_itself_is_a_finding(tmp_path: Path, value: str) -> None:
    web, server = _with_event_id(_const("Self", value))
    web["containerVersion"]["variable"].append(_const("Other", "{{Self}}"))
    status, lines, _, elapsed = _simulate(tmp_path, web, server, [{"event": "view_item"}])
    assert status == 1
    assert any(
        "'Self' references itself" in f or "'Other' references itself" in f
        for f in _findings(lines)
    )
    assert elapsed < TIME_BUDGET + SLACK


def test_references_that_fan_out_are_bounded(tmp_path: Path) -> None:
    """No cycle, but 2**30 reads: V1 = {{V0}}{{V0}}, V2 = {{V1}}{{V1}}, ..."""
    chain = [_const("V0", "ab")] + [
        _const(f"V{i}", f"{{{{V{i - 1}}}}}{{{{V{i - 1}}}}}") for i in range(1, 31)
    ]
    web, server = _with_event_id(chain[-1])
    web["containerVersion"]["variable"] += chain[:-1]
    status, lines, _, elapsed = _simulate(tmp_path, web, server, [{"event": "view_item"}])
    assert status == 1
    assert any(
        "variable reads in one push" in f or "characters while" in f for f in _findings(lines)
    )
    assert elapsed < TIME_BUDGET + SLACK


def test_a_template_that_keeps_rescheduling_itself_is_bounded(tmp_path: Path) -> None:
    web, server = exports()
    template = web["containerVersion"]["customTemplate"][0]
    marker = "___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n"
    assert marker in template["templateData"]
    template["templateData"] = template["templateData"].replace(
        marker,
        marker + "const callLater = require('callLater');\n"
        "function again() { callLater(again); }\nagain();\n",
        1,
    )
    status, lines, _, elapsed = _simulate(tmp_path, web, server, [{"event": "view_item"}] * 2)
    assert status == 1
    assert len(lines) == 2
    assert any("kept scheduling callbacks" in f or "time budget" in f for f in _findings(lines))
    assert elapsed < TIME_BUDGET + SLACK


def test_the_overall_budget_stops_the_run_and_names_the_pushes_left(tmp_path: Path) -> None:
    web, server = _with_event_id(
        _jsm(
            "Slow",
            "function () { var t = Date.now(); var n = 0;"
            " for (var i = 0; i < 3e8; i++) { n += i; } return n; }",
        )
    )
    # every read is new work (not a loop): each push spends its budget
    pushes = [{"event": "view_item"}] * 6
    status, lines, _, elapsed = _simulate(tmp_path, web, server, pushes)
    assert status == 1
    assert len(lines) == 6
    assert elapsed < TIME_BUDGET + SLACK


LIFECYCLE = """
from gtmgen.errors import GtmgenError
from gtmgen.sandbox.engine import Engine, JsOutOfMemory, JsTimeout
from gtmgen.simulate.jsengine import JsPage, PageContext, RegexEngine
from gtmgen.sandbox.engine import JsStopped

engine = Engine(time_limit=lambda cap: 0.2)
try:
    engine.call("(function () { while (true) {} })")
except JsTimeout:
    print("timeout")
try:
    engine.call("(function () { var a = []; while (true) { a.push(new Array(1e6).fill(1)); } })")
except (JsOutOfMemory, JsTimeout):
    print("stopped")
print(engine.call("(function () { return 41 + 1; })"))
engine.close()
page = JsPage(PageContext("https://a.example/", "", "", "", {}), seed=1, now_ms=0)
try:
    page.run_function("function () { while (true) {} }", [])
except JsStopped:
    print("page")
page.close()
regex = RegexEngine()
try:
    regex.test("^(a+)+$", "a" * 40 + "!")
except JsStopped:
    print("regex")
regex.close()
"""


def test_stopped_scripts_leave_nothing_pending_when_the_context_closes() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LIFECYCLE], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stdout.split() == ["timeout", "stopped", "42", "page", "regex"], done.stderr
    assert done.stderr == ""


def test_array_buffers_outside_the_heap_are_bounded(tmp_path: Path) -> None:
    """Typed arrays live outside the V8 heap limit: the page refuses past its budget."""
    web, server = _with_event_id(
        _jsm(
            "Buffers",
            "function () { var a = []; for (var i = 0; i < 40; i++) {"
            " a.push(new Uint8Array(1e8).fill(1)); } return a.length; }",
        )
    )
    status, lines, _, _ = _simulate(tmp_path, web, server, [{"event": "view_item"}])
    assert status == 1
    [line] = lines
    assert any("'Buffers' threw" in n and "array buffers over" in n for n in line["notes"])


def test_a_self_reference_in_the_server_container_is_a_finding(tmp_path: Path) -> None:
    web, server = exports()
    server["containerVersion"]["variable"].append(_const("Again", "{{Again}}-{{Again}}"))
    set_param(tag(server, names.tiktok_tag("view_item")), "eventId", "{{Again}}")
    status, lines, _, _ = _simulate(tmp_path, web, server, [{"event": "view_item"}])
    assert status == 1
    assert any("'Again' references itself (Again -> Again)" in f for f in _findings(lines))
