"""Reading an export file for ``validate``: gtmgen.gtm.reader, with its notes as findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gtmgen.gtm import reader
from gtmgen.gtm.reader import UnreadableFile as Unreadable
from gtmgen.validate.findings import Diagnostic, Severity

__all__ = ["Unreadable", "read_json"]


def read_json(path: Path) -> tuple[Any, list[Diagnostic]]:
    """The parsed JSON and notes about harmless oddities (a byte order mark)."""
    loaded = reader.read_json(path)
    notes = [
        Diagnostic(n.file, n.message, n.line, n.col, severity=Severity.WARNING)
        for n in loaded.notes
    ]
    return loaded.data, notes
