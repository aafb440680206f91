"""Both seed papers parse with every field right (one test per field), OCR errors repaired."""

import datetime
from pathlib import Path

import pytest

from beirat.council.demo import ANSWER_2021, STATEMENT_2025
from beirat.ingest.parse import NotAPaper, parse

SEEDS = Path(__file__).parent / "seeds"
ANSWER_TEXT = (SEEDS / "000_94c2e8f52923bccc.txt").read_text()
STATEMENT_TEXT = (SEEDS / "001_693be6e07fae0146.txt").read_text()  # OCR of a scan, errors in


@pytest.fixture(scope="module")
def answer():
    return parse(ANSWER_TEXT)


@pytest.fixture(scope="module")
def statement():
    return parse(STATEMENT_TEXT)


ANSWER_FIELDS = {
    "reference": "AW/0011/2021",
    "paper_type": "answer",
    "date": datetime.date(2021, 4, 12),
    "division": "Dezernat 1",
    "author": "80-Amt für Wirtschaftsförderung",
    "file_number": "",
    "name": ANSWER_2021["name"],
    "responds_to": "AF/0013/2021",
    "originator": "CDU-Ratsfraktion",
    "body_heading": "Antwort zur Anfrage:",
    "climate_impact": "keine",
    "financial_impact": None,
    "recommended_resolution": None,
}
STATEMENT_FIELDS = {
    "reference": "ST/0078/2025",
    "paper_type": "statement",
    "date": datetime.date(2025, 6, 25),
    "division": "Dezernat 1",
    "author": "10-Amt für Personal und Organisation",
    "file_number": "",
    "name": STATEMENT_2025["name"],
    "responds_to": "AT/0080/2025",
    "originator": "FDP-Fraktion",
    "body_heading": "Stellungnahme:",
    "climate_impact": None,
    "financial_impact": "",
    "recommended_resolution": STATEMENT_2025["recommended_resolution"],
}


@pytest.mark.parametrize(("name", "expected"), ANSWER_FIELDS.items(), ids=ANSWER_FIELDS.keys())
def test_answer_field(answer, name, expected):
    assert answer.value(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"), STATEMENT_FIELDS.items(), ids=STATEMENT_FIELDS.keys()
)
def test_statement_field(statement, name, expected):
    assert statement.value(name) == expected


@pytest.mark.parametrize(
    ("fixture", "spec"), [("answer", ANSWER_2021), ("statement", STATEMENT_2025)]
)
def test_every_section_in_order(request, fixture, spec):
    draft = request.getfixturevalue(fixture)
    got = [(s.kind, s.number, s.question, s.heading, s.text) for s in draft.sections]

    assert got == [tuple(section) for section in spec["sections"]]


def test_the_committee_route_of_both_seeds(answer, statement):
    (answer_route,) = answer.route
    (statement_route,) = statement.route

    assert (answer_route.date, answer_route.committee, answer_route.public) == (
        datetime.date(2021, 4, 22),
        "Stadtrat",
        True,
    )
    assert answer_route.outcome == ""  # no box ticked in the paper
    # The scan cut the year at the box's edge: "26.06.202" and "5" on the next line.
    assert statement_route.date == datetime.date(2025, 6, 26)
    assert statement_route.committee == "Stadtrat"
    assert statement.fields["route"].needs_review


def test_ocr_errors_are_repaired_and_the_original_is_kept(statement):
    repairs = dict(statement.repairs)

    assert repairs["fiir"] == "für"
    assert repairs["gepriift"] == "geprüft"
    assert repairs["stirken"] == "stärken"
    assert repairs["begriiBen"] == "begrüßen"
    assert repairs["6ffentlichen"] == "öffentlichen"
    assert "gepriift" in statement.original_text
    assert "gepriift" not in statement.repaired_text
    # Fields whose words had to be repaired wait for a clerk.
    assert "name" in statement.needs_review


def test_a_clean_paper_needs_no_review(answer):
    assert answer.needs_review == []
    assert answer.repairs == []


def test_a_ticked_box_is_the_outcome():
    text = ANSWER_TEXT.replace('<input type="checkbox"/> Kenntnis', "☒ Kenntnis")

    assert parse(text).route[0].outcome == "noted"


@pytest.mark.parametrize(
    "text", ["", "Einkaufsliste: Milch, Brot, Äpfel", "Sehr geehrte Damen und Herren,\n" * 50]
)
def test_texts_that_are_not_papers(text):
    with pytest.raises(NotAPaper):
        parse(text)
