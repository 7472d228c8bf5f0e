"""A broken spec gives located messages on stderr, exit 2, no traceback, and writes nothing.

Every case runs ``gtmgen build SPEC -o OUT`` against an output folder that already holds
exports and an unrelated file, and checks that folder byte for byte afterwards.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.errors import ExitCode, InputError, SpecError
from gtmgen.generate import pipeline
from gtmgen.spec import load_spec_text
from gtmgen.spec.loader import MAX_SPEC_BYTES
from tests import docs

VALID = """\
version: 1
name: Shop
web:
  ga4:
    measurement_id: G-ABCDEF1234
    server_container_url: https://sgtm.shop.example
tiktok:
  pixel_id: CABCDEFGHIJK1234567
events:
  - event: purchase
    tiktok_event: CompletePayment
"""

Snapshot = dict[str, tuple[bytes, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file below ``folder`` (hidden ones too): bytes, mode and modification time."""
    if not folder.exists():
        return {}
    result = {}
    for path in sorted(folder.rglob("*")):
        info = path.stat()
        result[str(path.relative_to(folder))] = (
            path.read_bytes() if path.is_file() else b"<dir>",
            info.st_mode,
            info.st_mtime_ns,
        )
    return result


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder that already holds a previous build and an unrelated file."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "spec.web.json").write_bytes(b'{"previous": "web"}')
    (folder / "spec.server.json").write_bytes(b'{"previous": "server"}')
    (folder / "notes.txt").write_bytes(b"keep me\n")
    return folder


def build(spec: Path | str, out: Path, env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """Run ``gtmgen build`` in-process; return the exit code and the stderr lines."""
    result = CliRunner().invoke(app, ["build", str(spec), "-o", str(out)], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stderr.splitlines()


def write_spec(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def assert_refused(
    tmp_path: Path,
    out: Path,
    text: str | bytes,
    expected: list[tuple[int, int, str]],
    env: dict[str, str] | None = None,
) -> list[str]:
    """The build exits 2 with exactly these located messages and leaves ``out`` alone."""
    spec = write_spec(tmp_path, text)
    before = snapshot(out)
    code, lines = build(spec, out, env)
    assert code == ExitCode.INVALID
    assert len(lines) == len(expected), lines
    for line, (row, col, fragment) in zip(lines, expected, strict=True):
        prefix = f"{spec}:{row}:{col}: "
        assert line.startswith(prefix), (line, prefix)
        assert fragment in line, (line, fragment)
    assert snapshot(out) == before
    return lines


def with_lines(*replacements: tuple[str, str]) -> str:
    text = VALID
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    return text


# ----------------------------------------------------------------------------- the baseline


def test_the_valid_spec_builds_and_replaces_the_previous_exports(tmp_path: Path, out: Path) -> None:
    code, lines = build(write_spec(tmp_path, VALID), out)
    assert code == ExitCode.OK, lines
    assert (out / "spec.web.json").read_bytes() != b'{"previous": "web"}'
    assert (out / "notes.txt").read_bytes() == b"keep me\n"
    assert sorted(p.name for p in out.iterdir()) == [
        "notes.txt",
        "spec.server.json",
        "spec.web.json",
    ]  # no temporary file left behind


# ---------------------------------------------------------------------------- the file itself


def test_missing_file(tmp_path: Path, out: Path) -> None:
    before = snapshot(out)
    code, lines = build(tmp_path / "nope.yaml", out)
    assert code == ExitCode.INVALID
    assert lines == [f"{tmp_path / 'nope.yaml'}: no such file"]
    assert snapshot(out) == before


def test_a_folder_given_as_the_spec(tmp_path: Path, out: Path) -> None:
    code, lines = build(tmp_path, out)
    assert code == ExitCode.INVALID
    assert lines == [f"{tmp_path}: is a folder, not a file"]


def test_nothing_is_created_when_the_output_folder_did_not_exist(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, "version: 1\n")
    code, _ = build(spec, tmp_path / "new" / "out")
    assert code == ExitCode.INVALID
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("text", ["", "\n\n   \n", "\ufeff"])
def test_empty_file(tmp_path: Path, out: Path, text: str) -> None:
    assert_refused(tmp_path, out, text, [(1, 1, "the spec is empty")])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("- version: 1\n- name: Shop\n", "not a list"),
        ("just some words\n", "not text"),
        ("42\n", "not a number"),
        ("# only a comment\n", "not empty"),
    ],
)
def test_a_file_that_is_not_a_mapping(tmp_path: Path, out: Path, text: str, kind: str) -> None:
    assert_refused(tmp_path, out, text, [(1, 1, f"a spec must be a mapping of keys, {kind}")])


def test_not_utf8(tmp_path: Path, out: Path) -> None:
    text = VALID.replace("name: Shop", "name: Caf\u00e9").encode("latin-1")
    assert_refused(tmp_path, out, text, [(2, 10, "the file is not UTF-8 (byte 0xe9)")])


def test_not_utf8_column_counts_characters_not_bytes(tmp_path: Path, out: Path) -> None:
    text = "version: 1\nname: \u00e9t\u00e9 \xff\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff")
    assert_refused(tmp_path, out, text, [(2, 11, "byte 0xff")])


def test_utf8_with_a_byte_order_mark_is_read(tmp_path: Path, out: Path) -> None:
    code, lines = build(write_spec(tmp_path, b"\xef\xbb\xbf" + VALID.encode()), out)
    assert code == ExitCode.OK, lines


def padded(size: int) -> bytes:
    """The valid spec followed by comment lines, exactly ``size`` bytes long."""
    body = VALID.encode()
    filler = size - len(body)
    lines = [b"#" * 99 + b"\n"] * (filler // 100)
    rest = filler - 100 * len(lines)
    tail = [b"#" * (rest - 1) + b"\n"] if rest else []
    result = body + b"".join(lines + tail)
    assert len(result) == size
    return result


def test_a_spec_of_exactly_one_mib_is_read(tmp_path: Path, out: Path) -> None:
    code, lines = build(write_spec(tmp_path, padded(MAX_SPEC_BYTES)), out)
    assert code == ExitCode.OK, lines


def test_a_spec_over_one_mib_is_refused(tmp_path: Path, out: Path) -> None:
    spec = write_spec(tmp_path, padded(MAX_SPEC_BYTES + 1))
    before = snapshot(out)
    code, lines = build(spec, out)
    assert code == ExitCode.INVALID
    assert lines == [f"{spec}: the file is 1.0 MB; gtmgen reads specs up to 1 MB"]
    assert snapshot(out) == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_is_refused_unread(out: Path) -> None:
    # /dev/zero is a device: refused before it is read (the reader reads regular files only)
    code, lines = build("/dev/zero", out)
    assert code == ExitCode.INVALID
    assert lines == ["/dev/zero: is not a regular file (a device); gtmgen reads regular files only"]


# ------------------------------------------------------------------------------------- YAML


@pytest.mark.parametrize(
    ("text", "row", "col", "fragment"),
    [
        ("version: 1\nname: [Shop\n", 3, 1, "YAML syntax error: expected ',' or ']'"),
        ("version: 1\nname: Shop\n  web: x\n", 3, 6, "YAML syntax error: mapping values are not"),
        ("version: 1\nname: 'Shop\n", 3, 1, "YAML syntax error: found unexpected end of stream"),
        ("version: 1\n\tname: Shop\n", 2, 1, "YAML syntax error: found character '\\t'"),
        (
            "version: 1\nname: !!python/object:os.system x\n",
            2,
            7,
            "could not determine a constructor for the tag",
        ),
        ("version: 1\n---\nname: Shop\n", 2, 1, "but found another document"),
    ],
)
def test_yaml_syntax_errors(
    tmp_path: Path, out: Path, text: str, row: int, col: int, fragment: str
) -> None:
    assert_refused(tmp_path, out, text, [(row, col, fragment)])


def test_a_control_character_is_located(tmp_path: Path, out: Path) -> None:
    text = with_lines(("name: Shop", "name: Sh\x07op"))
    assert_refused(tmp_path, out, text, [(2, 9, "U+0007 is a control character")])


def test_a_lone_surrogate_escape_is_refused(tmp_path: Path, out: Path) -> None:
    # it would make a string that cannot be written as UTF-8 (and would crash the writer)
    text = with_lines(("name: Shop", 'name: "Shop \\ud800"'))
    assert_refused(tmp_path, out, text, [(2, 7, "U+D800, half of a UTF-16 surrogate pair")])


def test_deep_nesting_is_refused_without_a_crash(tmp_path: Path, out: Path) -> None:
    text = "version: 1\nname: " + "[" * 50_000 + "]" * 50_000 + "\n"
    spec = write_spec(tmp_path, text)
    code, lines = build(spec, out)
    assert code == ExitCode.INVALID
    assert lines == [f"{spec}: the YAML is nested too deeply for a spec"]


def test_duplicate_keys(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        ("name: Shop\n", "name: Shop\nname: Other shop\n"),
        (
            "    tiktok_event: CompletePayment\n",
            "    tiktok_event: CompletePayment\n    tiktok_event: Purchase\n",
        ),
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (3, 1, "duplicate key 'name' (first at line 2)"),
            (13, 5, "duplicate key 'tiktok_event' (first at line 12)"),
        ],
    )


ALIAS_BOMB = """\
version: 1
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_an_alias_bomb_is_refused_at_its_first_alias(tmp_path: Path, out: Path) -> None:
    assert_refused(tmp_path, out, ALIAS_BOMB, [(3, 8, "YAML aliases (*name) are not supported")])


def test_aliases_are_refused_before_anything_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    # The refusal happens while composing the node tree: no value is ever constructed,
    # so nothing is expanded however many times the aliases nest.
    calls: list[Any] = []
    original = yaml.SafeLoader.construct_object

    def counting(self: Any, node: Any, deep: bool = False) -> Any:
        calls.append(node)
        return original(self, node, deep)

    monkeypatch.setattr(yaml.SafeLoader, "construct_object", counting)
    with pytest.raises(SpecError) as info:
        load_spec_text(ALIAS_BOMB, file="bomb.yaml")
    assert [str(p) for p in info.value.problems] == [
        "bomb.yaml:3:8: YAML syntax error: YAML aliases (*name) are not supported in a spec; "
        "write the value out"
    ]
    assert calls == []


def test_a_merge_key_alias_is_refused(tmp_path: Path, out: Path) -> None:
    text = VALID + "x: &base {a: 1}\ny:\n  <<: *base\n"
    assert_refused(tmp_path, out, text, [(14, 7, "YAML aliases (*name) are not supported")])


# ------------------------------------------------------------------------- the spec's keys


def test_unknown_keys_with_did_you_mean(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        ("tiktok:\n", "tiktok:\n  acess_token: env:X\n"),
        (
            "    tiktok_event: CompletePayment\n",
            "    tiktok_event: CompletePayment\n    propertes: {}\n",
        ),
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (8, 3, "unknown key 'tiktok.acess_token'; did you mean 'access_token'?"),
            (13, 5, "unknown key 'events[0].propertes'; did you mean 'properties'?"),
        ],
    )


def test_an_unknown_key_far_from_any_lists_the_known_keys(tmp_path: Path, out: Path) -> None:
    text = with_lines(("tiktok:\n", "tiktok:\n  zzz: 1\n"))
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (
                8,
                3,
                "unknown key 'tiktok.zzz'; known keys: pixel_id, access_token, "
                "test_event_code, consent",
            ),
        ],
    )


def test_a_misspelt_required_key_is_both_missing_and_unknown(tmp_path: Path, out: Path) -> None:
    text = with_lines(("name: Shop", "nmae: Shop"))
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (1, 1, "missing required key 'name'"),
            (2, 1, "unknown key 'nmae'; did you mean 'name'?"),
        ],
    )


def test_missing_required_keys(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        ("tiktok:\n  pixel_id: CABCDEFGHIJK1234567\n", ""),
        ("    tiktok_event: CompletePayment\n", ""),
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (1, 1, "list at least one platform block (tiktok or meta)"),
            (8, 5, "events[0]: name at least one platform event (tiktok_event or meta_event)"),
        ],
    )


META_BLOCK = 'meta:\n  pixel_id: "123456789012345"\n'


def test_an_event_names_a_platform_event(tmp_path: Path, out: Path) -> None:
    # tiktok only: tiktok_event stays required; both blocks: either one
    assert_refused(
        tmp_path,
        out,
        with_lines(("    tiktok_event: CompletePayment\n", "")),
        [
            (10, 5, "missing required key 'events[0].tiktok_event'"),
        ],
    )
    text = with_lines(
        ("tiktok:\n", META_BLOCK + "tiktok:\n"), ("    tiktok_event: CompletePayment\n", "")
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (12, 5, "events[0]: name at least one platform event (tiktok_event or meta_event)"),
        ],
    )


def test_meta_event_needs_the_meta_block(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        (
            "    tiktok_event: CompletePayment\n",
            "    tiktok_event: CompletePayment\n    meta_event: Purchase\n",
        )
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (
                12,
                5,
                "events[0].meta_event: the spec has no meta block; add one or remove meta_event",
            ),
        ],
    )


def test_meta_event_must_be_standard(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        ("tiktok:\n", META_BLOCK + "tiktok:\n"),
        (
            "    tiktok_event: CompletePayment\n",
            "    tiktok_event: CompletePayment\n    meta_event: Purchse\n",
        ),
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (
                14,
                5,
                "events[0].meta_event: 'Purchse' is not a Meta standard event; did you "
                "mean 'Purchase'?",
            ),
        ],
    )


TE = "    tiktok_event: CompletePayment"
PX = "  pixel_id: CABCDEFGHIJK1234567"


@pytest.mark.parametrize(
    ("old", "new", "row", "col", "fragment"),
    [
        ("name: Shop", "name: [Shop]", 2, 1, "name: expected text, got a list"),
        (
            "name: Shop",
            "name: 2024-05-01",
            2,
            1,
            "name: expected text, got a date; put the value in quotes",
        ),
        (
            "name: Shop",
            "name: yes",
            2,
            1,
            "name: expected text, got true/false; put the value in quotes",
        ),
        (
            PX,
            PX + "\n  test_event_code: 12345",
            9,
            3,
            "tiktok.test_event_code: expected text, got a number; put the value in quotes",
        ),
        (PX, PX + "\n  consent: ad_storage", 9, 3, "tiktok.consent: expected a list, got text"),
        (
            "web:\n  ga4:",
            "server: GTM-ABCD123\nweb:\n  ga4:",
            3,
            1,
            "server: expected a mapping of keys, got text",
        ),
        (
            TE,
            TE + "\n    custom_event: maybe",
            12,
            5,
            "events[0].custom_event: expected true or false, got text",
        ),
        (
            TE,
            TE + "\n    properties: [a]",
            12,
            5,
            "events[0].properties: expected a mapping of keys, got a list",
        ),
        (
            TE,
            TE + "\n    user_data: x",
            12,
            5,
            "events[0].user_data: expected a mapping of keys, got text",
        ),
        (
            TE,
            TE + "\n    properties:\n      value: 3",
            13,
            7,
            "events[0].properties.value: expected text, got a number",
        ),
        ("name: Shop", "name:", 2, 1, "name: expected text, got nothing (an empty value)"),
        ("name: Shop", "name: ''", 2, 1, "name: must not be empty"),
    ],
)
def test_wrong_types_name_the_key_path(
    tmp_path: Path, out: Path, old: str, new: str, row: int, col: int, fragment: str
) -> None:
    assert_refused(tmp_path, out, with_lines((old, new)), [(row, col, fragment)])


def test_events_must_be_a_non_empty_list(tmp_path: Path, out: Path) -> None:
    text = VALID[: VALID.index("events:")] + "events: []\n"
    assert_refused(tmp_path, out, text, [(9, 1, "events: list at least one event")])
    text = VALID[: VALID.index("events:")] + "events:\n  event: purchase\n"
    assert_refused(tmp_path, out, text, [(9, 1, "events: expected a list, got a mapping")])


@pytest.mark.parametrize("value", ["2", "'1'", "1.1", "0"])
def test_version_other_than_1(tmp_path: Path, out: Path, value: str) -> None:
    text = with_lines(("version: 1", f"version: {value}"))
    assert_refused(tmp_path, out, text, [(1, 1, "version: gtmgen reads spec version 1 only")])


# ------------------------------------------------------------------------------ the values


def test_a_misspelt_tiktok_event_gets_a_suggestion(tmp_path: Path, out: Path) -> None:
    text = with_lines(("tiktok_event: CompletePayment", "tiktok_event: CompletePaymnt"))
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (
                11,
                5,
                "events[0].tiktok_event: 'CompletePaymnt' is not a TikTok standard event; "
                "did you mean 'CompletePayment'? Or set custom_event: true for a custom event",
            ),
        ],
    )


def test_a_custom_tiktok_event_without_a_close_match(tmp_path: Path, out: Path) -> None:
    text = with_lines(("tiktok_event: CompletePayment", "tiktok_event: NewsletterSignup"))
    [line] = assert_refused(
        tmp_path,
        out,
        text,
        [
            (11, 5, "'NewsletterSignup' is not a TikTok standard event; set custom_event: true"),
        ],
    )
    assert "did you mean" not in line


def test_a_custom_tiktok_event_builds_when_it_says_so(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        ("tiktok_event: CompletePayment", "tiktok_event: NewsletterSignup\n    custom_event: true")
    )
    code, lines = build(write_spec(tmp_path, text), out)
    assert code == ExitCode.OK, lines


def test_two_entries_for_one_data_layer_event(tmp_path: Path, out: Path) -> None:
    text = (
        VALID + "  - event: add_to_cart\n    tiktok_event: AddToCart\n"
        "  - event: purchase\n    tiktok_event: Purchase\n"
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (14, 5, "events[2]: the dataLayer event 'purchase' is already described (line 10)"),
        ],
    )


@pytest.mark.parametrize(
    ("old", "new", "row", "col", "fragment"),
    [
        (
            "pixel_id: CABCDEFGHIJK1234567",
            "pixel_id: cabc-123",
            8,
            3,
            "tiktok.pixel_id: 'cabc-123' is not a TikTok pixel ID (10 to 40 upper-case letters",
        ),
        (
            "measurement_id: G-ABCDEF1234",
            "measurement_id: UA-1234-1",
            5,
            5,
            "web.ga4.measurement_id: 'UA-1234-1' is not a GA4 measurement ID",
        ),
        (
            "web:\n",
            "web:\n  public_id: GTM-ab\n",
            4,
            3,
            "web.public_id: 'GTM-ab' is not a container public ID",
        ),
        (
            "pixel_id: CABCDEFGHIJK1234567",
            "pixel_id: CABCDEFGHIJK1234567\n  consent: [Ad Storage]",
            9,
            13,
            "tiktok.consent[0]: 'Ad Storage' is not a GTM consent type",
        ),
        (
            "tiktok_event: CompletePayment",
            "tiktok_event: Complete Payment\n    custom_event: true",
            11,
            5,
            "events[0].tiktok_event: 'Complete Payment' is not a TikTok event name",
        ),
    ],
)
def test_ids_and_codes_say_what_they_should_look_like(
    tmp_path: Path, out: Path, old: str, new: str, row: int, col: int, fragment: str
) -> None:
    [line] = assert_refused(tmp_path, out, with_lines((old, new)), [(row, col, fragment)])
    assert "pattern" not in line  # no regular expression thrown at the user


@pytest.mark.parametrize(
    "url",
    [
        "http://sgtm.shop.example",
        "sgtm.shop.example",
        "https://",
        "https://sgtm.shop.example/{{x}}",
        "https://sgtm.shop.example/ path",
        '"https://sgtm.shop.example\\n"',
        '"https://sgtm.shop.example/\\0"',
        "https://user@sgtm.shop.example",
    ],
)
def test_server_container_url_must_be_an_https_url(tmp_path: Path, out: Path, url: str) -> None:
    text = with_lines(
        ("server_container_url: https://sgtm.shop.example", f"server_container_url: {url}")
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (6, 5, "web.ga4.server_container_url: "),
        ],
    )
    assert "is not an https URL" in build(write_spec(tmp_path, text), out)[1][0]


def test_a_literal_access_token_is_refused_without_echoing_it(tmp_path: Path, out: Path) -> None:
    token = "c0ffee15bad5ecre7t0ken0000000000deadbeef"
    text = with_lines(
        (
            "  pixel_id: CABCDEFGHIJK1234567",
            f"  pixel_id: CABCDEFGHIJK1234567\n  access_token: {token}",
        )
    )
    [line] = assert_refused(
        tmp_path,
        out,
        text,
        [
            (9, 3, "tiktok.access_token: a literal access token is refused"),
        ],
    )
    assert token not in line
    assert "env:NAME" in line


def test_an_unset_token_variable_is_an_error(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        (
            "  pixel_id: CABCDEFGHIJK1234567",
            "  pixel_id: CABCDEFGHIJK1234567\n  access_token: env:GTMGEN_TEST_UNSET",
        )
    )
    os.environ.pop("GTMGEN_TEST_UNSET", None)
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (9, 3, "tiktok.access_token: the environment variable GTMGEN_TEST_UNSET is not set"),
        ],
    )
    # set but empty counts as unset
    assert_refused(
        tmp_path, out, text, [(9, 3, "GTMGEN_TEST_UNSET is not set")], env={"GTMGEN_TEST_UNSET": ""}
    )


@pytest.mark.parametrize("braces", ["{{Page URL}}", "ev}", "{ev"])
def test_braces_in_an_event_name_are_refused(tmp_path: Path, out: Path, braces: str) -> None:
    text = with_lines(("- event: purchase", f"- event: '{braces}'"))
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (10, 5, "events[0].event: must not contain '{' or '}'"),
        ],
    )


def test_reserved_property_names(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        (
            "    tiktok_event: CompletePayment",
            "    tiktok_event: CompletePayment\n    properties:\n"
            "      event_id: order.id\n      contents: ecommerce.items\n"
            "      items: ecommerce.items",
        )
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (13, 7, "events[0].properties.event_id: the property name 'event_id' is reserved"),
        ],
    )
    text = text.replace("      event_id: order.id\n", "")
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (14, 7, "events[0].properties.items: 'items' and 'contents' both travel as"),
        ],
    )


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path, out: Path) -> None:
    text = with_lines(
        ("version: 1", "version: 3"),
        ("measurement_id: G-ABCDEF1234", "measurement_id: G-x"),
        ("tiktok_event: CompletePayment", "tiktok_event: Purchas"),
    )
    assert_refused(
        tmp_path,
        out,
        text,
        [
            (1, 1, "version:"),
            (5, 5, "web.ga4.measurement_id:"),
            (
                11,
                5,
                "events[0].tiktok_event: 'Purchas' is not a TikTok standard event; "
                "did you mean 'Purchase'?",
            ),
        ],
    )


# ---------------------------------------------------------------------- the output folder


def test_output_path_is_a_regular_file(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, VALID)
    target = tmp_path / "exports"
    target.write_bytes(b"not a folder")
    code, lines = build(spec, target)
    assert code == ExitCode.INVALID
    assert lines == [f"{target}: the output path is a file, not a folder"]
    assert target.read_bytes() == b"not a folder"


def test_output_path_below_a_regular_file(tmp_path: Path) -> None:
    # chmod-based read-only folders do not stop root (CI runs as root); a path below a
    # regular file cannot be created by anyone.
    spec = write_spec(tmp_path, VALID)
    blocker = tmp_path / "exports"
    blocker.write_bytes(b"not a folder")
    code, lines = build(spec, blocker / "out")
    assert code == ExitCode.INVALID
    assert lines == [f"{blocker / 'out'}: cannot create the output folder: Not a directory"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports", "spec.yaml"]


def _files(tmp_path: Path) -> dict[str, str]:
    return {"a.web.json": '{"web": "new"}', "a.server.json": '{"server": "new"}'}


def test_a_failed_rename_leaves_old_files_and_no_temporary_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.web.json").write_text("old web")
    (out / "a.server.json").write_text("old server")
    before = snapshot(out)

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("gtmgen.generate.pipeline.os.replace", broken_replace)
    with pytest.raises(InputError) as info:
        pipeline._write_all(_files(tmp_path), out)
    assert str(info.value) == f"{out}: cannot write to the output folder: No space left on device"
    assert snapshot(out) == before


def test_a_failed_write_of_the_second_file_leaves_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.web.json").write_text("old web")
    before = snapshot(out)
    real_fdopen = os.fdopen
    opened: list[int] = []

    def failing_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        opened.append(fd)
        if len(opened) == 2:
            os.close(fd)
            raise OSError(5, "Input/output error")
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr("gtmgen.generate.pipeline.os.fdopen", failing_fdopen)
    with pytest.raises(InputError):
        pipeline._write_all(_files(tmp_path), out)
    assert len(opened) == 2
    assert snapshot(out) == before


def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()

    def interrupted(src: Any, dst: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("gtmgen.generate.pipeline.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline._write_all(_files(tmp_path), out)
    assert list(out.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pipeline._write_all(_files(tmp_path), out, private=frozenset({"a.server.json"}))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((out / "a.web.json").stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE((out / "a.server.json").stat().st_mode) == 0o600
    assert sorted(p.name for p in out.iterdir()) == ["a.server.json", "a.web.json"]


# --------------------------------------------------------------- the real command, end to end


def test_the_installed_command_prints_located_errors_without_a_traceback(
    tmp_path: Path, out: Path
) -> None:
    spec = write_spec(
        tmp_path,
        with_lines(
            ("name: Shop", "name: Shop\nname: Again"),
            ("pixel_id: CABCDEFGHIJK1234567", "pixel_id: x"),
        ),
    )
    before = snapshot(out)
    proc = subprocess.run(
        [sys.executable, "-m", "gtmgen", "build", str(spec), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"{spec}:3:1: duplicate key 'name' (first at line 2)",
        f"{spec}:9:3: tiktok.pixel_id: 'x' is not a TikTok pixel ID (10 to 40 upper-case "
        "letters and digits)",
    ]
    assert snapshot(out) == before


def test_the_readme_example_is_what_the_build_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = docs.section("errors")
    spec_text = section.split("```yaml\n")[1].split("```")[0]
    console = section.split("```console\n")[1].split("```")[0].splitlines()
    assert console[0] == "$ gtmgen build shop.yaml" and console[-2:] == ["$ echo $?", "2"]
    monkeypatch.chdir(tmp_path)
    Path("shop.yaml").write_text(spec_text, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "shop.yaml"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == console[1:-2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.yaml"]  # no output/ folder


def test_a_list_as_a_key_is_refused(tmp_path: Path, out: Path) -> None:
    text = VALID + "? [a, b]\n: 1\n"
    assert_refused(tmp_path, out, text, [(12, 3, "a key must be text, not a list or a mapping")])


def test_keys_that_yaml_reads_as_other_types_keep_their_text() -> None:
    # YAML 1.1 reads `yes` as true, `0x10` as 16 and `~` as null; as property names they
    # must stay what the user wrote (and `1` and `01` must not collide as duplicates).
    text = with_lines((TE, TE + "\n    properties: {yes: a.b, 0x10: c, ~: d, 1: e, 01: f}"))
    spec = load_spec_text(text, file="spec.yaml", environ={})
    assert list(spec.events[0].properties) == ["yes", "0x10", "~", "1", "01"]


def test_an_export_name_taken_by_a_folder_is_found_before_anything_is_replaced(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    (out / "spec.server.json").mkdir(parents=True)
    (out / "spec.web.json").write_bytes(b"old web")
    before = snapshot(out)
    code, lines = build(write_spec(tmp_path, VALID), out)
    assert code == ExitCode.INVALID
    assert lines == [f"{out}: spec.server.json is a folder; cannot write the export there"]
    assert snapshot(out) == before
