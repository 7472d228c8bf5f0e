"""dataLayer pushes for a simulation: given on the command line, read from a file, or
made up for every event of a spec (realistic GA4 ecommerce data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gtmgen.errors import InputError, Problem
from gtmgen.gtm import reader
from gtmgen.spec.model import Event, Spec

SAMPLE_ITEMS = [
    {
        "item_id": "SKU-1001",
        "item_name": "Trail Running Shoe",
        "item_brand": "Acme",
        "item_category": "Shoes",
        "price": 89.9,
        "quantity": 1,
    },
    {
        "item_id": "SKU-2002",
        "item_name": "Running Socks (3-pack)",
        "item_brand": "Acme",
        "item_category": "Accessories",
        "price": 14.5,
        "quantity": 2,
    },
]
SAMPLE_EMAIL = "  Jane.Doe@Example.COM "
_BY_NAME: dict[str, Any] = {
    "items": SAMPLE_ITEMS,
    "value": 118.9,
    "price": 89.9,
    "revenue": 118.9,
    "total": 118.9,
    "estimate": 1200,
    "amount": 118.9,
    "currency": "EUR",
    "transaction_id": "T-1001",
    "order_id": "T-1001",
    "email": SAMPLE_EMAIL,
    "email_address": SAMPLE_EMAIL,
    "phone": "+12133734253",
    "phone_number": "+12133734253",
    "user_id": "user-42",
    "external_id": "user-42",
    "crm_id": "crm-42",
    "search_term": "trail shoes",
    "query": "trail shoes",
    "quantity": 3,
}
_NUMERIC_PROPERTIES = {"value": 118.9, "price": 89.9, "quantity": 3}


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        nxt = target.get(part)
        if not isinstance(nxt, dict):
            nxt = target[part] = {}
        target = nxt
    target.setdefault(parts[-1], value)


def _sample(path: str, tiktok_property: str | None, event_index: int) -> Any:
    last = path.split(".")[-1]
    if tiktok_property in _NUMERIC_PROPERTIES:
        return _BY_NAME.get(last, _NUMERIC_PROPERTIES[tiktok_property])
    if tiktok_property == "contents" or last == "items":
        return SAMPLE_ITEMS
    if last in _BY_NAME:
        return _BY_NAME[last]
    if last in ("id", "lead_id", "order", "dedup_id"):
        return f"{last.upper()}-{1001 + event_index}"
    return f"sample {last}"


def default_pushes(spec: Spec) -> list[dict[str, Any]]:
    """One push per spec event, each carrying every data layer path the event reads.
    Ecommerce events are preceded by ``{"ecommerce": null}``, as Google recommends."""
    pushes: list[dict[str, Any]] = []
    for index, event in enumerate(spec.events):
        push = _push_for(event, index)
        if "ecommerce" in push:
            pushes.append({"ecommerce": None})
        pushes.append(push)
    return pushes


def _push_for(event: Event, index: int) -> dict[str, Any]:
    push: dict[str, Any] = {"event": event.event}
    for prop, path in event.properties.items():
        _set_path(push, path, _sample(path, prop, index))
    if event.user_data is not None:
        for name, path in event.user_data.items():
            _set_path(push, path, _sample(path, name, index))
    for name, path in event.ga4_params.items():
        _set_path(push, path, _sample(path, name, index))
    if event.event_id_from:
        _set_path(push, event.event_id_from, _sample(event.event_id_from, None, index))
    return push


def parse_push(text: str, *, source: str) -> Any:
    """One push given as JSON text (``--push``), under the reader's JSON policy: a
    dataLayer object, or a gtag consent update as ["consent", "update", {...}]."""
    value = reader.parse_json(text, file=source)
    if not isinstance(value, dict) and not _is_gtag_consent(value):
        raise InputError(
            [
                Problem(
                    source,
                    "a dataLayer push must be a JSON object (or a "
                    'gtag ["consent", "update", {...}] array)',
                )
            ]
        )
    return value


def _is_gtag_consent(value: Any) -> bool:
    """gtag('consent', 'update', {...}) as pushed: ["consent", "update", {...}]."""
    return (
        isinstance(value, list)
        and len(value) == 3
        and value[:2] == ["consent", "update"]
        and isinstance(value[2], dict)
    )


def read_pushes(path: Path) -> tuple[list[Any], list[str]]:
    """The pushes of a JSON file, and the reader's warnings about it (a byte order mark)."""
    loaded = reader.read_json(path)
    value = loaded.data
    if not isinstance(value, list) or not all(
        isinstance(v, dict) or _is_gtag_consent(v) for v in value
    ):
        raise InputError(
            [
                Problem(
                    str(path),
                    "expected a JSON array of objects "
                    "(one per dataLayer push; a gtag consent update as "
                    '["consent", "update", {...}])',
                )
            ]
        )
    return value, [str(note) for note in loaded.notes]
