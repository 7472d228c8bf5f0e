"""docs/consent-and-hop.md shows real runs: every shell example works, each pasted output
is what the command prints now, and the phone table, the warning and the reserved-name
message are what gtmgen does."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from tests.cases import ROOT

DOC = (ROOT / "docs" / "consent-and-hop.md").read_text(encoding="utf-8")
# a ```sh block and the ```text block right after it, if any
RUNS = re.findall(
    r"```sh\n(.*?)```\n(?:\n(?:[^`\n][^\n]*\n)*?\n?```text( excerpt)?\n(.*?)```)?", DOC, re.S
)


def _run(command: str) -> tuple[int, str]:
    args = shlex.split(command)
    assert args[0] == "gtmgen"
    result = CliRunner().invoke(app, args[1:])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def test_the_doc_has_its_runs() -> None:
    assert len(RUNS) == 3
    assert [bool(output) for _command, _kind, output in RUNS] == [False, True, True]


@pytest.mark.parametrize("index", range(3))
def test_every_shell_example_works_and_prints_what_is_pasted(index: int) -> None:
    pytest.importorskip("py_mini_racer")
    command, excerpt, output = RUNS[index]
    code, out = _run(command.strip())
    assert code == 0, out
    if not output:
        return
    if excerpt:
        lines = [line.strip() for line in out.splitlines()]
        for line in output.strip("\n").splitlines():
            assert line.strip() in lines, line
    else:
        assert out.rstrip("\n") == output.rstrip("\n")


def test_the_hop_user_data_example_hashes_the_email() -> None:
    pytest.importorskip("py_mini_racer")
    _code, out = _run(RUNS[0][0].strip())
    [body] = [
        r["body"] for r in json.loads(out)["events_api"] if "business-api.tiktok.com" in r["url"]
    ]
    assert body["data"][0]["user"]["email"] == hashlib.sha256(b"jane@example.com").hexdigest()


def _phone_rows() -> list[tuple[str, str, str]]:
    section = DOC.split("| Written |", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in section.splitlines()[2:]:
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        rows.append((cells[0], cells[1], cells[2]))
    return rows


@pytest.mark.parametrize("raw, with_code, without", _phone_rows())
def test_the_phone_table_is_what_the_server_tag_sends(
    raw: str, with_code: str, without: str
) -> None:
    pytest.importorskip("py_mini_racer")
    from tests.test_template_server import body, fields, send

    for code, expected in (("49", with_code), ("", without)):
        data = fields()
        data["defaultCountryCode"] = code
        user = body(send(data, user_data={"phone_number": raw}))["data"][0]["user"]
        assert user["phone"] == hashlib.sha256(expected.encode()).hexdigest(), (raw, code)


def test_the_pasted_warning_is_what_build_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_consent_and_hop import spec_text

    [pasted] = re.findall(r"```text\n(warning: .*?)\n```", DOC, re.S)
    (tmp_path / "shop.yaml").write_text(spec_text("  test_event_code: TEST1\n"), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["build", "shop.yaml", "-o", "out"])
    assert result.exit_code == 0
    assert pasted in result.stderr.splitlines()


def test_the_pasted_reserved_name_error_is_what_the_loader_says() -> None:
    from tests.test_spec_hop_names import SPEC, _problems

    [pasted] = re.findall(r"```text\n(shop\.yaml:.*?)\n```", DOC, re.S)
    assert _problems(SPEC.format(matching="", block="properties", name="x-ga-gcs")) == [pasted]


def test_the_documented_keys_are_the_ones_the_template_reads() -> None:
    from tests.test_spec_hop_names import _server_template_keys

    table = DOC.split("| Event data key | Used for |", 1)[1].split("\n\n", 1)[0]
    documented = set(
        re.findall(
            r"`([a-z0-9_.-]+)`", "\n".join(line.split("|")[1] for line in table.splitlines()[2:])
        )
    )
    assert documented == set(_server_template_keys())
