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


# Papers in other cities' layouts ---------------------------------------------------------------


def corpus_text(name):
    from tests.ingest.layout_corpus import CORPUS

    return (CORPUS / f"{name}.txt").read_text()


FOREIGN = "a1_allris_auenstadt_beschlussvorlage"  # "VO/2024/0123", a Beschlussvorlage


def test_a_foreign_paper_gets_beirats_number_and_keeps_its_own():
    outcome = run(corpus_text(FOREIGN), "vo-2024-0123.txt")

    assert outcome.status == Status.REVIEW, outcome.reason  # its office is not in our directory
    paper = outcome.paper
    assert (paper.reference, paper.paper_type) == ("BV/0123/2024", "resolution_proposal")
    assert paper.name == "Neupflanzung von Straßenbäumen in der Lindenallee"
    assert paper.recommended_resolution.startswith("Der Stadtrat beschließt")
    assert outcome.record.source_reference == "VO/2024/0123"
    assert "Verfasser" in outcome.reason


def test_a_changed_file_of_a_foreign_paper_updates_it():
    first = run(corpus_text(FOREIGN)).paper

    outcome = run(corpus_text(FOREIGN).replace("rund 54.000 Euro", "rund 56.000 Euro"), "neu.txt")

    assert outcome.status in {Status.UPDATED, Status.REVIEW}, outcome.reason
    assert outcome.paper == first
    assert "56.000" in outcome.paper.financial_impact


def test_a_foreign_number_that_would_take_one_of_ours_is_refused():
    ours = run(ANSWER_TEXT.replace("AW/0011/2021", "AW/0123/2024")).paper
    answer = corpus_text("g2_allris_auenstadt_antwort").replace("VO/2024/0170", "VO/2024/0123")
    entries = AuditEntry.objects.count()

    outcome = run(answer, "fremd.txt")

    assert outcome.status == Status.FAILED
    assert "„VO/2024/0123“ erhielte die Vorlagennummer AW/0123/2024" in outcome.reason
    assert "nichts überschrieben" in outcome.reason
    ours.refresh_from_db()
    assert ours.name == "Antwort zur Anfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats"
    assert AuditEntry.objects.count() == entries


def test_two_foreign_numbers_for_one_beirat_number_are_not_merged():
    run(corpus_text(FOREIGN))  # VO/2024/0123 → BV/0123/2024
    other = corpus_text("c1_somacos_erlenbach_beschlussvorlage")  # Vorlage Nr. 123/2024

    outcome = run(other, "erlenbach.txt")

    assert outcome.status == Status.FAILED
    assert "Vorlage Nr. 123/2024" in outcome.reason
    assert Paper.objects.get(reference="BV/0123/2024").name.startswith("Neupflanzung")


def test_our_own_file_does_not_overwrite_a_foreign_paper_with_our_number():
    run(corpus_text(FOREIGN))
    ours = corpus_text("b1_sessionnet_birkenfelde_beschlussvorlage").replace(
        "Drucksache Nr. 0456/2023", "Vorlage BV/0123/2024"
    )

    outcome = run(ours, "bv.txt")

    assert outcome.status == Status.FAILED
    assert "bereits an eine Vorlage vergeben, die aus „VO/2024/0123“" in outcome.reason


def test_the_citys_templates_and_codes_are_used(settings):
    settings.BEIRAT_IMPORT_REFERENCE_PATTERNS = ["Vorlagen-Nr. {year}/{number}"]
    settings.BEIRAT_PAPER_TYPE_CODES = {"resolution_proposal": "SV"}

    outcome = run(corpus_text("e3_plain_kleinsiedel_jahr_zuerst"))

    assert outcome.paper.reference == "SV/0077/2024"
    assert outcome.record.source_reference == "Vorlagen-Nr.: 2024/077"


def test_a_partial_header_fails_with_a_reason_and_leaves_nothing():
    outcome = run("Drucksache 0456/2023\n\nBitte um Rückruf.\n")

    assert outcome.status == Status.FAILED
    assert "weder die Art der Vorlage" in outcome.reason
    assert not Paper.objects.exists()


def test_a_supplement_is_not_taken_for_its_main_paper():
    main = corpus_text("b1_sessionnet_birkenfelde_beschlussvorlage")
    run(main)

    outcome = run(main.replace("0456/2023", "0456/2023-1").replace("Sanierung", "Ergänzung"))

    assert outcome.status == Status.FAILED
    assert "„Drucksache Nr. 0456/2023-1“ erhielte die Vorlagennummer BV/0456/2023" in outcome.reason
    assert Paper.objects.get(reference="BV/0456/2023").name.startswith("Sanierung")
