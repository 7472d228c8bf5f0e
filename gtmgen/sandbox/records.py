"""What a tag run did, as plain typed records (read from the runtime's JSON record)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class WindowCall:
    """``callInWindow(path, *args)``; ``missing`` when no function was at that path."""

    path: str
    args: list[Any]
    missing: bool = False


@dataclass(frozen=True)
class QueuePush:
    """A value pushed through a function from ``createQueue`` / ``createArgumentsQueue``."""

    key: str
    value: Any
    nested: bool = False  # made by a page function that callInWindow was running


@dataclass(frozen=True)
class HttpRequest:
    url: str
    method: str
    headers: dict[str, str]
    body: str | None
    timeout: int | None = None
    form: Literal["promise", "callback"] = "promise"

    @property
    def json(self) -> Any:
        """The body parsed as JSON (None when there is no body or it is not JSON)."""
        if self.body is None:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass(frozen=True)
class CookieSet:
    name: str
    value: str
    options: dict[str, Any]
    no_encode: bool = False


@dataclass(frozen=True)
class HttpResponse:
    """The answer the stand-in of sendHttpRequest gives."""

    status: int = 200
    body: str = '{"code":0,"message":"OK"}'
    headers: dict[str, str] = field(default_factory=dict)

    def config(self) -> dict[str, Any]:
        return {
            "kind": "response",
            "status": self.status,
            "body": self.body,
            "headers": dict(self.headers),
        }


@dataclass(frozen=True)
class HttpFailure:
    """A request that fails: the promise rejects with ``{reason}``."""

    reason: Literal["failed", "timed_out"] = "failed"

    def config(self) -> dict[str, Any]:
        return {"kind": "failure", "reason": self.reason}


Outcome = Literal["success", "failure", "exception", "none", "both"]


@dataclass
class TagRun:
    """What one tag run did. ``permission_uses`` lists every permission check that passed,
    e.g. ``access_globals:ttq.track:execute`` or ``send_http:https://...``."""

    successes: int = 0
    failures: int = 0
    exception: str | None = None
    logs: list[str] = field(default_factory=list)
    permission_uses: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    returned: Any = None  # what the code returned (JSON picture), for variable templates

    @property
    def outcome(self) -> Outcome:
        if self.exception is not None:
            return "exception"
        if self.successes and self.failures:
            return "both"
        if self.successes:
            return "success"
        return "failure" if self.failures else "none"

    @property
    def succeeded(self) -> bool:
        return self.outcome == "success" and self.successes == 1

    @property
    def failed(self) -> bool:
        return self.outcome in ("failure", "exception")


@dataclass
class WebTagRun(TagRun):
    injected_scripts: list[str] = field(default_factory=list)
    window_calls: list[WindowCall] = field(default_factory=list)
    queue_pushes: list[QueuePush] = field(default_factory=list)

    def calls_to(self, path: str) -> list[list[Any]]:
        """The argument lists of every ``callInWindow(path, ...)``."""
        return [c.args for c in self.window_calls if c.path == path]

    def ttq_calls(self, method: str) -> list[tuple[str | None, list[Any]]]:
        """Every TikTok ``method`` call the run made, as (pixel, arguments): through
        ``callInWindow('ttq.<method>')`` (pixel None: the global queue or live SDK) or
        ``callInWindow('ttq._i.<id>.<method>')``, or pushed as ``[method, ...arguments]``
        onto ``ttq`` or a pixel's own queue ``ttq._i.<id>``."""
        out: list[tuple[str | None, list[Any]]] = []
        for call in self.window_calls:
            pixel = _ttq_pixel(call.path, method)
            if pixel is not False:
                out.append((pixel if isinstance(pixel, str) else None, list(call.args)))
        for push in self.queue_pushes:
            value = push.value
            if push.nested:  # already counted as the window call that made it
                continue
            if not (isinstance(value, list) and value and value[0] == method):
                continue
            if push.key == "ttq":
                out.append((None, list(value[1:])))
            elif push.key.startswith("ttq._i.") and "." not in push.key[len("ttq._i.") :]:
                out.append((push.key[len("ttq._i.") :], list(value[1:])))
        return out  # window calls first, then queue pushes, each in the order made


def _ttq_pixel(path: str, method: str) -> str | bool | None:
    """None for ``ttq.<method>``, the ID for ``ttq._i.<id>.<method>``, else False."""
    if path == f"ttq.{method}":
        return None
    parts = path.split(".")
    if len(parts) == 4 and parts[:2] == ["ttq", "_i"] and parts[3] == method:
        return parts[2]
    return False


@dataclass
class ServerTagRun(TagRun):
    requests: list[HttpRequest] = field(default_factory=list)
    cookies_set: list[CookieSet] = field(default_factory=list)


def _common(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "successes": record["successes"],
        "failures": record["failures"],
        "exception": record["exception"],
        "logs": list(record["logs"]),
        "permission_uses": list(record["permissionUses"]),
        "required": list(record["required"]),
        "returned": record["returned"],
    }


def web_run(record: dict[str, Any]) -> WebTagRun:
    return WebTagRun(
        **_common(record),
        injected_scripts=list(record["injected"]),
        window_calls=[
            WindowCall(c["path"], c["args"], c["missing"]) for c in record["windowCalls"]
        ],
        queue_pushes=[
            QueuePush(p["key"], p["value"], bool(p.get("nested"))) for p in record["pushes"]
        ],
    )


def server_run(record: dict[str, Any]) -> ServerTagRun:
    return ServerTagRun(
        **_common(record),
        requests=[
            HttpRequest(r["url"], r["method"], r["headers"], r["body"], r["timeout"], r["form"])
            for r in record["requests"]
        ],
        cookies_set=[
            CookieSet(c["name"], c["value"], c["options"], c["noEncode"])
            for c in record["cookiesSet"]
        ],
    )
