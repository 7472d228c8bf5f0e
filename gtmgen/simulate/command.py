"""The ``simulate`` command behind the CLI: inputs in, report out, exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gtmgen.errors import ExitCode, InputError, Problem, Result
from gtmgen.simulate import Options, load, simulate
from gtmgen.simulate import report as render
from gtmgen.simulate.consent import CONSENT_TYPES, parse_consent
from gtmgen.simulate.hop import HOP_USER_DATA_FORMS
from gtmgen.simulate.pushes import default_pushes, parse_push, read_pushes


@dataclass
class Request:
    spec: Path | None = None
    web: Path | None = None
    server: Path | None = None
    push: list[str] = field(default_factory=list)
    pushes: Path | None = None
    cookies: list[str] = field(default_factory=list)
    now: str | None = None
    as_json: bool = False
    consent: str | None = None  # --consent TYPE=granted|denied,...
    hop_user_data: str | None = None  # --hop-user-data FORM


def parse_now(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            [
                Problem(
                    "--now",
                    "expected milliseconds since the epoch or an "
                    "ISO 8601 time such as 2024-05-01T12:00:00Z",
                )
            ]
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def parse_cookies(items: list[str]) -> dict[str, str]:
    cookies = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError([Problem("--cookie", f"expected NAME=VALUE, got {item!r}")])
        cookies[name.strip()] = value
    return cookies


def _pushes(request: Request, spec: Any, result: Result) -> list[Any]:
    pushes = [
        parse_push(text, source=f"--push #{i}") for i, text in enumerate(request.push, start=1)
    ]
    if request.pushes is not None:
        read, warnings = read_pushes(request.pushes)
        pushes += read
        result.err(*warnings)
    if pushes:
        return pushes
    if spec is None:
        raise InputError(
            "with --web/--server exports, give the pushes to simulate "
            "(--push JSON or --pushes FILE)"
        )
    return default_pushes(spec)


def run(request: Request, options: Options) -> Result:
    """The simulation's report (stdout) and notes (stderr); exit 1 when a push would not
    deduplicate. Raises GtmgenError (exit 2) on invalid input."""
    if not 100 <= options.status <= 599:
        raise InputError([Problem("--status", "an HTTP status is between 100 and 599")])
    options.cookies = {**options.cookies, **parse_cookies(request.cookies)}
    options.now_ms = parse_now(request.now)
    if request.consent is not None:
        options.consent = parse_consent(request.consent)
    if request.hop_user_data is not None:
        if request.hop_user_data not in HOP_USER_DATA_FORMS:
            raise InputError(
                [
                    Problem(
                        "--hop-user-data",
                        "expected one of "
                        + ", ".join(HOP_USER_DATA_FORMS)
                        + f"; got {request.hop_user_data!r}",
                    )
                ]
            )
        options.hop_user_data = request.hop_user_data
    result = Result()
    exports = load(request.spec, request.web, request.server)
    result.err(*exports.web.warnings, *exports.server.warnings)
    pushes = _pushes(request, exports.spec, result)
    reports = simulate(exports, pushes, options)
    result.err(*(f"note: {note}" for note in exports.notes))
    if request.as_json:
        result.out(*render.json_lines(reports))
    else:
        header = f"simulating {exports.label}"
        if options.consent.in_use:
            header += " with consent " + ", ".join(
                f"{kind}={'granted' if options.consent.is_granted(kind) else 'denied'}"
                for kind in CONSENT_TYPES
            )
        result.out(*render.text(reports, header=header))
    if not reports:
        result.err("no push with an event to simulate")
        result.exit_code = ExitCode.DIFFERENT
    elif not all(r.verdict.deduplicates for r in reports):
        result.exit_code = ExitCode.DIFFERENT
    return result
