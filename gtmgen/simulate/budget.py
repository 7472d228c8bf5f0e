"""The time and memory budget of one simulation (docs/simulate-limits.md).

A simulation runs code from someone else's export: Custom JavaScript, regular
expressions, variables that reference each other, custom templates. Each of these is
bounded here, and an overrun becomes a *finding* on the push it happened in (that push
cannot be judged, so ``simulate`` exits 1), never a hang or a crash.

* time: each push has ``push_seconds``, the whole run ``total_seconds``; every V8 call
  gets at most what is left of both (and at most its own cap). Once the overall budget is
  spent, the remaining pushes are not simulated (each says so).
* memory: every V8 context has a heap limit (``V8_HEAP_BYTES``); on the Python side,
  variable reads per push and the length of a field's text are capped, and a value
  coming back from JavaScript is at most ``MAX_JS_RESULT_CHARS`` of JSON.
"""

from __future__ import annotations

import time
from collections.abc import Callable

PUSH_SECONDS = 10.0  # one push: the web container, the GA4 hop, the server container
TOTAL_SECONDS = 120.0  # the whole simulation
JS_READ_SECONDS = 2.0  # one read of a Custom JavaScript variable
REGEX_SECONDS = 1.0  # one regular expression (Regex Table row, trigger condition)
V8_HEAP_BYTES = 128 * 1024 * 1024  # per V8 context (at most four live at once)
MAX_VARIABLE_READS = 10_000  # variable reads in one push (references that fan out)
MAX_TEXT_CHARS = 1_000_000  # a field's text once its {{references}} are expanded
MAX_JS_RESULT_CHARS = 1_000_000  # a Custom JavaScript value, as JSON


class BudgetExceeded(Exception):
    """A budget ran out: ``finding`` says which, in words for the report."""

    def __init__(self, finding: str, *, overall: bool = False) -> None:
        super().__init__(finding)
        self.finding = finding
        self.overall = overall


def _seconds(value: float) -> str:
    return f"{value:g} s"


class Budget:
    """Deadlines and counters; ``start_push`` before each push."""

    def __init__(
        self,
        *,
        push_seconds: float = PUSH_SECONDS,
        total_seconds: float = TOTAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.push_seconds = push_seconds
        self.total_seconds = total_seconds
        self._clock = clock
        self._end = clock() + total_seconds
        self._push_end = self._end
        self.reads = 0

    def start_push(self) -> None:
        self.reads = 0
        self._push_end = min(self._end, self._clock() + self.push_seconds)
        self.check()

    def check(self) -> None:
        """Raise :class:`BudgetExceeded` when a deadline has passed."""
        now = self._clock()
        if now >= self._end:
            raise BudgetExceeded(
                f"the simulation used up its overall time budget "
                f"({_seconds(self.total_seconds)}; see docs/simulate-limits.md)",
                overall=True,
            )
        if now >= self._push_end:
            raise BudgetExceeded(
                f"this push used up its time budget ({_seconds(self.push_seconds)}) and was stopped"
            )

    def timeout(self, cap: float) -> float:
        """Seconds the next V8 call may take: ``cap``, or less when the budget is low."""
        self.check()
        return max(0.001, min(cap, self._push_end - self._clock()))

    def read(self, name: str) -> None:
        """Count one variable read."""
        self.reads += 1
        if self.reads > MAX_VARIABLE_READS:
            raise BudgetExceeded(
                f"more than {MAX_VARIABLE_READS:,} variable reads in one push (last "
                f"{{{{{name}}}}}): references fan out without bound"
            )
        if self.reads % 256 == 0:
            self.check()
