"""The platform interface: what one ad platform adds to the two containers.

The generic builder (``gtmgen/generate/``) owns the shared layers: the event_id variable,
the data layer and event data variables, the triggers and the GA4 hop. For every platform
the spec enables (its block is present) it calls the platform's wiring with a context
holding those shared pieces; the platform adds its own constants, templates and tags.
A platform folder (``gtmgen/platforms/<name>/``) never imports the generator's
``web``/``server`` modules, only the shared ``ContainerBuilder`` and entity names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gtmgen.generate.container import ContainerBuilder
    from gtmgen.spec.model import Event, Spec


@dataclass(frozen=True)
class WebContext:
    """The shared web pieces a platform's tags refer to."""

    builder: ContainerBuilder
    note: str  # the ownership marker note every entity carries
    event_id: str  # reference to the shared event_id variable, "{{gtmgen - event_id}}"
    dlv: Callable[[str], str]  # data layer path -> reference to its variable


@dataclass(frozen=True)
class ServerContext:
    """The shared server pieces a platform's tags refer to."""

    builder: ContainerBuilder
    note: str
    event_id: str  # reference to the event data variable of the hop's event_id
    event_data: Callable[[str], str]  # event data key -> reference to its variable


class Platform(Protocol):
    """One ad platform: a spec block, a browser tag per event, a server tag per event."""

    key: str  # the spec block ("tiktok") and the event key prefix ("tiktok_event")
    label: str  # in entity names and reports ("TikTok")
    templates: tuple[str, str]  # the custom templates it embeds: (web, server)

    def enabled(self, spec: Spec) -> bool:
        """The spec has this platform's block."""

    def event_name(self, event: Event) -> str | None:
        """The platform event an entry names, or None when it names none for this platform."""

    def token_env(self, spec: Spec) -> str | None:
        """The environment variable holding the server access token (``env:NAME``)."""

    def test_event_code(self, spec: Spec) -> str | None:
        """The block's test event code (a build warning when set)."""

    def web(self, spec: Spec, ctx: WebContext) -> None:
        """Constants, template and base tag of the web container."""

    def web_event(self, spec: Spec, event: Event, trigger: str, ctx: WebContext) -> None:
        """The browser tag of one event that names this platform."""

    def server(self, spec: Spec, ctx: ServerContext, access_token: str) -> None:
        """Constants (pixel, access token) and template of the server container."""

    def server_event(self, spec: Spec, event: Event, trigger: str, ctx: ServerContext) -> None:
        """The server tag of one event that names this platform."""
