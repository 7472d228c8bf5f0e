"""The command line: one small module per group of commands parses the options and calls
the library, which hands back a Result; gtmgen.cli.output alone prints and exits.

Heavy libraries are imported inside the commands so that ``gtmgen --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from gtmgen.cli import build, inspect, simulate
from gtmgen.cli.output import safe_streams

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: typer's rich formatting imports rich (about 60 ms, a
    # third of `gtmgen --help`), and pre-commit and CI logs gain nothing from boxes.
    rich_markup_mode=None,
    help="Render a YAML spec of events into importable GTM web and server container "
    "exports whose ad platform tags (TikTok, Meta) share one event_id.",
)


def _show_version(value: bool) -> None:
    if value:
        from gtmgen import __version__

        print(f"gtmgen {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Show gtmgen's version and exit.",
        ),
    ] = False,
) -> None:
    """Render a YAML spec of events into importable GTM web and server container exports
    whose ad platform tags (TikTok, Meta) share one event_id."""
    safe_streams()


for command in (
    build.build,
    inspect.validate,
    inspect.schema,
    inspect.diff,
    inspect.textconv,
    simulate.simulate,
    inspect.audit,
    inspect.plan,
):
    app.command()(command)


def main() -> None:
    safe_streams()
    app()


if __name__ == "__main__":
    main()
