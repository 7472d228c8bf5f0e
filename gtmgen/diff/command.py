"""What ``gtmgen diff`` and ``gtmgen textconv`` do, apart from option parsing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from gtmgen.diff import report
from gtmgen.diff.compare import diff_exports
from gtmgen.diff.normalize import normalise, read_export
from gtmgen.diff.render import textconv
from gtmgen.display import escape_lines
from gtmgen.errors import ExitCode, GtmgenError
from gtmgen.gtm import reader

FORMATS = ("text", "json", "markdown")


def run_diff(old_path: Path, new_path: Path, *, fmt: str = "text",
             colour: bool | None = None) -> ExitCode:
    """Print the report; OK when equal, DIFFERENT when not. Raises GtmgenError (exit 2)."""
    old, new = read_export(old_path), read_export(new_path)
    for warning in (*old.warnings, *new.warnings):
        print(escape_lines(f"warning: {warning}"), file=sys.stderr)
    changes = diff_exports(old, new)
    names = {"old": str(old_path), "new": str(new_path)}
    if fmt == "json":
        output = report.as_json(changes, **names)
    elif fmt == "markdown":
        output = report.markdown(changes, **names)
    else:
        if colour is None:
            colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        output = report.text(changes, colour=colour, **names)
    emit(output)
    return ExitCode.DIFFERENT if changes else ExitCode.OK


def run_textconv(path: Path) -> ExitCode:
    """Print the normalised text of one export, for git's ``diff.<driver>.textconv``.

    A file that is not an export (a half-resolved merge, a stray JSON file matched by a
    .gitattributes pattern) is printed as it is, with a warning on stderr, so that
    ``git diff`` still works; an unreadable file is an error (exit 2).
    """
    raw = reader.read_bytes(path)  # refused (exit 2): not a regular file, over the cap
    try:
        text, notes = reader.decode(raw, file=str(path))
        export = normalise(reader.parse_json(text, file=str(path)), file=str(path))
    except GtmgenError as exc:
        for problem in exc.problems:
            print(escape_lines(f"warning: {problem} (shown as it is)"), file=sys.stderr)
        emit(raw)
        return ExitCode.OK
    for note in notes:
        print(escape_lines(f"warning: {note.file}: {note.message.removeprefix('warning: ')}"),
              file=sys.stderr)
    emit(textconv(export))
    return ExitCode.OK


def emit(text: str | bytes) -> None:
    """Write text as UTF-8 (or bytes as they are) to stdout whatever its encoding; a closed
    pipe (``| head``) is quiet."""
    try:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            sys.stdout.flush()
            buffer.write(text.encode("utf-8") if isinstance(text, str) else text)
            buffer.flush()
        else:
            sys.stdout.write(text if isinstance(text, str) else text.decode("utf-8", "replace"))
            sys.stdout.flush()
    except BrokenPipeError:
        # https://docs.python.org/3/library/signal.html#note-on-sigpipe
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
