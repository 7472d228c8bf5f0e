"""The documentation's marked sections, wherever they live: README.md or docs/*.md.

A section is the text between ``<!-- section:NAME -->`` and ``<!-- /section:NAME -->``;
tests run the examples of these sections, so the docs stay true.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def section(name: str) -> str:
    found = []
    for path in doc_files():
        found += re.findall(
            rf"<!-- section:{re.escape(name)} -->(.*?)<!-- /section:"
            rf"{re.escape(name)} -->",
            path.read_text(encoding="utf-8"),
            re.S,
        )
    assert len(found) == 1, f"the docs hold {len(found)} sections named {name!r}, not one"
    return str(found[0])
