"""``gtmgen simulate``: options in, the simulation's Result out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtmgen.cli.output import finish


def simulate(
    spec: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional at runtime on 3.10)
        typer.Argument(help="The spec to build and simulate (default: the bundled example)."),
    ] = None,
    web: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--web", help="A web container export (with --server, instead of SPEC)."),
    ] = None,
    server: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--server", help="The server container export that goes with --web."),
    ] = None,
    push: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--push", help="A dataLayer push as JSON (repeatable, in order)."),
    ] = None,
    pushes: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--pushes", help="A JSON file holding an array of dataLayer pushes."),
    ] = None,
    page_url: Annotated[str, typer.Option("--page-url", help="The page's URL.")] = (
        "https://shop.example/checkout"
    ),
    referrer: Annotated[str, typer.Option("--referrer", help="The page's referrer.")] = "",
    user_agent: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--user-agent", help="The browser's user agent."),
    ] = None,
    ip: Annotated[str, typer.Option("--ip", help="The visitor's IP address.")] = "203.0.113.7",
    cookie: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--cookie", help="A first-party cookie NAME=VALUE (e.g. _ttp=...)."),
    ] = None,
    response: Annotated[
        str, typer.Option("--response", help="The answer (body) of every platform's server API.")
    ] = '{"code": 0, "message": "OK"}',
    status: Annotated[
        int, typer.Option("--status", help="The HTTP status of every server API answer.")
    ] = 200,
    access_token: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--access-token", help="Use this access token in every platform's server tags."
        ),
    ] = None,
    seed: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--seed", help="Seed Math.random and random IDs (reproducible output)."),
    ] = None,
    now: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--now", help="Start the clock here (epoch ms or ISO 8601) instead of now."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per push.")] = False,
    logs: Annotated[bool, typer.Option("--logs", help="Show the templates' console logs.")] = False,
    consent: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--consent",
            help="Consent Mode state of the page, e.g. "
            "ad_storage=denied,ad_user_data=denied (types not named are granted). Without it "
            "the page does not use Consent Mode.",
        ),
    ] = None,
    hop_user_data: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--hop-user-data",
            help="How the GA4 hop carries user data: email_address "
            "(Google's documented keys, default), email (short keys), array (short keys, "
            "arrays) or sha256 (hashed by the page).",
        ),
    ] = None,
    time_budget: Annotated[
        float,
        typer.Option(
            "--time-budget",
            min=0.1,
            help="Seconds for the whole simulation; the pushes left "
            "when it runs out are reported as not simulated (docs/simulate-limits.md).",
        ),
    ] = 120.0,
    push_budget: Annotated[
        float,
        typer.Option(
            "--push-budget",
            min=0.1,
            help="Seconds for one push; a push that runs out is stopped and reported.",
        ),
    ] = 10.0,
) -> None:
    """Run dataLayer pushes through the web and server containers; show each platform's
    browser call beside its server request (TikTok, Meta) and whether they deduplicate.
    Exit 0 when every push deduplicates on every platform, 1 otherwise, 2 on invalid
    input."""
    from gtmgen.simulate.command import Request, run
    from gtmgen.simulate.runner import DEFAULT_UA, Options

    request = Request(
        spec,
        web,
        server,
        list(push or []),
        pushes,
        list(cookie or []),
        now,
        as_json,
        consent,
        hop_user_data,
    )
    options = Options(
        page_url=page_url,
        referrer=referrer,
        user_agent=user_agent or DEFAULT_UA,
        ip=ip,
        status=status,
        response=response,
        access_token=access_token,
        seed=seed,
        debug=logs,
        push_seconds=push_budget,
        total_seconds=time_budget,
    )
    finish(lambda: run(request, options))
