"""gtmgen plan: GTM's import rules (docs/plan.md R1-R9), "made by gtmgen", the warnings
beyond GTM's screen, the merged container, the three formats and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.diff.normalize import parse_export
from gtmgen.generate import names
from gtmgen.plan import make_plan, run_plan
from gtmgen.plan.merge import ADDED, DELETED, MODIFIED, UNCHANGED, Side
from gtmgen.plan.rules import made_by_gtmgen
from gtmgen.plan.warnings import sends
from gtmgen.validate import check_export
from gtmgen.validate.findings import Severity

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "output" / "acme-shop.web.json"
SERVER = ROOT / "output" / "acme-shop.server.json"
HANDMADE = ROOT / "tests" / "plan" / "handmade-tiktok.web.json"
ACME_PIXEL = "CACMESHOP0000000001"


def side(data: dict[str, Any], file: str = "x.json") -> Side:
    return Side(file, data, parse_export(json.dumps(data), file=file))


def load(path: Path) -> Side:
    return side(json.loads(path.read_text(encoding="utf-8")), str(path))


def export(context: str = "WEB", cid: str = "100", **kinds: list[dict[str, Any]]) -> dict[str, Any]:
    version: dict[str, Any] = {
        "accountId": "1",
        "containerId": cid,
        "containerVersionId": "0",
        "container": {
            "accountId": "1",
            "containerId": cid,
            "name": "c",
            "publicId": "GTM-X",
            "usageContext": [context],
        },
    }
    for kind, items in kinds.items():
        version[kind] = [{"accountId": "1", "containerId": cid, **e} for e in items]
    return {"exportFormatVersion": 2, "exportTime": "", "containerVersion": version}


def tpl(key: str, value: str) -> dict[str, str]:
    return {"type": "TEMPLATE", "key": key, "value": value}


def html_tag(
    tag_id: str, name: str, code: str, triggers: tuple[str, ...] = ("2147479553",), **extra: Any
) -> dict[str, Any]:
    return {
        "tagId": tag_id,
        "name": name,
        "type": "html",
        "parameter": [tpl("html", code)],
        "firingTriggerId": list(triggers),
        **extra,
    }


def constant(var_id: str, name: str, value: str, **extra: Any) -> dict[str, Any]:
    return {
        "variableId": var_id,
        "name": name,
        "type": "c",
        "parameter": [tpl("value", value)],
        **extra,
    }


def event_trigger(trigger_id: str, name: str, event: str, **extra: Any) -> dict[str, Any]:
    return {
        "triggerId": trigger_id,
        "name": name,
        "type": "CUSTOM_EVENT",
        "customEventFilter": [
            {"type": "EQUALS", "parameter": [tpl("arg0", "{{_event}}"), tpl("arg1", event)]}
        ],
        **extra,
    }


def actions(plan: Any) -> dict[tuple[str, str], str]:
    return {(i.kind, i.name): i.action for i in plan.items}


def codes(plan: Any) -> list[str]:
    return [w.code for w in plan.warnings]


def version_of(merged: dict[str, object]) -> dict[str, Any]:
    """The merged export's containerVersion: JSON, an object."""
    return cast(dict[str, Any], merged["containerVersion"])


MARK = f"{names.MARKER} from the spec 'x'."


# --- R1: matched by name, per kind ---------------------------------------------------


def test_r1_same_name_in_different_kinds_is_no_conflict() -> None:
    target = export(variable=[constant("1", "Shared", "a")])
    new = export(trigger=[event_trigger("1", "Shared", "e")])
    plan, _ = make_plan(side(target), side(new))
    assert actions(plan) == {("trigger", "Shared"): ADDED}
    assert plan.warnings == []


def test_r1_ids_do_not_matter_only_names() -> None:
    target = export(variable=[constant("7", "Same", "a")])
    new = export(variable=[constant("99", "Same", "a")])
    plan, merged = make_plan(side(target), side(new))
    assert actions(plan) == {("variable", "Same"): UNCHANGED}  # R5
    assert plan.sentence() == "0 added, 0 modified, 0 deleted"
    assert version_of(merged)["variable"][0]["variableId"] == "7"


# --- R2: merge-overwrite ---------------------------------------------------------------


def test_r2_merge_overwrite_replaces_same_name_keeps_the_rest() -> None:
    target = export(variable=[constant("1", "Pixel", "A"), constant("2", "Theirs", "x")])
    new = export(cid="200", variable=[constant("5", "Pixel", "B"), constant("6", "New one", "y")])
    plan, merged = make_plan(side(target), side(new))
    assert actions(plan) == {("variable", "New one"): ADDED, ("variable", "Pixel"): MODIFIED}
    [item] = [i for i in plan.items if i.action == MODIFIED]
    assert item.fields == ("parameter value",) and item.theirs
    variables = {v["name"]: v for v in version_of(merged)["variable"]}
    assert set(variables) == {"Pixel", "Theirs", "New one"}
    assert variables["Pixel"]["variableId"] == "1"  # the target's ID is kept
    assert variables["Pixel"]["parameter"][0]["value"] == "B"
    assert variables["New one"]["variableId"] not in {"1", "2"}
    assert {v["containerId"] for v in variables.values()} == {"100"}
    assert plan.sentence() == "1 variable added, 1 modified, 0 deleted"


# --- R3: overwrite ---------------------------------------------------------------------


def test_r3_overwrite_deletes_what_the_file_lacks() -> None:
    target = export(
        variable=[constant("1", "Theirs", "x")],
        builtInVariable=[{"type": "PAGE_URL", "name": "Page URL"}],
    )
    new = export(
        variable=[constant("1", "gtmgen - a", "y", notes=MARK)],
        builtInVariable=[{"type": "EVENT", "name": "Event"}],
    )
    plan, merged = make_plan(side(target), side(new), "overwrite")
    assert actions(plan) == {
        ("variable", "gtmgen - a"): ADDED,
        ("variable", "Theirs"): DELETED,
        ("builtInVariable", "Event"): ADDED,
        ("builtInVariable", "Page URL"): DELETED,
    }
    version = version_of(merged)
    assert [v["name"] for v in version["variable"]] == ["gtmgen - a"]
    assert [b["name"] for b in version["builtInVariable"]] == ["Event"]  # R6 (assumed)
    deleted = [w.message for w in plan.warnings if w.code == "foreign-deleted"]
    assert len(deleted) == 2
    assert any(
        m.startswith("built-in variable 'Page URL' is on in TARGET and would be switched off")
        for m in deleted
    )
    assert plan.sentence() == "1 variable added, 0 modified, 1 deleted"


# --- R4: merge-rename ------------------------------------------------------------------


def test_r4_merge_rename_adds_a_renamed_copy_and_references_follow() -> None:
    target = export(
        variable=[constant("1", "Pixel", "A")], trigger=[event_trigger("3", "buy", "purchase")]
    )
    new = export(
        cid="200",
        variable=[constant("1", "Pixel", "B")],
        trigger=[event_trigger("3", "buy", "purchase")],
        tag=[html_tag("9", "Send", "<script>x('{{Pixel}}')</script>", ("3",))],
    )
    plan, merged = make_plan(side(target), side(new), "merge-rename")
    renamed = {i.name: i.new_name for i in plan.items if i.new_name}
    assert renamed == {"Pixel": "Pixel_1"}  # the trigger is identical: no copy (R5)
    assert "foreign-overwritten" not in codes(plan)
    version = version_of(merged)
    assert sorted(v["name"] for v in version["variable"]) == ["Pixel", "Pixel_1"]
    [tag] = version["tag"]
    assert tag["parameter"][0]["value"] == "<script>x('{{Pixel_1}}')</script>"
    assert tag["firingTriggerId"] == ["3"]  # the target's identical trigger


# --- R5: identical entities ------------------------------------------------------------


def test_r5_identical_entities_are_unchanged_and_not_counted() -> None:
    data = json.loads(WEB.read_text(encoding="utf-8"))
    plan, _ = make_plan(side(data), side(data))
    assert {i.action for i in plan.items} == {UNCHANGED}
    assert plan.sentence() == "0 added, 0 modified, 0 deleted"
    assert plan.warnings == []


# --- R6: built-in variables ------------------------------------------------------------


def test_r6_merge_enables_the_listed_builtins_with_a_note() -> None:
    target = export(builtInVariable=[{"type": "PAGE_URL", "name": "Page URL"}])
    new = export(
        builtInVariable=[{"type": "EVENT", "name": "Event"}],
        trigger=[event_trigger("1", "t", "e")],
        tag=[html_tag("2", "x", "<script>f('{{Event}}')</script>", ("1",))],
    )
    plan, merged = make_plan(side(target), side(new))
    assert actions(plan)[("builtInVariable", "Event")] == ADDED
    assert ("builtInVariable", "Page URL") not in actions(plan)
    assert sorted(b["name"] for b in version_of(merged)["builtInVariable"]) == ["Event", "Page URL"]
    [note] = [w for w in plan.warnings if w.code == "builtin-enabled"]
    assert not note.fails and "'Event'" in note.message
    assert not plan.failing


def test_r6_builtin_needed_but_not_listed_is_an_unresolved_reference() -> None:
    target = export(builtInVariable=[{"type": "PAGE_URL", "name": "Page URL"}])
    new = export(
        trigger=[event_trigger("1", "t", "e")],
        tag=[html_tag("2", "x", "<script>f('{{Click URL}}')</script>", ("1",))],
    )
    plan, _ = make_plan(side(target), side(new))
    [problem] = [w for w in plan.warnings if w.code == "unresolved-reference"]
    assert "Click URL" in problem.message and problem.fails


# --- R7: templates, folders and cvt_ types ---------------------------------------------


def test_r7_template_type_and_folder_follow_into_the_target() -> None:
    target_side = load(HANDMADE)
    _plan, merged = make_plan(target_side, load(WEB))
    version = version_of(merged)
    [template] = [t for t in version["customTemplate"] if t["name"] == names.WEB_TEMPLATE]
    [folder] = [f for f in version["folder"]]
    ours = [t for t in version["tag"] if t["name"].startswith("gtmgen - TikTok")]
    assert ours and {t["type"] for t in ours} == {f"cvt_70000001_{template['templateId']}"}
    assert {t["parentFolderId"] for t in ours} == {folder["folderId"]}
    errors = [f for f in check_export(merged, file="merged.json") if f.severity is Severity.ERROR]
    assert errors == []


# --- R8: server kinds ------------------------------------------------------------------


def test_r8_clients_are_matched_by_name_like_the_rest() -> None:
    client = {"clientId": "4", "name": "GA4", "type": "gaaw_client", "parameter": [], "priority": 0}
    target = export("SERVER", client=[client])
    new = export("SERVER", client=[{**client, "priority": 5}])
    plan, _ = make_plan(side(target), side(new))
    assert actions(plan) == {("client", "GA4"): MODIFIED}
    assert plan.sentence() == "0 added, 1 modified, 0 deleted"
    assert codes(plan) == ["foreign-overwritten"]


def test_w5_a_client_of_theirs_that_claims_first() -> None:
    def client(name: str, priority: int, **extra: Any) -> dict[str, Any]:
        return {
            "clientId": "4",
            "name": name,
            "type": "gaaw_client",
            "parameter": [],
            "priority": priority,
            **extra,
        }

    new = export("SERVER", client=[client("gtmgen - GA4", 0, notes=MARK)])
    for theirs, expected in [
        (client("GA4", 10), ["competing-client"]),
        (client("GA4", 0), ["competing-client"]),
        (client("GA4", -1), []),
        ({**client("GA4", 10), "type": "other_client"}, []),
    ]:
        plan, _ = make_plan(side(export("SERVER", client=[theirs])), side(new))
        assert codes(plan) == expected, theirs


def test_web_into_server_is_refused() -> None:
    from gtmgen.errors import InputError

    with pytest.raises(InputError, match="web"):
        make_plan(side(export("SERVER")), side(export("WEB")))


# --- made by gtmgen ------------------------------------------------------------------


def test_every_entity_gtmgen_writes_is_marked() -> None:
    for path in (WEB, SERVER):
        version = json.loads(path.read_text(encoding="utf-8"))["containerVersion"]
        for kind in ("tag", "trigger", "variable", "folder", "customTemplate", "client"):
            for entity in version.get(kind, []):
                assert made_by_gtmgen(kind, entity), (path.name, kind, entity["name"])


def test_a_name_alone_is_not_ours() -> None:
    assert not made_by_gtmgen("variable", constant("1", "gtmgen - event_id", "x"))
    assert not made_by_gtmgen(
        "variable", constant("1", "gtmgen - event_id", "x", notes="hand-made")
    )
    assert not made_by_gtmgen("variable", constant("1", "event_id", "x", notes=MARK))
    assert made_by_gtmgen("variable", constant("1", "gtmgen - event_id", "x", notes=MARK))
    assert not made_by_gtmgen("folder", {"name": "Acme Shop"})
    assert not made_by_gtmgen(
        "customTemplate", {"name": names.WEB_TEMPLATE, "templateData": "___INFO___\n{}"}
    )
    assert not made_by_gtmgen("builtInVariable", {"name": "Event", "type": "EVENT"})


def test_updating_our_own_entities_raises_no_warning() -> None:
    old = json.loads(WEB.read_text(encoding="utf-8"))
    new = json.loads(WEB.read_text(encoding="utf-8"))
    [pixel] = [v for v in new["containerVersion"]["variable"] if v["name"] == names.PIXEL_ID]
    pixel["parameter"][0]["value"] = "CNEWPIXEL000000002"
    plan, _ = make_plan(side(old), side(new))
    assert actions(plan)[("variable", names.PIXEL_ID)] == MODIFIED
    assert plan.warnings == []


# --- W1..W4 on the hand-made target (the docs' worked example) -----------------------


def test_worked_example_handmade_tiktok_target() -> None:
    plan, _ = make_plan(load(HANDMADE), load(WEB))
    by_code: dict[str, list[str]] = {}
    for warning in plan.warnings:
        by_code.setdefault(warning.code, []).append(warning.message)
    assert set(by_code) == {"foreign-overwritten", "double-sender", "builtin-enabled"}
    [foreign] = by_code["foreign-overwritten"]
    assert foreign.startswith("variable 'gtmgen - event_id' in TARGET was not made by gtmgen")
    assert "parameter javascript" in foreign and "notes" in foreign
    doubles = sorted(by_code["double-sender"])
    assert len(doubles) == 3
    assert doubles[0].startswith(
        "tag 'TikTok - add to cart' in TARGET (gallery template) "
        f"already sends TikTok 'AddToCart' to pixel {ACME_PIXEL}"
    )
    # its base code's global ttq.page() reaches gtmgen's pixel too, beside gtmgen's base tag
    assert doubles[1].startswith(
        "tag 'TikTok - base pixel' in TARGET (Custom HTML) already "
        "sends TikTok 'Pageview' to every pixel on the page"
    )
    assert "as 'gtmgen - TikTok - base' does ('Pageview')" in doubles[1]
    assert doubles[2].startswith(
        "tag 'TikTok - purchase' in TARGET (Custom HTML) already "
        "sends TikTok 'CompletePayment' to every pixel on the page"
    )
    assert all("pause" in d for d in doubles)
    # merge-rename leaves their variable alone; the double senders stay
    renamed, _ = make_plan(load(HANDMADE), load(WEB), "merge-rename")
    assert "foreign-overwritten" not in codes(renamed)
    assert codes(renamed).count("double-sender") == 3


def test_w2_another_pixel_or_a_paused_tag_is_no_double_sender() -> None:
    data = json.loads(HANDMADE.read_text(encoding="utf-8"))
    version = data["containerVersion"]
    [pixel] = [v for v in version["variable"] if v["name"] == "TikTok pixel"]
    pixel["parameter"][0]["value"] = "COTHERPIXEL0000001"
    [purchase] = [t for t in version["tag"] if t["name"] == "TikTok - purchase"]
    purchase["paused"] = True
    [base] = [t for t in version["tag"] if t["name"] == "TikTok - base pixel"]
    base["paused"] = True  # its global ttq.page() would reach every pixel, gtmgen's too
    plan, _ = make_plan(side(data), load(WEB))
    assert "double-sender" not in codes(plan)


def test_w2_meta_global_fbq_and_gallery_meta_tags() -> None:
    target = export(
        variable=[constant("1", "Meta pixel", "111222333")],
        trigger=[event_trigger("2", "buy", "purchase")],
        tag=[
            html_tag(
                "3", "FB base", "<script>fbq('init','111222333');fbq('track', 'PageView');</script>"
            ),
            html_tag(
                "4",
                "FB other pixel",
                "<script>fbq('trackSingle', '999', 'Purchase');</script>",
                ("2",),
            ),
            {
                "tagId": "5",
                "name": "FB template",
                "type": "cvt_100_6",
                "parameter": [
                    tpl("pixelId", "{{Meta pixel}}"),
                    tpl("eventName", "standard"),
                    tpl("standardEventName", "Purchase"),
                ],
                "firingTriggerId": ["2"],
            },
        ],
        customTemplate=[
            {
                "templateId": "6",
                "name": "Facebook Pixel",
                "templateData": '___INFO___\n\n{"displayName": "Facebook Pixel"}\n',
            }
        ],
    )
    new = export(
        cid="200",
        trigger=[event_trigger("1", "gtmgen - event - purchase", "purchase", notes=MARK)],
        tag=[
            html_tag(
                "2",
                "gtmgen - Meta - purchase",
                "<script>fbq('trackSingle', '111222333', 'Purchase', {}, {eventID: 'x'});</script>",
                ("1",),
                notes=MARK,
            ),
            html_tag(
                "3",
                "gtmgen - Meta - page",
                "<script>fbq('trackSingle', '111222333', 'PageView');</script>",
                notes=MARK,
            ),
        ],
    )
    plan, _ = make_plan(side(target), side(new))
    doubles = {w.message.split("'")[1] for w in plan.warnings if w.code == "double-sender"}
    assert doubles == {"FB base", "FB template"}


def test_w4_size_warning_and_limit() -> None:
    def with_html(size: int) -> dict[str, Any]:
        return export(tag=[html_tag("1", "big", "<script>" + "a" * size + "</script>")])

    new = export(trigger=[event_trigger("1", "t", "e")])
    plan, _ = make_plan(side(with_html(150_000)), side(new))
    assert [(w.code, w.fails) for w in plan.warnings] == [("size-warning", False)]
    plan, _ = make_plan(side(with_html(210_000)), side(new))
    assert [(w.code, w.fails) for w in plan.warnings] == [("size-limit", True)]
    server = export("SERVER", tag=[html_tag("1", "big", "a" * 210_000)])
    plan, _ = make_plan(side(server), side(export("SERVER")))
    assert plan.warnings == []


# --- the merged file, formats, CLI ----------------------------------------------------


def test_write_merged_can_be_validated_and_audited(tmp_path: Path) -> None:
    from gtmgen.audit import audit_paths

    out = tmp_path / "merged.json"
    outcome = run_plan(HANDMADE, WEB, write_merged=out)
    assert outcome.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [f for f in check_export(data, file=str(out)) if f.severity is Severity.ERROR] == []
    report = audit_paths([out])
    assert any(
        f.code == "tiktok-custom-html" and "TikTok - purchase" in f.entity for f in report.findings
    )
    names_after = {t["name"] for t in data["containerVersion"]["tag"]}
    assert {"TikTok - purchase", "gtmgen - TikTok - purchase"} <= names_after


def test_formats() -> None:
    as_json = json.loads(str(run_plan(HANDMADE, WEB, fmt="json").payload))
    assert as_json["ok"] is False and as_json["mode"] == "merge-overwrite"
    assert as_json["counts"]["variable"]["modified"] == 1
    assert {w["code"] for w in as_json["warnings"]} >= {"double-sender", "foreign-overwritten"}
    markdown = str(run_plan(HANDMADE, WEB, fmt="markdown").payload).splitlines()
    assert markdown[0] == "### gtmgen plan: ❌ resolve before importing"
    assert "| kind | added | modified | deleted | unchanged |" in markdown
    assert any(line.startswith("| variables | 14 | 1 | 0 | 0 |") for line in markdown)
    assert "<details><summary>Entities</summary>" in markdown


def test_cli_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["plan", str(WEB), str(WEB)])
    assert result.exit_code == 0, result.output
    assert "GTM's confirmation should read: 0 added, 0 modified, 0 deleted" in result.output
    result = runner.invoke(
        app, ["plan", str(HANDMADE), str(WEB), "--mode", "merge-rename", "--format", "markdown"]
    )
    assert result.exit_code == 1 and "double-sender" in result.output
    result = runner.invoke(app, ["plan", str(tmp_path / "missing.json"), str(WEB)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["plan", str(SERVER), str(WEB)])
    assert result.exit_code == 2


# --- real targets from the corpus -------------------------------------------------------


def test_corpus_yanjumper_web_custom_html_tiktok_tags_are_double_senders(corpus_dir: Path) -> None:
    plan, _merged = make_plan(load(corpus_dir / "yanjumper__gtm-web.json"), load(WEB))
    doubles = sorted(w.message.split("'")[1] for w in plan.warnings if w.code == "double-sender")
    # Four of its eight Custom HTML TikTok tags send what acme-shop sends, with a global
    # ttq.track, and its base pixel's global ttq.page() doubles gtmgen's Pageview; its
    # gallery pixel tag sends 'Contact' to its own pixel.
    assert doubles == [
        "[TikTok] - AddToCart",
        "[TikTok] - Base Pixel",
        "[TikTok] - CompletePayment",
        "[TikTok] - InitiateCheckout",
        "[TikTok] - ViewContent",
    ]
    assert "foreign-overwritten" not in codes(plan)
    assert {i.action for i in plan.items} == {ADDED, UNCHANGED}


def test_corpus_yanjumper_server_other_pixel_and_overwrite(corpus_dir: Path) -> None:
    target = corpus_dir / "yanjumper__gtm-server.json"
    plan, _ = make_plan(load(target), load(SERVER))
    assert "double-sender" not in codes(plan)  # its Events API tag has another pixel
    # its own GA4 client (priority 0, like ours) may claim the GA4 hop first
    assert codes(plan) == ["competing-client", "builtin-enabled"]
    assert plan.warnings[0].message.startswith(
        "client 'GA4' in TARGET (gaaw_client, priority 0) claims the same requests as "
        "'gtmgen - GA4' (priority 0) and may run first"
    )
    plan, _ = make_plan(load(target), load(SERVER), "overwrite")
    deleted = {w.message.split("'")[1] for w in plan.warnings if w.code == "foreign-deleted"}
    assert {"[TikTok] - Events API (All Events)", "[Meta] - CAPI (All Events)"} <= deleted


def test_corpus_laseryshow_meta_pixel_sends_are_read(corpus_dir: Path) -> None:
    found = sends(load(corpus_dir / "laseryshow__GTM-TNM9JZ3S_v39.json").container)
    pairs = {(s.tag, s.event, s.pixel) for s in found}
    assert ("Meta Pixel - Base", "PageView", None) in pairs
    assert ("Meta Pixel - Lead", "Lead", None) in pairs


def test_corpus_every_target_plans_and_merges_cleanly(corpus_dir: Path) -> None:
    """Each corpus export as TARGET with gtmgen's export of its kind: the plan runs, no
    entity of theirs is overwritten (gtmgen's names are prefixed), and the merge adds no
    reference error."""
    for path in sorted(corpus_dir.glob("*.json")):
        target = load(path)
        context = target.container.context
        if context not in ("WEB", "SERVER"):
            continue
        plan, _ = make_plan(target, load(WEB if context == "WEB" else SERVER))
        assert "foreign-overwritten" not in codes(plan), path.name
        assert "unresolved-reference" not in codes(plan), (path.name, plan.warnings)


def test_hostile_names_are_escaped_in_every_format() -> None:
    from gtmgen.plan import report

    name = "evil\x1b[31m\u202ename"
    target = export(
        variable=[constant("1", name, "a")],
        trigger=[event_trigger("2", "t", "e")],
        tag=[html_tag("3", name, "<script>ttq.track('Lead')</script>", ("2",))],
    )
    new = export(
        variable=[constant("1", name, "b")],
        trigger=[event_trigger("2", "gtmgen - event - e", "e", notes=MARK)],
        tag=[
            html_tag(
                "4", "gtmgen - TikTok - e", "<script>ttq.track('Lead')</script>", ("2",), notes=MARK
            )
        ],
    )
    plan, _ = make_plan(side(target), side(new))
    assert set(codes(plan)) == {"foreign-overwritten", "double-sender"}
    for render in (report.text, report.markdown):
        output = "\n".join(render(plan))
        assert "\x1b" not in output and "\u202e" not in output
        assert "\\u001b" in output or "\\x1b" in output
