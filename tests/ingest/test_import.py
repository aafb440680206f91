"""import_file(): papers into the council records, idempotent, linked, reviewed, never half."""

import io

import pytest

from beirat.core.models import AuditEntry
from beirat.council.models import Paper
from beirat.directory import demo as directory_demo
from beirat.ingest import services
from beirat.ingest.models import ImportRecord
from tests.factories.core import UserFactory
from tests.ingest.test_parse import ANSWER_TEXT, STATEMENT_TEXT

pytestmark = pytest.mark.django_db
Status = ImportRecord.Status


@pytest.fixture(autouse=True)
def directory():
    directory_demo.load(stdout=io.StringIO())  # offices, divisions, committees, fractions


def run(text, name="vorlage.txt", encoding="utf-8"):
    return services.import_file(data=text.encode(encoding), name=name, actor=None)


def test_the_answer_is_imported_published_and_linked_to_a_stub_of_its_inquiry():
    outcome = run(ANSWER_TEXT, "000.txt")

    assert outcome.status == Status.IMPORTED
    paper = outcome.paper
    assert paper.reference == "AW/0011/2021"
    assert paper.status == Paper.Status.PUBLISHED
    assert paper.division.name == "Dezernat 1"
    assert paper.author_unit.number == "80"
    assert paper.climate_impact == "keine"
    assert paper.sections.count() == 6
    assert paper.consultations.get().committee.name == "Stadtrat"
    inquiry = paper.responds_to
    assert inquiry.reference == "AF/0013/2021"
    assert inquiry.status == Paper.Status.REGISTERED  # a stub, not public
    assert outcome.record.original.read() == ANSWER_TEXT.encode()


def test_the_scanned_statement_waits_for_review_then_is_published():
    outcome = run(STATEMENT_TEXT, "001.txt")

    assert outcome.status == Status.REVIEW
    paper = outcome.paper
    assert paper.status == Paper.Status.REGISTERED
    assert paper.name == (
        "Stellungnahme zum Antrag der FDP-Fraktion: Kooperationen stärken. "
        "Digitalisierung gemeinsam gestalten."
    )
    assert paper.author_unit.number == "10"
    assert paper.responds_to.reference == "AT/0080/2025"
    assert "name" in outcome.record.review_fields
    assert "gepriift" in outcome.record.original_text

    services.confirm(record=outcome.record, actor=UserFactory())

    paper.refresh_from_db()
    assert paper.status == Paper.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="ingest.confirmed").exists()


def test_the_same_file_again_changes_nothing():
    first = run(ANSWER_TEXT)
    entries = AuditEntry.objects.count()

    second = run(ANSWER_TEXT)

    assert second.status == Status.UNCHANGED
    assert second.paper == first.paper
    assert Paper.objects.count() == 2  # the answer and its inquiry's stub
    assert AuditEntry.objects.count() == entries


def test_a_changed_file_updates_the_paper_and_says_what_changed():
    run(ANSWER_TEXT)

    outcome = run(ANSWER_TEXT.replace("Masterarbeit", "Bachelorarbeit"), "000-neu.txt")

    assert outcome.status == Status.UPDATED
    assert "Abschnitte" in outcome.reason
    assert "Bachelorarbeit" in outcome.paper.sections.get(number="1").text


def test_the_inquiry_fills_its_stub_when_it_arrives():
    answer = run(ANSWER_TEXT).paper
    inquiry_text = (
        "Anfrage\n\nVorlage: AF/0013/2021\t\tDatum: 29.03.2021\n"
        "Betreff:\nAnfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats\n"
        "Gremienweg:\n22.04.2021\tStadtrat\n\nAnfrage:\n\n"
        "1. Fanden bereits erste Sitzungen des IT-Beirats statt?\n"
    )

    outcome = run(inquiry_text, "af.txt")

    assert outcome.status == Status.UPDATED, outcome.reason
    assert outcome.paper == answer.responds_to
    assert outcome.paper.name == "Anfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats"
    assert outcome.paper.originator.name == "CDU-Ratsfraktion"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_text_in_another_encoding_is_read(encoding):
    outcome = run(ANSWER_TEXT, encoding=encoding)

    assert outcome.status == Status.IMPORTED
    assert "Digitalisierung der Verwaltungsarbeit" in outcome.paper.sections.first().text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "leer"),
        (b"Einkaufsliste: Milch, Brot", "keine Vorlage"),
        (b"%PDF-1.7\n garbage", "beschädigt"),
        (b"\x00\x01\x02binary", "weder Text noch PDF"),
    ],
)
def test_bad_files_fail_with_a_reason_and_leave_nothing(data, reason):
    outcome = services.import_file(data=data, name="kaputt.bin", actor=None)

    assert outcome.status == Status.FAILED
    assert reason in outcome.reason
    assert not Paper.objects.exists()
    assert outcome.record.paper is None


def test_a_failure_half_way_leaves_no_stub_and_no_paper():
    # An answer that claims to answer a motion: the link check fails after the stub was made.
    text = ANSWER_TEXT.replace(
        "Antwort zur Anfrage Nr. AF/0013/2021", "Antwort zur Anfrage Nr. AT/0099/2021"
    )

    outcome = run(text)

    assert outcome.status == Status.FAILED
    assert "Antwort" in outcome.reason
    assert not Paper.objects.exists()


def test_a_public_paper_offers_the_file_it_was_imported_from(anonymous):
    paper = run(ANSWER_TEXT, "AW-0011-2021.txt").paper

    page = anonymous.get(paper.get_absolute_url()).content.decode()
    download = anonymous.get(f"{paper.get_absolute_url()}original/")

    assert "Eingelesene Originaldatei (AW-0011-2021.txt)" in page
    assert b"".join(download.streaming_content) == ANSWER_TEXT.encode()
    assert download["X-Content-Type-Options"] == "nosniff"
