"""`gtmgen audit` on the real exports that carry TikTok tags or event-id wiring: the
findings a person reading those files agrees with (each one checked by reading the
export: see the comments)."""

from __future__ import annotations

from pathlib import Path

from gtmgen.audit import audit_paths
from gtmgen.errors import ExitCode


def _found(corpus: Path, *names: str) -> set[tuple[str, str, str, str]]:
    report = audit_paths([corpus / n for n in names])
    return {
        (Path(f.file.split(" + ")[0]).name, f.severity, f.code, f.entity) for f in report.findings
    }


def test_yanjumper_pair(corpus_dir: Path) -> None:
    web, server = "yanjumper__gtm-web.json", "yanjumper__gtm-server.json"
    found = _found(corpus_dir, web, server)
    failing = {f for f in found if f[1] != "note"}
    html = {
        "AddToCart",
        "Base Pixel",
        "CompletePayment",
        "CompleteRegistration",
        "InitiateCheckout",
        "Purchase (Identify)",
        "SubmitForm",
        "ViewContent",
    }
    assert failing == {
        # TikTok's gallery pixel template with its Event ID field left empty
        (web, "high", "tiktok-no-event-id", "tag '[TikTok] - Lead (Quiz)'"),
        # a literal Meta CAPI token committed in the server export
        (server, "low", "token-in-export", "variable 'C - Meta Access Token'"),
        *((web, "medium", "tiktok-custom-html", f"tag '[TikTok] - {n}'") for n in html),
    }
    # eventId caches crypto.randomUUID() per gtm.uniqueEventId: not flagged; every
    # ttq.track in Custom HTML passes {event_id: {{eventId}}}; the GA4 hops carry the
    # same {{eventId}} and the server's TikTok tag maps purchase -> CompletePayment.
    notes = {(f[2], f[3]) for f in found if f[1] == "note"}
    assert notes == {
        ("pixel-only", "tag '[TikTok] - CompleteRegistration'"),
        ("pixel-only", "tag '[TikTok] - SubmitForm'"),
        ("pixel-only", "tag '[TikTok] - Lead (Quiz)'"),
    }


def test_kubix_tiktok_server_export(corpus_dir: Path) -> None:
    name = "kubix__KBX_sGTM_-_TikTok_Base.json"
    assert _found(corpus_dir, name) == {
        # event_id = {{ed - event_id}}, a variable this partial export does not hold
        (name, "medium", "event-id-variable-missing", "tag '[KBX] TikTok - DYN'"),
        (name, "note", "tiktok-no-trigger", "tag '[KBX] TikTok - DYN'"),
    }


def test_laseryshow_v39_pair(corpus_dir: Path) -> None:
    web, server = "laseryshow__GTM-TNM9JZ3S_v39.json", "laseryshow__GTM-T2ZQP7WV_v56.json"
    found = _found(corpus_dir, web, server)
    medium = {f for f in found if f[1] == "medium"}
    # fbq(..., {eventID: '{{DL - Event ID}}'}) on a WhatsApp link click: no push carries
    # a new event_id on gtm.linkClick, so every click reuses the page's ID
    assert medium == {
        (web, "medium", "event-id-from-earlier-push", "tag 'Meta Pixel - Contact WhatsApp'"),
        (web, "medium", "event-id-from-earlier-push", "tag 'GA4 - Contact WhatsApp'"),
    }
    assert (server, "low", "token-in-export", "variable 'Api acces token'") in found
    page_load = {f[3] for f in found if f[1] == "low" and f[2] == "event-id-from-earlier-push"}
    assert "tag 'Meta Pixel - Base'" in page_load and "tag 'Google Tag - Base'" in page_load
    assert not any(f[1] == "high" for f in found)


def test_laseryshow_workspace_pair(corpus_dir: Path) -> None:
    web = "laseryshow__GTM-TNM9JZ3S_workspace33.json"
    server = "laseryshow__GTM-T2ZQP7WV_workspace51.json"
    assert _found(corpus_dir, web, server) == {
        (web, "low", "event-id-from-earlier-push", "tag 'Meta Pixel - Base'"),
        (server, "low", "token-in-export", "variable 'Api acces token'"),
    }


def test_thsjn_pair(corpus_dir: Path) -> None:
    # Stape's Unique Event ID (keyed on gtm.uniqueEventId) feeds the Meta pixel and the
    # Data Tag alike; only a Google Ads developer token sits in the server export.
    assert _found(corpus_dir, "thsjn__GTM.json", "thsjn__sGTM.json") == {
        ("thsjn__sGTM.json", "low", "token-in-export", "tag '04 - Google Ads - Compra Off'"),
    }


def test_clean_event_id_wiring(corpus_dir: Path) -> None:
    # mbaersch/event-id and stape's Unique Event ID give one ID per message
    for names in (
        ("techonlinebd__web_container.json", "techonlinebd__server_container.json"),
        ("kubix__webGTM_-_Base_GA_DT_KBX.json",),
        ("kubix__webGTM_-_New_vs_Returning_customers.json",),
    ):
        report = audit_paths([corpus_dir / n for n in names])
        assert report.findings == [], names
        assert report.exit_code == ExitCode.OK


def test_every_corpus_file_audits_without_error(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.json")):
        report = audit_paths([path])
        assert report.files == [str(path)]
