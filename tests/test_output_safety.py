"""What the commands print is safe for any terminal (issue 12): names, event names and
event IDs from someone else's export are escaped (one function, gtmgen.display.escape),
and a stdout that cannot encode a character (cp1252, latin-1, ascii) gets an escape
instead of a UnicodeEncodeError. Also: build refuses a spec whose exports would exceed
the size every command reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.display import escape, escape_json, quote
from gtmgen.errors import SpecError
from gtmgen.generate import pipeline
from gtmgen.gtm import reader

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202e\x9b31m\u2028\u200b"
UNICODE = "caf\u00e9 \u65e5\u672c \u2026 \U0001f600"


def _visible(text: str) -> bool:
    return not any(
        unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\n\t" for c in text
    )


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pair")
    pipeline.build_files(None, folder, environ={})
    return {
        "web": folder / "acme-shop.web.json",
        "server": folder / "acme-shop.server.json",
        "folder": folder,
    }


def _renamed(source: Path, target: Path, suffix: str) -> Path:
    export = json.loads(source.read_text(encoding="utf-8"))
    for tag in export["containerVersion"].get("tag", []):
        tag["name"] += suffix
    target.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return target


def test_escape_leaves_nothing_a_terminal_acts_on() -> None:
    shown = escape(HOSTILE)
    assert _visible(shown)
    assert shown == ("\\u001b]0;pwned\\u0007\\u001b[2J\\u202e\\u009b31m\\u2028\\u200b")
    assert escape("plain text, caf\u00e9\ttab") == "plain text, caf\u00e9\ttab"
    assert quote("it's") == "'it\\'s'"
    assert json.loads(escape_json(json.dumps(HOSTILE + "\U000e0001", ensure_ascii=False))) == (
        HOSTILE + "\U000e0001"
    )


def test_simulate_escapes_names_events_and_ids(pair: dict[str, Path], tmp_path: Path) -> None:
    web = _renamed(pair["web"], tmp_path / "web.json", HOSTILE)
    push = json.dumps(
        {"event": "purchase" + HOSTILE, "order": {"id": "T-1" + HOSTILE}}, ensure_ascii=False
    )
    for extra in ([], ["--json"]):
        result = CliRunner().invoke(
            app,
            [
                "simulate",
                "--web",
                str(web),
                "--server",
                str(pair["server"]),
                "--push",
                push,
                "--push",
                '{"event": "purchase"}',
                *extra,
            ],
        )
        assert result.exit_code in (0, 1), result.output
        assert _visible(result.stdout) and _visible(result.stderr)
        assert "\\u001b" in result.stdout
        if extra:
            for line in result.stdout.splitlines():
                json.loads(line)  # still JSON, meaning the same


ENCODINGS = ["ascii", "cp1252", "latin-1"]


def _commands(pair: dict[str, Path], tmp_path: Path) -> list[list[str]]:
    web2 = _renamed(pair["web"], tmp_path / "web2.json", UNICODE)
    server2 = _renamed(pair["server"], tmp_path / "server2.json", UNICODE)
    spec = tmp_path / "bad.yaml"
    spec.write_text(f"version: 1\nname: {UNICODE}\nevents: []\n", encoding="utf-8")
    return [
        ["simulate"],
        [
            "simulate",
            "--web",
            str(web2),
            "--server",
            str(server2),
            "--push",
            json.dumps({"event": "purchase " + UNICODE}),
        ],
        ["build", "-o", str(tmp_path / "out")],
        ["build", str(spec), "-o", str(tmp_path / "out2")],
        ["build", "--check", "-o", str(pair["folder"])],
        ["validate", str(web2), str(tmp_path / f"missing-{UNICODE}.json")],
        ["diff", str(pair["web"]), str(web2)],
        ["diff", "-f", "markdown", str(pair["web"]), str(web2)],
        ["diff", "-f", "json", str(pair["web"]), str(web2)],
        ["textconv", str(web2)],
        ["audit", str(web2), str(server2)],
        ["schema"],
    ]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_command_prints_on_a_stream_that_is_not_utf8(
    encoding: str, pair: dict[str, Path], tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONIOENCODING": encoding,
        "PYTHONUTF8": "0",
        "LC_ALL": "C",
    }
    for argv in _commands(pair, tmp_path):
        result = subprocess.run(
            [sys.executable, "-m", "gtmgen", *argv],
            capture_output=True,
            timeout=120,
            env=env,
            check=False,
            cwd=tmp_path,
        )
        err = result.stderr.decode("utf-8", "replace")
        assert "Traceback" not in err and "UnicodeEncodeError" not in err, (argv, err)
        assert result.returncode in (0, 1, 2), (argv, err)


def test_simulate_of_the_example_under_ascii_escapes(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    result = subprocess.run(
        [sys.executable, "-m", "gtmgen", "simulate"],
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii()
    assert b"Access-Token: SIMU\\u2026" in result.stdout  # the masked token's ellipsis


def test_build_refuses_a_spec_whose_exports_would_exceed_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_EXPORT_BYTES", 20_000)
    out = tmp_path / "out"
    with pytest.raises(SpecError) as info:
        pipeline.build_files(None, out, environ={})
    message = str(info.value)
    assert "acme-shop.yaml: the spec makes a " in message
    assert "gtmgen and its tools read container exports up to 20000 bytes" in message
    assert "split the spec" in message
    assert not out.exists()


def test_audit_validate_and_errors_escape_at_the_boundary(tmp_path: Path) -> None:
    """What audit, validate and the error messages print passes through the same
    function: a hostile file name cannot reach the terminal either."""
    hostile = tmp_path / f"x{HOSTILE}.json"
    hostile.write_text("{}", encoding="utf-8")
    for argv in (
        ["validate", str(hostile)],
        ["audit", str(hostile)],
        ["diff", str(hostile), str(hostile)],
        ["simulate", "--web", str(hostile), "--server", str(hostile)],
    ):
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 2, result.output
        assert _visible(result.stdout) and _visible(result.stderr), argv
        assert "\\u001b" in result.stderr
