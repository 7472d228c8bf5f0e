"""The server container receiving one GA4 hit: the client that claims it, the triggers
and variables that read its event data, and the tags that fire."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gtmgen.gtm.conditions import TagIndex, all_conditions
from gtmgen.gtm.container import Container, Entity, claiming_client, dicts, ids, params
from gtmgen.gtm.javascript import UNDEFINED
from gtmgen.simulate.budget import Budget
from gtmgen.simulate.jsengine import RegexEngine
from gtmgen.simulate.resolve import Resolver
from gtmgen.simulate.values import lookup


class ServerResolver(Resolver):
    def __init__(
        self,
        container: Container,
        event_data: dict[str, Any],
        client_name: str,
        cookies: dict[str, str],
        headers: dict[str, str],
        *,
        budget: Budget | None = None,
        regex: RegexEngine | None = None,
    ) -> None:
        super().__init__(container, budget=budget, regex=regex)
        self.event_data = event_data
        self.client_name = client_name
        self.cookies = cookies
        self.headers = {k.lower(): v for k, v in headers.items()}

    def builtin_values(self) -> dict[str, Any]:
        return {
            "_EVENT": self.event_data.get("event_name", UNDEFINED),
            "EVENT_NAME": self.event_data.get("event_name", UNDEFINED),
            "CLIENT_NAME": self.client_name,
            "REQUEST_PATH": "/g/collect",
            "REQUEST_METHOD": "POST",
            "QUERY_STRING": "",
            "CONTAINER_ID": self.container.public_id,
            "DEBUG_MODE": False,
        }

    def variable_of_type(self, variable: Entity, type_: str, depth: int) -> Any:
        by_key = params(variable)
        if type_ == "ed":
            key = str(by_key.get("keyPath", {}).get("value", ""))
            value = lookup(self.event_data, key)
            return self._default(by_key, depth) if value is UNDEFINED else value
        if type_ == "sgtmk":
            name = str(by_key.get("name", {}).get("value", ""))
            return self.cookies.get(name, UNDEFINED)
        if type_ == "rh":
            name = str(by_key.get("headerName", {}).get("value", "")).lower()
            return self.headers.get(name, UNDEFINED)
        return self._unsupported(variable, type_)


@dataclass
class ServerEvent:
    client: str | None
    fired: list[Entity] = field(default_factory=list)
    resolver: ServerResolver | None = None


def _index(container: Container) -> TagIndex:
    found = container.__dict__.get("_tag_index")
    if not isinstance(found, TagIndex):
        found = TagIndex(
            container.tags, container.triggers, container.builtins, container.variables, web=False
        )
        container.__dict__["_tag_index"] = found
    return found


def run_event(
    container: Container,
    event_data: dict[str, Any],
    *,
    cookies: dict[str, str],
    headers: dict[str, str],
    budget: Budget | None = None,
    regex: RegexEngine | None = None,
) -> ServerEvent:
    """The tags one event fires. Without ``regex``, the resolver has a regex engine of its
    own: close it (``result.resolver.close()``) when done with the resolver."""
    client = claiming_client(container)
    if client is None:
        return ServerEvent(None)
    resolver = ServerResolver(
        container, event_data, client, cookies, headers, budget=budget, regex=regex
    )
    result = ServerEvent(client, resolver=resolver)
    triggers = container.triggers
    event = event_data.get("event_name")
    tags = _index(container).candidates(event) if isinstance(event, str) else container.tags
    for tag in tags:
        if tag.get("paused") is True:
            continue
        firing = [triggers.get(t) for t in ids(tag.get("firingTriggerId"))]
        blocking = [triggers.get(t) for t in ids(tag.get("blockingTriggerId"))]
        if any(_matches(t, resolver) for t in firing) and not any(
            _matches(t, resolver) for t in blocking
        ):
            result.fired.append(tag)
    return result


def _matches(trigger: Entity | None, resolver: ServerResolver) -> bool:
    if trigger is None:
        return False
    kind = trigger.get("type")
    render, match = resolver.render_text, resolver.matches
    if kind == "CUSTOM_EVENT":
        if all_conditions(dicts(trigger.get("customEventFilter")), render, match) is not True:
            return False
    elif kind != "ALWAYS":
        return False
    return all_conditions(dicts(trigger.get("filter")), render, match) is True
