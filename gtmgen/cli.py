"""The command line: parse options, call the library, print diagnostics, pick the exit code.

Heavy libraries are imported inside the commands so that ``gtmgen --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional, TextIO

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


def _safe_streams() -> None:
    """Never a UnicodeEncodeError on a console or a redirect that is not UTF-8 (cp1252,
    latin-1, ascii): a character the stream cannot encode is written as a backslash
    escape (``\\u2026``) instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if reconfigure is not None and encoding not in ("utf-8", "utf8"):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change
                reconfigure(errors="backslashreplace")


def _show_version(value: bool) -> None:
    if value:
        from gtmgen import __version__

        print(f"gtmgen {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True,
                     help="Show gtmgen's version and exit."),
    ] = False,
) -> None:
    """Render a YAML spec of events into importable GTM web and server container exports
    whose TikTok Pixel and Events API tags share one event_id."""
    _safe_streams()


def _say(line: str, stream: TextIO) -> None:
    """Print one line of a report or a message: whatever it quotes from a file (names,
    values, file names) goes through the one escaping function, gtmgen.display.escape."""
    from gtmgen.display import escape_lines

    print(escape_lines(line), file=stream)


def _fail(exc: GtmgenError) -> typer.Exit:
    for problem in exc.problems:
        _say(str(problem), sys.stderr)
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
    import gc

    # A short-lived process that builds many small dicts and leaves no cyclic garbage
    # worth collecting: the collector's passes over them took ~10 % of a 1,000-event build
    # (and ~5 % of the bundled example's, importing the pipeline).
    gc.disable()
    from gtmgen.generate import pipeline

    try:
        outcome = pipeline.build_files(spec, output, check=check)
    except GtmgenError as exc:
        raise _fail(exc) from None
    for line in outcome.messages:
        _say(line, sys.stderr)
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
            _say(line, sys.stderr if not report.ok else sys.stdout)
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


@app.command()
def simulate(
    spec: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional at runtime on 3.10)
        typer.Argument(help="The spec to build and simulate (default: the bundled example)."),
    ] = None,
    web: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--web", help="A web container export (with --server, instead of SPEC)."),
    ] = None,
    server: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--server", help="The server container export that goes with --web."),
    ] = None,
    push: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--push", help="A dataLayer push as JSON (repeatable, in order)."),
    ] = None,
    pushes: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--pushes", help="A JSON file holding an array of dataLayer pushes."),
    ] = None,
    page_url: Annotated[str, typer.Option("--page-url", help="The page's URL.")] = (
        "https://shop.example/checkout"),
    referrer: Annotated[str, typer.Option("--referrer", help="The page's referrer.")] = "",
    user_agent: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--user-agent", help="The browser's user agent.")] = None,
    ip: Annotated[str, typer.Option("--ip", help="The visitor's IP address.")] = "203.0.113.7",
    cookie: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--cookie", help="A first-party cookie NAME=VALUE (e.g. _ttp=...)."),
    ] = None,
    response: Annotated[str, typer.Option(
        "--response", help="The Events API's answer (body).")] = '{"code": 0, "message": "OK"}',
    status: Annotated[int, typer.Option("--status", help="The Events API's HTTP status.")] = 200,
    access_token: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--access-token", help="Use this TikTok access token in the server tags.")] = None,
    seed: Annotated[Optional[int], typer.Option(  # noqa: UP045
        "--seed", help="Seed Math.random and random IDs (reproducible output).")] = None,
    now: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--now", help="Start the clock here (epoch ms or ISO 8601) instead of now.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per push.")] = False,
    logs: Annotated[bool, typer.Option("--logs", help="Show the templates' console logs.")
                    ] = False,
    consent: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--consent", help="Consent Mode state of the page, e.g. "
        "ad_storage=denied,ad_user_data=denied (types not named are granted). Without it "
        "the page does not use Consent Mode.")] = None,
    hop_user_data: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--hop-user-data", help="How the GA4 hop carries user data: email_address "
        "(Google's documented keys, default), email (short keys), array (short keys, "
        "arrays) or sha256 (hashed by the page).")] = None,
    time_budget: Annotated[float, typer.Option(
        "--time-budget", min=0.1, help="Seconds for the whole simulation; the pushes left "
        "when it runs out are reported as not simulated (docs/simulate-limits.md).")] = 120.0,
    push_budget: Annotated[float, typer.Option(
        "--push-budget", min=0.1, help="Seconds for one push; a push that runs out is "
        "stopped and reported.")] = 10.0,
) -> None:
    """Run dataLayer pushes through the web and server containers; show each TikTok Pixel
    call beside its Events API request and whether they deduplicate. Exit 0 when every
    push deduplicates, 1 otherwise, 2 on invalid input."""
    from gtmgen.simulate.command import Request, run
    from gtmgen.simulate.runner import DEFAULT_UA, Options

    request = Request(spec, web, server, list(push or []), pushes, list(cookie or []), now,
                      as_json, consent, hop_user_data)
    options = Options(page_url=page_url, referrer=referrer, user_agent=user_agent or DEFAULT_UA,
                      ip=ip, status=status, response=response, access_token=access_token,
                      seed=seed, debug=logs, push_seconds=push_budget,
                      total_seconds=time_budget)
    try:
        code = run(request, options)
    except GtmgenError as exc:
        raise _fail(exc) from None
    raise typer.Exit(int(code))


@app.command()
def audit(
    files: Annotated[list[Path], typer.Argument(help="GTM container exports (web, server, "
                                                     "or one of each to check as a pair).")],
) -> None:
    """Find TikTok deduplication faults in any export: missing or unstable event IDs,
    event names that differ between web and server, tokens in a web container, TikTok
    tags built as Custom HTML. Exit 1 when something is found, 0 when clean, 2 on
    invalid input."""
    from gtmgen.audit import audit_paths

    try:
        report = audit_paths(files)
    except GtmgenError as exc:
        raise _fail(exc) from None
    for line in report.lines():
        _say(line, sys.stdout)
    raise typer.Exit(int(report.exit_code))


class PlanMode(str, Enum):
    merge_overwrite = "merge-overwrite"
    merge_rename = "merge-rename"
    overwrite = "overwrite"


@app.command()
def plan(
    target: Annotated[Path, typer.Argument(help="The container as it is now (Admin > "
                                                "Export Container).")],
    new: Annotated[Path, typer.Argument(help="The export to import (gtmgen's).")],
    mode: Annotated[PlanMode, typer.Option(
        "--mode", help="GTM's import option: merge-overwrite (the update path), "
                       "merge-rename or overwrite.")] = PlanMode.merge_overwrite,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, json or markdown (for a PR).")
    ] = DiffFormat.text,
    write_merged: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional at runtime on 3.10)
        typer.Option("--write-merged", help="Write the container as GTM would hold it "
                                            "after the import."),
    ] = None,
) -> None:
    """Preview importing NEW into TARGET: what GTM's confirmation will list, entity by
    entity, and what goes wrong afterwards (their entities overwritten or deleted, events
    their tags already send, broken references, size). Exit 0 when safe, 1 when not, 2 on
    invalid input."""
    from gtmgen.plan import run_plan

    try:
        outcome = run_plan(target, new, mode=mode.value, fmt=fmt.value,
                           write_merged=write_merged)
    except GtmgenError as exc:
        raise _fail(exc) from None
    for line in outcome.lines:
        print(line)
    raise typer.Exit(int(outcome.exit_code))


def main() -> None:
    _safe_streams()
    app()


if __name__ == "__main__":
    main()
