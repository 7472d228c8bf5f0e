"""A trigger regex from someone else's export never hangs ``gtmgen audit``: it runs in
JavaScript's dialect, bounded in time; one that runs out may match (the tag is taken as
possibly firing)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("py_mini_racer")

CATASTROPHIC = "^(a+)+$"
HOSTILE_EVENT = "a" * 40 + "!"  # 2**40 ways to split the a's before the match fails

SCRIPT = textwrap.dedent(
    f"""
    from gtmgen.audit.wiring import fires_on
    from gtmgen.gtm.container import Container

    condition = {{"type": "MATCH_REGEX", "parameter": [
        {{"type": "TEMPLATE", "key": "arg0", "value": "{{{{_event}}}}"}},
        {{"type": "TEMPLATE", "key": "arg1", "value": {CATASTROPHIC!r}}}]}}
    export = {{"containerVersion": {{
        "container": {{"usageContext": ["WEB"]}},
        "trigger": [{{"triggerId": "1", "name": "t", "type": "CUSTOM_EVENT",
                      "customEventFilter": [condition]}}],
        "tag": [{{"tagId": "2", "name": "x", "type": "html", "firingTriggerId": ["1"]}}]}}}}
    container = Container(export, file="hostile.json")
    tag = container.tags[0]
    print(fires_on(container, tag, "aaaa"), fires_on(container, tag, "b"),
          fires_on(container, tag, {HOSTILE_EVENT!r}))
    """
)


def test_a_catastrophic_trigger_regex_is_bounded() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    # decided where it can be (a match, a plain miss); the runaway is "possibly fires"
    assert done.stdout.split() == ["True", "False", "True"]
    assert "Exception ignored" not in done.stderr
