"""Every command that reads a file, fed the shared "any file" set (tests/any_file.py):
validate, diff (text, json, markdown), textconv, audit, simulate --web/--server/--pushes
and build --check with an output file replaced. Refusals are exit 2 with a message naming
the file and no traceback; special files never hang (subprocesses with a timeout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.generate import pipeline
from tests.any_file import CONTENT_LEVEL, FILE_LEVEL, NOT_EXPORTS, bom, pushes_with_bom

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero")
ROOT = Path(__file__).resolve().parents[1]
PUSH = '{"event": "purchase"}'
WEB, SERVER = "acme-shop.web.json", "acme-shop.server.json"


class Pair:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.web = folder / WEB
        self.server = folder / SERVER


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    folder = tmp_path_factory.mktemp("pair")
    pipeline.build_files(None, folder, environ={})
    return Pair(folder)


Argv = Callable[[Path, Pair, Path], list[str]]


def _check(file: Path, pair: Pair, scratch: Path) -> list[str]:
    """build --check of the example with its web export replaced by ``file``."""
    out = scratch / "out"
    shutil.copytree(pair.folder, out, symlinks=True)
    target = out / WEB
    target.unlink()
    if file.is_file() and not file.is_symlink() and file.stat().st_size < 1024 * 1024:
        shutil.copyfile(file, target)  # the content itself
    else:
        target.symlink_to(file)  # the FIFO, device, folder or huge file itself
    return ["build", "--check", "-o", str(out)]


COMMANDS: dict[str, Argv] = {
    "validate": lambda f, p, s: ["validate", str(f)],
    "diff-text": lambda f, p, s: ["diff", str(f), str(p.web)],
    "diff-json": lambda f, p, s: ["diff", "-f", "json", str(p.web), str(f)],
    "diff-markdown": lambda f, p, s: ["diff", "-f", "markdown", str(f), str(p.web)],
    "textconv": lambda f, p, s: ["textconv", str(f)],
    "audit": lambda f, p, s: ["audit", str(f), str(p.server)],
    "simulate-web": lambda f, p, s: [
        "simulate",
        "--web",
        str(f),
        "--server",
        str(p.server),
        "--push",
        PUSH,
    ],
    "simulate-server": lambda f, p, s: [
        "simulate",
        "--web",
        str(p.web),
        "--server",
        str(f),
        "--push",
        PUSH,
    ],
    "simulate-pushes": lambda f, p, s: [
        "simulate",
        "--web",
        str(p.web),
        "--server",
        str(p.server),
        "--pushes",
        str(f),
    ],
    "build-check": _check,
}


def _named(argv: list[str], file: Path, scratch: Path) -> str:
    return str(scratch / "out" / WEB) if argv[0] == "build" else str(file)


def _subprocess(argv: list[str]) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "gtmgen", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=30,
        env=env,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


def _in_process(argv: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", FILE_LEVEL)
def test_special_files_are_refused_unread(
    kind: str, command: str, pair: Pair, tmp_path: Path
) -> None:
    file = FILE_LEVEL[kind](tmp_path)
    argv = COMMANDS[command](file, pair, tmp_path)
    code, out, err = _subprocess(argv)  # a regression hangs 30 s at most, then fails
    assert code == 2, (out, err)
    assert "Traceback" not in err
    named = _named(argv, file, tmp_path)
    assert err.startswith(f"{named}: "), err
    if command == "build-check":
        assert (tmp_path / "out" / WEB).is_symlink()  # left as it was


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", CONTENT_LEVEL)
def test_refused_content_is_refused_the_same_way(
    kind: str, command: str, pair: Pair, tmp_path: Path
) -> None:
    if command == "simulate-pushes" and kind in NOT_EXPORTS:
        pytest.skip("a pushes file is not an export")
    file = CONTENT_LEVEL[kind](tmp_path)
    argv = COMMANDS[command](file, pair, tmp_path)
    code, out, err = _in_process(argv)
    assert "Traceback" not in err
    named = _named(argv, file, tmp_path)
    if command == "textconv":  # documented: shown as it is, for git diff
        assert code == 0
        assert out.encode("utf-8", "surrogateescape") or file.stat().st_size == 0
        assert err.startswith(f"warning: {named}"), err
    elif command == "build-check":  # documented: an output file with other content is stale
        assert code == 1, (out, err)
        assert f"{named}: stale (run gtmgen build)" in err
    else:
        assert code == 2, (out, err)
        assert err.startswith(f"{named}"), err
        assert out == ""


def test_every_command_gives_the_same_first_line(pair: Pair, tmp_path: Path) -> None:
    """One reader and one export predicate: the same words whichever command reads it."""
    for kind, make in CONTENT_LEVEL.items():
        folder = tmp_path / kind
        folder.mkdir()
        file = make(folder)
        firsts = {}
        for command in ("validate", "diff-text", "diff-json", "audit", "simulate-web"):
            _, _, err = _in_process(COMMANDS[command](file, pair, tmp_path))
            firsts[command] = err.splitlines()[0]
        assert len(set(firsts.values())) == 1, (kind, firsts)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_byte_order_mark_is_a_warning_everywhere(
    command: str, pair: Pair, tmp_path: Path
) -> None:
    if command == "simulate-pushes":
        file = pushes_with_bom(tmp_path)
    else:
        file = bom(pair.server if command == "simulate-server" else pair.web)(tmp_path)
    argv = COMMANDS[command](file, pair, tmp_path)
    code, out, err = _in_process(argv)
    if command == "build-check":
        assert code == 1 and "stale" in err  # the bytes differ from the build's
        return
    assert code in (0, 1), (out, err)
    assert "byte order mark" in err + out, (out, err)
    assert str(file) in err + out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a POSIX FIFO")
def test_build_check_with_a_fifo_in_place_of_an_export(pair: Pair, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(pair.folder, out)
    (out / SERVER).unlink()
    os.mkfifo(out / SERVER)
    code, _, err = _subprocess(["build", "--check", "-o", str(out)])
    assert code == 2
    assert err == (
        f"{out / SERVER}: is not a regular file (a FIFO); gtmgen reads regular files only\n"
    )
