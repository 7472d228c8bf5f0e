"""``gtmgen audit``: deduplication faults in any GTM export, whoever built it.

Each file is checked on its own (TikTok tags without an event_id, event IDs that change
at every read or come from an earlier push, TikTok tags built as Custom HTML, tokens in
a web container); when the files are exactly one web and one server export, the pair is
also checked (same TikTok event name and event_id on both sides of each event). Each
platform's own rules (``gtmgen/platforms/<name>/audit.py``: Meta's) run through
:mod:`gtmgen.audit.platforms`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gtmgen.audit import platforms
from gtmgen.audit.checks import check_container
from gtmgen.audit.findings import Finding
from gtmgen.audit.pair import check_pair
from gtmgen.errors import ExitCode, InputError, Problem, Result
from gtmgen.gtm.container import Container, read_container

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "note": 3}


@dataclass
class AuditReport:
    files: list[str]
    findings: list[Finding] = field(default_factory=list)
    paired: tuple[str, str] | None = None
    warnings: list[str] = field(default_factory=list)  # harmless oddities of the files

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.DIFFERENT if any(x.fails for x in self.findings) else ExitCode.OK

    def lines(self) -> list[str]:
        ordered = sorted(
            self.findings,
            key=lambda x: (SEVERITY_ORDER.get(x.severity, 9), x.file, x.entity, x.code),
        )
        out = [str(x) for x in ordered]
        counts = {
            s: sum(1 for x in self.findings if x.severity == s)
            for s in ("high", "medium", "low", "note")
        }
        failing = counts["high"] + counts["medium"] + counts["low"]
        summary = (
            f"{failing} finding(s) ({counts['high']} high, {counts['medium']} medium, "
            f"{counts['low']} low) and {counts['note']} note(s) in "
            f"{len(self.files)} file(s)"
        )
        if self.paired:
            summary += f"; checked {self.paired[0]} and {self.paired[1]} as a pair"
        out.append(summary)
        return out


def audit_containers(containers: list[Container], *, pair: bool = True) -> AuditReport:
    report = AuditReport([c.file for c in containers])
    report.warnings = [w for c in containers for w in c.warnings]
    for container in containers:
        found = check_container(container)
        report.findings += found + platforms.check_container(container, found)
    webs = [c for c in containers if c.context == "WEB"]
    servers = [c for c in containers if c.context == "SERVER"]
    if pair and len(webs) == 1 and len(servers) == 1:
        report.paired = (webs[0].file, servers[0].file)
        report.findings += check_pair(webs[0], servers[0])
        report.findings += platforms.check_pair(webs[0], servers[0])
    return report


def audit_paths(paths: list[Path], *, pair: bool = True) -> AuditReport:
    containers: list[Container] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            containers.append(read_container(path))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return audit_containers(containers, pair=pair)


def audit_files(paths: list[Path]) -> Result:
    """``gtmgen audit``: the files' warnings on stderr, the findings and the summary on
    stdout; exit 1 when something is found."""
    report = audit_paths(paths)
    result = Result(report.exit_code)
    result.err(*report.warnings)
    result.out(*report.lines())
    return result
