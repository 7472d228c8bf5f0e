"""spec -> two container exports (plain dicts, in GTM's key order)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gtmgen.generate.container import ContainerBuilder
from gtmgen.generate.server import build_server
from gtmgen.generate.web import NOTE, build_web
from gtmgen.gtm import export as gtm_export
from gtmgen.spec.model import Spec

ACCOUNT_ID = gtm_export.digits("gtmgen:account", 10)
WEB_CONTAINER_ID = gtm_export.digits("gtmgen:web", 9)
SERVER_CONTAINER_ID = gtm_export.digits("gtmgen:server", 9)


@dataclass
class BuildResult:
    web: dict[str, Any]
    server: dict[str, Any]
    notices: list[str] = field(default_factory=list)
    token_embedded: bool = False
    embedded: tuple[str, ...] = ()  # labels of the platforms whose token is embedded


def build(spec: Spec, *, environ: Mapping[str, str] | None = None) -> BuildResult:
    from gtmgen.platforms.registry import enabled  # the platforms import the builder

    environ = os.environ if environ is None else environ
    platforms = enabled(spec)
    notices = []
    tokens: dict[str, str] = {}
    for platform in platforms:
        env_name = platform.token_env(spec)
        tokens[platform.key] = environ.get(env_name, "") if env_name else ""
        if not env_name:
            notices.append(
                f"the server container holds an empty {platform.label} access token: fill in "
                f"the variable 'gtmgen - {platform.label} access token' after import"
            )

    note = NOTE.format(name=spec.name)
    web = ContainerBuilder(
        account_id=ACCOUNT_ID, container_id=WEB_CONTAINER_ID, folder=spec.name, note=note
    )
    build_web(spec, web, platforms)
    server = ContainerBuilder(
        account_id=ACCOUNT_ID, container_id=SERVER_CONTAINER_ID, folder=spec.name, note=note
    )
    build_server(spec, server, platforms, tokens)

    web_container = gtm_export.container_entity(
        account_id=ACCOUNT_ID,
        container_id=WEB_CONTAINER_ID,
        name=f"{spec.name} (web)",
        public_id=spec.web.public_id or "GTM-XXXXXXX",
        context="WEB",
    )
    server_container = gtm_export.container_entity(
        account_id=ACCOUNT_ID,
        container_id=SERVER_CONTAINER_ID,
        name=f"{spec.name} (server)",
        public_id=spec.server.public_id or "GTM-XXXXXXX",
        context="SERVER",
        tagging_server_urls=[spec.web.ga4.server_container_url],
    )
    return BuildResult(
        web=web.finish(web_container),
        server=server.finish(server_container),
        notices=notices,
        token_embedded=any(tokens.values()),
        embedded=tuple(pl.label for pl in platforms if tokens[pl.key]),
    )
