"""Checking exports: one function for data in memory, one Report per file for the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmgen.errors import ExitCode
from gtmgen.validate.findings import Diagnostic, Issue, Severity, error, place_all
from gtmgen.validate.structure import structure_issues, summary


@dataclass
class Outcome:
    findings: list[Diagnostic]
    broken: bool  # not readable as an export at all: invalid input, exit 2


def check_data(
    data: Any, *, file: str, fold: bool = True, built_json: bytes | None = None
) -> Outcome:
    """Structure, then the JSON Schema, then GTM's reference and template rules.

    ``fold=False`` keeps every repeated message on its own line.

    ``built_json`` is given for an export gtmgen has just built (its compact JSON text):
    ``gtmgen build`` checks it without the two passes over the whole export that hold
    by construction there, the depth count (see structure_issues) and the walk over
    every parameter (see references.reference_issues). Every other rule runs as usual.
    """
    issues = structure_issues(data, check_depth=built_json is None)
    if issues:
        return Outcome(place_all(issues, data, file), broken=True)
    from gtmgen.validate.index import Index
    from gtmgen.validate.references import reference_issues
    from gtmgen.validate.schema import schema_issues
    from gtmgen.validate.templates import template_issues

    try:
        issues = schema_issues(data)
        index = Index.of(data)
        issues += reference_issues(index, built_json=built_json)
        issues += template_issues(index)
    except RecursionError:  # structure_issues caps depth; this is a last line of defence
        return Outcome(place_all([error((), "nested too deeply to check")], data, file), True)
    issues.sort(key=_by_entity)  # stable: within an entity, rules keep their order
    return Outcome(place_all(issues, data, file, fold=fold), broken=False)


def _by_entity(issue: Issue) -> tuple[tuple[int, int | str], ...]:
    """Group findings by entity (containerVersion.tag[3]), in export order."""
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in issue.path[:3])


@dataclass
class Report:
    """The result for one file, as ``gtmgen validate`` prints it."""

    file: str
    findings: list[Diagnostic] = field(default_factory=list)
    broken: bool = False
    description: str = ""  # "web, 12 tags, ..." for a readable export

    @property
    def errors(self) -> list[Diagnostic]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def exit_code(self) -> ExitCode:
        if self.broken:
            return ExitCode.INVALID
        return ExitCode.DIFFERENT if self.errors else ExitCode.OK

    @property
    def ok(self) -> bool:
        return self.exit_code is ExitCode.OK

    def lines(self) -> list[str]:
        lines = [str(f) for f in self.findings]
        if self.broken:
            return lines
        errors = sum(f.repeats for f in self.errors)
        warnings = sum(f.repeats for f in self.warnings)
        counts = _count(errors, "error") if errors else ""
        if warnings:
            counts += ("; " if counts else "") + _count(warnings, "warning")
        if self.ok:
            lines.append(
                f"{self.file}: ok ({self.description}" + (f"; {counts})" if counts else ")")
            )
        else:
            lines.append(f"{self.file}: failed ({counts}; {self.description})")
        return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def validate_path(path: Path) -> Report:
    from gtmgen.validate.files import Unreadable, read_json

    name = str(path)
    try:
        data, notes = read_json(path)
    except Unreadable as exc:
        problem = exc.problem
        return Report(
            name,
            [Diagnostic(problem.file, problem.message, problem.line, problem.col)],
            broken=True,
        )
    outcome = check_data(data, file=name)
    description = "" if outcome.broken else summary(data)
    return Report(name, [*notes, *outcome.findings], outcome.broken, description)


def validate_paths(paths: Iterable[Path]) -> list[Report]:
    return [validate_path(Path(p)) for p in paths]
