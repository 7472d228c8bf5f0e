"""The deduplication verdict: TikTok merges a Pixel and an Events API event only when
pixel ID, event name and event_id are equal, and the server tag's request succeeded."""

from __future__ import annotations

import pytest

from gtmgen.simulate.verdict import ApiEvent, PixelCall, judge

PIXEL = PixelCall("CPIX", "CompletePayment", "id-1", {"value": 1})
API = ApiEvent("CPIX", "CompletePayment", "id-1", True)


def test_same_keys_deduplicate() -> None:
    verdict = judge([PIXEL], [API], [])
    assert verdict.deduplicates
    assert "id-1" in verdict.reason and verdict.pairs == [(PIXEL, API)]


@pytest.mark.parametrize(
    ("api", "reason"),
    [
        (
            ApiEvent("CPIX", "CompletePayment", "id-2", True),
            "event_id differs (pixel 'id-1', Events API 'id-2')",
        ),
        (ApiEvent("CPIX", "CompletePayment", None, True), "event_id is missing on the Events API"),
        (ApiEvent("CPIX", "CompletePayment", "", True), "event_id is missing on the Events API"),
        (
            ApiEvent("CPIX", "Purchase", "id-1", True),
            "event name differs (pixel 'CompletePayment', Events API 'Purchase')",
        ),
        (
            ApiEvent("COTHER", "CompletePayment", "id-1", True),
            "pixel ID differs (pixel CPIX, Events API COTHER)",
        ),
        (
            ApiEvent("CPIX", "CompletePayment", "id-1", False, "code 40001: No permission"),
            "the Events API tag reported failure (code 40001: No permission)",
        ),
    ],
)
def test_each_cause_is_named(api: ApiEvent, reason: str) -> None:
    verdict = judge([PIXEL], [api], [])
    assert not verdict.deduplicates
    assert reason in verdict.reason


def test_missing_on_the_pixel_side() -> None:
    verdict = judge([PixelCall("CPIX", "CompletePayment", None, {})], [API], [])
    assert "event_id is missing on the pixel side" in verdict.reason


def test_a_side_that_did_not_fire() -> None:
    assert "the server side sent no Events API event (the pixel sent CompletePayment)" in (
        judge([PIXEL], [], []).reason
    )
    assert "the web side sent no TikTok Pixel event" in judge([], [API], []).reason
    assert judge([], [], []).reason == "no TikTok tag fired on either side"


def test_blockers_and_failures_without_a_request() -> None:
    verdict = judge(
        [PIXEL],
        [],
        ["TikTok tag 'x' (html) is not simulated"],
        ["tag 'y' reported failure (the access token is empty)"],
    )
    assert not verdict.deduplicates
    assert "not simulated" in verdict.reason and "access token is empty" in verdict.reason


def test_an_extra_events_api_event_is_reported() -> None:
    extra = ApiEvent("CPIX", "AddToCart", "id-9", True)
    verdict = judge([PIXEL], [API, extra], [])
    assert not verdict.deduplicates
    assert "AddToCart: an Events API event with no matching pixel event" in verdict.reason
