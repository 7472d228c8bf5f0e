"""One exception hierarchy; the CLI prints these without a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    DIFFERENT = 1  # a difference or a failed check was found
    INVALID = 2  # the input is invalid (spec, file, arguments)


@dataclass(frozen=True)
class Problem:
    """One located message: ``FILE:LINE:COL: message`` (line and column are 1-based)."""

    file: str
    message: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.message}"


class GtmgenError(Exception):
    """An error meant for the user: printed as is, never with a traceback."""

    exit_code: ExitCode = ExitCode.INVALID

    def __init__(self, problems: list[Problem] | str, *, file: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(file=file or "gtmgen", message=problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class SpecError(GtmgenError):
    """The spec file is invalid."""


class InputError(GtmgenError):
    """A file or argument other than the spec is invalid."""


MINI_RACER_MISSING = (
    "{what} needs the JavaScript engine mini-racer, which is not installed "
    "here; install it with: python -m pip install 'mini-racer>=0.12'"
)


def mini_racer(what: str = "gtmgen simulate") -> object:
    """The py_mini_racer module, or a one-line ``GtmgenError`` (exit 2) naming the install
    command: never an ImportError traceback."""
    try:
        import py_mini_racer
    except ImportError:
        raise GtmgenError(MINI_RACER_MISSING.format(what=what)) from None
    return py_mini_racer


@dataclass
class Result:
    """What a command hands back to the command line, which alone prints: the exit code,
    the report and messages in the order they were written, and optionally a payload
    written to stdout as it is (UTF-8 text or bytes, e.g. for git's textconv).

    Library functions return one and never print; the CLI escapes every line for the
    terminal (gtmgen.display) and maps a GtmgenError to exit 2 in one place.
    """

    exit_code: ExitCode = ExitCode.OK
    lines: list[tuple[str, str]] = field(default_factory=list)  # ("out" | "err", line)
    payload: str | bytes | None = None

    def out(self, *lines: str) -> None:
        self.lines += [("out", line) for line in lines]

    def err(self, *lines: str) -> None:
        self.lines += [("err", line) for line in lines]

    @property
    def stdout(self) -> list[str]:
        return [line for stream, line in self.lines if stream == "out"]

    @property
    def stderr(self) -> list[str]:
        return [line for stream, line in self.lines if stream == "err"]
