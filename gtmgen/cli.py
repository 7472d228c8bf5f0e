"""The command line: parse options, call the library, print diagnostics, pick the exit code.

Heavy libraries are imported inside the commands so that ``gtmgen --help`` stays fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from gtmgen.errors import ExitCode, GtmgenError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: typer's rich formatting imports rich (about 60 ms, a
    # third of `gtmgen --help`), and pre-commit and CI logs gain nothing from boxes.
    rich_markup_mode=None,
    help="Render a YAML spec of events into importable GTM web and server container "
    "exports whose TikTok Pixel and Events API tags share one event_id.",
)


def _fail(exc: GtmgenError) -> typer.Exit:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    return typer.Exit(int(exc.exit_code))


@app.command()
def build(
    spec: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional at runtime on 3.10)
        typer.Argument(help="The spec file. Without it, the bundled example is built."),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the exports to.")
    ] = Path("output"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the files on disk differ.")
    ] = False,
) -> None:
    """Build DIR/<spec stem>.web.json and DIR/<spec stem>.server.json from SPEC."""
    from gtmgen import pipeline

    try:
        outcome = pipeline.build_files(spec, output, check=check)
    except GtmgenError as exc:
        raise _fail(exc) from None
    for line in outcome.messages:
        print(line, file=sys.stderr)
    raise typer.Exit(int(outcome.exit_code))


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="GTM container export files.")],
) -> None:
    """Check GTM container exports (ours or anyone's) against the export format and GTM's
    import rules."""
    from gtmgen.validate import validate_paths

    code = ExitCode.OK
    for report in validate_paths(files):
        for line in report.lines():
            print(line, file=sys.stderr if not report.ok else sys.stdout)
        code = max(code, report.exit_code)
    raise typer.Exit(int(code))


@app.command()
def schema() -> None:
    """Print the spec's JSON Schema (for editors using yaml-language-server)."""
    from gtmgen.spec.schema import spec_json_schema

    print(spec_json_schema())


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The older GTM container export.")],
    new: Annotated[Path, typer.Argument(help="The newer GTM container export.")],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, json or markdown (for a PR).")
    ] = DiffFormat.text,
    color: Annotated[
        Optional[bool],  # noqa: UP045 (typer needs Optional at runtime on 3.10)
        typer.Option("--color/--no-color",
                     help="Colour the text report (default: when stdout is a terminal)."),
    ] = None,
) -> None:
    """Compare two GTM container exports by entity kind and name, ignoring IDs,
    fingerprints and export time. Exit 0 when equal, 1 when different, 2 on bad input."""
    from gtmgen.diff.command import run_diff

    try:
        code = run_diff(old, new, fmt=fmt.value, colour=color)
    except GtmgenError as exc:
        raise _fail(exc) from None
    raise typer.Exit(int(code))


@app.command()
def textconv(
    file: Annotated[Path, typer.Argument(help="A GTM container export.")],
) -> None:
    """Print a normalised, stable text of one export (for git's diff.<driver>.textconv)."""
    from gtmgen.diff.command import run_textconv

    try:
        code = run_textconv(file)
    except GtmgenError as exc:
        raise _fail(exc) from None
    raise typer.Exit(int(code))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
