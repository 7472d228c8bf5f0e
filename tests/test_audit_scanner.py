"""The audit's JavaScript argument scanner: the same arguments as a scan per call, in
time linear in the text (issue 12: many unclosed ``ttq.track(`` calls were quadratic)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gtmgen.audit import jsargs
from gtmgen.audit.jsargs import TTQ_TRACK, Scanner, calls

GOLDEN = Path(__file__).parent / "cases" / "minimal"

_OPEN = {"(": ")", "[": "]", "{": "}"}


def reference_split_args(text: str, start: int) -> tuple[str, ...] | None:
    """The scanner as it was: one scan per call from its ``(`` (quadratic over many)."""
    args: list[str] = []
    stack: list[str] = []
    quote = ""
    current = start
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif not stack and ch in ",)":
            args.append(text[current:i].strip())
            if ch == ")":
                return tuple(a for a in args if a) if args != [""] else ()
            current = i + 1
        i += 1
    return None


JS_ISH = st.text(alphabet="()[]{},'\"`\\ a1", max_size=60)


@given(JS_ISH, st.data())
def test_the_same_arguments_as_one_scan_per_call(text: str, data: st.DataObject) -> None:
    scanner = Scanner(text)
    starts = data.draw(st.lists(st.integers(0, len(text)), max_size=8))
    for start in starts:  # in any order: what one scan remembers must not change another
        assert scanner.split_args(start) == reference_split_args(text, start), (text, start)


@given(
    st.lists(
        st.sampled_from(
            [
                "ttq.track(",
                "ttq.track('Purchase', ",
                "{a: [1, ",
                ")",
                "]",
                "}",
                "'",
                '"',
                "`",
                "\\",
                ", ",
                "x",
                "ttq.track('ViewContent', {value: 1})",
                "\n",
            ]
        ),
        max_size=40,
    )
)
def test_calls_match_the_reference_on_fragments(parts: list[str]) -> None:
    text = "".join(parts)
    expected = [(m.start(), reference_split_args(text, m.end())) for m in TTQ_TRACK.finditer(text)]
    assert [(c.start, c.args) for c in calls(TTQ_TRACK, text)] == [
        (start, args) for start, args in expected if args is not None
    ]


HOSTILE = {
    "unclosed calls": "ttq.track('Purchase', ",
    "unclosed nested": "ttq.track(",
    "unclosed groups": "ttq.track({a: [",
    "closed nested": "ttq.track(ttq.track(1, ",  # closed at the end, all at once
    "quotes": "ttq.track(\"a', ",
    "escaped quotes": 'ttq.track(\\"',
    "backquotes": "ttq.track(`${",
}


def _steps(unit: str, count: int) -> tuple[int, int]:
    text = unit * count
    if unit.startswith("ttq.track(ttq"):
        text += ")" * (2 * count)
    scanner = Scanner(text)
    for match in TTQ_TRACK.finditer(text):
        scanner.split_args(match.end())
    return scanner.steps, len(text)


def test_scanning_visits_each_character_a_bounded_number_of_times() -> None:
    """The old scanner visited 87 KB of unclosed calls about 170 million times (27 s)."""
    for name, unit in HOSTILE.items():
        for count in (1_000, 4_000):
            steps, size = _steps(unit, count)
            assert steps <= 8 * size, (name, count, steps, size)


def test_a_quarter_megabyte_of_unclosed_calls_is_audited_at_once() -> None:
    """237 KB took 570 s before; with a generous bound, as a behaviour (no timing ratio)."""
    text = "<script>" + "ttq.track('Purchase', {value: [" * 8_000 + "</script>"
    assert len(text) > 237_000
    result: list[list[jsargs.Call]] = []
    worker = threading.Thread(target=lambda: result.append(calls(TTQ_TRACK, text)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the scanner did not finish in 60 s"
    assert result == [[]]  # no call is ever closed: none has arguments to read


def test_deep_nesting_needs_no_recursion() -> None:
    depth = 200_000
    text = "ttq.track(" + "(" * depth + ")" * depth + ", 'x')"
    assert [c.args for c in calls(TTQ_TRACK, text)] == [("(" * depth + ")" * depth, "'x'")]


def test_audit_of_an_export_with_many_unclosed_calls_ends(tmp_path: Path) -> None:
    """End to end: ``gtmgen audit`` on a web export whose Custom HTML tag holds 87 KB of
    unclosed ``ttq.track(`` calls (27 s before) answers, in a subprocess with a timeout."""
    export = json.loads((GOLDEN / "minimal.web.json").read_text(encoding="utf-8"))
    html = "<script>" + "ttq.track('Purchase', " * 4_000 + "</script>"
    export["containerVersion"].setdefault("tag", []).append(
        {
            "accountId": "1",
            "containerId": "2",
            "tagId": "999",
            "name": "Hostile HTML",
            "type": "html",
            "parameter": [{"type": "TEMPLATE", "key": "html", "value": html}],
            "firingTriggerId": ["2147479553"],
        }
    )
    path = tmp_path / "hostile.web.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "gtmgen", "audit", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
