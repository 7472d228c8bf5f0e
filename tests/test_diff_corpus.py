"""``gtmgen diff`` and ``textconv`` on real GTM exports (the corpus outside this repository):
two versions of the same container, and every file against itself."""

from __future__ import annotations

import json
from pathlib import Path

from gtmgen.diff import Change, diff_exports, read_export
from gtmgen.diff.render import textconv

WEB_OLD, WEB_NEW = "laseryshow__GTM-TNM9JZ3S_workspace33.json", "laseryshow__GTM-TNM9JZ3S_v39.json"
SERVER_OLD, SERVER_NEW = (
    "laseryshow__GTM-T2ZQP7WV_workspace51.json",
    "laseryshow__GTM-T2ZQP7WV_v56.json",
)


def compare(corpus_dir: Path, old: str, new: str) -> dict[tuple[str, str], Change]:
    changes = diff_exports(read_export(corpus_dir / old), read_export(corpus_dir / new))
    return {(c.kind, c.name): c for c in changes}


def raw_entity(corpus_dir: Path, file: str, kind: str, name: str) -> dict[str, object]:
    data = json.loads((corpus_dir / file).read_text(encoding="utf-8"))
    return next(e for e in data["containerVersion"][kind] if e["name"] == name)


def test_web_container_versions(corpus_dir: Path) -> None:
    found = compare(corpus_dir, WEB_OLD, WEB_NEW)
    # version 39 added WhatsApp, DK, home, show and quote tracking, and the Stape Data Tag
    for key in [
        ("tag", "GA4 - Contact WhatsApp"),
        ("tag", "Meta Pixel - Lead DK"),
        ("trigger", "Click - WhatsApp"),
        ("trigger", "PV - Presupuesto"),
        ("variable", "Subdomine STAPE"),
        ("customTemplate", "Data Tag"),
    ]:
        assert found[key].change == "added", key
    assert not [c for c in found.values() if c.change == "removed"]
    # the Google tag now sends to the server URL held in a variable, and sends event_id
    google_tag = found[("tag", "Google Tag - Base")]
    assert google_tag.change == "changed"
    fields = {f.field: f for f in google_tag.fields}
    assert set(fields) == {"parameter configSettingsTable", "parameter eventSettingsTable"}
    assert fields["parameter eventSettingsTable"].old is None
    assert fields["parameter eventSettingsTable"].new == [
        {"parameter": "event_id", "parameterValue": "{{DL - Event ID}}"}
    ]
    rows = {
        r["parameter"]: r["parameterValue"] for r in fields["parameter configSettingsTable"].new
    }
    assert rows["server_container_url"] == "{{Subdomine STAPE}}"


def test_web_tag_whose_only_change_is_its_id_is_not_reported(corpus_dir: Path) -> None:
    old = raw_entity(corpus_dir, WEB_OLD, "tag", "GA4 - Lead Event")
    new = raw_entity(corpus_dir, WEB_NEW, "tag", "GA4 - Lead Event")
    assert old["tagId"] != new["tagId"]  # the premise: GTM gave it a new ID
    assert ("tag", "GA4 - Lead Event") not in compare(corpus_dir, WEB_OLD, WEB_NEW)


def test_server_container_versions(corpus_dir: Path) -> None:
    found = compare(corpus_dir, SERVER_OLD, SERVER_NEW)
    for key in [
        ("tag", "Meta CAPI - Purchase"),
        ("trigger", "CE - Lead DK"),
        ("client", "Data Client"),
        ("customTemplate", "GA4 Advanced"),
        ("variable", "ID medición"),
    ]:
        assert found[key].change == "added", key
    lead = {f.field: (f.old, f.new) for f in found[("tag", "Meta CAPI - Lead")].fields}
    assert lead["parameter useHttpOnlyCookie"] == (False, True)
    domain = found[("variable", "Dominio secundario")]
    assert [(f.field, f.old, f.new) for f in domain.fields] == [
        ("parameter value", "caiate.laserman.com.ar", "marremix.laserman.com.ar")
    ]
    assert [f.field for f in found[("variable", "Api acces token")].fields] == ["parameter value"]
    container = found[("container", "CONTENEDOR DEL SERVER")]
    assert [f.field for f in container.fields] == ["taggingServerUrls"]
    # the new client is of a custom template type, shown by the template's name
    client_type = {f.field: f.new for f in found[("client", "Data Client")].fields}["type"]
    assert client_type == "custom template: Data Client"


def test_server_entities_renumbered_by_gtm_are_not_reported(corpus_dir: Path) -> None:
    found = compare(corpus_dir, SERVER_OLD, SERVER_NEW)
    for kind, name, id_key in [
        ("tag", "Meta CAPI - PageView", "tagId"),
        ("customTemplate", "Facebook Conversion API", "templateId"),
    ]:
        old = raw_entity(corpus_dir, SERVER_OLD, kind, name)
        new = raw_entity(corpus_dir, SERVER_NEW, kind, name)
        assert old[id_key] != new[id_key]  # the premise: a new ID, nothing else of note
        assert (kind, name) not in found


def test_every_corpus_export_equals_itself_and_renders_stably(corpus_dir: Path) -> None:
    files = sorted(corpus_dir.glob("*.json"))
    assert len(files) > 40
    for path in files:
        first, second = read_export(path), read_export(path)
        assert diff_exports(first, second) == [], path.name
        text = textconv(first)
        assert text == textconv(second)
        assert '"cvt_' not in "\n".join(  # every template type resolved to a name
            line for line in text.splitlines() if line.startswith("  type: ")
        )
        top_level = {
            line.split(":")[0].strip()
            for line in text.splitlines()
            if line.startswith("  ") and not line.startswith("   ")
        }
        assert top_level.isdisjoint(
            {
                "fingerprint",
                "tagId",
                "triggerId",
                "variableId",
                "folderId",
                "templateId",
                "clientId",
                "path",
                "accountId",
                "containerId",
                "tagManagerUrl",
                "firingTriggerId",
                "parentFolderId",
            }
        ), path.name
