"""The docs. `validate` section shows real output: its examples are run here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from tests import docs


def section() -> str:
    return docs.section("validate")


def sessions() -> list[tuple[list[str], list[str], int]]:
    """(arguments, printed lines) of every `$ gtmgen validate ...` in console blocks."""
    out: list[tuple[list[str], list[str], int]] = []
    for block in re.findall(r"```console\n(.*?)```", section(), re.S):
        for command in re.split(r"^\$ ", block, flags=re.M)[1:]:
            first, *printed = command.rstrip("\n").split("\n")
            out.append((first.split(), printed, len(out)))
    return out


def demo_json() -> str:
    [text] = re.findall(r"```json\n(.*?)```", section(), re.S)
    return str(text)


@pytest.mark.parametrize(("argv", "printed", "number"), sessions())
def test_readme_console_examples(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    printed: list[str],
    number: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["build", "-o", "output"]).exit_code == 0
    (tmp_path / "demo.json").write_text(demo_json(), encoding="utf-8")
    cut = "".join(demo_json().splitlines(keepends=True)[:2])
    (tmp_path / "cut.json").write_text(cut, encoding="utf-8")
    assert argv[0] == "gtmgen"
    result = runner.invoke(app, argv[1:])
    assert (result.stdout + result.stderr).splitlines() == printed, number


def test_readme_has_the_three_examples() -> None:
    assert [argv for argv, _, _ in sessions()] == [
        ["gtmgen", "validate", "output/acme-shop.web.json", "output/acme-shop.server.json"],
        ["gtmgen", "validate", "demo.json"],
        ["gtmgen", "validate", "cut.json"],
    ]
