"""Just enough JavaScript scanning to read the arguments of ``ttq.track(...)`` and
``fbq(...)`` calls in Custom HTML (strings, comments and nesting respected)."""

from __future__ import annotations

import re
from dataclasses import dataclass

TTQ_TRACK = re.compile(r"\bttq\s*(?:\.\s*instance\s*\([^()]*\)\s*)?\.\s*track\s*\(")
TTQ_PAGE = re.compile(r"\bttq\s*\.\s*page\s*\(")
FBQ = re.compile(r"\bfbq\s*\(")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_QUOTES = "'\"`"


@dataclass(frozen=True)
class Call:
    start: int
    args: tuple[str, ...]


class Scanner:
    """Finds where each call's arguments end, in time linear in the text.

    The rules are those of a scan that starts just after the call's ``(`` knowing nothing
    of what came before: quotes (``'``, ``"``, backquote) hold text up to the same quote
    (a backslash escapes the next character); ``(``, ``[`` and ``{`` open a group that
    only its own closer ends (any other closer inside it is ignored); at the call's own
    level a comma separates arguments and ``)`` ends the call. A call never closed (nor
    any group or string inside it) has no arguments to read.

    Scanning each call on its own from its ``(`` cost, for n calls that are never closed,
    n scans to the end of the text: 87 KB of ``ttq.track(`` took 27 s. Here every group's
    end and every string's end is found once and remembered, so a later scan that
    reaches the same opener or quote jumps over it. ``steps`` counts characters visited.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.steps = 0
        self._group_end: dict[tuple[int, str], int] = {}  # (after the opener, closer) -> end
        self._string_end: dict[tuple[int, str], int] = {}  # (position, quote) -> after it

    def split_args(self, start: int) -> tuple[str, ...] | None:
        """The top-level arguments of the call whose ``(`` ends just before ``start``."""
        end = self._end(start, ")")
        if end < 0:
            return None
        text, args, current, i = self.text, [], start, start
        while i < end:  # the call's own level: every group and string is known now
            self.steps += 1
            ch = text[i]
            if ch in _QUOTES:
                i = self._string(i + 1, ch)
                continue
            if ch in _OPEN:
                i = self._group_end[(i + 1, _OPEN[ch])] + 1
                continue
            if ch == ",":
                args.append(text[current:i].strip())
                current = i + 1
            i += 1
        args.append(text[current:end].strip())
        return tuple(a for a in args if a) if args != [""] else ()

    def _string(self, start: int, quote: str) -> int:
        """The position just after the quote that ends a string whose text starts at
        ``start``, or -1 when the text ends first."""
        text, n = self.text, len(self.text)
        memo = self._string_end
        visited: list[int] = []
        i, found = start, -1
        while i < n:
            known = memo.get((i, quote))
            if known is not None:
                found = known
                break
            visited.append(i)
            self.steps += 1
            ch = text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                found = i + 1
                break
            i += 1
        for position in visited:
            memo[(position, quote)] = found
        return found if found >= 0 else n + 1

    def _end(self, start: int, closer: str) -> int:
        """The position of ``closer`` that ends the group whose text starts at ``start``,
        or -1 when the text ends first. Without recursion: nesting has no limit."""
        text, n = self.text, len(self.text)
        memo = self._group_end
        frames: list[tuple[int, str]] = [(start, closer)]
        i = start
        while True:
            key = frames[-1]
            found = -1
            while i < n:
                self.steps += 1
                ch = text[i]
                if ch in _QUOTES:
                    i = self._string(i + 1, ch)
                    continue
                if ch in _OPEN:
                    inner = (i + 1, _OPEN[ch])
                    known = memo.get(inner)
                    if known is None:
                        frames.append(inner)
                        key = inner
                        i += 1
                        continue
                    if known < 0:
                        break  # an unclosed group: every group around it is unclosed too
                    i = known + 1
                    continue
                if ch == key[1]:
                    found = i
                    break
                i += 1
            memo[key] = found
            frames.pop()
            if found < 0:
                for frame in frames:
                    memo[frame] = -1
                return -1
            if not frames:
                return found
            i = found + 1


def split_args(text: str, start: int) -> tuple[str, ...] | None:
    """The top-level arguments of the call whose ``(`` ends just before ``start``.

    ``text`` holds no comments: callers pass it through ``strip_comments`` first.
    """
    return Scanner(text).split_args(start)


def calls(pattern: re.Pattern[str], text: str) -> list[Call]:
    """The calls ``pattern`` finds in comment-free ``text``, with their arguments."""
    scanner = Scanner(text)
    found = []
    for match in pattern.finditer(text):
        args = scanner.split_args(match.end())
        if args is not None:
            found.append(Call(match.start(), args))
    return found


def string_literal(arg: str) -> str | None:
    match = re.fullmatch(r"""\s*(['"])(.*?)\1\s*""", arg, re.S)
    return match.group(2) if match else None


def object_key(arg: str, keys: tuple[str, ...]) -> str | None:
    """The value text of ``key: value`` in an object literal argument, if present."""
    for key in keys:
        match = re.search(r"""(?:^|[{,\s])['"]?""" + re.escape(key) + r"""['"]?\s*:\s*""", arg)
        if match:
            rest = arg[match.end() :]
            depth, out = 0, []
            for ch in rest:
                if ch in "([{":
                    depth += 1
                elif ch in ")]}":
                    if depth == 0:
                        break
                    depth -= 1
                elif ch == "," and depth == 0:
                    break
                out.append(ch)
            return "".join(out).strip()
    return None


def strip_comments(text: str) -> str:
    """``text`` with JavaScript comments blanked out (strings left alone)."""
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 2
                continue
            if ch == quote or ch == "\n":
                quote = ""
        elif ch in "'\"`":
            quote = ch
            out.append(ch)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            out.append(" ")
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)
