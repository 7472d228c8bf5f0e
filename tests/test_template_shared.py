"""Our templates cannot import from each other (GTM runs each sandboxed on its own), so the
helpers they share are copies: a helper defined in more than one template must be the same
text in every one of them, unless it is listed here as meant to differ."""

from __future__ import annotations

import re
from collections import defaultdict

from gtmgen.gtm.template import section_map
from gtmgen.resources import templates_dir

# Same name, different on purpose: each platform's own message prefix, item shape, phone
# form (TikTok: E.164 with +; Meta: digits only), user data and response handling, and
# each pixel's own stub and loading.
MEANT_TO_DIFFER = frozenset(
    {
        "log",
        "content",
        "normalisePhone",
        "maskedUser",
        "user",
        "onResponse",
        "activate",
        "ensureStub",
    }
)
FUNCTION = re.compile(r"^function (\w+)\(.*?^}\n", re.S | re.M)


def helpers() -> dict[str, dict[str, str]]:
    """{function name: {template file: its text}} over every .tpl's sandboxed code."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for path in sorted(templates_dir().glob("*.tpl")):
        parts = section_map(path.read_text(encoding="utf-8"))
        code = parts.get("SANDBOXED_JS_FOR_WEB_TEMPLATE") or parts.get(
            "SANDBOXED_JS_FOR_SERVER", ""
        )
        for match in FUNCTION.finditer(code + "\n"):
            found[match.group(1)][path.name] = match.group(0)
    return found


def test_shared_helpers_are_identical_copies() -> None:
    differing = {
        name: sorted(copies)
        for name, copies in helpers().items()
        if len(copies) > 1 and name not in MEANT_TO_DIFFER and len(set(copies.values())) > 1
    }
    assert differing == {}


def test_the_shared_helpers_are_really_shared() -> None:
    shared = {name for name, copies in helpers().items() if len(copies) > 1}
    # the basic value helpers are in all four templates, the hop's consent and user data
    # readers in both server templates
    assert {"text", "isEmpty", "number", "put", "contents"} <= shared
    assert {
        "first",
        "hashed",
        "gcdDenied",
        "adStorageDenied",
        "adUserDataDenied",
        "firstCookie",
        "fail",
    } <= shared
    assert shared >= MEANT_TO_DIFFER  # an entry no longer shared is dropped from the list
