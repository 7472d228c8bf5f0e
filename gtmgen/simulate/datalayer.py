"""GTM's data layer: the pushed messages and the abstract data model merged from them.

Merge rules follow Google's data-layer-helper (github.com/google/data-layer-helper,
``src/helper/helper.js`` ``merge_``/``expandKeyValue_``), which Simo Ahava describes for GTM
(https://www.simoahava.com/analytics/two-simple-data-model-tricks/): a dotted key is a
path (``{"a.b": 1}`` sets ``a.b``); plain objects **and arrays** are merged recursively
(a shorter ``items`` array pushed later leaves the earlier array's tail in place, which is
why Google recommends pushing ``{ecommerce: null}`` first); ``_clear: true`` in an object
turns merging off for it; anything else overwrites.

GTM numbers every message it processes with ``gtm.uniqueEventId`` and writes that number
on the pushed object itself (which is what the stape Unique Event ID template and our
event_id variable read back).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from gtmgen.gtm.javascript import UNDEFINED
from gtmgen.simulate.values import lookup

UNIQUE_EVENT_ID = "gtm.uniqueEventId"


def _expand(key: str, value: Any) -> dict[str, Any]:
    parts = key.split(".")
    result: dict[str, Any] = {}
    target = result
    for part in parts[:-1]:
        target[part] = {}
        target = target[part]
    target[parts[-1]] = value
    return result


def _merge(source: Any, target: Any) -> None:
    allow = not (isinstance(source, dict) and source.get("_clear"))
    keys = range(len(source)) if isinstance(source, list) else list(source)
    for key in keys:
        value = source[key]
        if isinstance(value, (list, dict)) and allow:
            kind = list if isinstance(value, list) else dict
            current = _get(target, key)
            if not isinstance(current, kind):
                current = kind()
                _set(target, key, current)
            _merge(value, current)
        else:
            _set(target, key, copy.deepcopy(value))
    if isinstance(target, dict):
        target.pop("_clear", None)


def _get(target: Any, key: Any) -> Any:
    if isinstance(target, list):
        return target[key] if key < len(target) else None
    return target.get(key)


def _set(target: Any, key: Any, value: Any) -> None:
    if isinstance(target, list):
        while len(target) <= key:
            target.append(UNDEFINED)
        target[key] = value
    else:
        target[key] = value


@dataclass
class DataLayer:
    """The ``dataLayer`` array as GTM leaves it, and GTM's data model."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, Any] = field(default_factory=dict)
    _next_id: int = 1

    def push(self, message: dict[str, Any]) -> dict[str, Any]:
        """Process one pushed object; return it with its ``gtm.uniqueEventId`` set."""
        pushed = copy.deepcopy(message)
        pushed[UNIQUE_EVENT_ID] = self._next_id
        self._next_id += 1
        for key, value in pushed.items():
            _merge(_expand(key, value), self.model)
        self.messages.append(pushed)
        return pushed

    def read_v2(self, path: str) -> Any:
        """A Data Layer Variable, version 2: the merged model, dotted path."""
        return copy.deepcopy(lookup(self.model, path))

    def read_v1(self, key: str) -> Any:
        """A Data Layer Variable, version 1: the latest message's key, taken literally."""
        current = self.messages[-1] if self.messages else {}
        return copy.deepcopy(current.get(key, UNDEFINED))
