"""What ``gtmgen diff`` and ``gtmgen textconv`` do, apart from option parsing."""

from __future__ import annotations

from pathlib import Path

from gtmgen.diff import report
from gtmgen.diff.compare import diff_exports
from gtmgen.diff.normalize import normalise, read_export
from gtmgen.diff.render import textconv
from gtmgen.errors import ExitCode, GtmgenError, Result
from gtmgen.gtm import reader

FORMATS = ("text", "json", "markdown")


def run_diff(old_path: Path, new_path: Path, *, fmt: str = "text", colour: bool = False) -> Result:
    """The report as the payload; exit 0 when equal, 1 when not. Raises GtmgenError (exit
    2) on bad input."""
    result = Result()
    old, new = read_export(old_path), read_export(new_path)
    result.err(*(f"warning: {warning}" for warning in (*old.warnings, *new.warnings)))
    changes = diff_exports(old, new)
    names = {"old": str(old_path), "new": str(new_path)}
    if fmt == "json":
        result.payload = report.as_json(changes, **names)
    elif fmt == "markdown":
        result.payload = report.markdown(changes, **names)
    else:
        result.payload = report.text(changes, colour=colour, **names)
    result.exit_code = ExitCode.DIFFERENT if changes else ExitCode.OK
    return result


def run_textconv(path: Path) -> Result:
    """The normalised text of one export, for git's ``diff.<driver>.textconv``.

    A file that is not an export (a half-resolved merge, a stray JSON file matched by a
    .gitattributes pattern) is given back as it is, with a warning, so that ``git diff``
    still works; an unreadable file is an error (exit 2).
    """
    result = Result()
    raw = reader.read_bytes(path)  # refused (exit 2): not a regular file, over the cap
    try:
        text, notes = reader.decode(raw, file=str(path))
        export = normalise(reader.parse_json(text, file=str(path)), file=str(path))
    except GtmgenError as exc:
        result.err(*(f"warning: {problem} (shown as it is)" for problem in exc.problems))
        result.payload = raw
        return result
    result.err(
        *(f"warning: {note.file}: {note.message.removeprefix('warning: ')}" for note in notes)
    )
    result.payload = textconv(export)
    return result
