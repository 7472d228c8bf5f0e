"""The sections of a custom template's ``templateData`` (a .tpl file): ``___NAME___``
headers, each alone on its line, then the section's body."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

HEADER = re.compile(r"^___([A-Z0-9_]+)___[ \t]*\r?$", re.MULTILINE)
CODE_SECTION = {"WEB": "SANDBOXED_JS_FOR_WEB_TEMPLATE", "SERVER": "SANDBOXED_JS_FOR_SERVER"}
PERMISSION_SECTION = {"WEB": "WEB_PERMISSIONS", "SERVER": "SERVER_PERMISSIONS"}


@dataclass(frozen=True)
class Section:
    name: str  # without the underscores: "INFO", "TEMPLATE_PARAMETERS", ...
    line: int  # 1-based line of the header; the body starts at its end
    body: str  # everything up to the next header, as written

    @property
    def text(self) -> str:
        """The body without the blank lines around it."""
        return self.body.strip("\r\n")


def sections(data: str) -> list[Section]:
    """Every section of a template, in order (a repeated name appears twice)."""
    headers = list(HEADER.finditer(data))
    out = []
    for i, match in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(data)
        out.append(
            Section(match.group(1), data.count("\n", 0, match.end()) + 1, data[match.end() : end])
        )
    return out


def section_map(data: str) -> dict[str, str]:
    """{name: body without its surrounding blank lines}; a repeated name: the last one."""
    return {section.name: section.text for section in sections(data)}


def info(data: str) -> dict[str, Any]:
    """The ___INFO___ section as JSON, or {} when it is missing or malformed."""
    body = section_map(data).get("INFO")
    if body is None:
        return {}
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
