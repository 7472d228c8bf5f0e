"""What counts as a difference: small hand-made exports, one rule per test; and invalid
input, which exits 2 with a located message and never a traceback."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.diff import Change, diff_exports, parse_export

Export = dict[str, Any]


def param(key: str, value: str, type_: str = "TEMPLATE") -> dict[str, str]:
    return {"type": type_, "key": key, "value": value}


def table(key: str, *rows: tuple[str, str]) -> dict[str, Any]:
    return {
        "type": "LIST",
        "key": key,
        "list": [
            {"type": "MAP", "map": [param("parameter", a), param("parameterValue", b)]}
            for a, b in rows
        ],
    }


def condition(op: str, arg1: str) -> dict[str, Any]:
    return {"type": op, "parameter": [param("arg0", "{{_event}}"), param("arg1", arg1)]}


def sample(*, offset: int = 0, account: str = "111", container: str = "222") -> Export:
    """A small web export; ``offset`` renumbers every ID and fingerprint."""

    def n(x: int) -> str:
        return str(x + offset)

    head = {"accountId": account, "containerId": container}
    return {
        "exportFormatVersion": 2,
        "exportTime": f"2024-01-0{1 + offset % 8} 10:00:00",
        "containerVersion": {
            "path": f"accounts/{account}/containers/{container}/versions/{n(0)}",
            **head,
            "containerVersionId": n(0),
            "container": {
                "path": "x",
                **head,
                "name": "Shop",
                "publicId": "GTM-ABCD123",
                "usageContext": ["WEB"],
                "fingerprint": n(5),
                "tagManagerUrl": "https://example.invalid/" + n(0),
            },
            "tag": [
                {
                    **head,
                    "tagId": n(10),
                    "name": "GA4 - purchase",
                    "type": "gaawe",
                    "parameter": [
                        param("eventName", "purchase"),
                        table("eventSettingsTable", ("event_id", "{{ID}}"), ("value", "{{Value}}")),
                        param("sendEcommerceData", "false", "BOOLEAN"),
                    ],
                    "fingerprint": n(1),
                    "firingTriggerId": [n(20), n(21)],
                    "parentFolderId": n(40),
                    "tagFiringOption": "ONCE_PER_EVENT",
                },
                {
                    **head,
                    "tagId": n(11),
                    "name": "Pixel",
                    "type": f"cvt_{container}_{n(50)}",
                    "parameter": [param("pixelId", "ABC")],
                    "fingerprint": n(1),
                    "firingTriggerId": ["2147479553"],
                },
            ],
            "trigger": [
                {
                    **head,
                    "triggerId": n(20),
                    "name": "CE - purchase",
                    "type": "CUSTOM_EVENT",
                    "customEventFilter": [condition("EQUALS", "purchase")],
                    "fingerprint": n(2),
                },
                {
                    **head,
                    "triggerId": n(21),
                    "name": "CE - checkout",
                    "type": "CUSTOM_EVENT",
                    "customEventFilter": [
                        condition("EQUALS", "checkout"),
                        condition("CONTAINS", "check"),
                    ],
                    "fingerprint": n(2),
                },
            ],
            "variable": [
                {
                    **head,
                    "variableId": n(30),
                    "name": "Value",
                    "type": "v",
                    "parameter": [
                        param("dataLayerVersion", "2", "INTEGER"),
                        param("name", "ecommerce.value"),
                    ],
                    "fingerprint": n(3),
                    "formatValue": {},
                }
            ],
            "folder": [{**head, "folderId": n(40), "name": "Shop", "fingerprint": n(4)}],
            "builtInVariable": [
                {**head, "type": "EVENT", "name": "Event"},
                {**head, "type": "PAGE_URL", "name": "Page URL"},
            ],
            "fingerprint": n(6),
            "tagManagerUrl": "https://example.invalid/v",
            "customTemplate": [
                {
                    **head,
                    "templateId": n(50),
                    "name": "Pixel template",
                    "fingerprint": n(7),
                    "templateData": "___INFO___\n\n{}\n",
                }
            ],
        },
    }


def changes(old: Export, new: Export) -> list[Change]:
    return diff_exports(
        parse_export(json.dumps(old), file="old"), parse_export(json.dumps(new), file="new")
    )


def summaries(old: Export, new: Export) -> list[str]:
    return [c.summary() for c in changes(old, new)]


def entity(export: Export, kind: str, name: str) -> dict[str, Any]:
    return next(e for e in export["containerVersion"][kind] if e["name"] == name)


def test_ids_fingerprints_paths_and_export_time_are_ignored() -> None:
    assert summaries(sample(), sample(offset=1000, account="999", container="888")) == []


def test_key_order_and_parameter_order_are_ignored() -> None:
    new = sample()
    tag = entity(new, "tag", "GA4 - purchase")
    tag["parameter"].reverse()
    entity(new, "tag", "GA4 - purchase").update(dict(reversed(list(tag.items()))))
    assert summaries(sample(), new) == []


def test_order_of_firing_triggers_and_built_in_variables_is_ignored() -> None:
    new = sample()
    entity(new, "tag", "GA4 - purchase")["firingTriggerId"].reverse()
    new["containerVersion"]["builtInVariable"].reverse()
    new["containerVersion"]["tag"].reverse()
    assert summaries(sample(), new) == []


def test_order_of_settings_table_rows_matters() -> None:
    new = sample()
    entity(new, "tag", "GA4 - purchase")["parameter"][1]["list"].reverse()
    assert summaries(sample(), new) == [
        "changed tag 'GA4 - purchase': parameter eventSettingsTable"
    ]


def test_order_of_trigger_conditions_matters() -> None:
    new = sample()
    entity(new, "trigger", "CE - checkout")["customEventFilter"].reverse()
    assert summaries(sample(), new) == ["changed trigger 'CE - checkout': customEventFilter"]


def test_parameter_type_matters() -> None:
    new = sample()
    entity(new, "tag", "GA4 - purchase")["parameter"][2]["type"] = "TEMPLATE"
    [change] = changes(sample(), new)
    [field] = change.fields
    assert (field.field, field.old, field.new) == ("parameter sendEcommerceData", False, "false")
    old, new = sample(), sample()
    entity(old, "variable", "Value")["parameter"][0] = param("dataLayerVersion", "1", "INTEGER")
    entity(new, "variable", "Value")["parameter"][0] = param("dataLayerVersion", "true", "BOOLEAN")
    assert summaries(old, new) == ["changed variable 'Value': parameter dataLayerVersion"]


def test_renamed_trigger_is_removed_and_added_and_its_tag_changes() -> None:
    new = sample()
    entity(new, "trigger", "CE - purchase")["name"] = "CE - order"
    assert summaries(sample(), new) == [
        "changed tag 'GA4 - purchase': firingTriggers",
        "added trigger 'CE - order'",
        "removed trigger 'CE - purchase'",
    ]
    [tag_change] = changes(sample(), new)[:1]
    assert tag_change.fields[0].old == ["CE - checkout", "CE - purchase"]
    assert tag_change.fields[0].new == ["CE - checkout", "CE - order"]


def test_references_are_shown_by_name() -> None:
    new = sample()
    new["containerVersion"]["folder"].append(
        {"accountId": "111", "containerId": "222", "folderId": "41", "name": "Other"}
    )
    entity(new, "tag", "GA4 - purchase")["parentFolderId"] = "41"
    entity(new, "tag", "Pixel")["firingTriggerId"] = ["20"]
    entity(new, "customTemplate", "Pixel template")["name"] = "Pixel template v2"
    found = {c.summary(): c for c in changes(sample(), new)}
    folder = found["changed tag 'GA4 - purchase': folder"].fields[0]
    assert (folder.old, folder.new) == ("Shop", "Other")
    pixel = found["changed tag 'Pixel': type, firingTriggers"]
    assert [(f.old, f.new) for f in pixel.fields] == [
        ("custom template: Pixel template", "custom template: Pixel template v2"),
        (["All Pages (built-in)"], ["CE - purchase"]),
    ]


def test_gallery_template_type_resolves_through_the_gallery_id() -> None:
    old, new = sample(), sample(offset=7)
    for export, template_id in ((old, "50"), (new, "57")):
        template = entity(export, "customTemplate", "Pixel template")
        template["galleryReference"] = {"host": "github.com", "galleryTemplateId": "ABCDE"}
        entity(export, "tag", "Pixel")["type"] = (
            "cvt_ABCDE" if export is old else f"cvt_222_{template_id}"
        )
    assert summaries(old, new) == []


def test_duplicate_names_are_kept_apart_with_a_warning() -> None:
    doubled = sample()
    tags = doubled["containerVersion"]["tag"]
    tags.append(copy.deepcopy(tags[1]) | {"tagId": "12"})
    export = parse_export(json.dumps(doubled), file="x.json")
    assert ("tag", "Pixel (#2)") in export.entities
    assert export.warnings == ["x.json: 2 tags named 'Pixel'; they are compared in file order"]
    assert summaries(sample(), doubled) == ["added tag 'Pixel (#2)'"]


def test_container_settings_are_compared() -> None:
    new = sample()
    new["containerVersion"]["container"]["publicId"] = "GTM-OTHER12"
    assert summaries(sample(), new) == ["changed container 'Shop': publicId"]


def test_hostile_names_cannot_reach_the_terminal(tmp_path: Path) -> None:
    new = sample()
    entity(new, "trigger", "CE - purchase")["name"] = "evil\x1b[2J\u202e name"
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old_path.write_text(json.dumps(sample()), encoding="utf-8")
    new_path.write_text(json.dumps(new), encoding="utf-8")
    for fmt in ("text", "markdown"):
        result = CliRunner().invoke(app, ["diff", "-f", fmt, str(old_path), str(new_path)])
        assert result.exit_code == 1
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        assert "evil\\u001b[2J\\u202e name" in result.stdout


BAD_INPUTS = [
    ("missing", None, "missing.json: no such file"),
    ("not-json", b'{"exportFormatVersion": 2,\n  oops}', "not-json:2:3: not valid JSON"),
    ("not-utf8", b'{"a": "\xff"}', "not-utf8:1:8: not UTF-8 text"),
    ("array", b"[]", "array: the file holds a list, not a GTM container export"),
    ("no-version", b'{"name": "x"}', "no-version: containerVersion: is missing"),
    (
        "bad-tags",
        b'{"containerVersion": {"tag": {"a": 1}}}',
        "bad-tags: containerVersion.tag: is an object, not a list",
    ),
    (
        "deep",
        b'{"containerVersion": {"tag": [{"name": "t", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}]}}",
        "deep:1:",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_invalid_input_exits_2_with_a_message(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(sample()), encoding="utf-8")
    bad = tmp_path / (name + (".json" if content is None else ""))
    if content is not None:
        bad.write_bytes(content)
    for args in (["diff", str(bad), str(good)], ["diff", "-f", "json", str(good), str(bad)]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr.startswith(f"{tmp_path}/{message}"), result.stderr
        assert "Traceback" not in result.stderr
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        )


def test_a_folder_is_not_an_export(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diff", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}: is a folder, not a file\n"
