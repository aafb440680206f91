"""The OParl validator accepts the official examples and rejects what the spec forbids."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.oparl.schema_validation import (
    SCHEMA_DIR,
    object_type_names,
    transform_schema,
    validate_list_page,
    validate_object,
)

EXAMPLES_DIR = SCHEMA_DIR.parent / "examples"
EXAMPLES = sorted(path.name for path in EXAMPLES_DIR.glob("*.json"))

# Official examples that do not follow the 1.1 rules, with exactly the errors they produce.
# Anything else failing in them is a validator bug, so these are compared for equality.
KNOWN_EXAMPLE_QUIRKS = {
    # The Location example is an older one without "created"/"modified", which 1.1 expects on
    # every object (and which every other example has).
    "Location-01.json": [
        "/: 'created' is a required property (OParl: every object)",
        "/: 'modified' is a required property (OParl: every object)",
    ],
    # AgendaItem.json requires "order" (new in 1.1); the embedded agenda item of the Meeting
    # example was written before and lacks it.
    "Meeting-01.json": ["/agendaItem/0: 'order' is a required property"],
}


def load_example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES_DIR / name).read_text(encoding="utf-8"))
    return data


def test_all_official_schemas_and_examples_are_found():
    assert object_type_names() == [
        "AgendaItem",
        "Body",
        "Consultation",
        "File",
        "LegislativeTerm",
        "Location",
        "Meeting",
        "Membership",
        "Organization",
        "Paper",
        "Person",
        "System",
    ]
    assert len(EXAMPLES) >= 8
    assert set(KNOWN_EXAMPLE_QUIRKS) <= set(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_official_example_validates(name):
    assert validate_object(load_example(name)) == KNOWN_EXAMPLE_QUIRKS.get(name, [])


def test_quirky_examples_validate_once_the_quirk_is_fixed():
    location = load_example("Location-01.json")
    location["created"] = location["modified"] = "2014-01-08T14:28:31+01:00"
    assert validate_object(location) == []

    meeting = load_example("Meeting-01.json")
    meeting["agendaItem"][0]["order"] = 1
    assert validate_object(meeting) == []


# --- positive controls: each rule can fail ------------------------------------------------------


def paper() -> dict[str, Any]:
    return load_example("Paper-01.json")


def test_date_time_with_z_fails():
    obj = paper()
    obj["modified"] = "2013-01-08T12:05:27Z"
    assert validate_object(obj) == [
        "/modified: '2013-01-08T12:05:27Z' is not a 'date-time'",
    ]


@pytest.mark.parametrize(
    "value",
    [
        "2013-01-08T12:05:27.123+01:00",  # fractions
        "2013-01-08T12:05:27",  # no offset
        "2013-01-08 12:05:27+01:00",  # no T
        "2013-01-08",  # a date
        "2013-02-30T12:05:27+01:00",  # no such day
        "2013-01-08T12:05:27+0100",  # offset without colon
    ],
)
def test_other_bad_date_times_fail(value):
    obj = paper()
    obj["mainFile"]["created"] = value
    assert validate_object(obj) == [f"/mainFile/created: {value!r} is not a 'date-time'"]


@pytest.mark.parametrize(
    "value", ["04.04.2014", "2014-4-4", "2014-04-04T00:00:00+02:00", "2014-13-01"]
)
def test_bad_dates_fail(value):
    obj = paper()
    obj["date"] = value
    assert validate_object(obj) == [f"/date: {value!r} is not a 'date'"]


def test_missing_modified_on_an_embedded_object_fails():
    obj = paper()
    del obj["auxiliaryFile"][0]["modified"]
    assert validate_object(obj) == [
        "/auxiliaryFile/0: 'modified' is a required property (OParl: every embedded object)",
    ]


def test_missing_created_on_a_deeply_embedded_object_fails():
    body = load_example("Body-01.json")
    # An embedded object inside an extension field is found too.
    body["beirat:extra"] = {"nested": [copy.deepcopy(body["location"])]}
    del body["beirat:extra"]["nested"][0]["created"]
    assert validate_object(body) == [
        "/beirat:extra/nested/0: 'created' is a required property (OParl: every embedded object)",
    ]


def test_missing_created_on_the_object_itself_fails():
    obj = paper()
    del obj["created"]
    assert validate_object(obj) == ["/: 'created' is a required property (OParl: every object)"]


def test_embedded_object_without_id_fails():
    obj = paper()
    del obj["location"][0]["id"]
    errors = validate_object(obj)
    assert "/location/0: 'id' is a required property" in errors  # from Location.json
    assert (
        "/location/0: 'id' is a required property (OParl: every embedded object)" in errors
    )  # from the rule, which also covers places no schema describes
    assert len(errors) == 2


@pytest.mark.parametrize(
    "value",
    [
        "/oparl/v1/paper/749",
        "paper/749",
        "oparl.example.org/paper/749",
        "ftp://oparl.example.org/paper/749",
        "https:///paper/749",
        "https://oparl.example.org/paper/7 49",
        "",
    ],
)
def test_relative_or_non_http_id_fails(value):
    obj = paper()
    obj["id"] = value
    assert validate_object(obj) == [f"/id: {value!r} is not a 'url'"]


def test_relative_url_in_a_reference_list_fails():
    obj = paper()
    obj["relatedPaper"] = ["https://oparl.example.org/paper/699", "/paper/700"]
    assert validate_object(obj) == ["/relatedPaper/1: '/paper/700' is not a 'url'"]


@pytest.mark.parametrize(
    "value",
    [
        "https://schema.oparl.org/1.1/Banana",
        "https://schema.oparl.org/1.0/Paper",
        "Paper",
        None,
    ],
)
def test_unknown_type_fails(value):
    obj = paper()
    obj["type"] = value
    assert validate_object(obj) == [f"/type: unknown OParl type {value!r}"]


def test_missing_type_fails():
    obj = paper()
    del obj["type"]
    assert validate_object(obj) == ["/type: unknown OParl type None"]


def test_not_an_object_fails():
    assert validate_object(["https://oparl.example.org/paper/749"]) == [
        "/: expected an OParl object, got list"
    ]


def test_unknown_type_of_an_embedded_object_fails():
    obj = paper()
    obj["beirat:thing"] = {**obj["mainFile"], "type": "https://schema.oparl.org/1.1/Banana"}
    assert validate_object(obj) == [
        "/beirat:thing: unknown OParl type 'https://schema.oparl.org/1.1/Banana'"
    ]


def test_wrong_type_for_a_field_fails():
    obj = paper()
    obj["name"] = 5
    obj["relatedPaper"] = "https://oparl.example.org/paper/699"
    assert validate_object(obj) == [
        "/name: 5 is not of type 'string'",
        "/relatedPaper: 'https://oparl.example.org/paper/699' is not of type 'array'",
    ]


def test_wrong_type_inside_an_embedded_object_fails():
    meeting = load_example("Meeting-01.json")
    meeting["agendaItem"][0]["order"] = "1"
    meeting["agendaItem"][0]["public"] = "ja"
    assert validate_object(meeting) == [
        "/agendaItem/0/order: '1' is not of type 'integer'",
        "/agendaItem/0/public: 'ja' is not of type 'boolean'",
    ]


def test_embedded_object_of_the_wrong_kind_fails():
    obj = paper()
    obj["mainFile"] = obj["location"][0]
    errors = validate_object(obj)
    assert "/mainFile: 'accessUrl' is a required property" in errors
    assert any(error.startswith("/mainFile/type: ") for error in errors)


def test_a_reference_given_as_an_embedded_object_fails():
    body = load_example("Body-01.json")
    body["organization"] = {"id": "https://oparl.example.org/body/0/organizations/"}
    assert validate_object(body) == [
        "/organization: {'id': 'https://oparl.example.org/body/0/organizations/'} "
        "is not of type 'string'",
    ]


# --- narrow handling of schema quirks and extensions ---------------------------------------------


def test_main_organization_is_a_url_despite_the_stray_schema_keyword():
    # Body.json says "schema": "Organization" on a URL string; that must not demand an object.
    body = load_example("Body-01.json")
    body["mainOrganization"] = "https://oparl.example.org/organization/1"
    assert validate_object(body) == []
    body["mainOrganization"] = {"id": "https://oparl.example.org/organization/1"}
    assert validate_object(body) != []


def test_extension_fields_are_allowed():
    obj = paper()
    obj["beirat:status"] = "published"
    obj["vendor:anything"] = {"nested": [1, 2]}
    obj["mainFile"]["beirat:pages"] = 3
    assert validate_object(obj) == []


def test_transform_keeps_extension_fields_allowed_under_additional_properties_false():
    transformed = transform_schema(
        {
            "type": "object",
            "properties": {"schema": {"type": "string", "references": "Paper"}},
            "additionalProperties": False,
            "cardinality": "n:1",
        }
    )
    assert transformed["properties"] == {"schema": {"type": "string"}}
    assert "cardinality" not in transformed

    from jsonschema import Draft4Validator  # type: ignore[import-untyped]

    validator = Draft4Validator(transformed)
    assert validator.is_valid({"schema": "x", "beirat:a": 1, "vendor:b": 2})
    assert not validator.is_valid({"schema": "x", "other": 1})


def test_transform_turns_embedded_schema_into_a_ref_and_keeps_constraints():
    transformed = transform_schema(
        {"type": "array", "items": {"type": "object", "schema": "File.json", "minProperties": 1}}
    )
    assert transformed == {
        "type": "array",
        "items": {"type": "object", "minProperties": 1, "allOf": [{"$ref": "File.json"}]},
    }


# --- list pages ----------------------------------------------------------------------------------


def list_page(**links: str) -> dict[str, Any]:
    return {
        "data": [load_example("Paper-01.json"), load_example("File-01.json")],
        "pagination": {"totalElements": 5, "elementsPerPage": 2, "currentPage": 2, "totalPages": 3},
        "links": {
            "first": "https://oparl.example.org/papers/",
            "prev": "https://oparl.example.org/papers/?page=1",
            "self": "https://oparl.example.org/papers/?page=2",
            "next": "https://oparl.example.org/papers/?page=3",
            "last": "https://oparl.example.org/papers/?page=3",
            **links,
        },
    }


def test_list_page_validates():
    assert validate_list_page(list_page()) == []


def test_last_list_page_without_next_validates():
    page = list_page()
    page["pagination"]["currentPage"] = 3
    del page["links"]["next"]
    page["beirat:note"] = "extension"
    assert validate_list_page(page) == []


def test_minimal_list_page_validates():
    assert validate_list_page({"data": [], "pagination": {}, "links": {}}) == []


def test_list_page_with_next_on_the_last_page_fails():
    page = list_page()
    page["pagination"]["currentPage"] = 3
    assert validate_list_page(page) == ["/links/next: present on the last page"]


def test_list_page_without_next_before_the_last_page_fails():
    page = list_page()
    del page["links"]["next"]
    assert validate_list_page(page) == ["/links/next: missing, but this is not the last page"]


def test_list_page_with_relative_link_fails():
    assert validate_list_page(list_page(self="/papers/?page=2")) == [
        "/links/self: '/papers/?page=2' is not a 'url'"
    ]


def test_list_page_without_pagination_or_links_fails():
    page = list_page()
    del page["pagination"]
    del page["links"]
    assert validate_list_page(page) == [
        "/: 'links' is a required property",
        "/: 'pagination' is a required property",
    ]


def test_list_page_with_unknown_or_mistyped_keys_fails():
    page = list_page(nextPage="https://oparl.example.org/papers/?page=3")
    page["pagination"]["totalElements"] = "5"
    errors = validate_list_page(page)
    assert errors == [
        "/links: 'nextPage' does not match any of the regexes: ':'",
        "/pagination/totalElements: '5' is not of type 'integer'",
    ]


def test_list_page_with_too_many_elements_fails():
    page = list_page()
    page["pagination"]["elementsPerPage"] = 1
    assert validate_list_page(page) == ["/data: 2 objects, more than elementsPerPage 1"]


def test_invalid_object_in_a_list_page_fails_with_its_position():
    page = list_page()
    page["data"][1]["id"] = "/files/57737"
    del page["data"][0]["mainFile"]["created"]
    assert validate_list_page(page) == [
        "/data/0/mainFile: 'created' is a required property (OParl: every embedded object)",
        "/data/1/id: '/files/57737' is not a 'url'",
    ]


def test_list_page_data_must_be_objects():
    page = list_page()
    page["data"].append("https://oparl.example.org/paper/1")
    errors = validate_list_page(page)
    assert "/data/2: 'https://oparl.example.org/paper/1' is not of type 'object'" in errors


def test_schemas_are_vendored_inside_the_repository():
    repository = Path(__file__).resolve().parents[2]
    assert SCHEMA_DIR.is_relative_to(repository)
    assert (SCHEMA_DIR / "Paper.json").is_file()
    assert (SCHEMA_DIR.parent / "LICENSE").is_file()
