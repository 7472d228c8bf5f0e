"""One V8 context (py_mini_racer) with the sandbox runtime loaded.

Values cross between Python and V8 only as JSON text (``json.dumps`` in, the runtime's
``JSON.stringify`` out), so no V8 object handle outlives a call. Close the engine when
done (it is a context manager): a MiniRacer left open can stall the interpreter's exit.

Every context gets a heap limit (:data:`HEAP_BYTES`): code that allocates past it is
stopped with :class:`JsOutOfMemory` instead of V8 aborting the process. A call that runs
past its time is stopped with :class:`JsTimeout`. After either, :func:`settle` makes one
more round trip so that V8's answer to the stopped script arrives while the context is
still open (left pending, it reaches a closed event loop and Python prints an "Exception
ignored ... Event loop is closed" block).
"""

from __future__ import annotations

import contextlib
import json
from functools import cache
from importlib import resources
from types import TracebackType
from typing import Any, Protocol

from gtmgen.errors import GtmgenError, mini_racer

_SCRIPTS = ("util.js", "core.js", "apis_common.js", "apis_web.js", "apis_server.js", "testapi.js")
TIMEOUT_SEC = 10.0
MAX_TASKS = 1_000  # callbacks run per drain round
MAX_ROUNDS = 100  # drain rounds: at most MAX_TASKS * MAX_ROUNDS callbacks per tag run
HEAP_BYTES = 128 * 1024 * 1024  # V8 heap limit of every context


contexts_created = 0  # V8 contexts made so far in this process (for tests of their count)


class JsStopped(GtmgenError):
    """V8 stopped a script: it ran out of time or memory."""


class JsTimeout(JsStopped):
    pass


class JsOutOfMemory(JsStopped):
    pass


class TimeLimit(Protocol):
    def __call__(self, cap: float) -> float: ...


def no_limit(cap: float) -> float:
    return cap


BUFFER_BYTES = 64 * 1024 * 1024  # array buffers (outside the V8 heap) per context

# Array buffers live outside the V8 heap, so the heap limit does not see them: count the
# bytes every buffer constructor and copying method asks for, and refuse past the budget.
# WebAssembly and SharedArrayBuffer (memory reserved outside the heap) are removed.
_BUFFER_GUARD = """
(function (g, limit) {
  'use strict';
  var left = limit, R = Reflect;
  function take(bytes) {
    bytes = Number(bytes);
    if (!(bytes > 0)) { return; }
    if (bytes > left) {
      throw new RangeError('array buffers over ' + limit + ' bytes in this context');
    }
    left -= bytes;
  }
  delete g.WebAssembly;
  delete g.SharedArrayBuffer;
  function wrap(name, size, viewOf) {
    var Original = g[name];
    if (typeof Original !== 'function') { return; }
    g[name] = new Proxy(Original, {construct: function (target, args, newTarget) {
      var first = args[0], counted = false;
      if (typeof first === 'number' || typeof first === 'bigint' || first === undefined) {
        take(size(args)); counted = true;
      } else if (viewOf && first instanceof g.ArrayBuffer) {
        counted = true;
      }
      var made = R.construct(target, args, newTarget === g[name] ? target : newTarget);
      if (!counted) { take(made.byteLength); }
      return made;
    }});
  }
  wrap('ArrayBuffer', function (args) {
    var max = args[1] && args[1].maxByteLength;
    return Math.max(Number(args[0]) || 0, Number(max) || 0);
  }, false);
  ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
   'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
   'BigUint64Array'].forEach(function (name) {
    var per = g[name] ? g[name].BYTES_PER_ELEMENT : 1;
    wrap(name, function (args) { return (Number(args[0]) || 0) * per; }, true);
  });
  function after(proto, names) {
    names.forEach(function (name) {
      var f = proto && proto[name];
      if (typeof f !== 'function') { return; }
      proto[name] = function () {
        var out = R.apply(f, this, arguments);
        if (out && typeof out.byteLength === 'number') { take(out.byteLength); }
        return out;
      };
    });
  }
  function before(proto, names) {
    names.forEach(function (name) {
      var f = proto && proto[name];
      if (typeof f !== 'function') { return; }
      proto[name] = function (length) { take(length); return R.apply(f, this, arguments); };
    });
  }
  var typed = g.Uint8Array && Object.getPrototypeOf(g.Uint8Array.prototype);
  after(typed, ['slice', 'map', 'filter', 'toSorted', 'toReversed', 'with']);
  after(g.ArrayBuffer && g.ArrayBuffer.prototype, ['slice']);
  before(g.ArrayBuffer && g.ArrayBuffer.prototype, ['resize', 'transfer',
                                                     'transferToFixedLength']);
})(globalThis, %d);
"""


def new_context(heap_bytes: int = HEAP_BYTES) -> Any:
    """A MiniRacer context with a heap limit and a budget of array buffer bytes."""
    global contexts_created
    v8 = mini_racer().MiniRacer()  # type: ignore[attr-defined]
    contexts_created += 1
    v8.set_hard_memory_limit(heap_bytes)
    try:
        evaluate(v8, _BUFFER_GUARD % BUFFER_BYTES, TIMEOUT_SEC, what="the memory guard")
    except BaseException:
        v8.close()
        raise
    return v8


def settle(v8: Any) -> None:
    """One round trip after a stopped script (see the module's doc)."""
    with contextlib.suppress(Exception):  # closed or dead: nothing is pending
        v8.eval("0", timeout_sec=1.0)


def evaluate(v8: Any, code: str, timeout: float, *, what: str = "the script") -> Any:
    """``v8.eval(code)`` with a timeout; a stop becomes :class:`JsTimeout` or
    :class:`JsOutOfMemory` (other JavaScript errors propagate as mini-racer raises them)."""
    from py_mini_racer import JSOOMException, JSTimeoutException

    try:
        return v8.eval(code, timeout_sec=timeout)
    except JSTimeoutException:
        settle(v8)
        raise JsTimeout(f"{what} ran longer than {timeout:.3g} s and was stopped") from None
    except JSOOMException:
        settle(v8)
        raise JsOutOfMemory(
            f"{what} ran out of memory (V8 heap limit "
            f"{HEAP_BYTES // (1024 * 1024)} MiB) and was stopped"
        ) from None


@cache
def _runtime() -> str:
    folder = resources.files("gtmgen.sandbox") / "js"
    return "\n;\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in _SCRIPTS)


def _arg(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, allow_nan=False, default=str)


class Engine:
    """A fresh V8 context; ``call`` runs ``__gtmgen.<name>(args...)``."""

    def __init__(self, *, time_limit: TimeLimit = no_limit) -> None:
        """``time_limit(cap)``: the seconds a call may take (a caller's budget may give
        less than ``cap``, or raise when it is spent)."""
        self._v8 = new_context()
        self._closed = False
        self.time_limit = time_limit
        try:
            evaluate(self._v8, _runtime(), TIMEOUT_SEC, what="the sandbox runtime")
        except BaseException:
            self.close()
            raise

    def call(self, function: str, *args: Any) -> Any:
        """The raw (non-JSON) result of ``function(args...)``, a primitive."""
        from py_mini_racer import JSEvalException

        code = f"{function}({', '.join(_arg(a) for a in args)})"
        try:
            return evaluate(self._v8, code, self.time_limit(TIMEOUT_SEC), what="the template")
        except JsStopped:
            raise
        except JSEvalException as exc:
            lines = str(exc).strip().splitlines()
            found = [line for line in lines if "Error" in line] or lines or [""]
            raise GtmgenError(
                f"the sandbox could not run the template: {found[0].strip()}"
            ) from None

    def call_json(self, function: str, *args: Any) -> Any:
        """``function(args...)`` returns JSON text; this returns it parsed."""
        return json.loads(str(self.call(function, *args)))

    def drain(self) -> None:
        """Run queued callbacks (script loads, HTTP responses, callLater) until none is left."""
        # Promise reactions run when each eval returns, so ask again until nothing is left.
        for _ in range(MAX_ROUNDS):
            if not int(self.call("__gtmgen.pending")):
                return
            self.call("__gtmgen.drain", MAX_TASKS)
        raise GtmgenError(
            f"the template kept scheduling callbacks (more than "
            f"{MAX_TASKS * MAX_ROUNDS:,}); the rest were not run"
        )

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._v8.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
