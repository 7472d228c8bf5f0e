"""The TikTok access token: never in the web export, only where the user asked for it."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.errors import SpecError
from gtmgen.generate import names
from gtmgen.generate.pipeline import build_spec
from gtmgen.spec import load_spec_text

# Recognisable, and shaped like a real token (40 hex digits), so it cannot be confused
# with anything else in an export.
TOKEN = "5ec2e7a11ce0ffee15bad0c0ffee5ec2e7a11ce0"
ENV = "GTMGEN_TEST_TIKTOK_TOKEN"

SPEC = """\
version: 1
name: Secret Shop
web:
  ga4:
    measurement_id: G-ABCDEF1234
    server_container_url: https://sgtm.shop.example
tiktok:
  pixel_id: CABCDEFGHIJK1234567
  test_event_code: TEST123
{token_line}events:
  - event: purchase
    tiktok_event: CompletePayment
    event_id_from: ecommerce.transaction_id
    properties:
      value: ecommerce.value
    user_data:
      email: user.email
"""


def spec_text(token_line: str) -> str:
    return SPEC.format(token_line=token_line)


def write(tmp_path: Path, token_line: str) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(spec_text(token_line), encoding="utf-8")
    return path


def strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a JSON value with its path."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key, f"{where}.<key>")
            yield from strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, f"{where}[{i}]")


def token_variable(export: dict[str, Any]) -> dict[str, Any]:
    [variable] = [
        v for v in export["containerVersion"]["variable"] if v["name"] == names.ACCESS_TOKEN
    ]
    return cast(dict[str, Any], variable)


def test_env_token_reaches_only_the_server_constant(tmp_path: Path) -> None:
    spec = write(tmp_path, f"  access_token: env:{ENV}\n")
    built = build_spec(spec, environ={ENV: TOKEN})
    files, notices = built.files, built.notices
    web_text, server_text = files["shop.web.json"], files["shop.server.json"]

    assert TOKEN not in web_text
    assert TOKEN[:12] not in web_text and TOKEN[-12:] not in web_text
    server = json.loads(server_text)
    holders = [path for path, text in strings(server) if TOKEN in text]
    assert len(holders) == 1, holders
    variable = token_variable(server)
    assert variable["type"] == "c"
    assert variable["parameter"] == [{"type": "TEMPLATE", "key": "value", "value": TOKEN}]
    assert server_text.count(TOKEN) == 1
    assert not any(TOKEN in notice for notice in notices)


def test_the_web_export_does_not_depend_on_the_token(tmp_path: Path) -> None:
    # Not the token, nor anything derived from it (fingerprints, IDs) reaches the web file.
    spec = write(tmp_path, f"  access_token: env:{ENV}\n")
    with_token = build_spec(spec, environ={ENV: TOKEN})
    other = build_spec(spec, environ={ENV: "b" * 40})
    omitted = build_spec(write(tmp_path, ""), environ={})
    assert with_token.files["shop.web.json"] == other.files["shop.web.json"]
    assert with_token.files["shop.web.json"] == omitted.files["shop.web.json"]
    assert with_token.files["shop.server.json"] != omitted.files["shop.server.json"]


def test_omitted_token_gives_an_empty_constant_and_a_notice(tmp_path: Path) -> None:
    built = build_spec(write(tmp_path, ""), environ={ENV: TOKEN})
    files, notices = built.files, built.notices
    server = json.loads(files["shop.server.json"])
    assert token_variable(server)["parameter"] == [
        {"type": "TEMPLATE", "key": "value", "value": ""}
    ]
    assert TOKEN not in files["shop.server.json"]
    assert any("empty TikTok access token" in n and names.ACCESS_TOKEN in n for n in notices)
    assert not any("holds the real TikTok access token" in n for n in notices)


def test_server_tags_read_the_token_through_the_variable(tmp_path: Path) -> None:
    files = build_spec(write(tmp_path, f"  access_token: env:{ENV}\n"), environ={ENV: TOKEN}).files
    server = json.loads(files["shop.server.json"])
    tags = server["containerVersion"]["tag"]
    assert tags
    for tag in tags:
        [param] = [p for p in tag["parameter"] if p["key"] == "accessToken"]
        assert param["value"] == "{{" + names.ACCESS_TOKEN + "}}"


def invoke(tmp_path: Path, token_line: str, env: dict[str, str]) -> tuple[int, str, str, Path]:
    spec = write(tmp_path, token_line)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(spec), "-o", str(out)], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr, out


def test_build_says_when_the_server_file_holds_the_token(tmp_path: Path) -> None:
    code, stdout, stderr, out = invoke(tmp_path, f"  access_token: env:{ENV}\n", {ENV: TOKEN})
    assert code == 0, stderr
    assert "shop.server.json holds the real TikTok access token: do not commit it" in stderr
    assert TOKEN not in stdout + stderr
    assert TOKEN in (out / "shop.server.json").read_text(encoding="utf-8")
    assert TOKEN not in (out / "shop.web.json").read_text(encoding="utf-8")
    if os.name == "posix":  # readable by its owner only
        assert stat.S_IMODE((out / "shop.server.json").stat().st_mode) == 0o600


def test_build_says_when_the_token_is_left_empty(tmp_path: Path) -> None:
    code, _stdout, stderr, out = invoke(tmp_path, "", {ENV: TOKEN})
    assert code == 0, stderr
    assert (
        "the server container holds an empty TikTok access token: fill in the variable "
        f"'{names.ACCESS_TOKEN}' after import"
    ) in stderr
    assert "holds the real TikTok access token" not in stderr
    assert TOKEN not in (out / "shop.server.json").read_text(encoding="utf-8")
    if os.name == "posix":  # an ordinary file: nothing secret in it
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE((out / "shop.server.json").stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize(
    "literal",
    [
        TOKEN,
        "$" + ENV,
        "${" + ENV + "}",
        "ENV:" + ENV,
        "env: " + ENV,
        "env:",
        "env:1ABC",
        "env:" + ENV + "\\n",
    ],
)
def test_a_literal_or_malformed_token_is_refused_without_echo(literal: str) -> None:
    text = spec_text(f'  access_token: "{literal}"\n')
    with pytest.raises(SpecError) as info:
        load_spec_text(text, file="shop.yaml", environ={ENV: TOKEN})
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (10, 3)
    assert problem.message.startswith("tiktok.access_token: a literal access token is refused")
    assert TOKEN not in str(info.value)


def test_unset_or_empty_variable_is_an_error(tmp_path: Path) -> None:
    for env in ({}, {ENV: ""}):
        code, _stdout, stderr, out = invoke(tmp_path, f"  access_token: env:{ENV}\n", env)
        assert code == 2
        assert stderr.splitlines() == [
            f"{tmp_path / 'shop.yaml'}:10:3: tiktok.access_token: the environment variable "
            f"{ENV} is not set (set it, or remove access_token to fill the token in after "
            "import)"
        ]
        assert not out.exists()


@pytest.mark.parametrize(
    "value",
    [
        TOKEN + "\n",  # a copy-pasted token with its line break
        " " + TOKEN,
        "{{Page URL}}",  # would become a GTM variable reference in the constant
        TOKEN[:20] + "\x00" + TOKEN[20:],
    ],
)
def test_a_token_variable_with_impossible_characters_is_refused_without_echo(value: str) -> None:
    with pytest.raises(SpecError) as info:
        load_spec_text(
            spec_text(f"  access_token: env:{ENV}\n"), file="shop.yaml", environ={ENV: value}
        )
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (10, 3)
    assert f"the environment variable {ENV} holds spaces, line breaks, braces" in problem.message
    assert value.strip() not in str(info.value)


def test_the_bundled_example_carries_no_token() -> None:
    built = build_spec(None, environ={})
    files, notices = built.files, built.notices
    variable = token_variable(json.loads(files["acme-shop.server.json"]))
    assert variable["parameter"] == [{"type": "TEMPLATE", "key": "value", "value": ""}]
    assert any("empty TikTok access token" in n for n in notices)


# -- Meta: the same rules for meta.access_token ---------------------------------------------

META_ENV = "GTMGEN_TEST_META_TOKEN"
META_TOKEN = "EAAB" + "c0ffee" * 10
META_SPEC = """\
version: 1
name: Secret Shop
web:
  ga4:
    measurement_id: G-ABCDEF1234
    server_container_url: https://sgtm.shop.example
meta:
  pixel_id: "123456789012345"
  test_event_code: TEST999
{token_line}events:
  - event: purchase
    meta_event: Purchase
"""


def write_meta(tmp_path: Path, token_line: str) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(META_SPEC.format(token_line=token_line), encoding="utf-8")
    return path


def test_meta_env_token_reaches_only_the_server_constant(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = write_meta(tmp_path, f"  access_token: env:{META_ENV}\n")
    result = CliRunner().invoke(
        app, ["build", str(spec), "-o", str(out)], env={META_ENV: META_TOKEN}
    )
    assert result.exit_code == 0, result.stderr
    assert "shop.server.json holds the real Meta access token: do not commit it" in (result.stderr)
    assert (
        "warning: " in result.stderr
        and "meta.test_event_code 'TEST999'" in result.stderr
        and "Meta's Test Events" in result.stderr
    )
    assert META_TOKEN not in result.stdout + result.stderr
    web_text = (out / "shop.web.json").read_text(encoding="utf-8")
    server_text = (out / "shop.server.json").read_text(encoding="utf-8")
    assert META_TOKEN not in web_text and server_text.count(META_TOKEN) == 1
    [variable] = [
        v
        for v in json.loads(server_text)["containerVersion"]["variable"]
        if v["name"] == "gtmgen - Meta access token"
    ]
    assert variable["parameter"][0]["value"] == META_TOKEN
    if os.name == "posix":
        assert stat.S_IMODE((out / "shop.server.json").stat().st_mode) == 0o600


def test_meta_token_left_empty_or_unset_or_literal(tmp_path: Path) -> None:
    built = build_spec(write_meta(tmp_path, ""), environ={})
    assert any(
        "empty Meta access token" in n and "'gtmgen - Meta access token'" in n
        for n in built.notices
    )
    assert not built.private
    with pytest.raises(SpecError) as unset:
        load_spec_text(META_SPEC.format(token_line=f"  access_token: env:{META_ENV}\n"), environ={})
    assert f"meta.access_token: the environment variable {META_ENV} is not set" in str(
        unset.value.problems[0]
    )
    with pytest.raises(SpecError) as literal:
        load_spec_text(META_SPEC.format(token_line=f"  access_token: {META_TOKEN}\n"), environ={})
    assert "a literal access token is refused" in str(literal.value.problems[0])
    assert META_TOKEN not in str(literal.value.problems[0])


def test_both_tokens_embedded_are_named_together(tmp_path: Path) -> None:
    text = META_SPEC.format(token_line=f"  access_token: env:{META_ENV}\n").replace(
        "meta:\n", f"tiktok:\n  pixel_id: CABCDEFGHIJK1234567\n  access_token: env:{ENV}\nmeta:\n"
    )
    path = tmp_path / "shop.yaml"
    path.write_text(text, encoding="utf-8")
    built = build_spec(path, environ={ENV: TOKEN, META_ENV: META_TOKEN})
    assert any("holds the real TikTok and Meta access tokens" in n for n in built.notices)
    assert built.private == frozenset({"shop.server.json"})
    assert TOKEN not in built.files["shop.web.json"]
    assert META_TOKEN not in built.files["shop.web.json"]
