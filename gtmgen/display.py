"""Text for a terminal: the one escaping function of every human-readable output.

Names, values and messages in a report may come from someone else's export or push.
``escape`` backslash-escapes every character that could move the cursor, recolour,
retitle or reorder the terminal: C0 and C1 controls (ESC and CSI included), format
characters (U+202E and the other bidi controls, zero-width characters), line and paragraph
separators, surrogates, private-use and unassigned code points. Tab is kept.

It takes text and returns text, so it composes with anything applied before it (a mask
over secret values, say): ``escape(mask(value))``.
"""

from __future__ import annotations

import unicodedata

_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def escape(
    text: str, *, backslash: bool = True, newline: bool = False, json_safe: bool = False
) -> str:
    """Backslash-escape every control, format or line-separator character but tab (and
    backslashes unless told otherwise; newlines too unless ``newline`` keeps them).

    ``json_safe`` writes characters beyond U+FFFF as a JSON surrogate pair
    (``\\udb40\\udc01``) instead of ``\\U000e0001``, so that escaping JSON text keeps it
    JSON meaning the same (use with ``backslash=False`` on the output of json.dumps).
    """
    if text.isascii() and text.isprintable() and (backslash is False or "\\" not in text):
        return text  # the common case, without a pass per character
    out = []
    for char in text:
        if char == "\\" and backslash:
            out.append("\\\\")
        elif char == "\t" or (char == "\n" and newline):
            out.append(char)
        elif unicodedata.category(char) in _HIDDEN:
            out.append(_escaped(ord(char), json_safe))
        else:
            out.append(char)
    return "".join(out)


def _escaped(code: int, json_safe: bool) -> str:
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    if json_safe:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\U{code:08x}"


def escape_json(text: str) -> str:
    """``escape`` for the output of ``json.dumps(..., ensure_ascii=False)``: the result is
    JSON of the same value, with nothing left that a terminal acts on."""
    return escape(text, backslash=False, json_safe=True)


def quote(text: str) -> str:
    """``'text'`` with quotes, backslashes and invisible characters escaped."""
    return "'" + escape(text).replace("'", "\\'") + "'"


def escape_lines(text: str) -> str:
    """``escape`` for a multi-line block: its line breaks are kept, nothing else is."""
    return escape(text, backslash=False, newline=True)
