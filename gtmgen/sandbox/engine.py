"""One V8 context (py_mini_racer) with the sandbox runtime loaded.

Values cross between Python and V8 only as JSON text (``json.dumps`` in, the runtime's
``JSON.stringify`` out), so no V8 object handle outlives a call. Close the engine when
done (it is a context manager): a MiniRacer left open can stall the interpreter's exit.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from types import TracebackType
from typing import Any

from gtmgen.errors import GtmgenError

_SCRIPTS = ("util.js", "core.js", "apis_common.js", "apis_web.js",
            "apis_server.js", "testapi.js")
TIMEOUT_SEC = 10.0
MAX_TASKS = 10_000


@cache
def _runtime() -> str:
    folder = resources.files("gtmgen.sandbox") / "js"
    return "\n;\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in _SCRIPTS)


def _arg(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, allow_nan=False, default=str)


class Engine:
    """A fresh V8 context; ``call`` runs ``__gtmgen.<name>(args...)``."""

    def __init__(self) -> None:
        from gtmgen.errors import mini_racer

        self._v8 = mini_racer("running templates").MiniRacer()  # type: ignore[attr-defined]
        self._closed = False
        self._v8.eval(_runtime(), timeout_sec=TIMEOUT_SEC)

    def call(self, function: str, *args: Any) -> Any:
        """The raw (non-JSON) result of ``function(args...)``, a primitive."""
        from py_mini_racer import JSEvalException

        code = f"{function}({', '.join(_arg(a) for a in args)})"
        try:
            return self._v8.eval(code, timeout_sec=TIMEOUT_SEC)
        except JSEvalException as exc:
            lines = str(exc).strip().splitlines()
            found = [line for line in lines if "Error" in line] or lines or [""]
            raise GtmgenError(f"the sandbox could not run the template: "
                              f"{found[0].strip()}") from None

    def call_json(self, function: str, *args: Any) -> Any:
        """``function(args...)`` returns JSON text; this returns it parsed."""
        return json.loads(str(self.call(function, *args)))

    def drain(self) -> None:
        """Run queued callbacks (script loads, HTTP responses, callLater) until none is left."""
        # Promise reactions run when each eval returns, so ask again until nothing is left.
        for _ in range(MAX_TASKS):
            self.call("__gtmgen.drain", MAX_TASKS)
            if not int(self.call("__gtmgen.pending")):
                return
        raise GtmgenError(f"the template kept scheduling callbacks ({MAX_TASKS} rounds)")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._v8.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
