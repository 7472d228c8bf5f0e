"""`gtmgen audit` on the real exports that carry Meta tags: as they are (their Meta tags
carry an eventID and their server tags read the hop's event_id, so the Meta findings are
the literal tokens and the event IDs of earlier pushes), and broken by the test itself
(one fbq call without its 4th argument, one gallery tag with its event ID blanked): the
new finding appears for exactly that tag."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from gtmgen.audit import audit_containers, jsargs
from gtmgen.gtm.container import Container
from gtmgen.platforms.classify import classify
from gtmgen.platforms.meta import audit as meta

PAIRS = {
    "yanjumper": ("yanjumper__gtm-web.json", "yanjumper__gtm-server.json"),
    "laseryshow-v39": ("laseryshow__GTM-TNM9JZ3S_v39.json", "laseryshow__GTM-T2ZQP7WV_v56.json"),
    "laseryshow-ws": (
        "laseryshow__GTM-TNM9JZ3S_workspace33.json",
        "laseryshow__GTM-T2ZQP7WV_workspace51.json",
    ),
    "thsjn": ("thsjn__GTM.json", "thsjn__sGTM.json"),
    "techonlinebd": ("techonlinebd__web_container.json", "techonlinebd__server_container.json"),
}


def _load(corpus: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((corpus / name).read_text(encoding="utf-8"))
    return data


def _findings(
    web: dict[str, Any], server: dict[str, Any], names: tuple[str, str]
) -> set[tuple[str, ...]]:
    report = audit_containers([Container(web, file=names[0]), Container(server, file=names[1])])
    return {(f.file, f.severity, f.code, f.entity) for f in report.findings}


def _meta_entities(container: Container) -> set[str]:
    return {
        f"tag {str(t.get('name'))!r}"
        for t in container.tags
        if classify(container, t).platform == "meta"
    }


def test_how_many_meta_tags_and_sends_the_corpus_has(corpus_dir: Path) -> None:
    counts = {}
    for path in sorted(corpus_dir.glob("*.json")):
        container = Container(_load(corpus_dir, path.name))
        sends = [s for t in container.tags for s in meta.sends(container, t, jsargs)]
        if sends:
            counts[path.name] = (len(sends), sum(1 for s in sends if s.event_id))
    # (Meta events sent, of which with an event ID written in the tag); the gallery
    # server templates read event data's event_id without a field
    assert counts == {
        "kubix__KBX_sGTM_-_Base_Setup.json": (9, 9),
        "kubix__KBX_sGTM_-_FB_New_vs_returning_purchases.json": (2, 2),
        "kubix__sGTM_-_Stape_Gads_GA4_Meta_Event.json": (9, 9),
        "laseryshow__GTM-T2ZQP7WV_v56.json": (7, 7),
        "laseryshow__GTM-T2ZQP7WV_workspace51.json": (2, 2),
        "laseryshow__GTM-TNM9JZ3S_v39.json": (7, 7),
        "laseryshow__GTM-TNM9JZ3S_workspace33.json": (2, 2),
        "techonlinebd__server_container.json": (1, 0),
        "techonlinebd__web_container.json": (2, 2),
        "thsjn__GTM.json": (4, 4),
        "thsjn__sGTM.json": (4, 4),
        "yanjumper__gtm-server.json": (1, 0),
        "yanjumper__gtm-web.json": (8, 8),
    }


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_untouched_pairs_have_no_meta_dedup_fault(corpus_dir: Path, pair: str) -> None:
    names = PAIRS[pair]
    found = _findings(_load(corpus_dir, names[0]), _load(corpus_dir, names[1]), names)
    assert {f for f in found if f[2].startswith("meta-")} == set()


def test_untouched_pairs_meta_findings(corpus_dir: Path) -> None:
    # What the audit says about Meta tags and Meta secrets in the real pairs, read off the
    # exports: the live EAA… Conversions API tokens kept in constants, and the laseryshow
    # pixel tags that read {{DL - Event ID}} on page load or on a link click.
    out = {}
    for pair, names in PAIRS.items():
        web, server = (Container(_load(corpus_dir, n), file=n) for n in names)
        meta_tags = _meta_entities(web) | _meta_entities(server)
        found = _findings(web.data, server.data, names)
        out[pair] = sorted(
            (f[1], f[2], f[3])
            for f in found
            if f[3] in meta_tags or "Meta" in f[3] or "acces" in f[3]
        )
    assert out == {
        "yanjumper": [("low", "token-in-export", "variable 'C - Meta Access Token'")],
        "laseryshow-v39": [
            ("low", "event-id-from-earlier-push", "tag 'Meta Pixel - Base'"),
            ("low", "event-id-from-earlier-push", "tag 'Meta Pixel - Lead DK'"),
            ("low", "event-id-from-earlier-push", "tag 'Meta Pixel - Purchase Presupuesto'"),
            ("low", "event-id-from-earlier-push", "tag 'Meta Pixel - ViewContent Home'"),
            ("low", "event-id-from-earlier-push", "tag 'Meta Pixel - ViewContent Show'"),
            ("low", "token-in-export", "variable 'Api acces token'"),
            ("medium", "event-id-from-earlier-push", "tag 'Meta Pixel - Contact WhatsApp'"),
        ],
        "laseryshow-ws": [
            ("low", "event-id-from-earlier-push", "tag 'Meta Pixel - Base'"),
            ("low", "token-in-export", "variable 'Api acces token'"),
        ],
        "thsjn": [],
        "techonlinebd": [],
    }


def test_corpus_tokens_are_never_printed(corpus_dir: Path) -> None:
    for names in PAIRS.values():
        report = audit_containers([Container(_load(corpus_dir, n), file=n) for n in names])
        text = "\n".join(report.lines())
        assert not re.search(r"EAA[A-Za-z0-9]{8,}", text)


# -- broken by the test ------------------------------------------------------------------


def _new(corpus: Path, names: tuple[str, str], edit: Any) -> set[tuple[str, ...]]:
    web, server = _load(corpus, names[0]), _load(corpus, names[1])
    before = _findings(web, server, names)
    web2, server2 = copy.deepcopy(web), copy.deepcopy(server)
    edit(web2, server2)
    return _findings(web2, server2, names) - before


def _tag(export: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in export["containerVersion"]["tag"] if t["name"] == name)
    return found


def _html(entity: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in entity["parameter"] if p["key"] == "html")
    return found


@pytest.mark.parametrize(
    ("pair", "name"),
    [
        ("laseryshow-v39", "Meta Pixel - Lead"),
        ("laseryshow-v39", "Meta Pixel - ViewContent Home"),
        ("yanjumper", "[Meta] - quiz_01_iniciar"),
    ],
)
def test_fbq_call_without_its_4th_argument(corpus_dir: Path, pair: str, name: str) -> None:
    def edit(web: dict[str, Any], _: dict[str, Any]) -> None:
        html = _html(_tag(web, name))
        broken = re.sub(
            r",\s*\{\s*eventID\s*:\s*(?:\{\{[^{}]*\}\}|'[^']*')\s*\}\s*\)",
            ")",
            html["value"],
            count=1,
        )
        assert broken != html["value"]
        html["value"] = broken

    names = PAIRS[pair]
    assert _new(corpus_dir, names, edit) == {
        (names[0], "high", "meta-no-event-id", f"tag {name!r}")
    }


@pytest.mark.parametrize(
    ("pair", "name"),
    [
        ("yanjumper", "[Meta] - Purchase"),  # facebookarchive's Facebook Pixel template
        ("techonlinebd", "FB-ee"),  # the same template, custom event name {{Event}}
        ("thsjn", "02 - Meta - Lead"),  # stape's Facebook Pixel template
    ],
)
def test_gallery_tag_with_its_event_id_blanked(corpus_dir: Path, pair: str, name: str) -> None:
    def edit(web: dict[str, Any], _: dict[str, Any]) -> None:
        field = next(p for p in _tag(web, name)["parameter"] if p["key"] == "eventId")
        assert field["value"]
        field["value"] = ""

    names = PAIRS[pair]
    assert _new(corpus_dir, names, edit) == {
        (names[0], "high", "meta-no-event-id", f"tag {name!r}")
    }


def test_server_tag_event_id_from_a_constant(corpus_dir: Path) -> None:
    # stape's Conversions API tag with its event_id row pointed at a literal: the pixel's
    # Lead (eventID {{DL - Event ID}}) can no longer meet it
    names = PAIRS["laseryshow-ws"]

    def edit(_: dict[str, Any], server: dict[str, Any]) -> None:
        entity = _tag(server, "Meta CAPI - Lead")
        table = next(p for p in entity["parameter"] if p["key"] == "serverEventDataList")
        row = next(m for item in table["list"] for m in item["map"] if m["key"] == "value")
        row["value"] = "lead-1"

    new = _new(corpus_dir, names, edit)
    assert {(f[1], f[2]) for f in new} == {("high", "meta-event-id-mismatch")}
    assert all(
        f[3].startswith("tag 'Meta Pixel - Lead' (web) and tag 'Meta CAPI - Lead'") for f in new
    )


def test_the_pasted_meta_audit_is_current(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from gtmgen.cli import app
    from tests.docs import section

    [block] = re.findall(r"```text\n(.*?)```", section("audit-meta"), re.S)
    command, expected = block.split("\n", 1)
    args = command.removeprefix("$ ").split()
    assert args[:2] == ["gtmgen", "audit"]
    monkeypatch.chdir(corpus_dir)
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 1
    assert result.stdout == expected
