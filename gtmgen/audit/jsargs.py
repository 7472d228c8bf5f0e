"""Just enough JavaScript scanning to read the arguments of ``ttq.track(...)`` and
``fbq(...)`` calls in Custom HTML (strings, comments and nesting respected)."""

from __future__ import annotations

import re
from dataclasses import dataclass

TTQ_TRACK = re.compile(r"\bttq\s*(?:\.\s*instance\s*\([^()]*\)\s*)?\.\s*track\s*\(")
TTQ_PAGE = re.compile(r"\bttq\s*\.\s*page\s*\(")
FBQ = re.compile(r"\bfbq\s*\(")
_OPEN = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Call:
    start: int
    args: tuple[str, ...]


def split_args(text: str, start: int) -> tuple[str, ...] | None:
    """The top-level arguments of the call whose ``(`` ends just before ``start``.

    ``text`` holds no comments: callers pass it through ``strip_comments`` first.
    """
    args: list[str] = []
    stack: list[str] = []
    quote = ""
    current = start
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif not stack and ch in ",)":
            args.append(text[current:i].strip())
            if ch == ")":
                return tuple(a for a in args if a) if args != [""] else ()
            current = i + 1
        i += 1
    return None


def calls(pattern: re.Pattern[str], text: str) -> list[Call]:
    """The calls ``pattern`` finds in comment-free ``text``, with their arguments."""
    found = []
    for match in pattern.finditer(text):
        args = split_args(text, match.end())
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
            rest = arg[match.end():]
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
