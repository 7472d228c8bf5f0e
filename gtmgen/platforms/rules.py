"""What a platform's audit rules (``gtmgen/platforms/<name>/audit.py``) take and give.

The generic audit package (``gtmgen/audit/``) registers and runs them: it hands them its
JavaScript argument scanner (a :class:`Scanner`, ``gtmgen.audit.jsargs``) and turns the
:class:`Fault` objects they return into findings of a file. Platforms sit below audit in
the layers, so they receive what they need from it instead of importing it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Fault:
    """One finding before it is tied to a file: severity "high" | "medium" | "low" |
    "note", a stable code, the entity (``tag 'X'``) and the sentence."""

    severity: str
    code: str
    entity: str
    message: str


@dataclass(frozen=True)
class Secret:
    """A literal secret a platform recognises in an entity (printed masked by audit)."""

    entity: str
    value: str


class ScannedCall(Protocol):
    @property
    def args(self) -> tuple[str, ...]: ...


class Scanner(Protocol):
    """The JavaScript argument scanner of the audit package (``gtmgen.audit.jsargs``)."""

    FBQ: re.Pattern[str]

    def calls(self, pattern: re.Pattern[str], text: str) -> Sequence[ScannedCall]: ...

    def object_key(self, arg: str, keys: tuple[str, ...]) -> str | None: ...

    def string_literal(self, arg: str) -> str | None: ...

    def strip_comments(self, text: str) -> str: ...


def tag(name: object) -> str:
    return f"tag {str(name)!r}"


def variable(name: object) -> str:
    return f"variable {str(name)!r}"
