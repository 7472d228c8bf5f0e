"""`gtmgen validate` on broken files: a clear located message and exit 2, never a
traceback or a hang; on good and bad exports: exit 0 and 1 with the documented lines."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from gtmgen.cli import app
from gtmgen.gtm import reader

SMALL: dict[str, Any] = {
    "exportFormatVersion": 2,
    "exportTime": "2024-01-01 00:00:00",
    "containerVersion": {
        "accountId": "1",
        "containerId": "2",
        "containerVersionId": "0",
        "container": {
            "accountId": "1",
            "containerId": "2",
            "name": "Small",
            "publicId": "GTM-SMALL",
            "usageContext": ["WEB"],
        },
        "tag": [
            {
                "accountId": "1",
                "containerId": "2",
                "tagId": "3",
                "name": "Hello",
                "type": "html",
                "parameter": [
                    {"type": "TEMPLATE", "key": "html", "value": "<b>{{Page URL}}</b>"},
                    {"type": "BOOLEAN", "key": "supportDocumentWrite", "value": "false"},
                ],
                "firingTriggerId": ["2147479553"],
                "tagFiringOption": "ONCE_PER_EVENT",
            }
        ],
        "builtInVariable": [
            {"accountId": "1", "containerId": "2", "type": "PAGE_URL", "name": "Page URL"}
        ],
    },
}


def run(*paths: Path | str) -> Result:
    return CliRunner().invoke(app, ["validate", *map(str, paths)])


def write(tmp_path: Path, content: str | bytes, name: str = "export.json") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_invalid(result: Result, expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_good_export_passes(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps(SMALL))
    result = run(path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: ok (web, 1 tag, 1 built-in variable)\n"
    assert result.stderr == ""


def test_an_export_with_errors_fails_with_located_lines(tmp_path: Path) -> None:
    broken = json.loads(json.dumps(SMALL))
    broken["containerVersion"]["tag"][0]["firingTriggerId"] = ["99"]
    path = write(tmp_path, json.dumps(broken))
    result = run(path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: containerVersion.tag[0].firingTriggerId[0] (tag 'Hello'): "
        "trigger '99' does not exist",
        f"{path}: failed (1 error; web, 1 tag, 1 built-in variable)",
    ]


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    quiet = json.loads(json.dumps(SMALL))
    del quiet["containerVersion"]["builtInVariable"]
    path = write(tmp_path, json.dumps(quiet))
    result = run(path)
    assert result.exit_code == 0
    assert (
        "warning: {{Page URL}} is a built-in variable this export does not enable" in result.stdout
    )
    assert result.stdout.endswith(f"{path}: ok (web, 1 tag; 1 warning)\n")


def test_missing_file(tmp_path: Path) -> None:
    assert_invalid(run(tmp_path / "nope.json"), f"{tmp_path / 'nope.json'}: no such file")


def test_folder(tmp_path: Path) -> None:
    assert_invalid(run(tmp_path), f"{tmp_path}: is a folder, not a file")


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, b'{"a":\n "caf\xe9"}')
    assert_invalid(run(path), f"{path}:2:6: not UTF-8 text (byte 0xe9)")


@pytest.mark.parametrize(
    ("text", "where", "ending"),
    [
        (
            '{"exportFormatVersion": 2,\n "containerVersion": {"tag": [',
            "2:31",
            "; the file ends here (cut off?)\n",
        ),
        ('{"a": 1,}', "1:9", "\n"),
    ],
)
def test_truncated_or_malformed_json(tmp_path: Path, text: str, where: str, ending: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        assert where == f"{exc.lineno}:{exc.colno}"  # the position json itself reports
        message = exc.msg
    path = write(tmp_path, text)
    assert_invalid(run(path), f"{path}:{where}: not valid JSON: {message}{ending}")


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "  \n")
    assert_invalid(run(path), f"{path}: the file is empty")


def test_nan_is_not_json(tmp_path: Path) -> None:
    path = write(tmp_path, '{"exportFormatVersion": NaN}')
    assert_invalid(run(path), f"{path}:1:25: not valid JSON: NaN is not a JSON value")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("[1, 2]", "a list"),
        ("42", "a number"),
        ('"x"', "a string"),
        ("null", "null"),
        ("true", "a boolean"),
    ],
)
def test_top_level_not_an_object(tmp_path: Path, text: str, found: str) -> None:
    path = write(tmp_path, text)
    assert_invalid(run(path), f"{path}: the file holds {found}, not a GTM container export")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"tag": None}, "containerVersion.tag: is null, not a list; GTM omits empty collections"),
        ({"trigger": [None]}, "containerVersion.trigger[0]: is null, not an object"),
        ({"variable": {"a": 1}}, "containerVersion.variable: is an object, not a list"),
        ({"container": None}, "containerVersion.container: is null, not an object"),
    ],
)
def test_null_entities_and_lists(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    broken = json.loads(json.dumps(SMALL))
    broken["containerVersion"].update(change)
    path = write(tmp_path, json.dumps(broken))
    assert_invalid(run(path), f"{path}: {expected}")


@pytest.mark.parametrize("version", [None, [], "x"])
def test_container_version_missing_or_wrong(tmp_path: Path, version: Any) -> None:
    broken = dict(SMALL, containerVersion=version)
    if version is None:
        del broken["containerVersion"]
    path = write(tmp_path, json.dumps(broken))
    assert_invalid(run(path), f"{path}: containerVersion: is ")


def test_100000_levels_of_nesting(tmp_path: Path) -> None:
    path = write(tmp_path, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    # the first bracket past 64 levels: the object is level 1, the 63rd "[" is level 64
    assert_invalid(run(path), f"{path}:1:70: nested more than 64 levels deep")


def test_nesting_that_json_can_parse_but_no_export_has(tmp_path: Path) -> None:
    path = write(tmp_path, '{"containerVersion": {"x": ' + "[" * 200 + "]" * 200 + "}}")
    assert_invalid(run(path), f"{path}:1:90: nested more than 64 levels deep")


def test_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing to read
    assert_invalid(
        run(path), f"{path}: the file is 50.0 MB; gtmgen reads container exports up to 32 MB"
    )


def large_export(size: int) -> str:
    """SMALL with copies of its tag (own IDs and names): about ``size`` bytes of JSON."""

    def with_tags(count: int) -> str:
        export = json.loads(json.dumps(SMALL))
        tags = export["containerVersion"]["tag"]
        tags += [dict(tags[0], tagId=str(10 + i), name=f"Hello {i}") for i in range(count)]
        return json.dumps(export, indent=4)

    per_tag = len(with_tags(1001)) - len(with_tags(1))
    return with_tags(1000 * size // per_tag)


def test_50_mb_export_written_out_is_refused(tmp_path: Path) -> None:
    text = large_export(50 * 1024 * 1024)
    path = write(tmp_path, text)
    assert path.stat().st_size >= 50 * 1024 * 1024
    assert_invalid(
        run(path),
        f"{path}: the file is {len(text) / 1024 / 1024:.1f} MB; "
        "gtmgen reads container exports up to 32 MB",
    )


def test_export_near_the_cap_is_checked_in_full(tmp_path: Path) -> None:
    """30 MB (about 40,000 tags), one wrong value at the end: found, located, exit 1."""
    export = json.loads(large_export(30 * 1024 * 1024))
    last = export["containerVersion"]["tag"][-1]
    last["parameter"][1]["value"] = "no"
    path = write(tmp_path, json.dumps(export, indent=4))
    assert reader.MAX_EXPORT_BYTES > path.stat().st_size > 29 * 1024 * 1024
    result = run(path)
    assert result.exit_code == 1, result.output
    index = len(export["containerVersion"]["tag"]) - 1
    assert result.stderr.splitlines()[0] == (
        f"{path}: containerVersion.tag[{index}].parameter[1].value (tag {last['name']!r}): "
        "value 'no' is not 'true' or 'false'"
    )
    assert "Traceback" not in result.output


def test_size_cap_also_holds_when_stat_lies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_EXPORT_BYTES", 100)
    path = write(tmp_path, json.dumps(SMALL))
    assert_invalid(run(path), "; gtmgen reads container exports up to 100 bytes")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a POSIX FIFO")
def test_fifo_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert_invalid(run(fifo), f"{fifo}: is not a regular file")


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="root reads any file; permissions differ on Windows",
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps(SMALL))
    path.chmod(0)
    assert_invalid(run(path), f"{path}: cannot read the file: Permission denied")


def test_byte_order_mark_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + json.dumps(SMALL).encode())
    result = run(path)
    assert result.exit_code == 0
    assert f"{path}: warning: the file starts with a UTF-8 byte order mark" in result.stdout


def test_several_files_exit_with_the_worst_code(tmp_path: Path) -> None:
    good = write(tmp_path, json.dumps(SMALL), "good.json")
    bad = write(tmp_path, "[]", "bad.json")
    result = run(good, bad)
    assert result.exit_code == 2
    assert f"{good}: ok" in result.stdout
    assert f"{bad}: the file holds a list" in result.stderr


def test_read_error_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, json.dumps(SMALL))

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    assert_invalid(run(path), f"{path}: cannot read the file: Permission denied")
