"""The one way gtmgen reads a file: bounded, never hanging, and with one JSON policy.

Every command that reads a file (validate, diff, textconv, audit, simulate's --web,
--server and --pushes, build --check, the spec loader) goes through here, so that a file
is refused in the same words, with exit 2, whichever command reads it:

- **Files.** Only regular files (a symlink is followed, then checked). A FIFO, a device,
  a socket or a folder is refused before anything is read: the file is checked with
  ``stat``, opened non-blocking and checked again, so a FIFO never hangs. At most
  ``limit + 1`` bytes are ever read (``MAX_EXPORT_BYTES`` for JSON files).
- **Text.** UTF-8. A UTF-8 byte order mark is accepted and reported as a warning (GTM
  never writes one); any other invalid byte is refused with its line and column.
- **JSON** (the standard grammar, nothing more): ``NaN``, ``Infinity``, numbers that
  overflow a double (``1e400``), integers that do not fit in a double, duplicate keys in
  one object, lone UTF-16 surrogates (``"\\ud800"``) and nesting deeper than
  ``MAX_DEPTH`` are refused with ``FILE:LINE:COL: …``. No Python limit is ever reached
  (the 4,300-digit integer limit, the recursion limit).

See docs/limits.md for the table of every limit.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmgen.errors import InputError, Problem
from gtmgen.gtm.format import COLLECTIONS

# The largest real export we know is 0.7 MB (54-file corpus); GTM refuses to publish web
# containers above 200 KB. gtmgen's own 1,000-event stress export is 9.5 MB (4-space
# layout). Up to this cap a file is checked in a few seconds, in about five times its size
# of memory. `gtmgen build` refuses a spec whose exports would be larger.
MAX_EXPORT_BYTES = 32 * 1024 * 1024
# Real exports nest 11 levels at most (54-file corpus); a scalar counts as one level,
# each object or list around it as one more (``{"a": 1}`` is 2 deep).
MAX_DEPTH = 64
# A JSON number must fit in an IEEE double, as in JavaScript (and GTM): 1.8e308.
BOM = b"\xef\xbb\xbf"
BOM_WARNING = "warning: the file starts with a UTF-8 byte order mark, which GTM never writes"


class UnreadableFile(InputError):
    """The file was refused (exit 2); ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__([problem])

    @property
    def problem(self) -> Problem:
        return self.problems[0]


@dataclass
class Loaded:
    """A file's JSON value, and warnings about harmless oddities (a byte order mark)."""

    data: Any
    notes: list[Problem] = field(default_factory=list)


# --- bytes -----------------------------------------------------------------------------


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is not a regular file (a FIFO); gtmgen reads regular files only"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is not a regular file (a device); gtmgen reads regular files only"
    if stat.S_ISSOCK(mode):
        return "is not a regular file (a socket); gtmgen reads regular files only"
    return "is not a regular file; gtmgen reads regular files only"


def cap_text(limit: int) -> str:
    """``32 MB`` (a limit of whole MB), else ``100 bytes``."""
    return f"{limit // 1024 // 1024} MB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"


def too_big(size: int, limit: int, *, what: str = "container exports") -> str:
    return f"the file is {size / 1024 / 1024:.1f} MB; gtmgen reads {what} up to {cap_text(limit)}"


def read_bytes(
    path: Path | str, *, limit: int | None = None, what: str = "container exports"
) -> bytes:
    """The file's bytes, at most ``limit`` (default ``MAX_EXPORT_BYTES``);
    ``UnreadableFile`` for anything else."""
    name = str(path)
    if limit is None:
        limit = MAX_EXPORT_BYTES
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind:
            raise UnreadableFile(Problem(name, kind))
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        flags |= getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        try:
            info = os.fstat(fd)  # the file opened, whatever replaced the path meanwhile
            kind = _kind(info.st_mode)
            if kind:
                raise UnreadableFile(Problem(name, kind))
            if info.st_size > limit:
                raise UnreadableFile(Problem(name, too_big(info.st_size, limit, what=what)))
            chunks: list[bytes] = []
            size = 0
            while size <= limit:  # a file may grow after fstat: never read past limit + 1
                chunk = os.read(fd, min(limit + 1 - size, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise UnreadableFile(Problem(name, "no such file")) from None
    except NotADirectoryError:
        raise UnreadableFile(Problem(name, "no such file (a parent is not a folder)")) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UnreadableFile(Problem(name, f"cannot read the file: {reason}")) from None
    except ValueError as exc:  # an embedded NUL in the path
        raise UnreadableFile(Problem(name, f"cannot read the file: {exc}")) from None
    if size > limit:
        raise UnreadableFile(Problem(name, too_big(size, limit, what=what)))
    return b"".join(chunks)


# --- text ------------------------------------------------------------------------------


def decode(
    raw: bytes, *, file: str, hint: str = "GTM exports are UTF-8"
) -> tuple[str, list[Problem]]:
    """UTF-8 text and its notes (a byte order mark is dropped, with a warning)."""
    notes: list[Problem] = []
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
        notes.append(Problem(file, BOM_WARNING))
    try:
        return raw.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        line, col = _position_in_bytes(raw, exc.start)
        raise UnreadableFile(
            Problem(file, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); {hint}", line, col)
        ) from None


def read_text(
    path: Path | str, *, limit: int | None = None, what: str = "container exports"
) -> tuple[str, list[Problem]]:
    return decode(read_bytes(path, limit=limit, what=what), file=str(path))


# --- JSON ------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = detail


def _constant(name: str) -> Any:
    raise _Refused("constant", name)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("number", text)
    return value


def _int(text: str) -> int:
    # 310 digits already overflow a double; checked before int() so that Python's own
    # 4,300-digit limit is never reached
    if len(text) > 310:
        raise _Refused("number", text)
    value = int(text)
    if len(text) > 300:
        try:
            float(value)
        except OverflowError:
            raise _Refused("number", text) from None
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused("duplicate")
    return result


_MESSAGES = {
    "constant": "not valid JSON: {detail} is not a JSON value",
    "number": "the number {detail} does not fit in a double (about ±1.8e308), as JSON "
    "numbers must in JavaScript and GTM",
    "duplicate": "duplicate key {detail} in one object (JSON readers disagree on which value wins)",
    "surrogate": "the string holds {detail}, half of a UTF-16 surrogate pair, which is not "
    "a character",
    "depth": f"nested more than {MAX_DEPTH} levels deep; real container exports nest about "
    "a dozen levels",
}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json(text: str, *, file: str) -> Any:
    """The JSON value of ``text`` under gtmgen's policy, or ``UnreadableFile`` (located)."""
    if not text.strip():
        raise UnreadableFile(Problem(file, "the file is empty"))
    try:
        data = json.loads(
            text,
            parse_constant=_constant,
            parse_float=_float,
            parse_int=_int,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        ended = "; the file ends here (cut off?)" if exc.pos >= len(text.rstrip()) else ""
        raise UnreadableFile(
            Problem(file, f"not valid JSON: {exc.msg}{ended}", exc.lineno, exc.colno)
        ) from None
    except _Refused as exc:
        raise _located(text, file, exc.kind) from None
    except RecursionError:
        raise _located(text, file, "depth") from None
    except ValueError as exc:  # not expected: every value is checked above
        raise UnreadableFile(Problem(file, f"not valid JSON: {exc}")) from None
    if depth_of(data) > MAX_DEPTH:
        raise _located(text, file, "depth")
    if _SURROGATE_ESCAPE.search(text) and _has_surrogate(data):
        raise _located(text, file, "surrogate")
    return data


def read_json(path: Path | str, *, limit: int | None = None) -> Loaded:
    """A JSON file's value under the policy above, with its notes (a byte order mark)."""
    text, notes = read_text(path, limit=limit)
    return Loaded(parse_json(text, file=str(path)), notes)


def depth_of(data: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of ``data`` (stops counting past ``limit``), without recursion.

    A scalar is 1 deep, ``{"a": 1}`` 2. One level at a time: the values of a level are
    gathered by C code (``extend``), and only lists and objects go on to the next.
    """
    level, depth = [data], 1
    while True:
        below: list[Any] = []
        for value in level:
            if isinstance(value, dict):
                below.extend(value.values())
            elif isinstance(value, list):
                below.extend(value)
        if not below:
            return depth
        depth += 1
        if depth > limit:
            return depth
        level = [v for v in below if isinstance(v, (dict, list))]


def _has_surrogate(data: Any) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


# --- locating a refusal ------------------------------------------------------------------
# json.loads says what is wrong but, for the policy's refusals, not where: this linear
# scanner (run only after a refusal, on text json.loads has read up to that point) finds
# the first place of the given kind.

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.DOTALL)


def _located(text: str, file: str, kind: str) -> UnreadableFile:
    found = _find(text, kind)
    if found is None:
        return UnreadableFile(Problem(file, _MESSAGES[kind].format(detail="a value")))
    offset, detail = found
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return UnreadableFile(Problem(file, _MESSAGES[kind].format(detail=detail), line, col))


def _find(text: str, kind: str) -> tuple[int, str] | None:
    # one frame per open object or list: (keys seen or None for a list, expecting a key)
    stack: list[list[Any]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        frame = stack[-1] if stack else None
        is_key = frame is not None and frame[0] is not None and frame[1]
        if token in ("{", "["):
            if kind == "depth" and len(stack) + 1 > MAX_DEPTH:
                return match.start(), token
            stack.append([set() if token == "{" else None, token == "{"])
        elif token in ("}", "]"):
            if stack:
                stack.pop()
        elif token == ",":
            if frame is not None and frame[0] is not None:
                frame[1] = True
        elif token == ":":
            if frame is not None:
                frame[1] = False
        elif token.startswith('"'):
            if kind == "surrogate" and _SURROGATE_ESCAPE.search(token):
                bad = _SURROGATE.search(_string(token))
                if bad:
                    return match.start(), f"U+{ord(bad.group()):04X}"
            if is_key and frame is not None:
                key = _string(token)
                if kind == "duplicate" and key in frame[0]:
                    return match.start(), _quote(key)
                frame[0].add(key)
            elif kind == "depth" and len(stack) + 1 > MAX_DEPTH:
                return match.start(), token
        else:  # a number or a literal
            if kind == "depth" and len(stack) + 1 > MAX_DEPTH:
                return match.start(), token
            if kind == "constant" and token in ("NaN", "Infinity", "-Infinity"):
                return match.start(), token
            if kind == "number" and token[:1] in "-0123456789" and _refused_number(token):
                return match.start(), _short(token)
    return None


def _string(token: str) -> str:
    try:
        value = json.loads(token)
    except ValueError:
        return token
    return value if isinstance(value, str) else token


def _refused_number(token: str) -> bool:
    try:
        if any(c in token for c in ".eE"):
            _float(token)
        else:
            _int(token)
    except (_Refused, ValueError):
        return True
    return False


def _short(token: str) -> str:
    return token if len(token) <= 24 else f"{token[:10]}…{token[-6:]} ({len(token)} characters)"


def _quote(key: str) -> str:
    from gtmgen.display import quote

    return quote(key if len(key) <= 60 else key[:57] + "...")


def _position_in_bytes(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


# --- what an export is -----------------------------------------------------------------


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def export_shape_issues(data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Why ``data`` is not a GTM container export at all: [] when it is one.

    An export is a JSON object with a ``containerVersion`` object, whose ``container`` (if
    any) is an object and whose entity collections (if any) are lists of objects. Every
    command refuses anything else with exit 2 (validate then checks the rest).
    Each issue is (path in the data, text).
    """
    if not isinstance(data, dict):
        return [
            (
                (),
                f"the file holds {json_type(data)}, not a GTM container export "
                "(a JSON object with exportFormatVersion and containerVersion)",
            )
        ]
    version = data.get("containerVersion")
    if not isinstance(version, dict):
        found = "missing" if "containerVersion" not in data else f"{json_type(version)}"
        return [
            (
                ("containerVersion",),
                f"is {found}; a container export keeps everything in this object",
            )
        ]
    issues: list[tuple[tuple[str | int, ...], str]] = []
    container = version.get("container")
    if "container" in version and not isinstance(container, dict):
        issues.append(
            (("containerVersion", "container"), f"is {json_type(container)}, not an object")
        )
    for key in COLLECTIONS:
        if key not in version:
            continue
        items = version[key]
        if not isinstance(items, list):
            hint = "; GTM omits empty collections" if items is None else ""
            issues.append((("containerVersion", key), f"is {json_type(items)}, not a list{hint}"))
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                issues.append(
                    (("containerVersion", key, index), f"is {json_type(item)}, not an object")
                )
    return issues


def require_export(data: Any, *, file: str) -> dict[str, Any]:
    """``data`` when it is a container export; else ``InputError`` (exit 2) with the
    lines ``gtmgen validate`` prints for it, in every command."""
    issues = export_shape_issues(data)
    if issues:
        raise InputError(
            [
                Problem(file, f"{_path_text(path)}: {text}" if path else text)
                for path, text in issues
            ]
        )
    assert isinstance(data, dict)
    return data


def _path_text(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


def read_export(path: Path | str) -> Loaded:
    """An export file (read under the JSON policy, then checked to be an export)."""
    loaded = read_json(path)
    require_export(loaded.data, file=str(path))
    return loaded
