"""Custom template rules, each shown on a broken copy of our exports' TikTok templates."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from tests.conftest import build_exports
from tests.test_validate_rules import Export, added, find

HEADER = re.compile(r"^___([A-Z0-9_]+)___$", re.MULTILINE)
CONTEXT = {"acme-shop.web.json": "WEB", "acme-shop.server.json": "SERVER"}


def split(data: str) -> dict[str, str]:
    """Section name -> body, in order (test-side reading, independent of gtmgen's)."""
    parts = HEADER.split(data)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def join(sections: dict[str, str]) -> str:
    return "".join(f"___{name}___{body}" for name, body in sections.items())


def template(export: Export) -> dict[str, Any]:
    # the TikTok template (the example also holds Meta's)
    templates: list[dict[str, Any]] = [
        t
        for t in export["containerVersion"]["customTemplate"]
        if t["name"].startswith("gtmgen TikTok")
    ]
    assert len(templates) == 1
    return templates[0]


def edit(export: Export, name: str, body: str | None) -> None:
    """Replace (or add, or with None remove) one section of the export's template."""
    sections = split(template(export)["templateData"])
    if body is None:
        del sections[name]
    else:
        sections[name] = f"\n\n{body}\n\n\n"
    template(export)["templateData"] = join(sections)


def edit_info(export: Export, **fields: Any) -> None:
    info = json.loads(split(template(export)["templateData"])["INFO"])
    info.update(fields)
    edit(export, "INFO", json.dumps(info, indent=2))


@pytest.fixture(scope="module")
def exports() -> dict[str, Export]:
    return build_exports(None)


@pytest.fixture(params=sorted(CONTEXT))
def export(request: pytest.FixtureRequest, exports: dict[str, Export]) -> Export:
    """Our export, its template's ___INFO___ completed with type and contexts if absent."""
    out = copy.deepcopy(exports[request.param])
    info = json.loads(split(template(out)["templateData"])["INFO"])
    edit_info(
        out,
        type=info.get("type", "TAG"),
        containerContexts=info.get("containerContexts", [CONTEXT[request.param]]),
    )
    return out


def context(export: Export) -> str:
    return str(export["containerVersion"]["container"]["usageContext"][0])


def where(export: Export) -> str:
    index = export["containerVersion"]["customTemplate"].index(template(export))
    return (
        f"containerVersion.customTemplate[{index}].templateData (template "
        f"{template(export)['name']!r})"
    )


def test_info_must_be_json(export: Export) -> None:
    new = added(export, lambda e: edit(e, "INFO", '{\n  "type": "TAG",\n  oops\n}'))
    assert len(new) == 1, new
    assert new[0].startswith(
        f"{where(export)}: section ___INFO___ is not valid JSON (templateData line "
    )
    assert new[0].endswith("): Expecting property name enclosed in double quotes")


def test_json_error_line_is_counted_in_templatedata(export: Export) -> None:
    def change(e: Export) -> None:
        edit(e, "TEMPLATE_PARAMETERS", "[\n  {},\n  oops\n]")

    broken = copy.deepcopy(export)
    change(broken)
    lines = template(broken)["templateData"].split("\n")
    oops = lines.index("  oops") + 1
    new = added(export, change)
    assert new == [
        f"{where(export)}: section ___TEMPLATE_PARAMETERS___ is not valid JSON "
        f"(templateData line {oops}): Expecting value"
    ]


def test_tests_section_must_be_yaml(export: Export) -> None:
    new = added(export, lambda e: edit(e, "TESTS", "scenarios:\n- name: a\n  code: [oops\n"))
    assert len(new) == 1
    assert new[0].startswith(
        f"{where(export)}: section ___TESTS___ is not valid YAML (templateData line "
    )
    assert new[0].endswith("; GTM refuses such a template")


def test_tests_section_must_be_a_mapping(export: Export) -> None:
    assert added(export, lambda e: edit(e, "TESTS", "- just\n- a list")) == [
        f"{where(export)}: section ___TESTS___ must be a YAML mapping (scenarios: [...])"
    ]


def test_required_sections(export: Export) -> None:
    assert added(export, lambda e: edit(e, "TEMPLATE_PARAMETERS", None)) == [
        f"{where(export)}: section ___TEMPLATE_PARAMETERS___ is missing"
    ]


def test_json_sections_have_the_right_shape(export: Export) -> None:
    permissions = "WEB_PERMISSIONS" if context(export) == "WEB" else "SERVER_PERMISSIONS"

    def change(e: Export) -> None:
        edit(e, "TEMPLATE_PARAMETERS", '{"a": 1}')
        edit(e, permissions, "[{]")

    new = added(export, change)
    assert f"{where(export)}: section ___TEMPLATE_PARAMETERS___ must be a list" in new
    assert any(f"section ___{permissions}___ is not valid JSON" in m for m in new)
    assert len(new) == 2


def test_duplicate_and_unknown_sections(export: Export) -> None:
    def change(e: Export) -> None:
        data = template(e)["templateData"]
        template(e)["templateData"] = data + "___NOTES___\n\nagain\n\n___COLOUR___\n\nred\n"

    new = added(export, change)
    assert f"{where(export)}: warning: unknown section ___COLOUR___" in new
    if "NOTES" in split(template(export)["templateData"]):
        assert f"{where(export)}: section ___NOTES___ appears twice" in new


def test_container_contexts_match_the_container(export: Export) -> None:
    other = "SERVER" if context(export) == "WEB" else "WEB"
    new = added(export, lambda e: edit_info(e, containerContexts=[other]))
    assert (
        f"{where(export)}: the template is for {other} containers, this container is "
        f"{context(export)}" in new
    )


def test_code_section_matches_the_contexts(export: Export) -> None:
    code = {"WEB": "SANDBOXED_JS_FOR_WEB_TEMPLATE", "SERVER": "SANDBOXED_JS_FOR_SERVER"}
    mine, other = context(export), "SERVER" if context(export) == "WEB" else "WEB"

    def change(e: Export) -> None:
        edit(e, code[other], "const log = require('logToConsole');")

    new = added(export, change)
    assert (
        f"{where(export)}: section ___{code[other]}___ belongs to {other} templates, "
        f"but containerContexts is ['{mine}']" in new
    )


def test_a_template_without_code_is_a_warning(export: Export) -> None:
    code = {"WEB": "SANDBOXED_JS_FOR_WEB_TEMPLATE", "SERVER": "SANDBOXED_JS_FOR_SERVER"}
    section = code[context(export)]
    before = added(export, lambda e: edit(e, section, "data.gtmOnSuccess();"))
    assert before == []  # with a code section there is nothing to say
    broken = copy.deepcopy(export)
    edit(broken, section, "data.gtmOnSuccess();")
    assert added(broken, lambda e: edit(e, section, None)) == [
        f"{where(export)}: warning: section ___{section}___ is missing: the template has no code"
    ]


def test_template_kind_matches_its_users(export: Export) -> None:
    new = added(export, lambda e: edit_info(e, type="MACRO"))
    name = template(export)["name"]
    assert any(
        m.endswith(f"template {name!r} is a MACRO template; a tag needs a TAG template")
        for m in new
    ), new


def test_info_type_is_known(export: Export) -> None:
    assert added(export, lambda e: edit_info(e, type="WIDGET")) == [
        f"{where(export)}: ___INFO___ type 'WIDGET' is not TAG, MACRO or CLIENT"
    ]


def _template_tag(export: Export) -> tuple[int, dict[str, Any]]:
    return find(export, "tag", "TikTok - purchase")


def test_long_form_type_resolves_through_template_id(export: Export) -> None:
    i, tag = _template_tag(export)
    container, template_id = tag["type"].removeprefix("cvt_").split("_")
    assert template_id == template(export)["templateId"]
    new = added(export, lambda e: e["containerVersion"]["tag"][i].update(type=f"cvt_{container}_7"))
    assert new == [
        f"containerVersion.tag[{i}].type (tag {tag['name']!r}): "
        f"'cvt_{container}_7' names custom template 7, which this export does "
        "not contain"
    ]
    new = added(
        export, lambda e: e["containerVersion"]["tag"][i].update(type=f"cvt_1_{template_id}")
    )
    assert new == [
        f"containerVersion.tag[{i}].type (tag {tag['name']!r}): "
        f"'cvt_1_{template_id}' names container 1, but the template belongs to "
        f"container {container}"
    ]


def test_short_form_type_resolves_through_gallery_id_or_info_id(export: Export) -> None:
    i, tag = _template_tag(export)

    def gallery(e: Export) -> None:
        template(e)["galleryReference"] = {"galleryTemplateId": "AB12C"}
        e["containerVersion"]["tag"][i]["type"] = "cvt_AB12C"

    def info(e: Export) -> None:
        edit_info(e, id="cvt_ZZ9ZZ")
        e["containerVersion"]["tag"][i]["type"] = "cvt_ZZ9ZZ"

    assert added(export, gallery) == []
    assert added(export, info) == []
    new = added(export, lambda e: e["containerVersion"]["tag"][i].update(type="cvt_QQ1QQ"))
    assert new == [
        f"containerVersion.tag[{i}].type (tag {tag['name']!r}): 'cvt_QQ1QQ' "
        "matches no custom template in this export (by "
        "galleryReference.galleryTemplateId or ___INFO___ id)"
    ]


def test_a_parameter_the_template_does_not_define_is_a_warning(export: Export) -> None:
    i, tag = _template_tag(export)
    n = len(tag["parameter"])
    extra = {"type": "TEMPLATE", "key": "noSuchField", "value": "x"}
    new = added(export, lambda e: e["containerVersion"]["tag"][i]["parameter"].append(extra))
    assert new == [
        f"containerVersion.tag[{i}].parameter[{n}] (tag {tag['name']!r}): "
        f"warning: parameter 'noSuchField' is not a field of template "
        f"{template(export)['name']!r}"
    ]


def test_fields_nested_in_groups_and_choices_count(export: Export) -> None:
    i, _ = _template_tag(export)
    fields = [
        {
            "type": "GROUP",
            "name": "g",
            "subParams": [
                {
                    "type": "RADIO",
                    "name": "mode",
                    "radioItems": [
                        {
                            "value": "a",
                            "displayValue": "A",
                            "subParams": [{"type": "TEXT", "name": "deepField"}],
                        }
                    ],
                }
            ],
        }
    ]

    def change(e: Export) -> None:
        edit(e, "TEMPLATE_PARAMETERS", json.dumps(fields))
        e["containerVersion"]["tag"][i]["parameter"] = [
            {"type": "TEMPLATE", "key": "deepField", "value": "x"},
            {"type": "TEMPLATE", "key": "mode", "value": "a"},
        ]

    new = added(export, change)
    assert [m for m in new if f"tag[{i}]" in m] == []
