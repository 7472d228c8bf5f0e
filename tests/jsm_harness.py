"""A minimal stand-in for GTM running a Custom JavaScript variable in V8.

GTM replaces every ``{{Name}}`` in a Custom JavaScript variable with the value of that
variable, evaluated afresh at each read. Here each reference becomes a call to
``__gtm_resolve("Name")``, answered from the message being processed.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from py_mini_racer import MiniRacer

_REF = re.compile(r"\{\{([^{}]+)\}\}")

_PAGE = """
var window = globalThis;
window.dataLayer = [];
var __gtm = {uid: 0, current: null, model: {}};
function __gtm_merge(into, from) {
  for (var k in from) {
    var v = from[k];
    if (v && typeof v === 'object' && !Array.isArray(v) &&
        into[k] && typeof into[k] === 'object' && !Array.isArray(into[k])) {
      __gtm_merge(into[k], v);
    } else {
      into[k] = v;
    }
  }
}
function __gtm_push(message) {
  __gtm.uid += 1;
  __gtm_merge(__gtm.model, JSON.parse(JSON.stringify(message)));
  message['gtm.uniqueEventId'] = __gtm.uid;
  window.dataLayer.push(message);
  __gtm.current = message;
  return __gtm.uid;
}
function __gtm_resolve(name) {
  if (name === 'Event') { return __gtm.current ? __gtm.current.event : undefined; }
  if (name === 'gtmgen - DLV - gtm.uniqueEventId') {
    return __gtm.current ? __gtm.current['gtm.uniqueEventId'] : undefined;
  }
  if (name.indexOf('gtmgen - DLV - ') === 0) {  // Data Layer Variable, version 2
    var value = __gtm.model;
    var parts = name.slice('gtmgen - DLV - '.length).split('.');
    for (var i = 0; i < parts.length; i++) {
      if (value === null || typeof value !== 'object') { return undefined; }
      value = value[parts[i]];
    }
    return value;
  }
  throw new Error('unknown variable ' + name);
}
"""


class JsmPage:
    """One page: a fresh V8 context with a dataLayer and one Custom JavaScript variable."""

    def __init__(self, javascript: str, *, random_seed: int | None = None) -> None:
        self.ctx = MiniRacer()
        self.ctx.eval(_PAGE)
        if random_seed is not None:  # a deterministic Math.random for reproducible IDs
            self.ctx.eval(
                "(function(){var s=" + str(random_seed) + ";Math.random=function(){"
                "s=(s*16807)%2147483647;return s/2147483647;};})();"
            )
        body = _REF.sub(lambda m: "__gtm_resolve(" + json.dumps(m.group(1)) + ")", javascript)
        self.ctx.eval("var __variable = (" + body + ");")

    def push(self, message: dict[str, Any]) -> int:
        return int(cast(int, self.ctx.eval("__gtm_push(" + json.dumps(message) + ")")))

    def read(self) -> Any:
        """Read the variable once, as a tag firing on the current message would."""
        return json.loads(cast(str, self.ctx.eval("JSON.stringify(__variable())")))
