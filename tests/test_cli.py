"""Command-line options common to every command."""

from __future__ import annotations


def test_version_option() -> None:
    from typer.testing import CliRunner

    from gtmgen import __version__
    from gtmgen.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"gtmgen {__version__}"
