import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from beirat.council.numbering import Reference, next_reference, parse_reference, type_for_code


@pytest.mark.parametrize(
    "text", ["AF/0013/2021", "af/13/2021", "AF-0013-2021", " AF / 0013 / 2021 "]
)
def test_the_written_forms_of_a_number_are_read_alike(text):
    assert parse_reference(text) == Reference("AF", 13, 2021)


def test_reference_is_written_with_four_digits_and_a_slug_with_hyphens():
    reference = Reference("ST", 78, 2025)
    assert (str(reference), reference.slug) == ("ST/0078/2025", "ST-0078-2025")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "AF/2021",
        "AF/0000/2021",
        "AF/0013/21",
        "1234/0013/2021",
        "AF/0013/1492",
        "AF/0013/2021; DROP TABLE",
        "A" * 500,
    ],
)
def test_broken_numbers_are_refused_with_a_german_message(text):
    with pytest.raises(ValidationError, match=r"Vorlagennummer|laufende Nummer|nicht plausibel"):
        parse_reference(text)


@given(st.sampled_from(["AF", "AW", "AT", "ST"]), st.integers(1, 9999), st.integers(1900, 2999))
def test_written_references_read_back_unchanged(code, sequence, year):
    reference = Reference(code, sequence, year)
    assert parse_reference(str(reference)) == reference
    assert parse_reference(reference.slug) == reference


def test_type_codes_map_both_ways_and_are_configurable():
    assert type_for_code("aw") == "answer"
    assert type_for_code("XY") is None
    assert type_for_code("DS", {"notice": "DS"}) == "notice"


def test_next_reference_continues_the_sequence_of_the_type_and_year():
    assert next_reference("statement", 2025, 77) == Reference("ST", 78, 2025)
    with pytest.raises(ValidationError):
        next_reference("unknown", 2025, 0)
