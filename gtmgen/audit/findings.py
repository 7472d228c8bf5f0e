"""Audit findings: what is wrong, where (file, entity), and how badly."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("high", "medium", "low")  # every finding fails the audit (exit 1)


@dataclass(frozen=True)
class Finding:
    file: str
    severity: str  # "high" | "medium" | "low" | "note" (a note does not fail the audit)
    code: str
    entity: str  # e.g. "tag '[TikTok] - Purchase'"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.severity}: {self.entity}: {self.message} [{self.code}]"

    @property
    def fails(self) -> bool:
        return self.severity in SEVERITIES


def tag(name: object) -> str:
    return f"tag {str(name)!r}"


def variable(name: object) -> str:
    return f"variable {str(name)!r}"
