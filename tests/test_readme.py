"""The README stays true: its spec builds, its commands are the ones CI runs."""

from __future__ import annotations

import re

from gtmgen.generate import build
from gtmgen.spec import load_spec_text
from tests.cases import ROOT
from tests.docs import section


def _section(name: str) -> str:
    return section(name)


def test_quick_start_spec_builds() -> None:
    [spec_text] = re.findall(r"```yaml\n(.*?)```", _section("quickstart"), re.S)
    spec = load_spec_text(spec_text, file="README.md", environ={})
    result = build(spec, environ={})
    names = {t["name"] for t in result.web["containerVersion"]["tag"]}
    assert {"gtmgen - TikTok - purchase", "gtmgen - GA4 - purchase"} <= names


def test_quick_start_is_two_commands_and_ci_runs_the_test_command() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", _section("quickstart"), re.S)
    commands = [line.split("#")[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == [
        "pip install . && gtmgen build",
        "pip install '.[test]' && python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet '.[test]'" in ci
    assert "python -m pytest" in ci


def test_every_spec_key_in_the_reference_table_exists() -> None:
    from gtmgen.spec.model import Spec

    table = _section("spec").split("How the `event_id` is chosen")[0]
    keys = re.findall(r"^\| `([a-z_.\[\]]+)` \|", table, re.M)
    assert len(keys) > 10
    for key in keys:
        model: object = Spec
        for part in key.replace("[]", "").split("."):
            fields = model.model_fields  # type: ignore[attr-defined]
            assert part in fields, f"README documents {key!r}, which the spec does not have"
            annotation = fields[part].annotation
            nested = [
                a
                for a in getattr(annotation, "__args__", (annotation,))
                if hasattr(a, "model_fields")
            ]
            for arg in getattr(annotation, "__args__", ()):
                nested += [a for a in getattr(arg, "__args__", ()) if hasattr(a, "model_fields")]
            model = nested[0] if nested else annotation


def test_spec_json_schema_agrees_with_the_model() -> None:
    import json

    import jsonschema
    import yaml

    from gtmgen.resources import example_spec
    from gtmgen.spec.schema import spec_json_schema

    schema = json.loads(spec_json_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    example = yaml.safe_load(example_spec().read_text(encoding="utf-8"))
    assert list(validator.iter_errors(example)) == []
    example["events"][0]["tiktok_evnt"] = "ViewContent"  # a typo an editor should flag
    assert list(validator.iter_errors(example))
    described = schema["$defs"]["Event"]["properties"]["event_id_from"]["description"]
    assert "prefix" in described
