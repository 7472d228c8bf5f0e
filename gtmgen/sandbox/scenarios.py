"""Run the ___TESTS___ scenarios of a template (GTM's Tests tab) in the sandbox.

Each scenario runs in a fresh context: the ``setup`` code, then the scenario's code, with
``mock``, ``runCode``, ``assertApi``, ``assertThat`` and ``fail`` as GTM provides them.
``runCode`` runs the template synchronously with the template's declared permissions;
mocked APIs replace the stand-ins.
"""

from __future__ import annotations

from dataclasses import dataclass

from gtmgen.sandbox.engine import Engine
from gtmgen.sandbox.template import TemplateError, load


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    error: str  # "" when the scenario passed

    @property
    def passed(self) -> bool:
        return not self.error


def run_scenarios(
    template_data: str, *, debug: bool = False, now_ms: int = 0
) -> list[ScenarioResult]:
    template = load(template_data)
    tests = template.tests()
    scenarios = tests.get("scenarios") or []
    setup = tests.get("setup") or ""
    if not isinstance(scenarios, list) or not isinstance(setup, str):
        raise TemplateError("___TESTS___: scenarios must be a list and setup a string")
    config = {
        "context": template.context,
        "permissions": template.declared,
        "debug": debug,
        "nowMs": now_ms,
        "templateKey": template.key,
    }
    results = []
    for scenario in scenarios:
        if not isinstance(scenario, dict):
            raise TemplateError("___TESTS___: each scenario must have a name and code")
        name, code = str(scenario.get("name", "")), str(scenario.get("code", ""))
        with Engine() as engine:
            error = engine.call("__gtmtest.runScenario", config, template.code, setup, code)
        results.append(ScenarioResult(name, str(error)))
    return results
