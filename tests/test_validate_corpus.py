"""Every real export in the corpus passes `gtmgen validate`, except for problems the file
really has; each is listed below with the reason (checked by hand against the file)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gtmgen.errors import ExitCode
from gtmgen.validate import Severity, validate_path
from tests.conftest import corpus_path

BLANK_IDS = [r"accountId '' is not a string of digits", r"containerId '' is not a string of digits"]
NO_VARIABLE = r"\{\{[^}]+\}\} names no variable in this export"

# file -> (why it fails, regexes that together match every error it has)
EXPECTED: dict[str, tuple[str, list[str]]] = {
    "bounteous-engagement__luna-engagement-timer.json": (
        "a placeholder the author left for the user: {{YOUR_GA_PROPERTY_ID}}",
        [r"\{\{YOUR_GA_PROPERTY_ID\}\} names no variable"],
    ),
    "bounteous-scroll__luna-scroll-tracking.json": (
        "a placeholder the author left for the user: {{YOUR_GA_TRACKING_ID}}",
        [r"\{\{YOUR_GA_TRACKING_ID\}\} names no variable"],
    ),
    "omidx__Vimeo_Tracking_Recipe.json": (
        "a placeholder the author left for the user in measurementIdOverride",
        [r"\{\{ADD YOUR GA4 CONFIG TAG IN THE FIELD ABOVE\}\} names no variable"],
    ),
    "contentstack__gtm-container.json": (
        "account and container IDs blanked to '' by the author",
        BLANK_IDS,
    ),
    "janrenn__gtm_container.json": (
        "account and container IDs are %%ACCOUNT_ID%%/%%CONTAINER_ID%% placeholders for a "
        "substitution script",
        [
            r"accountId '%%ACCOUNT_ID%%' is not a string of digits",
            r"containerId '%%CONTAINER_ID%%' is not a string of digits",
        ],
    ),
    "kubix__KBX_sGTM_-_FB_New_vs_returning_purchases.json": (
        "IDs and the container name blanked by the author",
        [*BLANK_IDS, r"container\.name: name is empty"],
    ),
    "kubix__sGTM_-_Google_New_vs_returning_purchases.json": (
        "IDs and the container name blanked by the author",
        [*BLANK_IDS, r"container\.name: name is empty"],
    ),
    "kubix__KBX_sGTM_-_TikTok_Base.json": (
        "IDs blanked, and a partial export: the TikTok tag without the variables it reads",
        [*BLANK_IDS, r"container\.name: name is empty", NO_VARIABLE],
    ),
    "rayl4n__wGTM-TAG-GA4-WhatsAppTrackingTag.json": (
        "a partial export: one GA4 tag without the 25 variables it reads",
        [NO_VARIABLE],
    ),
    "dumky__GTM-sample.json": (
        "a test fixture whose triggers read 4 variables the export does not contain",
        [
            r"\{\{(vimeo - event_action|vimeo - event_category|element url path|"
            r"JS - Nieuwsbrief aanmelding - email validation - true or false)\}\} names no"
        ],
    ),
    "mammoth__gtm-container.json": (
        "Custom HTML tags call {{MG - Track Calls}} and {{MG - Identify Calls}}, which the "
        "export does not contain",
        [r"\{\{MG - (Track|Identify) Calls\}\} names no variable"],
    ),
}


# The only warnings real exports give: partial exports (a tag without its trigger; built-in
# variables used but not enabled). Any other warning on a real export is a false alarm.
CORPUS_WARNINGS = [
    r"warning: has no firing trigger, so it never fires",
    r"warning: \{\{[^}]+\}\} is a built-in variable this export does not enable",
]


def _corpus_files() -> list[object]:
    folder = corpus_path()
    if not folder.is_dir():
        return [
            pytest.param(
                None,
                marks=pytest.mark.skip(
                    reason=f"the corpus of real GTM exports is not at {folder} (set GTMGEN_CORPUS)"
                ),
            )
        ]
    return [pytest.param(p, id=p.name) for p in sorted(folder.glob("*.json"))]


@pytest.mark.parametrize("path", _corpus_files())
def test_corpus_export_validates(path: Path) -> None:
    report = validate_path(path)
    assert not report.broken, report.lines()
    errors = [f.message for f in report.findings if f.severity is Severity.ERROR]
    warnings = [f.message for f in report.findings if f.severity is Severity.WARNING]
    assert [w for w in warnings if not any(re.search(p, w) for p in CORPUS_WARNINGS)] == []
    if path.name not in EXPECTED:
        assert errors == [], f"{path.name} should pass:\n" + "\n".join(errors)
        assert report.exit_code is ExitCode.OK
        return
    reason, patterns = EXPECTED[path.name]
    assert report.exit_code is ExitCode.DIFFERENT, f"{path.name} should fail: {reason}"
    unexplained = [e for e in errors if not any(re.search(p, e) for p in patterns)]
    assert unexplained == [], f"{path.name}: errors beyond '{reason}'"
    unmatched = [p for p in patterns if not any(re.search(p, e) for e in errors)]
    assert unmatched == [], f"{path.name}: expected errors missing ({reason})"


def test_corpus_listing_is_current(corpus_dir: Path) -> None:
    names = {p.name for p in corpus_dir.glob("*.json")}
    assert len(names) >= 54
    assert set(EXPECTED) <= names, "EXPECTED lists files the corpus no longer has"


def test_corpus_warnings_are_about_what_the_file_lacks(corpus_dir: Path) -> None:
    """Built-in variables used but not enabled are warnings, not errors (kubix's partial
    export of a server container uses {{Client Name}} without a builtInVariable list)."""
    report = validate_path(corpus_dir / "kubix__sGTM_-_BASE_GA4_Google_Ads_Event.json")
    assert report.ok
    assert any(
        "{{Client Name}} is a built-in variable this export does not enable" in f.message
        for f in report.warnings
    )
