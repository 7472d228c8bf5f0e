"""Reading an export file: every way a file can fail to be JSON becomes a located Problem.

Never a traceback and never a hang: special files (FIFOs, devices) are refused before they
are opened, size is capped before the file is read, and nesting that would exhaust
Python's stack is reported with its position.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from gtmgen.errors import Problem
from gtmgen.validate.findings import Diagnostic, Severity
from gtmgen.validate.structure import MAX_DEPTH

# The largest real export we know is 0.7 MB (54-file corpus); GTM refuses to publish web
# containers above 200 KB. gtmgen's own 1,000-event stress export is 9.5 MB (4-space
# layout). Up to this cap a file is checked in a few seconds, in about five times its size
# of memory. The slowest case is an error inside one huge entity, which the reference JSON
# Schema validator walks whole: a 32 MB tag with one error took 10 s (2 cores).
MAX_BYTES = 32 * 1024 * 1024
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class Unreadable(Exception):
    """The file cannot be read as JSON; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_json(path: Path) -> tuple[Any, list[Diagnostic]]:
    """The parsed JSON and notes about harmless oddities (a byte order mark)."""
    name = str(path)
    raw = _read_bytes(path)
    notes: list[Diagnostic] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notes.append(Diagnostic(name, "warning: the file starts with a UTF-8 byte order mark, "
                                   "which GTM never writes", severity=Severity.WARNING))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position_in_bytes(raw, exc.start)
        raise Unreadable(Problem(name, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                       "GTM exports are UTF-8", line, col)) from None
    if not text.strip():
        raise Unreadable(Problem(name, "the file is empty"))
    try:
        return json.loads(text, parse_constant=_no_constant), notes
    except json.JSONDecodeError as exc:
        ended = "; the file ends here (cut off?)" if exc.pos >= len(text.rstrip()) else ""
        raise Unreadable(Problem(name, f"not valid JSON: {exc.msg}{ended}", exc.lineno,
                                 exc.colno)) from None
    except ValueError as exc:  # from _no_constant
        raise Unreadable(Problem(name, f"not valid JSON: {exc}")) from None
    except RecursionError:
        where = _too_deep_at(text)
        raise Unreadable(Problem(name, f"nested more than {MAX_DEPTH} levels deep; real "
                                       "container exports nest about a dozen levels",
                                 *where)) from None


def _read_bytes(path: Path) -> bytes:
    name = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable(Problem(name, "is a folder, not a file"))
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(Problem(name, "is not a regular file"))
        if info.st_size > MAX_BYTES:
            raise Unreadable(Problem(name, _too_big(info.st_size)))
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise Unreadable(Problem(name, "no such file")) from None
    except OSError as exc:
        reason = exc.strerror or os.strerror(exc.errno or 0) or type(exc).__name__
        raise Unreadable(Problem(name, f"cannot read the file: {reason}")) from None
    if len(raw) > MAX_BYTES:
        raise Unreadable(Problem(name, _too_big(len(raw))))
    return raw


def _too_big(size: int) -> str:
    return (f"the file is {size / 1024 / 1024:.1f} MB; gtmgen reads container exports up to "
            f"{MAX_BYTES // 1024 // 1024} MB (real ones are well under 1 MB)")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _position_in_bytes(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _too_deep_at(text: str) -> tuple[int | None, int | None]:
    """Line and column where nesting first passes MAX_DEPTH (strings skipped)."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                offset = match.start()
                line_start = text.rfind("\n", 0, offset) + 1
                return text.count("\n", 0, offset) + 1, offset - line_start + 1
        elif token in "]}":
            depth -= 1
    return None, None
