"""The one place that prints and picks the exit code: every command hands back a Result
(gtmgen.errors), or raises a GtmgenError, which becomes exit 2 with its located messages."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import NoReturn

import typer

from gtmgen.errors import GtmgenError, Result


def safe_streams() -> None:
    """Never a UnicodeEncodeError on a console or a redirect that is not UTF-8 (cp1252,
    latin-1, ascii): a character the stream cannot encode is written as a backslash
    escape (``\\u2026``) instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if reconfigure is not None and encoding not in ("utf-8", "utf8"):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change
                reconfigure(errors="backslashreplace")


def finish(run: Callable[[], Result]) -> NoReturn:
    """Run a command, print what it gives back, exit with its code."""
    try:
        result = run()
    except GtmgenError as exc:
        result = Result(exc.exit_code)
        result.err(*(str(problem) for problem in exc.problems))
    show(result)
    raise typer.Exit(int(result.exit_code))


def show(result: Result) -> None:
    """Each line through the one escaping function (names, values and file names may come
    from someone else's file), then the payload as it is."""
    from gtmgen.display import escape_lines

    for stream, line in result.lines:
        print(escape_lines(line), file=sys.stdout if stream == "out" else sys.stderr)
    if result.payload is not None:
        emit(result.payload)


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
