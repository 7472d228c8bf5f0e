"""What a simulation runs on: a spec (built here) or an already built pair of exports."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gtmgen.errors import InputError
from gtmgen.gtm.container import Container, read_container

SPEC_PLACEHOLDER_TOKEN = "SIMULATED-ACCESS-TOKEN-0000"


@dataclass
class Exports:
    web: Container
    server: Container
    label: str
    spec: Any = None  # gtmgen.spec.model.Spec when built from a spec
    notes: tuple[str, ...] = ()
    placeholder_token: str | None = None  # used when the spec leaves the token empty


def load(spec_path: Path | None, web: Path | None, server: Path | None) -> Exports:
    if web is not None or server is not None:
        if spec_path is not None:
            raise InputError("give either a SPEC or --web/--server exports, not both")
        if web is None or server is None:
            raise InputError("--web and --server go together (the pair to simulate)")
        return Exports(
            read_container(web, expect="WEB"),
            read_container(server, expect="SERVER"),
            label=f"{web.name} + {server.name}",
        )
    return _from_spec(spec_path)


def _from_spec(spec_path: Path | None) -> Exports:
    from gtmgen.generate.pipeline import build_spec
    from gtmgen.resources import example_spec

    path = spec_path or example_spec()
    built = build_spec(path, environ=os.environ)
    from gtmgen.platforms.registry import enabled

    notes: list[str] = []
    placeholder = None
    missing = [pl.label for pl in enabled(built.spec) if not pl.token_env(built.spec)]
    if missing:
        placeholder = SPEC_PLACEHOLDER_TOKEN
        notes.append(
            f"the spec sets no {' or '.join(missing)} access token: simulating with "
            "a placeholder token (pass --access-token to use another)"
        )
    return Exports(
        Container(built.web, file=f"{built.stem}.web.json"),
        Container(built.server, file=f"{built.stem}.server.json"),
        label=path.name,
        spec=built.spec,
        notes=tuple(notes),
        placeholder_token=placeholder,
    )
