"""Variable references and parameter values, resolved as GTM does at fire time.

Every read of a variable is evaluated afresh (GTM caches nothing between reads of a
variable; that is exactly why a random event ID differs between two tags). A field that
is exactly one ``{{Variable}}`` receives the variable's typed value; any other text is a
string with each reference written as JavaScript's ``String(value)`` would.

Someone else's export can make references explode: a variable that references itself
(directly or in a cycle) reads as undefined with a finding; reads per push and the length
of an expanded text are capped by the simulation's :class:`Budget`
(docs/simulate-limits.md). Regular expressions run in V8 (GTM's dialect), bounded in time.
"""

from __future__ import annotations

import re
from typing import Any

from gtmgen.gtm.container import REFERENCE, Container, Entity, dicts, params, table_rows
from gtmgen.gtm.javascript import UNDEFINED
from gtmgen.sandbox.engine import JsStopped
from gtmgen.simulate.budget import MAX_TEXT_CHARS, Budget, BudgetExceeded
from gtmgen.simulate.jsengine import RegexEngine
from gtmgen.simulate.values import js_string

_SINGLE = re.compile(r"^\{\{([^{}]+)\}\}$")
MAX_DEPTH = 25


class Resolver:
    """Common variable types; subclasses add the web or server ones and the built-ins."""

    def __init__(
        self,
        container: Container,
        *,
        budget: Budget | None = None,
        regex: RegexEngine | None = None,
    ) -> None:
        self.container = container
        self.variables = container.variables
        self.builtins = container.builtins
        self.budget = budget or Budget()
        self.regex = regex or RegexEngine(self.budget)
        self._own_regex = regex is None
        self.notes: list[str] = []
        self.findings: list[str] = []  # what the simulation could not do faithfully
        self._resolving: list[str] = []

    def close(self) -> None:
        if self._own_regex:
            self.regex.close()

    # -- subclasses ---------------------------------------------------------------
    def builtin_values(self) -> dict[str, Any]:
        """The built-in variables this side simulates, by type, as read now."""
        return {}

    def builtin(self, name: str, type_: str) -> Any:
        values = self.builtin_values()
        if type_ in values:
            return values[type_]
        self.note(f"built-in variable {name!r} ({type_}) is not simulated: it reads as undefined")
        return UNDEFINED

    def variable_of_type(self, variable: Entity, type_: str, depth: int) -> Any:
        return self._unsupported(variable, type_)

    # -- resolution -----------------------------------------------------------------
    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def finding(self, text: str) -> None:
        if text not in self.findings:
            self.findings.append(text)

    def matches(
        self,
        pattern: str,
        text: str,
        *,
        ignore_case: bool = False,
        full: bool = False,
        where: str = "a trigger condition",
    ) -> bool:
        """A regular expression, bounded in time; one that runs out counts as no match."""
        try:
            return self.regex.test(pattern, text, ignore_case=ignore_case, full=full)
        except JsStopped as exc:
            self.budget.check()  # the push's budget, if that is what ran out
            self.finding(f"{exc} in {where}; it counts as not matching")
            return False

    def _unsupported(self, variable: Entity, type_: str) -> Any:
        self.note(
            f"variable {variable.get('name')!r} (type {type_}) is not simulated: "
            "it reads as undefined"
        )
        return UNDEFINED

    def resolve(self, name: str, depth: int = 0) -> Any:
        self.budget.read(name)
        if name in self._resolving:
            cycle = [*self._resolving[self._resolving.index(name) :], name]
            self.finding(
                f"variable {name!r} references itself ("
                + " -> ".join(cycle)
                + "); GTM cannot resolve it, it reads as "
                "undefined here"
            )
            return UNDEFINED
        if depth > MAX_DEPTH:
            self.finding(
                f"variable {name!r}: references nest more than {MAX_DEPTH} deep; "
                "it reads as undefined here"
            )
            return UNDEFINED
        self._resolving.append(name)
        try:
            return self._resolve(name, depth)
        finally:
            self._resolving.pop()

    def _resolve(self, name: str, depth: int) -> Any:
        variable = self.variables.get(name)
        if variable is None:
            type_ = self.builtins.get(name) or DEFAULT_BUILTINS.get(name)
            if type_ is None and name != "_event":
                self.note(f"{{{{{name}}}}} names no variable in the container")
                return UNDEFINED
            return self.builtin(name, type_ or "_EVENT")
        type_ = str(variable.get("type", ""))
        common = {"c": self._constant, "smm": self._lookup_table, "remm": self._regex_table}
        handler = common.get(type_)
        if type_ == "uv":
            value: Any = UNDEFINED
        elif handler is not None:
            value = handler(variable, depth)
        else:
            value = self.variable_of_type(variable, type_, depth)
        return format_value(value, variable.get("formatValue"))

    def render(self, text: str, depth: int = 0) -> Any:
        """A field's value: typed for a lone reference, else a string."""
        single = _SINGLE.match(text)
        if single:
            return self.resolve(single.group(1), depth + 1)
        return self.render_text(text, depth)

    def render_text(self, text: str, depth: int = 0) -> str:
        if "{{" not in text:
            return text
        size = len(text)

        def expand(match: Any) -> str:
            nonlocal size
            value = js_string(self.resolve(match.group(1), depth + 1))
            size += len(value)
            if size > MAX_TEXT_CHARS:
                raise BudgetExceeded(
                    f"a text grew past {MAX_TEXT_CHARS:,} characters while "
                    f"its references expanded (at {{{{{match.group(1)}}}}})"
                )
            return value

        return REFERENCE.sub(expand, text)

    def param_value(self, param: Entity, depth: int = 0) -> Any:
        kind = param.get("type")
        if kind == "BOOLEAN":
            return str(param.get("value", "false")).lower() == "true"
        if kind == "INTEGER":
            try:
                return int(str(param.get("value", "0")))
            except ValueError:
                return str(param.get("value"))
        if kind == "LIST":
            return [self.param_value(item, depth) for item in dicts(param.get("list"))]
        if kind == "MAP":
            return {str(m.get("key")): self.param_value(m, depth) for m in dicts(param.get("map"))}
        if "value" not in param:
            return UNDEFINED if kind == "TEMPLATE" else ""
        return self.render(str(param["value"]), depth)

    def entity_data(self, entity: Entity) -> dict[str, Any]:
        """``data`` for a template: every parameter by key, resolved."""
        return {key: self.param_value(p) for key, p in params(entity).items()}

    # -- common variable types ----------------------------------------------------------
    def _constant(self, variable: Entity, depth: int) -> Any:
        raw = params(variable).get("value", {}).get("value", "")
        return self.render(str(raw), depth)

    def _lookup_table(self, variable: Entity, depth: int) -> Any:
        by_key = params(variable)
        needle = js_string(self.render(str(by_key.get("input", {}).get("value", "")), depth))
        for row in table_rows(by_key.get("map")):
            if row.get("key") == needle:
                return self.render(row.get("value", ""), depth)
        return self._default(by_key, depth)

    def _regex_table(self, variable: Entity, depth: int) -> Any:
        by_key = params(variable)
        needle = js_string(self.render(str(by_key.get("input", {}).get("value", "")), depth))
        full = str(by_key.get("fullMatch", {}).get("value", "false")) == "true"
        ignore_case = str(by_key.get("ignoreCase", {}).get("value")) == "true"
        where = f"Regex Table {variable.get('name')!r}"
        for row in table_rows(by_key.get("map")):
            if self.matches(
                row.get("key", ""), needle, ignore_case=ignore_case, full=full, where=where
            ):
                return self.render(row.get("value", ""), depth)
        return self._default(by_key, depth)

    def _default(self, by_key: dict[str, Entity], depth: int) -> Any:
        if str(by_key.get("setDefaultValue", {}).get("value", "false")) == "true":
            return self.render(str(by_key.get("defaultValue", {}).get("value", "")), depth)
        return UNDEFINED


DEFAULT_BUILTINS = {
    "Event": "EVENT",
    "Page URL": "PAGE_URL",
    "Page Hostname": "PAGE_HOSTNAME",
    "Page Path": "PAGE_PATH",
    "Referrer": "REFERRER",
    "Random Number": "RANDOM_NUMBER",
    "Container ID": "CONTAINER_ID",
    "Container Version": "CONTAINER_VERSION",
    "Debug Mode": "DEBUG_MODE",
    "Client Name": "CLIENT_NAME",
    "Event Name": "EVENT_NAME",
    "Request Path": "REQUEST_PATH",
    "Request Method": "REQUEST_METHOD",
    "Query String": "QUERY_STRING",
}


def format_value(value: Any, fmt: Any) -> Any:
    """A variable's ``formatValue`` (case conversion and typed replacements)."""
    if not isinstance(fmt, dict) or not fmt:
        return value
    replacements = {
        "convertNullToValue": None,
        "convertUndefinedToValue": UNDEFINED,
        "convertTrueToValue": True,
        "convertFalseToValue": False,
    }
    for key, target in replacements.items():
        if key in fmt and value is target:
            return (fmt[key] or {}).get("value", "")
    case = fmt.get("caseConversionType")
    if isinstance(value, str) and case == "LOWERCASE":
        return value.lower()
    if isinstance(value, str) and case == "UPPERCASE":
        return value.upper()
    return value
