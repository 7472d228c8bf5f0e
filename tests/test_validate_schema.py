"""The JSON Schema check: jsonschema-rs gives the verdict, the ``jsonschema`` library (the
reference) describes what fails, entity by entity; and the template parsing it relies on
(cached, libyaml first) says what the pure-Python parser says."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gtmgen.gtm.format import COLLECTIONS
from gtmgen.gtm.template import sections
from gtmgen.validate import check_export, schema
from gtmgen.validate.schema import entity_lists, fast_verdict, parts, schema_issues
from gtmgen.validate.templates import _load_yaml, parse_template_data
from tests.conftest import build_exports
from tests.test_validate_robust import EXPORT, JUNK, PATHS, replaced


def corpus_exports(corpus_dir: Path) -> dict[str, Any]:
    exports = {p.name: json.loads(p.read_text("utf-8")) for p in sorted(corpus_dir.glob("*.json"))}
    assert len(exports) > 40
    return exports


def test_both_validators_give_the_same_verdict_on_every_corpus_export(corpus_dir: Path) -> None:
    verdicts = {}
    for name, data in corpus_exports(corpus_dir).items():
        fast = fast_verdict(data)
        reference = not schema_issues(data, fast=False)
        assert fast is reference, name
        verdicts[name] = fast
    # both kinds are there, so the comparison means something (49 and 5 when written)
    assert sum(verdicts.values()) > 40
    assert not all(verdicts.values())


def test_the_split_check_gives_the_references_own_errors(corpus_dir: Path) -> None:
    failing = 0
    for name, data in corpus_exports(corpus_dir).items():
        whole = schema_issues(data, fast=False)
        assert schema_issues(data) == whole, name
        failing += bool(whole)
    assert failing >= 3


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_the_split_check_matches_the_reference_on_mangled_exports(junk: Any) -> None:
    differ = []
    for path in PATHS[::3]:
        data = replaced(EXPORT, path, junk)
        verdict = fast_verdict(data)
        whole = schema_issues(data, fast=False)
        if verdict is not (not whole) or schema_issues(data) != whole:
            differ.append(path)
    assert differ == []


def test_our_exports_pass_both(our_exports: dict[str, dict[str, object]]) -> None:
    for name, export in our_exports.items():
        assert fast_verdict(export) is True, name
        assert schema_issues(export, fast=False) == [], name


def test_every_entity_list_is_checked_item_by_item() -> None:
    assert set(entity_lists()) == set(COLLECTIONS)
    assert entity_lists()["tag"] == "Tag"
    export = build_exports(None)["acme-shop.web.json"]
    version = export["containerVersion"]
    assert isinstance(version, dict)
    split = list(parts(export))
    entities = sum(len(v) for k, v in version.items() if k in entity_lists())
    assert len(split) == 1 + entities
    rest = split[0][2]["containerVersion"]
    assert all(rest[key] == [] for key in entity_lists() if key in version)
    by_path = {where: instance for where, _, instance in split}
    assert by_path[("containerVersion", "tag", 0)] is version["tag"][0]


def test_past_the_limit_failing_entities_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_DETAILED", 4)
    export = copy.deepcopy(build_exports(None)["acme-shop.web.json"])
    tags = export["containerVersion"]["tag"]
    for tag in tags:
        tag["tagFiringOption"] = "sometimes"
    issues = schema_issues(export)
    assert len(issues) == 5
    assert [i.path for i in issues[:4]] == [
        ("containerVersion", "tag", i, "tagFiringOption") for i in range(4)
    ]
    assert issues[4].path == ()
    assert issues[4].text == (
        f"{len(tags) - 4} more entities do not match the export format "
        "either (only the first 4 such errors are described)"
    )
    assert len(schema_issues(export, fast=False)) == len(tags)


def test_without_jsonschema_rs_the_reference_does_it_all(monkeypatch: pytest.MonkeyPatch) -> None:
    export = copy.deepcopy(build_exports(None)["acme-shop.server.json"])
    export["containerVersion"]["client"][0]["priority"] = "high"
    expected = check_export(export, file="f.json")
    assert any("priority" in str(f) for f in expected)
    monkeypatch.setattr(schema, "_fast_validator", lambda name: None)
    assert fast_verdict(export) is None
    assert check_export(export, file="f.json") == expected


def test_build_loads_jsonschema_rs_and_not_jsonschema(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['gtmgen', 'build', '-o', {str(tmp_path)!r}]\n"
        "from gtmgen.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('jsonschema' in sys.modules, 'jsonschema_rs' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


# --------------------------------------------------------------------------- templates


def test_libyaml_and_python_agree_on_every_corpus_template_test(corpus_dir: Path) -> None:
    bodies = [
        section.body
        for data in corpus_exports(corpus_dir).values()
        for template in data["containerVersion"].get("customTemplate") or ()
        for section in sections(template.get("templateData", ""))
        if section.name == "TESTS"
    ]
    assert len(bodies) > 50
    for body in bodies:
        assert _load_yaml(body) == yaml.safe_load(body)


@pytest.mark.parametrize(
    "text",
    [
        "scenarios:\n\t- name: x\n",  # a tab: libyaml is not asked
        "scenarios: [a, b\n",  # broken: the Python parser's message
        "a: &x 1\nb: *x\n",  # an alias is fine
        "- 1\n- 2\n",
    ],
)
def test_template_yaml_reads_as_the_python_parser_does(text: str) -> None:
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        with pytest.raises(yaml.YAMLError) as raised:
            _load_yaml(text)
        assert str(raised.value) == str(exc)
    else:
        assert _load_yaml(text) == expected


def test_one_template_text_in_two_places_is_reported_in_both() -> None:
    export = copy.deepcopy(EXPORT)
    templates = export["containerVersion"]["customTemplate"]
    broken = templates[0]["templateData"].replace("___INFO___", "___INF0___")
    templates[0]["templateData"] = broken
    templates.append(dict(templates[0], templateId="999", name="Second copy"))
    assert parse_template_data(broken) is parse_template_data(broken)  # parsed once
    missing = [
        f
        for f in check_export(export, file="f.json")
        if "section ___INFO___ is missing" in f.message
    ]
    assert [m.message.split(" ")[0] for m in missing] == [
        "containerVersion.customTemplate[0].templateData",
        "containerVersion.customTemplate[1].templateData",
    ]
