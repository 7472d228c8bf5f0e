"""``gtmgen validate``: check any GTM container export (ours or anyone's).

Three layers, in order: the file is a container export at all (else exit 2); it matches
the export format's JSON Schema (export.schema.json, generated from the Tag Manager API
v2 discovery document); and it obeys the reference rules GTM applies on import (unique
IDs and names, triggers, folders, tags and ``{{variables}}`` that exist, custom templates
that parse and fit). Errors fail the check (exit 1); warnings are printed only.

Importing this package is cheap: jsonschema and PyYAML load on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gtmgen.errors import Problem, Result
from gtmgen.validate.findings import Diagnostic, Severity
from gtmgen.validate.report import Report, check_data, validate_path, validate_paths

__all__ = [
    "Diagnostic",
    "Report",
    "Severity",
    "check_export",
    "validate_export",
    "validate_files",
    "validate_path",
    "validate_paths",
]


def validate_files(paths: list[Path]) -> Result:
    """``gtmgen validate``: each file's report, on stdout when it passes and on stderr when
    it does not; the worst exit code of them all."""
    result = Result()
    for report in validate_paths(paths):
        (result.out if report.ok else result.err)(*report.lines())
        result.exit_code = max(result.exit_code, report.exit_code)
    return result


def check_export(data: Any, *, file: str, built_json: bytes | None = None) -> list[Diagnostic]:
    """Every finding (errors and warnings) for an export already parsed from JSON.

    ``built_json``: the compact JSON text of an export gtmgen has just built, for the
    lighter check ``gtmgen build`` runs (see report.check_data).
    """
    return check_data(data, file=file, built_json=built_json).findings


def validate_export(data: Any, *, file: str, built_json: bytes | None = None) -> list[Problem]:
    """The errors in an export: [] means GTM should import it as it is.

    Warnings are left out: they describe exports that import but may not do what the
    author meant (see check_export for them).
    """
    return [
        f
        for f in check_export(data, file=file, built_json=built_json)
        if f.severity is Severity.ERROR
    ]
