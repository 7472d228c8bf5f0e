"""One simulated page view: every push through the web container, each GA4 hit through
the server container, our TikTok and Meta templates run in the sandbox, and a verdict per
push and platform."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from typing import Any

from gtmgen.errors import GtmgenError
from gtmgen.platforms.classify import classify
from gtmgen.simulate import ours
from gtmgen.simulate.budget import PUSH_SECONDS, TOTAL_SECONDS, Budget, BudgetExceeded
from gtmgen.simulate.consent import CONSENT_TYPES, ConsentState
from gtmgen.simulate.hop import Ga4Hit, GoogleTags, HopContext, consent_signals, ga4_hit
from gtmgen.simulate.inputs import Exports
from gtmgen.simulate.jsengine import PageContext, RegexEngine
from gtmgen.simulate.server import run_event
from gtmgen.simulate.verdict import ApiEvent, PixelCall, Verdict, judge_platforms, sides
from gtmgen.simulate.web import PAGE_START, WebContainer

DEFAULT_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/124.0.0.0 Safari/537.36"
)
PUSH_INTERVAL_MS = 1000


@dataclass
class Options:
    page_url: str = "https://shop.example/checkout"
    referrer: str = ""
    title: str = "Checkout"
    user_agent: str = DEFAULT_UA
    ip: str = "203.0.113.7"
    cookies: dict[str, str] = field(default_factory=dict)
    status: int = 200
    response: str = '{"code": 0, "message": "OK"}'
    access_token: str | None = None
    seed: int | None = None  # None: a fresh seed (real randomness)
    now_ms: int | None = None  # None: the real clock
    debug: bool = False  # show the templates' console logs as notes
    consent: ConsentState = field(default_factory=ConsentState)  # default: no Consent Mode
    hop_user_data: str = "email_address"  # how the hop carries user data (HOP_USER_DATA_FORMS)
    push_seconds: float = PUSH_SECONDS  # time budget of one push (docs/simulate-limits.md)
    total_seconds: float = TOTAL_SECONDS  # time budget of the whole simulation


BUILDERS = {
    "html": "Custom HTML",
    "gallery": "{label}'s gallery template",
    "template": "a custom template",
}
SIMULATED = ("tiktok", "meta")  # the platforms whose gtmgen templates run here


def _cannot_tell(name: str, builder: str, platform: str = "tiktok") -> str:
    label = sides(platform).label
    how = BUILDERS.get(builder, builder).replace("{label}", label)
    return (
        f"cannot tell: {label} tag {name!r} ({how}) is not "
        "simulated, only gtmgen's templates run here; gtmgen audit checks it"
    )


def _reason(exc: GtmgenError) -> str:
    return "; ".join(problem.message for problem in exc.problems)


def consent_update(message: Any) -> dict[str, str] | None:
    """The states of a gtag ``["consent", "update", {type: "granted"|"denied"}]`` push
    (gtag pushes an Arguments object: a JSON array, or an object with keys "0", "1",
    "2"); None for any other push."""
    if isinstance(message, dict) and set(message) == {"0", "1", "2"}:
        message = [message["0"], message["1"], message["2"]]
    if not (
        isinstance(message, list)
        and len(message) == 3
        and message[:2] == ["consent", "update"]
        and isinstance(message[2], dict)
    ):
        return None
    return {
        str(k): "granted" if v == "granted" else "denied"
        for k, v in message[2].items()
        if isinstance(v, str)
    }


@dataclass
class ServerRun:
    hit: Ga4Hit
    client: str | None = None
    fired: list[str] = field(default_factory=list)
    not_simulated: list[str] = field(default_factory=list)
    requests: list[ours.SentRequest] = field(default_factory=list)
    fired_ours: list[str] = field(default_factory=list)  # in the order of ``outcomes``
    outcomes: list[ours.ServerOutcome] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)  # of ``outcomes``, in their order


@dataclass
class PushReport:
    index: int
    message: dict[str, Any]
    web_fired: list[str] = field(default_factory=list)
    not_simulated: list[str] = field(default_factory=list)
    pixel: list[PixelCall] = field(default_factory=list)
    # TikTok Pageviews sent while this push was processed, or, for the first push, at the
    # page's start (the base tag on Initialization) or by a consent update before it;
    # not part of the verdict
    page_views: list[PixelCall] = field(default_factory=list)
    servers: list[ServerRun] = field(default_factory=list)
    api: list[ApiEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    consent_blocked: list[str] = field(default_factory=list)  # "tag (needs ad_storage)"
    findings: list[str] = field(default_factory=list)  # what could not be simulated
    verdict: Verdict = field(default_factory=lambda: Verdict(False, "not run"))

    @property
    def event(self) -> str:
        return str(self.message.get("event"))


class Simulation:
    def __init__(self, exports: Exports, options: Options) -> None:
        self.exports = exports
        self.options = replace(options, cookies=dict(options.cookies))  # _fbc may be added
        self.seed = (
            options.seed if options.seed is not None else int.from_bytes(os.urandom(4), "big")
        )
        self.clock = options.now_ms if options.now_ms is not None else int(time.time() * 1000)
        page = PageContext(
            options.page_url,
            options.referrer,
            options.title,
            options.user_agent,
            dict(options.cookies),
        )
        self.budget = Budget(push_seconds=options.push_seconds, total_seconds=options.total_seconds)
        self.regex = RegexEngine(self.budget)
        self.web = WebContainer(
            exports.web,
            page,
            seed=self.seed,
            now_ms=self.clock,
            consent=options.consent,
            budget=self.budget,
            regex=self.regex,
        )
        self._engine: Any = None  # the sandbox context every server tag run shares
        self._spent = False  # the overall budget ran out
        self.google = GoogleTags()
        client_id = f"{1000000000 + self.seed % 900000000}.{self.clock // 1000}"
        gcs, gcd = consent_signals(options.consent)
        self.hop = HopContext(
            options.page_url,
            options.referrer,
            options.title,
            options.user_agent,
            options.ip,
            client_id=client_id,
            gcs=gcs,
            gcd=gcd,
            user_data_form=options.hop_user_data,
        )
        self.consent = options.consent  # the page's current Consent Mode state
        self.session = ours.WebSession(
            options.page_url,
            options.referrer,
            dict(options.cookies),
            seed=self.seed,
            debug=options.debug,
            consent=ours.consent_states(options.consent),
            time_limit=self.budget.timeout,
        )
        self._carried = PushReport(0, {})  # page views and notes of unreported pushes
        self.token = (
            options.access_token
            if options.access_token is not None
            else (exports.placeholder_token)
        )
        self.known = _known_platforms(exports)

    def close(self) -> None:
        self.web.close()
        self.regex.close()
        ours.close_session(self.session)
        self._drop_engine()

    def _drop_engine(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()

    def _server_engine(self) -> Any:
        if self._engine is None:
            from gtmgen.sandbox.engine import Engine

            self._engine = Engine(time_limit=self.budget.timeout)
        return self._engine

    def run(self, pushes: list[Any]) -> list[PushReport]:
        for event in PAGE_START:  # the snippet's gtm.js push carries gtm.start
            start = {"gtm.start": self.clock} if event == "gtm.js" else {}
            self._carry(self._push({**start, "event": event}, index=0), f"at {event}")
        reports = []
        for index, message in enumerate(pushes, start=1):
            update = consent_update(message)
            if update is not None:
                self._consent(update, index)
                continue
            report = self._push(message, index)
            if isinstance(message.get("event"), str):
                report.page_views[:0] = self._carried.page_views
                report.notes[:0] = self._carried.notes
                report.findings[:0] = self._carried.findings
                self._carried = PushReport(0, {})
                reports.append(report)
            else:
                self._carry(report, f"at push {index}")
        return reports

    def _carry(self, report: PushReport, when: str) -> None:
        self._carried.page_views += report.page_views
        self._carried.notes += [f"{when}: {n}" for n in report.notes]
        self._carried.findings += [f"{when}: {f}" for f in report.findings]

    def _consent(self, changes: dict[str, str], index: int) -> None:
        """``gtag('consent', 'update', changes)``: the new state, then the templates'
        consent listeners (a base tag waiting for ad_storage loads the pixel now)."""
        granted = set(CONSENT_TYPES if self.consent.granted is None else self.consent.granted)
        for name, value in changes.items():
            if value == "granted":
                granted.add(name)
            else:
                granted.discard(name)
        self.consent = ConsentState(frozenset(granted))
        self.web.consent = self.consent  # tags' consentSettings are checked against it
        gcs, gcd = consent_signals(self.consent)  # and the hop carries it
        self.hop = replace(self.hop, gcs=gcs, gcd=gcd)
        outcome = ours.update_consent(self.session, changes, logs=self.options.debug)
        shown = ", ".join(f"{k}={v}" for k, v in changes.items())
        report = PushReport(
            index,
            {},
            page_views=outcome.page_views,
            notes=[f"consent update ({shown})", *outcome.notes],
        )
        self._carry(report, f"at push {index}")

    def _push(self, message: dict[str, Any], index: int) -> PushReport:
        """One push, within its budget: an overrun stops it and becomes a finding."""
        report = PushReport(index, message)
        blockers: dict[str, list[str]] = {}
        if self._spent:
            report.findings.append(
                "not simulated: the simulation had used up its overall "
                f"time budget ({self.budget.total_seconds:g} s)"
            )
        else:
            try:
                self._run_push(message, index, report, blockers)
            except BudgetExceeded as exc:
                self._spent = self._spent or exc.overall
                report.findings.append(exc.finding)
                self._reset_sandboxes()  # a stopped run may have left callbacks behind
        resolver = self.web.resolver
        report.notes += [n for n in resolver.notes if n not in report.notes]
        report.findings += [f for f in resolver.findings if f not in report.findings]
        resolver.notes.clear()
        resolver.findings.clear()
        failures: dict[str, list[str]] = {}
        for server in report.servers:
            for name, outcome, platform in zip(
                server.fired_ours, server.outcomes, server.platforms, strict=True
            ):
                if not outcome.succeeded and not outcome.events:
                    failures.setdefault(platform, []).append(
                        f"{name} reported failure ({outcome.failure or 'no reason'})"
                    )
        for platform in self.known or ("tiktok",):
            blockers.setdefault(platform, []).extend(
                f"cannot tell: {finding}" for finding in report.findings
            )
        blockers = {k: v for k, v in blockers.items() if v}
        report.verdict = judge_platforms(
            report.pixel, report.api, blockers, failures, self.known or ("tiktok",)
        )
        if (
            not report.pixel
            and not report.api
            and not blockers
            and not failures
            and report.consent_blocked
            and self.consent.in_use
            and not self.consent.is_granted("ad_storage")
        ):
            labels = " or ".join(sides(pl).label for pl in self.known or ("tiktok",))
            report.verdict = Verdict(
                True,
                f"nothing sent to {labels} on either side: "
                "ad_storage is denied (consent blocks both)",
            )
        return report

    def _reset_sandboxes(self) -> None:
        ours.close_session(self.session)
        self._drop_engine()

    def _run_push(
        self,
        message: dict[str, Any],
        index: int,
        report: PushReport,
        blockers: dict[str, list[str]],
    ) -> None:
        now = self.clock + index * PUSH_INTERVAL_MS
        processed = self.web.process(message, now)
        report.message = processed.message
        report.consent_blocked = [
            f"{tag.get('name')} (needs {', '.join(denied)})" for tag, denied in processed.blocked
        ]
        for tag in processed.fired:
            self._web_tag(tag, report, blockers, now)

    def _web_tag(
        self, tag: dict[str, Any], report: PushReport, blockers: dict[str, list[str]], now: int
    ) -> None:
        name = str(tag.get("name"))
        kind = classify(self.exports.web, tag)
        resolver = self.web.resolver
        report.web_fired.append(name)
        if tag.get("type") == "googtag":
            self.google.record(tag, resolver)
        elif tag.get("type") == "gaawe":
            ecommerce = self.web.dl.read_v2("ecommerce")
            hit = ga4_hit(tag, resolver, self.google, self.exports.web.tags, self.hop, ecommerce)
            report.notes += hit.notes
            self._server(hit, report, blockers, now)
        elif kind.builder == "ours" and kind.platform in SIMULATED and kind.template is not None:
            try:
                outcome = ours.run_pixel(
                    kind.template.template_data,
                    resolver.entity_data(tag),
                    self.session,
                    now_ms=now,
                    logs=self.options.debug,
                )
            except GtmgenError as exc:  # stopped (time, memory, callbacks) or unusable
                ours.close_session(self.session)
                self.budget.check()  # the push's budget, if that is what ran out
                report.findings.append(f"{name}: {_reason(exc)}")
                return
            report.pixel += outcome.calls
            report.page_views += outcome.page_views
            report.notes += [f"{name}: {line}" for line in outcome.notes]
        else:
            report.not_simulated.append(name)
            if kind.platform is not None:
                blockers.setdefault(kind.platform, []).append(
                    _cannot_tell(name, kind.builder, kind.platform)
                )

    def _server(
        self, hit: Ga4Hit, report: PushReport, blockers: dict[str, list[str]], now: int
    ) -> None:
        run = ServerRun(hit)
        report.servers.append(run)
        if hit.url is None:
            report.notes.append(
                f"{hit.tag_name}: no Google tag with server_container_url "
                f"for {hit.measurement_id or 'its measurement ID'} fired, so "
                "the hit goes to Google Analytics, not the server container"
            )
            return
        cookies = dict(self.options.cookies)
        event = run_event(
            self.exports.server,
            hit.event_data,
            cookies=cookies,
            headers={"user-agent": self.options.user_agent},
            budget=self.budget,
            regex=self.regex,
        )
        run.client = event.client
        if event.client is None:
            report.notes.append("the server container has no GA4 client to claim the hit")
            return
        assert event.resolver is not None
        try:
            for tag in event.fired:
                self._server_tag(tag, event.resolver, run, report, blockers, now)
        finally:
            report.notes += [n for n in event.resolver.notes if n not in report.notes]
            report.findings += [f for f in event.resolver.findings if f not in report.findings]

    def _server_tag(
        self,
        tag: dict[str, Any],
        resolver: Any,
        run: ServerRun,
        report: PushReport,
        blockers: dict[str, list[str]],
        now: int,
    ) -> None:
        name = str(tag.get("name"))
        kind = classify(self.exports.server, tag)
        run.fired.append(name)
        if kind.builder != "ours" or kind.platform not in SIMULATED or kind.template is None:
            run.not_simulated.append(name)
            if kind.platform is not None:
                blockers.setdefault(kind.platform, []).append(
                    _cannot_tell(name, kind.builder, kind.platform)
                )
            return
        platform = str(kind.platform)
        data = resolver.entity_data(tag)
        if "accessToken" in data and (
            self.options.access_token is not None
            or (self.token is not None and not str(data["accessToken"] or "").strip())
        ):
            data["accessToken"] = self.token
        if not str(data.get("accessToken") or "").strip():
            report.notes.append(
                f"{name}: its {sides(platform).label} access token is empty "
                "(fill in the token variable after import, or pass "
                "--access-token)"
            )
        try:
            outcome = ours.run_api(
                kind.template.template_data,
                data,
                event_data=run.hit.event_data,
                cookies=dict(self.options.cookies),
                debug=self.options.debug,
                status=self.options.status,
                response=self.options.response,
                now_ms=now,
                user_agent=self.options.user_agent,
                engine=self._server_engine(),
            )
        except GtmgenError as exc:  # stopped (time, memory, callbacks) or unusable
            self._drop_engine()
            self.budget.check()
            report.findings.append(f"{name}: {_reason(exc)}")
            return
        run.fired_ours.append(name)
        run.outcomes.append(outcome)
        run.platforms.append(platform)
        if platform == "meta" and "_fbc" in outcome.cookies_set:
            # the browser keeps the _fbc the server set and sends it with later hits
            self.options.cookies["_fbc"] = outcome.cookies_set["_fbc"]
        run.requests += outcome.requests
        report.api += outcome.events
        report.notes += [f"{name}: {line}" for line in outcome.notes]


def _known_platforms(exports: Exports) -> tuple[str, ...]:
    """The ad platforms the pair holds tags of, in report order."""
    found = set()
    for container in (exports.web, exports.server):
        for tag in container.tags:
            platform = classify(container, tag).platform
            if platform is not None:
                found.add(platform)
    order = ("tiktok", "meta")
    return tuple(pl for pl in order if pl in found) + tuple(sorted(found - set(order)))
