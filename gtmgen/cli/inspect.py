"""The commands that read any export: ``validate``, ``audit``, ``diff``, ``textconv``,
``plan``, and ``schema`` (the spec's JSON Schema)."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from gtmgen.cli.output import finish
from gtmgen.errors import Result


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class PlanMode(str, Enum):
    merge_overwrite = "merge-overwrite"
    merge_rename = "merge-rename"
    overwrite = "overwrite"


def validate(
    files: Annotated[list[Path], typer.Argument(help="GTM container export files.")],
) -> None:
    """Check GTM container exports (ours or anyone's) against the export format and GTM's
    import rules."""
    from gtmgen.validate import validate_files

    finish(lambda: validate_files(files))


def audit(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="GTM container exports (web, server, or one of each to check as a pair)."
        ),
    ],
) -> None:
    """Find deduplication faults in any export (TikTok and Meta): missing or unstable
    event IDs, event names or pixels that differ between web and server, tokens in an
    export, platform tags built as Custom HTML. Exit 1 when something is found, 0 when
    clean, 2 on invalid input."""
    from gtmgen.audit import audit_files

    finish(lambda: audit_files(files))


def diff(
    old: Annotated[Path, typer.Argument(help="The older GTM container export.")],
    new: Annotated[Path, typer.Argument(help="The newer GTM container export.")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text, json or markdown (for a PR).")
    ] = Format.text,
    color: Annotated[
        Optional[bool],  # noqa: UP045 (typer needs Optional at runtime on 3.10)
        typer.Option(
            "--color/--no-color",
            help="Colour the text report (default: when stdout is a terminal).",
        ),
    ] = None,
) -> None:
    """Compare two GTM container exports by entity kind and name, ignoring IDs,
    fingerprints and export time. Exit 0 when equal, 1 when different, 2 on bad input."""
    from gtmgen.diff.command import run_diff

    colour = (
        color if color is not None else (sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    )
    finish(lambda: run_diff(old, new, fmt=fmt.value, colour=colour))


def textconv(
    file: Annotated[Path, typer.Argument(help="A GTM container export.")],
) -> None:
    """Print a normalised, stable text of one export (for git's diff.<driver>.textconv)."""
    from gtmgen.diff.command import run_textconv

    finish(lambda: run_textconv(file))


def plan(
    target: Annotated[
        Path, typer.Argument(help="The container as it is now (Admin > Export Container).")
    ],
    new: Annotated[Path, typer.Argument(help="The export to import (gtmgen's).")],
    mode: Annotated[
        PlanMode,
        typer.Option(
            "--mode",
            help="GTM's import option: merge-overwrite (the update path), "
            "merge-rename or overwrite.",
        ),
    ] = PlanMode.merge_overwrite,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text, json or markdown (for a PR).")
    ] = Format.text,
    write_merged: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional at runtime on 3.10)
        typer.Option(
            "--write-merged", help="Write the container as GTM would hold it after the import."
        ),
    ] = None,
) -> None:
    """Preview importing NEW into TARGET: what GTM's confirmation will list, entity by
    entity, and what goes wrong afterwards (their entities overwritten or deleted, events
    their tags already send, broken references, size). Exit 0 when safe, 1 when not, 2 on
    invalid input."""
    from gtmgen.plan import run_plan

    finish(lambda: run_plan(target, new, mode=mode.value, fmt=fmt.value, write_merged=write_merged))


def schema() -> None:
    """Print the spec's JSON Schema (for editors using yaml-language-server)."""
    from gtmgen.spec.schema import spec_json_schema

    finish(lambda: Result(payload=spec_json_schema() + "\n"))
