"""``gtmgen diff`` on gtmgen's own exports: it names exactly the entities of the event that
changed, its three formats agree, and bad input exits 2 with a message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.diff import diff_texts
from gtmgen.generate import names
from gtmgen.generate.pipeline import build_spec
from tests import docs
from tests.test_stable_ids import SPECS, Key, event_entities

VARIANTS = (
    "vcs-shop",
    "vcs-shop-added",
    "vcs-shop-removed",
    "vcs-shop-reversed",
    "vcs-shop-no-purchase",
    "vcs-shop-retarget",
)
LINE = re.compile(r"^([+~-]) (\w+) '(.*)'$")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    for spec in VARIANTS:
        files = build_spec(SPECS / f"{spec}.yaml", environ={}).files
        for name, text in files.items():
            (out / name).write_bytes(text.encode("utf-8"))
    return out


def gtmgen(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


def reported(text: str) -> dict[Key, str]:
    """(kind, name) -> '+', '-' or '~' from the text report's entity lines."""
    found = {}
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            found[(match.group(2), match.group(3))] = match.group(1)
    return found


def pair(built: Path, variant: str, side: str) -> tuple[Path, Path]:
    return built / f"vcs-shop.{side}.json", built / f"{variant}.{side}.json"


@pytest.mark.parametrize("side", ["web", "server"])
def test_a_file_compared_with_itself_is_equal(built: Path, side: str) -> None:
    old, _ = pair(built, "vcs-shop", side)
    code, out, err = gtmgen("diff", old, old)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "no differences"
    code, out, _ = gtmgen("diff", "--format", "json", old, old)
    assert code == 0
    assert json.loads(out)["changes"] == []


@pytest.mark.parametrize("side", ["web", "server"])
def test_added_event_is_reported_as_exactly_its_entities(built: Path, side: str) -> None:
    expected = event_entities(
        "add_to_wishlist",
        user_data=True,
        extra_web={("variable", names.dlv("wishlist.name"))},
        extra_server={("variable", names.event_data("description"))},
    )[side]
    code, out, _ = gtmgen("diff", *pair(built, "vcs-shop-added", side))
    assert code == 1
    assert reported(out) == dict.fromkeys(expected, "+")


@pytest.mark.parametrize("side", ["web", "server"])
def test_removed_event_is_reported_as_exactly_its_entities(built: Path, side: str) -> None:
    expected = event_entities(
        "search",
        user_data=False,
        extra_web={("variable", names.dlv("search_term"))},
        extra_server={("variable", names.event_data("query"))},
    )[side]
    code, out, _ = gtmgen("diff", *pair(built, "vcs-shop-removed", side))
    assert code == 1
    assert reported(out) == dict.fromkeys(expected, "-")


@pytest.mark.parametrize("side", ["web", "server"])
def test_reversed_events_are_no_difference(built: Path, side: str) -> None:
    code, out, _ = gtmgen("diff", *pair(built, "vcs-shop-reversed", side))
    assert code == 0
    assert reported(out) == {}


def test_removing_the_event_id_from_event_shows_the_event_id_variable_change(
    built: Path,
) -> None:
    code, out, _ = gtmgen("diff", *pair(built, "vcs-shop-no-purchase", "web"))
    assert code == 1
    found = reported(out)
    assert found.pop(("variable", names.EVENT_ID)) == "~"
    assert set(found.values()) == {"-"}
    assert ("tag", names.tiktok_tag("purchase")) in found
    # the changed line of the JavaScript is shown, as a line diff
    assert re.search(
        r'^\s+- +var fromPaths = \{"purchase": "ecommerce.transaction_id"\};$', out, re.M
    )
    assert re.search(r"^\s+\+ +var fromPaths = \{\};$", out, re.M)


@pytest.mark.parametrize("side", ["web", "server"])
def test_a_new_tiktok_event_is_one_parameter_of_one_tag(built: Path, side: str) -> None:
    old, new = pair(built, "vcs-shop-retarget", side)
    lines = diff_texts(old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8"))
    assert lines == [f"changed tag '{names.tiktok_tag('add_to_cart')}': parameter eventName"]
    code, out, _ = gtmgen("diff", old, new)
    assert code == 1
    assert '    parameter eventName: "AddToCart" -> "AddToWishlist"' in out.splitlines()


@pytest.mark.parametrize("variant", VARIANTS[1:])
@pytest.mark.parametrize("side", ["web", "server"])
def test_json_report_lists_the_same_changes_as_the_text_report(
    built: Path, variant: str, side: str
) -> None:
    old, new = pair(built, variant, side)
    text_code, text_out, _ = gtmgen("diff", old, new)
    json_code, json_out, _ = gtmgen("diff", "--format", "json", old, new)
    assert text_code == json_code
    document = json.loads(json_out)
    assert (document["format"], document["version"]) == ("gtmgen-diff", 1)
    assert document["old"] == str(old) and document["new"] == str(new)
    assert document["equal"] is (json_code == 0)
    mark = {"added": "+", "removed": "-", "changed": "~"}
    assert {(c["kind"], c["name"]): mark[c["change"]] for c in document["changes"]} == reported(
        text_out
    )
    for change in document["changes"]:
        assert change["fields"], change
        for field in change["fields"]:
            assert set(field) == {"field", "old", "new"}
            if change["change"] == "added":
                assert field["old"] is None and field["new"] is not None
            if change["change"] == "removed":
                assert field["new"] is None and field["old"] is not None
            if change["change"] == "changed":
                assert field["old"] != field["new"]
    summary = document["summary"]
    assert sum(summary.values()) == len(document["changes"])


def test_json_report_carries_old_and_new_values(built: Path) -> None:
    code, out, _ = gtmgen("diff", "-f", "json", *pair(built, "vcs-shop-retarget", "server"))
    assert code == 1
    [change] = json.loads(out)["changes"]
    assert change == {
        "kind": "tag",
        "name": names.tiktok_tag("add_to_cart"),
        "change": "changed",
        "fields": [{"field": "parameter eventName", "old": "AddToCart", "new": "AddToWishlist"}],
    }


def test_markdown_report_has_a_table_row_per_change(built: Path) -> None:
    code, out, _ = gtmgen(
        "diff", "--format", "markdown", *pair(built, "vcs-shop-no-purchase", "web")
    )
    assert code == 1
    rows = [
        line
        for line in out.splitlines()
        if line.startswith("| removed |") or line.startswith("| changed |")
    ]
    assert len(rows) == 6
    assert (
        "| changed | variable | <code>gtmgen - event\\_id</code> | parameter javascript |" in rows
    )
    assert "<details><summary>changed variable <code>gtmgen - event_id</code></summary>" in out
    assert "```diff" in out


def test_colour_follows_the_options(built: Path) -> None:
    old, new = pair(built, "vcs-shop-added", "web")
    assert "\x1b[" not in gtmgen("diff", old, new)[1]  # not a terminal: plain
    assert "\x1b[" not in gtmgen("diff", "--no-color", old, new)[1]
    coloured = gtmgen("diff", "--color", old, new)[1]
    assert "\x1b[32m+ tag 'gtmgen - TikTok - add_to_wishlist'\x1b[0m" in coloured
    assert "\x1b[" not in gtmgen("diff", "--color", "-f", "json", old, new)[1]


def test_diff_texts_says_when_it_cannot_compare() -> None:
    [line] = diff_texts("{not json", "{}")
    assert line.startswith("cannot compare entities: old:1:2: not valid JSON")


def test_readme_documents_the_json_report_as_it_is(built: Path) -> None:
    documented = json.loads(docs.section("vcs").split("```json\n")[1].split("```")[0])
    _code, out, _ = gtmgen("diff", "-f", "json", *pair(built, "vcs-shop-retarget", "web"))
    actual = json.loads(out)
    assert list(documented) == list(actual)
    assert list(documented["summary"]) == list(actual["summary"])
    assert documented["changes"][0]["fields"] == actual["changes"][0]["fields"]
    assert list(documented["changes"][0]) == list(actual["changes"][0])
