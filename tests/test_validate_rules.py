"""Each schema and reference rule catches a deliberately broken copy of one of our exports.

Every test breaks one thing and asserts exactly what that adds to the findings, so the
tests do not depend on what the unbroken export reports.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from gtmgen.validate.report import check_data
from tests.conftest import build_exports

Export = dict[str, Any]


@pytest.fixture(scope="module")
def exports() -> dict[str, Export]:
    return build_exports(None)


@pytest.fixture
def web(exports: dict[str, Export]) -> Export:
    return copy.deepcopy(exports["acme-shop.web.json"])


@pytest.fixture
def server(exports: dict[str, Export]) -> Export:
    return copy.deepcopy(exports["acme-shop.server.json"])


def messages(export: Export, *, fold: bool = False) -> list[str]:
    return [f.message for f in check_data(export, file="x.json", fold=fold).findings]


def added(export: Export, change: Callable[[Export], Any], *, fold: bool = False) -> list[str]:
    """The findings that ``change`` (applied to a copy) adds to the export's own."""
    before = messages(export, fold=fold)
    broken = copy.deepcopy(export)
    change(broken)
    return [m for m in messages(broken, fold=fold) if m not in before]


def find(export: Export, kind: str, name_part: str) -> tuple[int, dict[str, Any]]:
    for index, entity in enumerate(export["containerVersion"][kind]):
        if name_part in entity.get("name", ""):
            return index, entity
    raise LookupError(f"no {kind} named like {name_part!r}")


def entity(export: Export, kind: str, name_part: str) -> dict[str, Any]:
    return find(export, kind, name_part)[1]


# --- IDs and names ------------------------------------------------------------------


def test_ids_are_strings_of_digits(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")
    new = added(web, lambda e: e["containerVersion"]["tag"][i].update(tagId="12a"))
    assert new == [
        f"containerVersion.tag[{i}].tagId (tag {tag['name']!r}): "
        "tagId '12a' is not a string of digits"
    ]


def test_ids_are_unique_per_kind(web: Export) -> None:
    first, second = web["containerVersion"]["tag"][:2]
    new = added(web, lambda e: e["containerVersion"]["tag"][1].update(tagId=first["tagId"]))
    assert new == [
        f"containerVersion.tag[1] (tag {second['name']!r}): tagId "
        f"{first['tagId']!r} is also the ID of tag {first['name']!r} "
        "(containerVersion.tag[0])"
    ]


def test_the_same_number_in_two_kinds_is_allowed(web: Export) -> None:
    """6 exports from 2018-2019 number each kind separately."""
    tag_id = web["containerVersion"]["tag"][0]["tagId"]
    assert (
        added(web, lambda e: e["containerVersion"]["variable"][0].update(variableId=tag_id)) == []
    )


def test_names_are_unique_per_kind(web: Export) -> None:
    first, second = web["containerVersion"]["trigger"][:2]
    new = added(web, lambda e: e["containerVersion"]["trigger"][1].update(name=first["name"]))
    assert new == [
        f"containerVersion.trigger[1] (trigger {first['name']!r}): the name is "
        f"also used by trigger {first['name']!r} (containerVersion.trigger[0])"
    ]
    assert second["name"] != first["name"]


def test_a_duplicate_folder_name_is_only_a_warning(web: Export) -> None:
    folder = web["containerVersion"]["folder"][0]
    twin = dict(folder, folderId="1")
    new = added(web, lambda e: e["containerVersion"]["folder"].append(twin))
    assert new == [
        f"containerVersion.folder[1] (folder {folder['name']!r}): warning: the "
        f"name is also used by folder {folder['name']!r} (containerVersion.folder[0])"
    ]


def test_a_variable_may_not_share_a_built_in_variables_name(web: Export) -> None:
    i, _ = find(web, "variable", "DLV - ecommerce.value")
    new = added(web, lambda e: e["containerVersion"]["variable"][i].update(name="Event"))
    assert (
        f"containerVersion.variable[{i}] (variable 'Event'): a built-in variable has "
        "the same name, so {{Event}} is ambiguous" in new
    )


# --- triggers, folders, tags -----------------------------------------------------------


def test_firing_triggers_exist(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")
    new = added(
        web,
        lambda e: e["containerVersion"]["tag"][i].update(
            firingTriggerId=["999"], blockingTriggerId=["998"]
        ),
    )
    assert new == [
        f"containerVersion.tag[{i}].firingTriggerId[0] (tag {tag['name']!r}): trigger '999' "
        "does not exist",
        f"containerVersion.tag[{i}].blockingTriggerId[0] (tag {tag['name']!r}): trigger "
        "'998' does not exist",
    ]


@pytest.mark.parametrize("builtin", ["2147479553", "2147479573", "2147479572"])
def test_built_in_web_triggers_need_no_entity(web: Export, builtin: str) -> None:
    i, _ = find(web, "tag", "GA4 - purchase")
    assert (
        added(web, lambda e: e["containerVersion"]["tag"][i].update(firingTriggerId=[builtin]))
        == []
    )


def test_a_server_built_in_trigger_in_a_web_container_is_a_warning(web: Export) -> None:
    i, _ = find(web, "tag", "GA4 - purchase")
    new = added(
        web, lambda e: e["containerVersion"]["tag"][i].update(firingTriggerId=["2147479574"])
    )
    assert len(new) == 1
    assert (
        "warning: built-in trigger 2147479574 (the server container's built-in trigger) "
        "is seen only in SERVER containers, not WEB" in new[0]
    )


def test_a_tag_without_triggers_never_fires(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")
    new = added(web, lambda e: e["containerVersion"]["tag"][i].pop("firingTriggerId"))
    assert new == [
        f"containerVersion.tag[{i}] (tag {tag['name']!r}): warning: has no "
        "firing trigger, so it never fires"
    ]


def test_parent_folder_exists(server: Export) -> None:
    i, variable = find(server, "variable", "TikTok pixel ID")
    new = added(
        server, lambda e: e["containerVersion"]["variable"][i].update(parentFolderId="4242")
    )
    assert new == [
        f"containerVersion.variable[{i}].parentFolderId (variable "
        f"{variable['name']!r}): folder '4242' does not exist"
    ]


def test_setup_and_teardown_tags_exist(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")
    google_tag = entity(web, "tag", "Google tag")["name"]

    def change(e: Export) -> None:
        e["containerVersion"]["tag"][i]["setupTag"] = [{"tagName": google_tag}]
        e["containerVersion"]["tag"][i]["teardownTag"] = [{"tagName": "Gone"}]

    assert added(web, change) == [
        f"containerVersion.tag[{i}].teardownTag[0].tagName (tag "
        f"{tag['name']!r}): tag 'Gone' does not exist"
    ]


def test_a_tag_is_not_its_own_setup_tag(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")
    new = added(
        web, lambda e: e["containerVersion"]["tag"][i].update(setupTag=[{"tagName": tag["name"]}])
    )
    assert new == [
        f"containerVersion.tag[{i}].setupTag[0].tagName (tag {tag['name']!r}): "
        "a tag cannot be its own setup or teardown tag"
    ]


def test_a_setup_tag_needs_no_trigger_of_its_own(web: Export) -> None:
    i, _ = find(web, "tag", "GA4 - purchase")
    j, google = find(web, "tag", "Google tag")

    def change(e: Export) -> None:
        e["containerVersion"]["tag"][i]["setupTag"] = [{"tagName": google["name"]}]
        del e["containerVersion"]["tag"][j]["firingTriggerId"]

    assert added(web, change) == []


def test_tag_and_trigger_reference_parameters_exist(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")
    params = [
        {"type": "TAG_REFERENCE", "key": "measurementId", "value": "No such tag"},
        {"type": "TRIGGER_REFERENCE", "key": "someTrigger", "value": "31337"},
    ]
    n = len(tag["parameter"])
    new = added(web, lambda e: e["containerVersion"]["tag"][i]["parameter"].extend(params))
    label = f"(tag {tag['name']!r})"
    assert sorted(new) == sorted(
        [
            f"containerVersion.tag[{i}].parameter[{n}].value {label}: tag 'No such tag' does "
            "not exist",
            f"containerVersion.tag[{i}].parameter[{n + 1}].value {label}: trigger '31337' does "
            "not exist",
        ]
    )


def test_clients_only_in_server_containers(web: Export, server: Export) -> None:
    client = server["containerVersion"]["client"][0]
    new = added(web, lambda e: e["containerVersion"].update(client=[client]))
    assert new == [
        f"containerVersion.client[0] (client {client['name']!r}): clients exist "
        "only in server containers; this one is WEB"
    ]


# --- {{Variable}} references -----------------------------------------------------------


def _event_row_value(export: Export, value: str) -> Callable[[Export], None]:
    i, _ = find(export, "tag", "GA4 - purchase")

    def change(e: Export) -> None:
        row = e["containerVersion"]["tag"][i]["parameter"][1]["list"][0]["map"][1]
        row["value"] = value

    return change


def test_variable_references_resolve_inside_tables(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")
    new = added(web, _event_row_value(web, "x{{gtmgen - Nope}}y"))
    assert new == [
        f"containerVersion.tag[{i}].parameter[1].list[0].map[1].value (tag "
        f"{tag['name']!r}): {{{{gtmgen - Nope}}}} names no variable in this export"
    ]


def test_variable_references_resolve_in_conditions(web: Export) -> None:
    i, trigger = find(web, "trigger", "purchase")
    new = added(
        web,
        lambda e: e["containerVersion"]["trigger"][i]["customEventFilter"][0]["parameter"][
            0
        ].update(value="{{Event Typo}}"),
    )
    assert new == [
        f"containerVersion.trigger[{i}].customEventFilter[0].parameter[0].value "
        f"(trigger {trigger['name']!r}): {{{{Event Typo}}}} names no variable in "
        "this export"
    ]


def test_variable_references_resolve_in_custom_javascript(web: Export) -> None:
    i, _ = find(web, "variable", "gtmgen - event_id")
    new = added(
        web,
        lambda e: e["containerVersion"]["variable"][i]["parameter"][0].update(
            value="function() { return {{Missing}}; }"
        ),
    )
    assert len(new) == 1 and "{{Missing}} names no variable" in new[0]


def test_event_is_always_known(web: Export) -> None:
    assert added(web, _event_row_value(web, "{{_event}}")) == []


def test_a_built_in_variable_must_be_enabled(web: Export) -> None:
    new = added(web, _event_row_value(web, "{{Page URL}}"))
    assert len(new) == 1
    assert new[0].endswith(
        "warning: {{Page URL}} is a built-in variable this export does "
        "not enable (no builtInVariable entry)"
    )
    enable = {"accountId": "1", "containerId": "2", "type": "PAGE_URL", "name": "Page URL"}

    def change(e: Export) -> None:
        _event_row_value(web, "{{Page URL}}")(e)
        e["containerVersion"]["builtInVariable"].append(enable)

    assert added(web, change) == []


# --- parameters, conditions, enums, envelope --------------------------------------------


def test_parameter_keys_are_unique(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")

    def change(e: Export) -> None:
        params = e["containerVersion"]["tag"][i]["parameter"]
        params.append(dict(params[0]))
        params[1]["list"][0]["map"].append(dict(params[1]["list"][0]["map"][0]))

    n = len(tag["parameter"])
    label = f"(tag {tag['name']!r})"
    assert added(web, change) == [
        f"containerVersion.tag[{i}].parameter[{n}] {label}: parameter key "
        f"{tag['parameter'][0]['key']!r} appears twice",
        f"containerVersion.tag[{i}].parameter[1].list[0].map[2] {label}: parameter key "
        "'parameter' appears twice",
    ]


def test_conditions_have_both_arguments(web: Export) -> None:
    i, trigger = find(web, "trigger", "purchase")
    new = added(
        web,
        lambda e: e["containerVersion"]["trigger"][i]["customEventFilter"][0]["parameter"].pop(),
    )
    assert new == [
        f"containerVersion.trigger[{i}].customEventFilter[0] (trigger "
        f"{trigger['name']!r}): condition lacks arg1"
    ]


@pytest.mark.parametrize(
    ("param", "expected"),
    [
        ({"type": "BOOLEAN", "key": "k", "value": "yes"}, "value 'yes' is not 'true' or 'false'"),
        ({"type": "INTEGER", "key": "k", "value": "2.5"}, "value '2.5' is not a decimal integer"),
        ({"type": "LIST", "key": "k", "value": "x"}, "value is not a field of LIST parameters"),
        ({"type": "TEMPLATE", "value": "x"}, "'key' is missing"),
        (
            {"type": "template", "key": "k", "value": "x"},
            "type 'template' is the API's spelling; an export writes 'TEMPLATE'",
        ),
        (
            {"type": "BOOLEAN", "key": "k", "value": True},
            "value is the boolean true, expected a string",
        ),
    ],
)
def test_parameter_shapes(web: Export, param: dict[str, Any], expected: str) -> None:
    i, _ = find(web, "tag", "GA4 - purchase")
    new = added(web, lambda e: e["containerVersion"]["tag"][i]["parameter"].append(param))
    assert len(new) == 1 and new[0].endswith(expected), new


def test_list_items_need_no_key(web: Export) -> None:
    i, _ = find(web, "tag", "GA4 - purchase")
    item = {"type": "LIST", "key": "k", "list": [{"type": "TEMPLATE", "value": "a"}]}
    assert added(web, lambda e: e["containerVersion"]["tag"][i]["parameter"].append(item)) == []


def test_enums_in_export_spelling(web: Export) -> None:
    i, trigger = find(web, "trigger", "purchase")
    new = added(web, lambda e: e["containerVersion"]["trigger"][i].update(type="customEvent"))
    assert new == [
        f"containerVersion.trigger[{i}].type (trigger {trigger['name']!r}): type "
        "'customEvent' is the API's spelling; an export writes 'CUSTOM_EVENT'"
    ]
    new = added(web, lambda e: e["containerVersion"]["tag"][0].update(tagFiringOption="X"))
    assert len(new) == 1 and new[0].endswith(
        "tagFiringOption 'X' is not one of 'UNLIMITED', 'ONCE_PER_EVENT', 'ONCE_PER_LOAD'"
    )


def test_unknown_fields_are_warnings(web: Export) -> None:
    new = added(web, lambda e: e["containerVersion"]["tag"][0].update(colour="red"))
    assert len(new) == 1 and "warning: unknown field 'colour'" in new[0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"exportFormatVersion": 1}, "exportFormatVersion: exportFormatVersion 1 is not 2"),
        (
            {"exportTime": "2024-01-01T00:00:00Z"},
            "exportTime: exportTime '2024-01-01T00:00:00Z' is not 'YYYY-MM-DD HH:MM:SS'",
        ),
    ],
)
def test_envelope(web: Export, change: dict[str, Any], expected: str) -> None:
    assert added(web, lambda e: e.update(change)) == [expected]


def test_a_missing_required_field(web: Export) -> None:
    i, tag = find(web, "tag", "GA4 - purchase")
    new = added(web, lambda e: e["containerVersion"]["tag"][i].pop("type"))
    assert new == [f"containerVersion.tag[{i}] (tag {tag['name']!r}): 'type' is missing"]


def test_repeated_messages_are_folded(web: Export) -> None:
    def change(e: Export) -> None:
        for variable in e["containerVersion"]["variable"]:
            variable["accountId"] = ""

    count = len(web["containerVersion"]["variable"])
    assert count > 4
    new = added(web, change, fold=True)
    assert len(new) == 4
    assert new[-1] == (
        f"accountId '' is not a string of digits (and {count - 3} more places like this)"
    )
