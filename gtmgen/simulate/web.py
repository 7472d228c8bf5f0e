"""The web container at work on one page: pushes, triggers, variables and fired tags."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from gtmgen.gtm.conditions import TagIndex, all_conditions
from gtmgen.gtm.container import REFERENCE, Container, Entity, dicts, ids, params, table_rows
from gtmgen.gtm.format import BUILTIN_TRIGGER_EVENTS, TRIGGER_EVENTS
from gtmgen.gtm.javascript import UNDEFINED
from gtmgen.sandbox.engine import JsStopped
from gtmgen.simulate.budget import Budget
from gtmgen.simulate.consent import ConsentState
from gtmgen.simulate.datalayer import DataLayer
from gtmgen.simulate.jsengine import JsPage, JsProblem, PageContext, RegexEngine
from gtmgen.simulate.resolve import Resolver
from gtmgen.simulate.values import js_string

PAGE_START = ("gtm.init_consent", "gtm.init", "gtm.js")
# awec (user-provided data) field -> GA4 user_data key
AWEC_FIELDS = {
    "email": "email_address",
    "phone_number": "phone_number",
    "sha256_email_address": "sha256_email_address",
    "sha256_phone_number": "sha256_phone_number",
}
AWEC_ADDRESS = ("first_name", "last_name", "street", "city", "region", "postal_code", "country")


class WebResolver(Resolver):
    def __init__(
        self,
        container: Container,
        page: PageContext,
        js: JsPage,
        datalayer: DataLayer,
        rng: random.Random,
        *,
        budget: Budget | None = None,
        regex: RegexEngine | None = None,
    ) -> None:
        super().__init__(container, budget=budget, regex=regex)
        self.page = page
        self.js = js
        self.dl = datalayer
        self.rng = rng
        self.current: dict[str, Any] = {}
        self._stopped: dict[str, str] = {}  # Custom JavaScript variables V8 had to stop
        url = urlsplit(page.url)
        self._static = {
            "PAGE_URL": page.url,
            "PAGE_HOSTNAME": url.hostname or "",
            "PAGE_PATH": url.path or "/",
            "REFERRER": page.referrer,
            "CONTAINER_ID": container.public_id,
            "CONTAINER_VERSION": "QUICK_PREVIEW",
            "DEBUG_MODE": False,
            "ENVIRONMENT_NAME": "",
        }

    def builtin(self, name: str, type_: str) -> Any:
        if type_ == "RANDOM_NUMBER":  # a new number at every read, as in GTM
            return self.rng.randrange(0, 2147483647)
        return super().builtin(name, type_)

    def builtin_values(self) -> dict[str, Any]:
        event = self.current.get("event", UNDEFINED)
        return {"_EVENT": event, "EVENT": event, **self._static}

    def variable_of_type(self, variable: Entity, type_: str, depth: int) -> Any:
        handlers = {
            "v": self._data_layer,
            "jsm": self._javascript,
            "awec": self._user_data,
            "u": self._url,
            "k": self._cookie,
            "gtes": self._settings,
            "gtcs": self._settings,
            "j": self._global,
        }
        handler = handlers.get(type_)
        return handler(variable, depth) if handler else self._unsupported(variable, type_)

    def _data_layer(self, variable: Entity, depth: int) -> Any:
        by_key = params(variable)
        name = str(by_key.get("name", {}).get("value", ""))
        version = str(by_key.get("dataLayerVersion", {}).get("value", "2"))
        value = self.dl.read_v1(name) if version == "1" else self.dl.read_v2(name)
        if value is UNDEFINED:
            return self._default(by_key, depth)
        return value

    def _javascript(self, variable: Entity, depth: int) -> Any:
        code = str(params(variable).get("javascript", {}).get("value", ""))
        refs: list[Any] = []

        def placeholder(match: Any) -> str:
            refs.append(self.resolve(match.group(1), depth + 1))
            return f"__refs[{len(refs) - 1}]"

        name = str(variable.get("name"))
        if name in self._stopped:  # it ran out of time or memory before: not run again
            self.finding(self._stopped[name])
            return UNDEFINED
        source = REFERENCE.sub(placeholder, code)
        what = f"Custom JavaScript variable {name!r}"
        try:
            value, error = self.js.run_function(source, refs, what=what)
        except JsStopped as exc:
            self.budget.check()  # the push's budget, if that is what ran out
            self._stopped[name] = (
                f"{exc}; it reads as undefined (and is not run again in this simulation)"
            )
            self.finding(self._stopped[name])
            return UNDEFINED
        except JsProblem as exc:
            self.finding(f"{what} {exc}; it reads as undefined")
            return UNDEFINED
        if error:
            self.note(f"{what} threw ({error}); GTM reads it as undefined")
        return value

    def _user_data(self, variable: Entity, depth: int) -> Any:
        by_key = params(variable)
        mode = str(by_key.get("mode", {}).get("value", "MANUAL"))
        if mode == "CODE":
            return self.render(str(by_key.get("dataSource", {}).get("value", "")), depth)
        out: dict[str, Any] = {}
        address: dict[str, Any] = {}
        for key, param in by_key.items():
            value = self.param_value(param, depth)
            if value in (UNDEFINED, "", None):
                continue
            if key in AWEC_FIELDS:
                out[key] = value
            elif key in AWEC_ADDRESS:
                address[key] = value
        if address:
            out["address"] = address
        return out

    def _url(self, variable: Entity, depth: int) -> Any:
        by_key = params(variable)
        source = by_key.get("customUrlSource")
        url = js_string(self.param_value(source, depth)) if source else self.page.url
        parts = urlsplit(url)
        component = str(by_key.get("component", {}).get("value", "URL"))
        if component == "QUERY":
            key = str(by_key.get("queryKey", {}).get("value", ""))
            from urllib.parse import parse_qs

            found = parse_qs(parts.query).get(key)
            return found[0] if found else UNDEFINED
        return {
            "URL": url,
            "HOST": parts.hostname or "",
            "PATH": parts.path or "/",
            "FRAGMENT": parts.fragment,
            "PROTOCOL": parts.scheme,
            "PORT": str(parts.port or ""),
        }.get(component, url)

    def _cookie(self, variable: Entity, depth: int) -> Any:
        name = str(params(variable).get("name", {}).get("value", ""))
        return self.page.cookies.get(name, UNDEFINED)

    def _settings(self, variable: Entity, depth: int) -> Any:
        by_key = params(variable)
        table = by_key.get("eventSettingsTable") or by_key.get("configSettingsTable")
        return {
            row.get("parameter", ""): self.render(row.get("parameterValue", ""), depth)
            for row in table_rows(table)
        }

    def _global(self, variable: Entity, depth: int) -> Any:
        path = str(params(variable).get("name", {}).get("value", ""))
        source = (
            "function () { var v = window; var p = " + json.dumps(path) + ".split('.');"
            " for (var i = 0; i < p.length; i++) { if (v == null) { return undefined; }"
            " v = v[p[i]]; } return v; }"
        )
        try:
            value, _ = self.js.run_function(source, [], what=f"the global {path!r}")
        except (JsStopped, JsProblem) as exc:
            self.finding(f"reading the global {path!r}: {exc}")
            return UNDEFINED
        return value


@dataclass
class WebEvent:
    """What one processed message did in the web container."""

    message: dict[str, Any]
    fired: list[Entity] = field(default_factory=list)
    # tags whose triggers fired but whose consentSettings need a denied type
    blocked: list[tuple[Entity, list[str]]] = field(default_factory=list)


def needed_consent(tag: Entity) -> list[str]:
    """The consent types a tag's consentSettings require ("Require additional consent")."""
    settings = tag.get("consentSettings")
    if not isinstance(settings, dict) or settings.get("consentStatus") != "NEEDED":
        return []
    kinds = settings.get("consentType")
    items = kinds.get("list") if isinstance(kinds, dict) else None
    return [
        str(item.get("value"))
        for item in items or []
        if isinstance(item, dict) and item.get("value")
    ]


class WebContainer:
    """One page view of a web container."""

    def __init__(
        self,
        container: Container,
        page: PageContext,
        *,
        seed: int,
        now_ms: int,
        consent: ConsentState | None = None,
        budget: Budget | None = None,
        regex: RegexEngine | None = None,
    ) -> None:
        self.container = container
        self.consent = consent or ConsentState()
        self.budget = budget or Budget()
        self.dl = DataLayer()
        self.js = JsPage(page, seed=seed, now_ms=now_ms, budget=self.budget)
        self.resolver = WebResolver(
            container, page, self.js, self.dl, random.Random(seed), budget=self.budget, regex=regex
        )
        self.triggers = container.triggers
        self.index = TagIndex(
            container.tags, self.triggers, container.builtins, container.variables, web=True
        )
        self._fired_once: set[str] = set()

    def close(self) -> None:
        self.js.close()
        self.resolver.close()

    def process(self, message: dict[str, Any], now_ms: int) -> WebEvent:
        """One push. Starts the push's budget (:meth:`Budget.start_push`)."""
        self.budget.start_push()
        pushed = self.dl.push(message)
        try:
            self.js.push_message(pushed, now_ms)
        except JsStopped as exc:
            self.resolver.finding(f"the page's dataLayer.push: {exc}")
        self.resolver.current = pushed
        event = pushed.get("event")
        result = WebEvent(pushed)
        if not isinstance(event, str):
            return result
        for tag in self.index.candidates(event):
            if self._fires(tag, event):
                denied = [c for c in needed_consent(tag) if not self.consent.is_granted(c)]
                if denied:
                    result.blocked.append((tag, denied))
                else:
                    result.fired.append(tag)
        result.fired.sort(key=lambda t: -_priority(t))
        return result

    def _fires(self, tag: Entity, event: str) -> bool:
        if tag.get("paused") is True:
            return False
        tag_id = str(tag.get("tagId"))
        if tag.get("tagFiringOption") == "ONCE_PER_LOAD" and tag_id in self._fired_once:
            return False
        firing = ids(tag.get("firingTriggerId"))
        if not any(self.trigger_matches(t, event) for t in firing):
            return False
        if any(self.trigger_matches(t, event) for t in ids(tag.get("blockingTriggerId"))):
            return False
        self._fired_once.add(tag_id)
        return True

    def trigger_matches(self, trigger_id: str, event: str) -> bool:
        if trigger_id in BUILTIN_TRIGGER_EVENTS:
            return BUILTIN_TRIGGER_EVENTS[trigger_id] == event
        trigger = self.triggers.get(trigger_id)
        if trigger is None:
            return False
        kind = str(trigger.get("type", ""))
        render = self.resolver.render_text
        match = self.resolver.matches
        if kind == "CUSTOM_EVENT":
            if all_conditions(dicts(trigger.get("customEventFilter")), render, match) is not True:
                return False
        elif TRIGGER_EVENTS.get(kind) != event:
            return False
        for key in ("filter", "autoEventFilter"):
            if all_conditions(dicts(trigger.get(key)), render, match) is not True:
                return False
        return True


def _priority(tag: Entity) -> int:
    priority = tag.get("priority")
    try:
        return int((priority or {}).get("value", 0)) if isinstance(priority, dict) else 0
    except ValueError:
        return 0
