"""The docs. `simulate` section shows real runs: each pasted output is what the
command prints now (stdout; the placeholder-token note goes to stderr)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from tests.docs import section

pytest.importorskip("py_mini_racer")


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", section("simulate"), re.S)


def _run(command: str) -> tuple[int, str]:
    args = shlex.split(command)
    assert args[0] == "gtmgen"
    result = CliRunner().invoke(app, args[1:])
    return result.exit_code, result.stdout


def test_the_pasted_simulate_run_is_current() -> None:
    command, _rejected = _blocks("sh")
    code, out = _run(command.strip())
    assert code == 0
    assert out.rstrip("\n") == _blocks("text")[0].rstrip("\n")


def test_the_pasted_rejected_run_is_current() -> None:
    _ok, command = _blocks("sh")
    code, out = _run(command.strip())
    assert code == 1
    tail = _blocks("text")[1].rstrip("\n")
    assert out.rstrip("\n").endswith(tail)


def test_the_pasted_audit_of_our_exports_is_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["build", "-o", str(tmp_path)]).exit_code == 0
    block = _blocks("text")[2]
    command, expected = block.split("\n", 1)
    monkeypatch.chdir(tmp_path)
    code, out = _run(command.removeprefix("$ "))
    assert code == 0
    assert out == expected


def test_the_pasted_corpus_audit_is_current(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    block = _blocks("text")[3]
    command, expected = block.split("\n", 1)
    monkeypatch.chdir(corpus_dir)
    code, out = _run(command.removeprefix("$ "))
    assert code == 1
    assert out == expected
